#include "tokenizer/hf/post_processor.h"

#include <utility>

#include "tokenizer/hf/json.h"

namespace bench::hf {
namespace {

using nlohmann::json;

// Ids to put before and after the sequence (Template, Roberta and Bert processing all reduce
// to this for a single sequence).
class Wrap final : public PostProcessor {
 public:
  Wrap(std::vector<int32_t> before, std::vector<int32_t> after) : before_(std::move(before)), after_(std::move(after)) {}
  void Process(std::vector<int32_t>& ids) const override {
    ids.insert(ids.begin(), before_.begin(), before_.end());
    ids.insert(ids.end(), after_.begin(), after_.end());
  }

 private:
  std::vector<int32_t> before_, after_;
};

class Identity final : public PostProcessor {
 public:
  void Process(std::vector<int32_t>&) const override {}
};

class SequenceProcessor final : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> parts) : parts_(std::move(parts)) {}
  void Process(std::vector<int32_t>& ids) const override {
    for (const auto& p : parts_) p->Process(ids);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

std::unique_ptr<PostProcessor> MakeTemplate(const json& j, const std::string& path) {
  const json& specials = Field(j, "special_tokens", path);
  const json& single = Field(j, "single", path);
  const std::string spath = Sub(path, "single");
  if (!single.is_array()) throw ConfigError(spath, "expected an array");
  std::vector<int32_t> before, after;
  bool seen_sequence = false;
  for (size_t i = 0; i < single.size(); ++i) {
    const std::string ipath = Index(spath, i);
    if (OptionalField(single[i], "Sequence") != nullptr) {
      seen_sequence = true;
      continue;
    }
    const json& special = Field(single[i], "SpecialToken", ipath);
    const std::string name = StringField(special, "id", Sub(ipath, "SpecialToken"));
    const std::string tpath = Sub(Sub(path, "special_tokens"), name);
    const json& entry = Field(specials, name, Sub(path, "special_tokens"));
    const json& ids = Field(entry, "ids", tpath);
    if (!ids.is_array()) throw ConfigError(Sub(tpath, "ids"), "expected an array of ids");
    for (const json& id : ids) {
      if (!id.is_number_integer()) throw ConfigError(Sub(tpath, "ids"), "expected an array of ids");
      (seen_sequence ? after : before).push_back(id.get<int32_t>());
    }
  }
  return std::make_unique<Wrap>(std::move(before), std::move(after));
}

int32_t PairId(const json& j, std::string_view key, const std::string& path) {
  const json& pair = Field(j, key, path);
  if (!pair.is_array() || pair.size() != 2 || !pair[1].is_number_integer()) {
    throw ConfigError(Sub(path, key), "expected [\"token\", id]");
  }
  return pair[1].get<int32_t>();
}

}  // namespace

std::unique_ptr<PostProcessor> MakePostProcessor(const json& j, const std::string& path) {
  const std::string type = StringField(j, "type", path);
  if (type == "TemplateProcessing") return MakeTemplate(j, path);
  if (type == "RobertaProcessing" || type == "BertProcessing") {
    return std::make_unique<Wrap>(std::vector<int32_t>{PairId(j, "cls", path)},
                                  std::vector<int32_t>{PairId(j, "sep", path)});
  }
  if (type == "ByteLevel") return std::make_unique<Identity>();  // only trims offsets
  if (type == "Sequence") {
    const json& list = Field(j, "processors", path);
    if (!list.is_array()) throw ConfigError(Sub(path, "processors"), "expected an array");
    std::vector<std::unique_ptr<PostProcessor>> parts;
    for (size_t i = 0; i < list.size(); ++i) {
      parts.push_back(MakePostProcessor(list[i], Index(Sub(path, "processors"), i)));
    }
    return std::make_unique<SequenceProcessor>(std::move(parts));
  }
  throw ConfigError(Sub(path, "type"), "unsupported post_processor '" + type + "'");
}

}  // namespace bench::hf
