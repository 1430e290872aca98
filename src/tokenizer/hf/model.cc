#include "tokenizer/hf/model.h"

#include "tokenizer/hf/bpe.h"
#include "tokenizer/hf/json.h"

namespace bench::hf {

void ReadVocab(const nlohmann::json& j, const std::string& path, Vocab& vocab) {
  if (!j.is_object()) throw ConfigError(path, "expected an object of token: id");
  vocab.Reserve(j.size());
  for (const auto& [token, id_json] : j.items()) {
    if (!id_json.is_number_integer() || id_json.get<int64_t>() < 0 ||
        id_json.get<int64_t>() > INT32_MAX) {
      throw ConfigError(Sub(path, token), "expected a non-negative integer id");
    }
    vocab.Add(token, static_cast<int32_t>(id_json.get<int64_t>()));
  }
}

std::unique_ptr<Model> MakeModel(const nlohmann::json& j, const std::string& path, BpeTables* tables) {
  // Old files omit "type" for BPE; HF infers it from the presence of "merges" (always there
  // when `tables` holds them).
  std::string type = StringOr(j, "type", path, "");
  if (type.empty() && (tables != nullptr || OptionalField(j, "merges") != nullptr)) type = "BPE";
  if (type == "BPE") return BpeModel::FromJson(j, path, tables);
  throw ConfigError(Sub(path, "type"), "unsupported model '" + type + "' (supported: BPE)");
}

}  // namespace bench::hf
