#include "estimate/model_config.h"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bench {
namespace {

using Json = nlohmann::json;

// What a family's config class assumes when config.json leaves a key out (transformers'
// *Config defaults), and the layer shape its modelling code builds.
struct Family {
  const char* family;
  const char* architecture;  // architectures[0]
  const char* model_type;    // used when a config has no "architectures"
  bool tied_default;
  int64_t head_dim_default;  // 0: hidden_size / num_attention_heads
  bool qkv_bias_default;
  bool gated_mlp;
  int norms_per_layer;
  bool qk_norm;
  bool phi_style;  // LayerNorm with bias, biased projections, one norm per parallel block
  enum class Moe { kNone, kMixtral, kDeepSeek } moe;
  bool latent_attention;
  bool router_bias;
};

constexpr Family kFamilies[] = {
    {"llama", "LlamaForCausalLM", "llama", false, 0, false, true, 2, false, false, Family::Moe::kNone, false, false},
    {"mistral", "MistralForCausalLM", "mistral", false, 0, false, true, 2, false, false, Family::Moe::kNone, false, false},
    {"qwen2", "Qwen2ForCausalLM", "qwen2", false, 0, true, true, 2, false, false, Family::Moe::kNone, false, false},
    {"qwen3", "Qwen3ForCausalLM", "qwen3", false, 128, false, true, 2, true, false, Family::Moe::kNone, false, false},
    {"gemma", "GemmaForCausalLM", "gemma", true, 256, false, true, 2, false, false, Family::Moe::kNone, false, false},
    {"gemma2", "Gemma2ForCausalLM", "gemma2", true, 256, false, true, 4, false, false, Family::Moe::kNone, false, false},
    {"gemma3_text", "Gemma3ForCausalLM", "gemma3_text", true, 256, false, true, 4, true, false, Family::Moe::kNone, false, false},
    {"phi3", "Phi3ForCausalLM", "phi3", false, 0, false, true, 2, false, false, Family::Moe::kNone, false, false},
    {"phi", "PhiForCausalLM", "phi", false, 0, true, false, 1, false, true, Family::Moe::kNone, false, false},
    {"mixtral", "MixtralForCausalLM", "mixtral", false, 0, false, true, 2, false, false, Family::Moe::kMixtral, false, false},
    {"deepseek_v2", "DeepseekV2ForCausalLM", "deepseek_v2", false, 0, false, true, 2, false, false, Family::Moe::kDeepSeek, true, false},
    {"deepseek_v3", "DeepseekV3ForCausalLM", "deepseek_v3", false, 0, false, true, 2, false, false, Family::Moe::kDeepSeek, true, true},
};

// Reads fields of one config.json and remembers the first error, so parsing reads straight
// through and the caller reports one line.
class FieldReader {
 public:
  FieldReader(const Json& json, std::string source) : json_(json), source_(std::move(source)) {}

  int64_t Required(const char* key) {
    const std::optional<int64_t> value = Optional(key);
    if (!value && error_.empty()) Fail(key, "is missing");
    return value.value_or(0);
  }

  // A positive integer, or nullopt when absent or null (transformers treats null as "default").
  std::optional<int64_t> Optional(const char* key) {
    const auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
      Fail(key, "expected a positive integer, got " + it->dump());
      return std::nullopt;
    }
    return it->get<int64_t>();
  }

  int64_t OptionalOr(const char* key, int64_t fallback) { return Optional(key).value_or(fallback); }

  // Like Optional but 0 is allowed (DeepSeek's first_k_dense_replace, n_shared_experts).
  int64_t Count(const char* key, int64_t fallback) {
    const auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      Fail(key, "expected a non-negative integer, got " + it->dump());
      return fallback;
    }
    return it->get<int64_t>();
  }

  bool Flag(const char* key, bool fallback) {
    const auto it = json_.find(key);
    if (it == json_.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) {
      Fail(key, "expected true or false, got " + it->dump());
      return fallback;
    }
    return it->get<bool>();
  }

  void Fail(const char* key, const std::string& what) {
    if (error_.empty()) error_ = fmt::format("{}: field '{}' {}", source_, key, what);
  }

  const std::string& error() const { return error_; }

 private:
  const Json& json_;
  std::string source_;
  std::string error_;
};

std::string KnownList() {
  std::string list;
  for (const Family& f : kFamilies) list += (list.empty() ? "" : ", ") + std::string(f.architecture);
  return list;
}

}  // namespace

std::vector<std::string> KnownArchitectures() {
  std::vector<std::string> names;
  for (const Family& f : kFamilies) names.emplace_back(f.architecture);
  return names;
}

ModelConfigResult ParseModelConfig(const std::string& text, const std::string& source) {
  ModelConfigResult result;
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    result.error = source + ": not a JSON object (expected a Hugging Face config.json)";
    return result;
  }
  FieldReader read(json, source);
  const Family* family = nullptr;
  std::string named;
  if (const auto a = json.find("architectures"); a != json.end() && a->is_array() && !a->empty() &&
                                                 a->front().is_string()) {
    named = a->front().get<std::string>();
    for (const Family& f : kFamilies) {
      if (named == f.architecture) family = &f;
    }
  } else if (const auto t = json.find("model_type"); t != json.end() && t->is_string()) {
    named = t->get<std::string>();
    for (const Family& f : kFamilies) {
      if (named == f.model_type) family = &f;
    }
  } else {
    result.error = source + ": field 'architectures' is missing (and there is no 'model_type')";
    return result;
  }
  if (family == nullptr) {
    result.error = fmt::format("{}: field 'architectures': '{}' is not a known architecture (known: {})",
                               source, named, KnownList());
    return result;
  }

  ModelConfig& c = result.config;
  c.source = source;
  c.architecture = family->architecture;
  c.family = family->family;
  c.hidden_size = read.Required("hidden_size");
  c.num_layers = read.Required("num_hidden_layers");
  c.num_heads = read.Required("num_attention_heads");
  c.num_kv_heads = read.OptionalOr("num_key_value_heads", c.num_heads);
  c.vocab_size = read.Required("vocab_size");
  c.intermediate_size = read.Required("intermediate_size");
  c.max_position_embeddings = read.OptionalOr("max_position_embeddings", 0);
  const int64_t head_dim_default =
      family->head_dim_default > 0 ? family->head_dim_default : (c.num_heads > 0 ? c.hidden_size / c.num_heads : 0);
  c.head_dim = read.OptionalOr("head_dim", head_dim_default);
  c.tie_word_embeddings = read.Flag("tie_word_embeddings", family->tied_default);
  c.gated_mlp = family->gated_mlp;
  c.norms_per_layer = family->norms_per_layer;
  c.qk_norm = family->qk_norm;
  // Llama-style configs carry one attention_bias for q, k, v and o; Qwen2 biases q, k, v only.
  const bool attention_bias = read.Flag("attention_bias", false);
  c.qkv_bias = family->qkv_bias_default || attention_bias;
  c.o_bias = attention_bias;
  c.mlp_bias = read.Flag("mlp_bias", false);
  if (family->phi_style) {
    c.qkv_bias = c.o_bias = c.mlp_bias = true;
    c.layer_norm_bias = c.lm_head_bias = c.parallel_block = true;
  }
  if (const auto d = json.find("torch_dtype"); d != json.end() && d->is_string()) c.torch_dtype = d->get<std::string>();

  if (family->moe == Family::Moe::kMixtral) {
    c.num_experts = read.Required("num_local_experts");
    c.experts_per_token = read.Required("num_experts_per_tok");
    c.moe_intermediate_size = c.intermediate_size;
  } else if (family->moe == Family::Moe::kDeepSeek) {
    c.num_experts = read.Required("n_routed_experts");
    c.experts_per_token = read.Required("num_experts_per_tok");
    c.moe_intermediate_size = read.Required("moe_intermediate_size");
    c.num_shared_experts = read.Count("n_shared_experts", 0);
    c.first_dense_layers = read.Count("first_k_dense_replace", 0);
    c.moe_layer_freq = read.OptionalOr("moe_layer_freq", 1);
    c.router_bias = family->router_bias;
  }
  if (family->latent_attention) {
    c.attention = AttentionKind::kLatent;
    c.q_lora_rank = read.Count("q_lora_rank", 0);  // null in DeepSeek-V2-Lite: no query compression
    c.kv_lora_rank = read.Required("kv_lora_rank");
    c.qk_nope_head_dim = read.Required("qk_nope_head_dim");
    c.qk_rope_head_dim = read.Required("qk_rope_head_dim");
    c.v_head_dim = read.Required("v_head_dim");
  }
  if (read.error().empty() && c.attention == AttentionKind::kMultiHead) {
    if (c.num_heads % c.num_kv_heads != 0) {
      read.Fail("num_key_value_heads", fmt::format("({}) must divide num_attention_heads ({})", c.num_kv_heads, c.num_heads));
    } else if (c.head_dim == 0) {
      read.Fail("head_dim", "is missing and hidden_size / num_attention_heads is 0");
    }
  }
  if (read.error().empty() && c.num_experts > 0 && c.experts_per_token > c.num_experts) {
    read.Fail("num_experts_per_tok", fmt::format("({}) exceeds the number of experts ({})", c.experts_per_token, c.num_experts));
  }
  result.error = read.error();
  return result;
}

ModelConfigResult ReadModelConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ModelConfigResult result;
    result.error = path + ": cannot read the file";
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseModelConfig(text.str(), path);
}

}  // namespace bench
