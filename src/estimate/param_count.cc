#include "estimate/param_count.h"

#include <algorithm>

namespace bench {
namespace {

// Whether decoder layer `layer` has experts: Mixtral's every layer; DeepSeek's after its first
// dense ones, every moe_layer_freq-th.
bool IsMoeLayer(const ModelConfig& c, int64_t layer) {
  return c.num_experts > 0 && layer >= c.first_dense_layers && layer % c.moe_layer_freq == 0;
}

// up and down (+ gate) of one MLP of inner width `inner`, weights only.
int64_t MlpWeights(const ModelConfig& c, int64_t inner) { return (c.gated_mlp ? 3 : 2) * c.hidden_size * inner; }

// The MLP's biases: up (and gate) of `inner`, down of hidden.
int64_t MlpBiases(const ModelConfig& c, int64_t inner) {
  return c.mlp_bias ? (c.gated_mlp ? 2 : 1) * inner + c.hidden_size : 0;
}

}  // namespace

ParameterCount CountParameters(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  const int64_t layers = c.num_layers;
  int64_t attention = 0, kv = 0, latent = 0, biases = 0, norms = 0;
  const int64_t norm_size = c.layer_norm_bias ? 2 : 1;  // LayerNorm has a bias beside its weight
  if (c.attention == AttentionKind::kMultiHead) {
    const int64_t q = c.num_heads * c.head_dim;
    const int64_t k = c.num_kv_heads * c.head_dim;
    attention = layers * (h * q + q * h);  // q and o
    kv = layers * 2 * h * k;
    biases += layers * ((c.qkv_bias ? q + 2 * k : 0) + (c.o_bias ? h : 0));
    if (c.qk_norm) norms += layers * 2 * c.head_dim;
  } else {
    const int64_t qk_head = c.qk_nope_head_dim + c.qk_rope_head_dim;
    const int64_t q_in = c.q_lora_rank > 0 ? c.q_lora_rank : h;
    // Down-projections to the latents are small and every GPU needs them whole.
    latent = layers * ((c.q_lora_rank > 0 ? h * c.q_lora_rank : 0) + h * (c.kv_lora_rank + c.qk_rope_head_dim));
    attention = layers * (q_in * c.num_heads * qk_head +                                   // q (or q_b)
                          c.kv_lora_rank * c.num_heads * (c.qk_nope_head_dim + c.v_head_dim) +  // kv_b
                          c.num_heads * c.v_head_dim * h);                                  // o
    norms += layers * ((c.q_lora_rank > 0 ? c.q_lora_rank : 0) + c.kv_lora_rank);
  }
  norms += layers * c.norms_per_layer * h * norm_size + h * norm_size;  // per layer, then the final norm

  int64_t mlp = 0, experts = 0, shared = 0, router = 0;
  for (int64_t layer = 0; layer < layers; ++layer) {
    if (IsMoeLayer(c, layer)) {
      experts += c.num_experts * MlpWeights(c, c.moe_intermediate_size);
      shared += c.num_shared_experts * MlpWeights(c, c.moe_intermediate_size);
      router += h * c.num_experts + (c.router_bias ? c.num_experts : 0);
    } else {
      mlp += MlpWeights(c, c.intermediate_size);
      biases += MlpBiases(c, c.intermediate_size);
    }
  }
  const int64_t embedding = c.vocab_size * h;
  const int64_t head = c.tie_word_embeddings ? 0 : c.vocab_size * h;
  if (c.lm_head_bias) biases += c.vocab_size;

  ParameterCount count;
  auto add = [&](const char* name, int64_t params, bool linear, Shard shard) {
    if (params > 0) count.groups.push_back(ParamGroup{name, params, linear, shard});
    count.total += params;
  };
  add("embedding", embedding, false, Shard::kSplit);
  add("attention", attention, true, Shard::kSplit);
  add("kv_projections", kv, true, Shard::kKvHeads);
  add("latent_projections", latent, true, Shard::kReplicated);
  add("mlp", mlp, true, Shard::kSplit);
  add("experts", experts, true, Shard::kSplit);
  add("shared_experts", shared, true, Shard::kSplit);
  add("router", router, false, Shard::kReplicated);
  add("norms", norms, false, Shard::kReplicated);
  add("biases", biases, false, Shard::kSplit);
  add("lm_head", head, false, Shard::kSplit);
  // A token passes through experts_per_token of the routed experts in each MoE layer.
  const int64_t unused = c.num_experts > 0 ? experts / c.num_experts * (c.num_experts - c.experts_per_token) : 0;
  count.active = count.total - unused;
  return count;
}

double ParamsPerGpu(const ParamGroup& group, const ModelConfig& config, int tp) {
  switch (group.shard) {
    case Shard::kReplicated:
      return static_cast<double>(group.params);
    case Shard::kKvHeads: {
      const int64_t heads = config.num_kv_heads;
      const double per_gpu = std::max(1.0, static_cast<double>(heads) / tp);
      return static_cast<double>(group.params) * per_gpu / static_cast<double>(heads);
    }
    case Shard::kSplit:
      break;
  }
  return static_cast<double>(group.params) / tp;
}

}  // namespace bench
