#include "estimate/memory_estimate.h"

#include <algorithm>
#include <cmath>

namespace bench {
namespace {

double BitsFor(const ParamGroup& group, const Precision& precision) {
  if (!precision.quantized) return precision.BitsPerValue();
  return group.linear ? precision.BitsPerValue() : 16.0;
}

// Largest whole count n with fixed + n x each <= budget (0 when even n = 0 does not fit).
int64_t LargestFitting(double budget, double each) {
  if (budget <= 0 || each <= 0) return 0;
  return static_cast<int64_t>(std::floor(budget / each));
}

}  // namespace

double KvBytesPerToken(const ModelConfig& model, const Precision& kv, int tensor_parallel) {
  const double bytes = kv.BitsPerValue() / 8.0;
  if (model.attention == AttentionKind::kLatent) {
    return static_cast<double>(model.num_layers * (model.kv_lora_rank + model.qk_rope_head_dim)) * bytes;
  }
  // Fewer KV heads than GPUs: each GPU keeps a copy of the one head its query heads read.
  const double heads = std::max(1.0, static_cast<double>(model.num_kv_heads) / tensor_parallel);
  return static_cast<double>(model.num_layers) * 2.0 * heads * static_cast<double>(model.head_dim) * bytes;
}

double WeightBytesPerGpu(const ModelConfig& model, const ParameterCount& params, const Precision& precision,
                         int tensor_parallel) {
  double bits = 0;
  for (const ParamGroup& group : params.groups) bits += ParamsPerGpu(group, model, tensor_parallel) * BitsFor(group, precision);
  return bits / 8.0;
}

MemoryEstimate EstimateMemory(const ModelConfig& model, const EstimateOptions& options) {
  MemoryEstimate estimate;
  estimate.model = model;
  estimate.params = CountParameters(model);
  estimate.options = options;
  const int tp = options.tensor_parallel;
  estimate.kv_bytes_per_token = KvBytesPerToken(model, options.kv_precision, 1);
  estimate.kv_bytes_per_token_per_gpu = KvBytesPerToken(model, options.kv_precision, tp);
  const double tokens = static_cast<double>(options.context) * static_cast<double>(options.batch);
  const std::vector<Precision>& precisions = options.precisions.empty() ? AllPrecisions() : options.precisions;
  for (const Precision& precision : precisions) {
    PrecisionEstimate row;
    row.precision = precision;
    row.weight_bytes = WeightBytesPerGpu(model, estimate.params, precision, 1);
    row.weight_bytes_per_gpu = WeightBytesPerGpu(model, estimate.params, precision, tp);
    row.kv_bytes_per_gpu = tokens * estimate.kv_bytes_per_token_per_gpu;
    row.overhead_bytes_per_gpu = options.overhead * (row.weight_bytes_per_gpu + row.kv_bytes_per_gpu);
    row.total_bytes_per_gpu = row.weight_bytes_per_gpu + row.kv_bytes_per_gpu + row.overhead_bytes_per_gpu;
    if (options.gpu_memory_bytes) {
      row.fits = row.total_bytes_per_gpu <= *options.gpu_memory_bytes;
      // The overhead grows with weights + KV, so the KV budget is what is left of G / (1 + overhead).
      const double kv_budget = *options.gpu_memory_bytes / (1.0 + options.overhead) - row.weight_bytes_per_gpu;
      const double per_token = estimate.kv_bytes_per_token_per_gpu;
      row.max_batch = LargestFitting(kv_budget, per_token * static_cast<double>(options.context));
      int64_t context = LargestFitting(kv_budget, per_token * static_cast<double>(options.batch));
      if (model.max_position_embeddings > 0 && context > model.max_position_embeddings) {
        context = model.max_position_embeddings;
        row.max_context_capped = true;
      }
      row.max_context = context;
    }
    estimate.rows.push_back(row);
  }
  return estimate;
}

}  // namespace bench
