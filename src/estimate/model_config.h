#pragma once
// A decoder-only model's shape as its Hugging Face config.json states it: the numbers the
// parameter count and the KV cache need, with each architecture's defaults for what a config
// may leave out (transformers' *Config classes), and one-line errors naming the missing field.

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

/// Which attention the KV cache stores: one K and one V per KV head, or DeepSeek's compressed
/// latent (multi-head latent attention, one vector per token shared by all heads).
enum class AttentionKind { kMultiHead, kLatent };

/// The shape of a decoder-only transformer, from config.json.
struct ModelConfig {
  std::string source;        // the file it was read from, for messages
  std::string architecture;  // architectures[0], e.g. "LlamaForCausalLM"
  std::string family;        // the row of the architecture table it matched, e.g. "llama"
  int64_t hidden_size = 0;
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;  // == num_heads: MHA; 1: MQA; in between: GQA
  int64_t head_dim = 0;
  int64_t intermediate_size = 0;  // the dense MLP's (DeepSeek: of its first dense layers)
  int64_t vocab_size = 0;
  int64_t max_position_embeddings = 0;  // 0 when not given
  bool tie_word_embeddings = false;
  bool gated_mlp = true;      // gate, up and down projections (SwiGLU/GeGLU); else up and down
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  bool layer_norm_bias = false;  // LayerNorm (weight + bias) rather than RMSNorm (weight)
  bool lm_head_bias = false;
  int norms_per_layer = 2;
  bool qk_norm = false;       // a norm of head_dim on each query and key head (Qwen3, Gemma3)
  bool parallel_block = false;  // attention and MLP read one norm (Phi-2)
  // Mixture of experts (num_experts == 0: dense).
  int64_t num_experts = 0;
  int64_t experts_per_token = 0;
  int64_t moe_intermediate_size = 0;
  int64_t num_shared_experts = 0;  // DeepSeek: shared experts of moe_intermediate_size each
  int64_t first_dense_layers = 0;  // DeepSeek's first_k_dense_replace
  int64_t moe_layer_freq = 1;      // every n-th layer after those is MoE
  bool router_bias = false;        // DeepSeek-V3's e_score_correction_bias
  // Multi-head latent attention (DeepSeek-V2/V3).
  AttentionKind attention = AttentionKind::kMultiHead;
  int64_t q_lora_rank = 0;  // 0: queries projected directly
  int64_t kv_lora_rank = 0;
  int64_t qk_nope_head_dim = 0;
  int64_t qk_rope_head_dim = 0;
  int64_t v_head_dim = 0;
  std::string torch_dtype;  // as published ("bfloat16"), "" when not given
};

/// Outcome of ParseModelConfig: a config, or one line "SOURCE: field 'name': what is wrong".
struct ModelConfigResult {
  ModelConfig config;
  std::string error;
  bool ok() const { return error.empty(); }
};

/// The architectures the parameter count knows, as architectures[0] names them.
std::vector<std::string> KnownArchitectures();

/// Reads config.json text; `source` names it in errors.
ModelConfigResult ParseModelConfig(const std::string& text, const std::string& source);

/// ParseModelConfig of the file at `path` ("PATH: cannot read" when it cannot be opened).
ModelConfigResult ReadModelConfig(const std::string& path);

}  // namespace bench
