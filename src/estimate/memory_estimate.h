#pragma once
// GPU memory a model needs to serve: weights at each precision, the KV cache for context x
// batch, and an overhead stated as an assumption; per GPU under tensor parallelism, whether it
// fits, and the largest batch and context that do.

#include <cstdint>
#include <optional>
#include <vector>

#include "estimate/model_config.h"
#include "estimate/param_count.h"
#include "estimate/precision.h"

namespace bench {

/// The serving settings an estimate assumes (docs/estimate.md says why these defaults).
struct EstimateOptions {
  int64_t context = 4096;  // tokens per sequence (prompt + output) the KV cache holds
  int64_t batch = 32;      // sequences in flight at once
  Precision kv_precision = *FindPrecision("fp16");
  double overhead = 0.10;  // activations, CUDA context, allocator slack: this fraction of weights + KV
  int tensor_parallel = 1;
  std::optional<double> gpu_memory_bytes;  // per GPU; unset: no fit check
  std::vector<Precision> precisions;       // weight precisions to tabulate; empty: all
};

/// One weight precision's figures, per GPU unless named otherwise.
struct PrecisionEstimate {
  Precision precision;
  double weight_bytes = 0;          // the whole model's weights
  double weight_bytes_per_gpu = 0;
  double kv_bytes_per_gpu = 0;      // context x batch tokens
  double overhead_bytes_per_gpu = 0;
  double total_bytes_per_gpu = 0;
  std::optional<bool> fits;               // set with gpu_memory_bytes
  std::optional<int64_t> max_batch;       // at `context`; 0 when the weights alone do not fit
  std::optional<int64_t> max_context;     // at `batch`, at most max_position_embeddings
  bool max_context_capped = false;        // max_context stopped at max_position_embeddings
};

/// The whole estimate.
struct MemoryEstimate {
  ModelConfig model;
  ParameterCount params;
  EstimateOptions options;
  double kv_bytes_per_token = 0;          // all layers, all KV heads
  double kv_bytes_per_token_per_gpu = 0;  // what one GPU stores under tensor parallelism
  std::vector<PrecisionEstimate> rows;
};

/// KV-cache bytes one token occupies on one GPU: layers x 2 (K and V) x KV heads on that GPU
/// x head_dim x the KV precision's bytes; for latent attention, layers x (kv_lora_rank +
/// qk_rope_head_dim), the same on every GPU.
double KvBytesPerToken(const ModelConfig& model, const Precision& kv, int tensor_parallel);

/// Weight bytes one GPU holds at `precision`: quantised formats apply to the decoder's linear
/// weights; embeddings, head, norms, biases and routers stay 16-bit.
double WeightBytesPerGpu(const ModelConfig& model, const ParameterCount& params, const Precision& precision,
                         int tensor_parallel);

/// Estimates every requested precision.
MemoryEstimate EstimateMemory(const ModelConfig& model, const EstimateOptions& options);

}  // namespace bench
