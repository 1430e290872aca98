// CountParameters against the published parameter counts of real models (their config.json
// files are the fixtures), and how each group splits under tensor parallelism.

#include "estimate/param_count.h"

#include <gtest/gtest.h>

#include "estimate_fixtures.h"

namespace bench {
namespace {

int64_t Group(const ParameterCount& count, const std::string& name) {
  for (const ParamGroup& g : count.groups) {
    if (g.name == name) return g.params;
  }
  return 0;
}

// The totals the model cards and safetensors indexes publish.
TEST(ParamCount, DenseModelsMatchPublishedTotals) {
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("llama-3-8b")).total, 8'030'261'248);
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("mistral-7b")).total, 7'241'732'096);
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("llama-2-7b")).total, 6'738'415'616);
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("qwen2-7b")).total, 7'615'616'512);  // q/k/v biases
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("gemma-7b")).total, 8'537'680'896);  // tied, head_dim 256
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("phi-2")).total, 2'779'683'840);     // LayerNorm, biases, GELU MLP
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("phi-3-mini")).total, 3'821'079'552);
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("qwen3-8b")).total, 8'190'735'360);    // q/k norms
  EXPECT_EQ(CountParameters(test::LoadEstimateFixture("gemma-2-9b")).total, 9'241'705'984);  // 4 norms per layer, tied
}

TEST(ParamCount, MixtralTotalAndActive) {
  const ParameterCount c = CountParameters(test::LoadEstimateFixture("mixtral-8x7b"));
  EXPECT_EQ(c.total, 46'702'792'704);   // "46.7B total"
  EXPECT_EQ(c.active, 12'879'925'248);  // "12.9B active": 2 of 8 experts per token
  EXPECT_EQ(Group(c, "router"), 32 * 4096 * 8);
  EXPECT_EQ(Group(c, "mlp"), 0);
}

TEST(ParamCount, DeepSeekV3MainModel) {
  // DeepSeek-V3: 671B total, 37B activated per token (the multi-token-prediction module, which
  // the published 685B checkpoint adds, is not part of serving and not counted).
  const ParameterCount c = CountParameters(test::LoadEstimateFixture("deepseek-v3"));
  EXPECT_EQ(c.total, 671'026'419'200);
  EXPECT_NEAR(c.active / 1e9, 37.5, 0.1);
  EXPECT_EQ(Group(c, "mlp"), 3 * 3 * int64_t{7168} * 18432);  // first_k_dense_replace = 3 dense layers
}

TEST(ParamCount, GroupsAddUpAndEmbeddingsTie) {
  ModelConfig c = test::LoadEstimateFixture("llama-3-8b");
  ParameterCount untied = CountParameters(c);
  int64_t sum = 0;
  for (const ParamGroup& g : untied.groups) sum += g.params;
  EXPECT_EQ(sum, untied.total);
  EXPECT_EQ(Group(untied, "lm_head"), 128256 * 4096);
  c.tie_word_embeddings = true;
  const ParameterCount tied = CountParameters(c);
  EXPECT_EQ(Group(tied, "lm_head"), 0);
  EXPECT_EQ(untied.total - tied.total, 128256 * 4096);
}

TEST(ParamCount, GqaAndMqaShrinkTheKvProjections) {
  ModelConfig c = test::LoadEstimateFixture("llama-2-7b");  // 32 KV heads (MHA)
  const int64_t mha = Group(CountParameters(c), "kv_projections");
  c.num_kv_heads = 8;
  EXPECT_EQ(Group(CountParameters(c), "kv_projections") * 4, mha);
  c.num_kv_heads = 1;
  EXPECT_EQ(Group(CountParameters(c), "kv_projections") * 32, mha);
}

TEST(ParamCount, TensorParallelSplitsReplicatesAndRepeatsKvHeads) {
  ModelConfig c = test::LoadEstimateFixture("llama-3-8b");  // 8 KV heads
  const ParameterCount count = CountParameters(c);
  for (const ParamGroup& g : count.groups) {
    if (g.name == "norms") {
      EXPECT_EQ(ParamsPerGpu(g, c, 4), g.params);
    }
    if (g.name == "mlp") {
      EXPECT_EQ(ParamsPerGpu(g, c, 4), g.params / 4.0);
    }
    if (g.name == "kv_projections") {
      EXPECT_EQ(ParamsPerGpu(g, c, 8), g.params / 8.0);   // one KV head per GPU
      EXPECT_EQ(ParamsPerGpu(g, c, 16), g.params / 8.0);  // still one: repeated on two GPUs each
    }
  }
}

}  // namespace
}  // namespace bench
