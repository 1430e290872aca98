#pragma once
// The parameter count of a decoder from its config: every weight matrix, bias and norm,
// grouped by how it is stored (quantised or not) and split across GPUs (tensor parallelism).

#include <cstdint>
#include <string>
#include <vector>

#include "estimate/model_config.h"

namespace bench {

/// How a group of weights is laid out under tensor parallelism of degree tp.
enum class Shard {
  kSplit,       // each GPU holds 1/tp (heads, MLP columns, vocabulary rows)
  kReplicated,  // each GPU holds all of it (norms, routers, DeepSeek's down-projections to the latent)
  kKvHeads,     // k/v projections: each GPU holds max(1, kv_heads/tp) heads, so MQA/GQA repeat them
};

/// Parameters of one kind summed over the layers.
struct ParamGroup {
  std::string name;     // "embedding", "attention", "kv_projections", "mlp", "experts", ...
  int64_t params = 0;
  bool linear = false;  // a decoder-layer weight matrix: what weight quantisation applies to
  Shard shard = Shard::kSplit;
};

/// Every parameter of the model, by group.
struct ParameterCount {
  std::vector<ParamGroup> groups;  // non-empty groups, in model order
  int64_t total = 0;
  int64_t active = 0;  // per token: total minus the routed experts a token does not use
};

/// Counts the parameters of `config` (embedding, attention, MLP or experts, router, norms, head).
ParameterCount CountParameters(const ModelConfig& config);

/// Parameters of `group` held by one GPU under tensor parallelism `tp` (fractional when tp
/// does not divide evenly: an average over the GPUs).
double ParamsPerGpu(const ParamGroup& group, const ModelConfig& config, int tp);

}  // namespace bench
