// EstimateMemory: KV cache per token, weights per precision, the guide's 7B rule of thumb,
// tensor parallelism, and the largest batch and context that fit.

#include "estimate/memory_estimate.h"

#include <gtest/gtest.h>

#include "estimate_fixtures.h"

namespace bench {
namespace {

const PrecisionEstimate& Row(const MemoryEstimate& e, const std::string& name) {
  for (const PrecisionEstimate& row : e.rows) {
    if (row.precision.name == name) return row;
  }
  ADD_FAILURE() << "no row " << name;
  return e.rows.front();
}

TEST(MemoryEstimate, KvBytesPerToken) {
  const Precision fp16 = *FindPrecision("fp16");
  // layers x 2 x KV heads x head_dim x 2 bytes
  EXPECT_EQ(KvBytesPerToken(test::LoadEstimateFixture("llama-3-8b"), fp16, 1), 32 * 2 * 8 * 128 * 2);
  EXPECT_EQ(KvBytesPerToken(test::LoadEstimateFixture("llama-2-7b"), fp16, 1), 32 * 2 * 32 * 128 * 2);
  EXPECT_EQ(KvBytesPerToken(test::LoadEstimateFixture("llama-3-8b"), *FindPrecision("fp8"), 1), 32 * 2 * 8 * 128);
  // Latent attention caches kv_lora_rank + rope dims once per layer, whatever the heads.
  EXPECT_EQ(KvBytesPerToken(test::LoadEstimateFixture("deepseek-v3"), fp16, 1), 61 * (512 + 64) * 2);
  EXPECT_EQ(KvBytesPerToken(test::LoadEstimateFixture("deepseek-v3"), fp16, 8), 61 * (512 + 64) * 2);
}

TEST(MemoryEstimate, KvHeadsSplitThenRepeatUnderTensorParallelism) {
  const ModelConfig c = test::LoadEstimateFixture("llama-3-8b");  // 8 KV heads
  const Precision fp16 = *FindPrecision("fp16");
  const double whole = KvBytesPerToken(c, fp16, 1);
  EXPECT_EQ(KvBytesPerToken(c, fp16, 2), whole / 2);
  EXPECT_EQ(KvBytesPerToken(c, fp16, 8), whole / 8);
  EXPECT_EQ(KvBytesPerToken(c, fp16, 16), whole / 8);  // one head per GPU at least
}

// The guide: a 7B model in fp16 is ~14 GB of weights and ~35 GB in all. With Mistral-7B at the
// default settings (context 4096 x batch 32, fp16 KV cache, 10% overhead) that is what comes out.
TEST(MemoryEstimate, RuleOfThumbSevenBillionFp16) {
  const MemoryEstimate e = EstimateMemory(test::LoadEstimateFixture("mistral-7b"), EstimateOptions{});
  const PrecisionEstimate& fp16 = Row(e, "fp16");
  EXPECT_EQ(fp16.weight_bytes, 7'241'732'096.0 * 2);
  EXPECT_NEAR(fp16.weight_bytes / 1e9, 14, 0.5);
  EXPECT_EQ(fp16.kv_bytes_per_gpu, 4096.0 * 32 * 131072);
  EXPECT_NEAR(fp16.total_bytes_per_gpu / 1e9, 35, 0.5);
  EXPECT_DOUBLE_EQ(fp16.overhead_bytes_per_gpu, 0.1 * (fp16.weight_bytes + fp16.kv_bytes_per_gpu));
}

TEST(MemoryEstimate, LowerPrecisionsHalveAndQuarterTheWeights) {
  const MemoryEstimate e = EstimateMemory(test::LoadEstimateFixture("llama-3-8b"), EstimateOptions{});
  const double fp16 = Row(e, "fp16").weight_bytes;
  EXPECT_EQ(Row(e, "fp32").weight_bytes, 2 * fp16);
  EXPECT_EQ(Row(e, "tf32").weight_bytes, 2 * fp16);
  // Embedding and head stay 16-bit, so fp8 is a bit more than half and int4 more than a quarter.
  const double fp8 = Row(e, "fp8_e4m3").weight_bytes;
  EXPECT_GT(fp8, fp16 / 2);
  EXPECT_LT(fp8, fp16 * 0.6);
  const int64_t kept = 2 * int64_t{128256} * 4096 + 32 * 2 * 4096 + 4096;  // embedding, head, norms
  EXPECT_DOUBLE_EQ(fp8, (8'030'261'248.0 - kept) * 1 + kept * 2.0);
  EXPECT_DOUBLE_EQ(Row(e, "nvfp4").weight_bytes, (8'030'261'248.0 - kept) * 4.5 / 8 + kept * 2.0);
  EXPECT_LT(Row(e, "int4").weight_bytes, Row(e, "nvfp4").weight_bytes);  // 4.125 < 4.5 bits
}

TEST(MemoryEstimate, TensorParallelPerGpu) {
  EstimateOptions o;
  o.tensor_parallel = 2;
  o.precisions = {*FindPrecision("bf16")};
  const MemoryEstimate e = EstimateMemory(test::LoadEstimateFixture("mixtral-8x7b"), o);
  ASSERT_EQ(e.rows.size(), 1u);
  const PrecisionEstimate& row = e.rows.front();
  EXPECT_EQ(row.weight_bytes, 46'702'792'704.0 * 2);
  // Everything halves but the replicated norms and routers.
  const double replicated = (32 * 2 * 4096 + 4096) + 32 * 4096 * 8;
  EXPECT_DOUBLE_EQ(row.weight_bytes_per_gpu, (46'702'792'704.0 - replicated) + replicated * 2);
  EXPECT_EQ(row.kv_bytes_per_gpu, 4096.0 * 32 * 131072 / 2);
}

TEST(MemoryEstimate, LargestBatchAndContextJustFit) {
  EstimateOptions o;
  o.gpu_memory_bytes = 24e9;
  o.precisions = {*FindPrecision("fp16"), *FindPrecision("fp32")};
  const ModelConfig model = test::LoadEstimateFixture("llama-3-8b");
  const MemoryEstimate e = EstimateMemory(model, o);
  const PrecisionEstimate& fp16 = Row(e, "fp16");
  ASSERT_TRUE(fp16.max_batch && fp16.max_context && fp16.fits);
  EXPECT_FALSE(*fp16.fits);  // batch 32 x 4096 needs 17 GB of KV cache on top of 16 GB
  auto total = [&](int64_t context, int64_t batch) {
    EstimateOptions at = o;
    at.context = context;
    at.batch = batch;
    at.precisions = {*FindPrecision("fp16")};
    return EstimateMemory(model, at).rows.front().total_bytes_per_gpu;
  };
  EXPECT_GT(*fp16.max_batch, 0);
  EXPECT_LE(total(4096, *fp16.max_batch), 24e9);
  EXPECT_GT(total(4096, *fp16.max_batch + 1), 24e9);
  EXPECT_LE(total(*fp16.max_context, 32), 24e9);
  EXPECT_GT(total(*fp16.max_context + 1, 32), 24e9);
  // fp32 weights (32 GB) alone exceed the GPU.
  EXPECT_EQ(*Row(e, "fp32").max_batch, 0);
  EXPECT_EQ(*Row(e, "fp32").max_context, 0);
}

TEST(MemoryEstimate, LargestContextStopsAtTheModelsLimit) {
  EstimateOptions o;
  o.gpu_memory_bytes = 80e9;
  o.batch = 1;
  o.precisions = {*FindPrecision("fp8")};
  const PrecisionEstimate row = EstimateMemory(test::LoadEstimateFixture("llama-3-8b"), o).rows.front();
  EXPECT_EQ(*row.max_context, 8192);
  EXPECT_TRUE(row.max_context_capped);
  EXPECT_TRUE(*row.fits);
}

TEST(MemoryEstimate, NoGpuMemoryNoFitFigures) {
  const MemoryEstimate e = EstimateMemory(test::LoadEstimateFixture("phi-2"), EstimateOptions{});
  EXPECT_EQ(e.rows.size(), AllPrecisions().size());
  for (const PrecisionEstimate& row : e.rows) {
    EXPECT_FALSE(row.fits);
    EXPECT_FALSE(row.max_batch);
  }
}

}  // namespace
}  // namespace bench
