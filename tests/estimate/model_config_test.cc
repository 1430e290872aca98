// ParseModelConfig: the fields each architecture needs, its defaults, and one-line errors that
// name the file and the field.

#include "estimate/model_config.h"

#include <gtest/gtest.h>

#include "estimate_fixtures.h"

namespace bench {
namespace {

constexpr const char* kLlama = R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64,
  "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
  "intermediate_size": 128, "vocab_size": 100})";

TEST(ModelConfig, ReadsLlama3Fixture) {
  const ModelConfig c = test::LoadEstimateFixture("llama-3-8b");
  EXPECT_EQ(c.architecture, "LlamaForCausalLM");
  EXPECT_EQ(c.hidden_size, 4096);
  EXPECT_EQ(c.num_layers, 32);
  EXPECT_EQ(c.num_heads, 32);
  EXPECT_EQ(c.num_kv_heads, 8);
  EXPECT_EQ(c.head_dim, 128);  // hidden_size / heads when the config has no head_dim
  EXPECT_EQ(c.intermediate_size, 14336);
  EXPECT_EQ(c.vocab_size, 128256);
  EXPECT_EQ(c.max_position_embeddings, 8192);
  EXPECT_FALSE(c.tie_word_embeddings);
  EXPECT_EQ(c.torch_dtype, "bfloat16");
}

TEST(ModelConfig, ArchitectureDefaultsFillWhatTheConfigLeavesOut) {
  // Gemma's config class ties the embeddings when tie_word_embeddings is absent.
  const ModelConfig gemma = test::LoadEstimateFixture("gemma-7b");
  EXPECT_TRUE(gemma.tie_word_embeddings);
  EXPECT_EQ(gemma.head_dim, 256);
  // Qwen2 biases q, k and v; Phi-2 biases everything and uses LayerNorm.
  EXPECT_TRUE(test::LoadEstimateFixture("qwen2-7b").qkv_bias);
  const ModelConfig phi = test::LoadEstimateFixture("phi-2");
  EXPECT_FALSE(phi.gated_mlp);
  EXPECT_TRUE(phi.layer_norm_bias);
  // No num_key_value_heads: multi-head attention.
  const ModelConfigResult mha = ParseModelConfig(R"({"architectures": ["MistralForCausalLM"], "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})", "x.json");
  ASSERT_TRUE(mha.ok()) << mha.error;
  EXPECT_EQ(mha.config.num_kv_heads, 4);
}

TEST(ModelConfig, MoeAndLatentAttentionFields) {
  const ModelConfig mixtral = test::LoadEstimateFixture("mixtral-8x7b");
  EXPECT_EQ(mixtral.num_experts, 8);
  EXPECT_EQ(mixtral.experts_per_token, 2);
  EXPECT_EQ(mixtral.moe_intermediate_size, 14336);
  const ModelConfig v3 = test::LoadEstimateFixture("deepseek-v3");
  EXPECT_EQ(v3.attention, AttentionKind::kLatent);
  EXPECT_EQ(v3.num_experts, 256);
  EXPECT_EQ(v3.num_shared_experts, 1);
  EXPECT_EQ(v3.first_dense_layers, 3);
  EXPECT_EQ(v3.kv_lora_rank, 512);
  EXPECT_EQ(v3.q_lora_rank, 1536);
}

TEST(ModelConfig, ModelTypeStandsInForArchitectures) {
  const ModelConfigResult r = ParseModelConfig(R"({"model_type": "qwen2", "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})", "x.json");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.config.architecture, "Qwen2ForCausalLM");
}

TEST(ModelConfig, MissingFieldIsOneLineNamingFileAndField) {
  const ModelConfigResult r = ParseModelConfig(R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100})", "models/x/config.json");
  EXPECT_EQ(r.error, "models/x/config.json: field 'intermediate_size' is missing");
}

TEST(ModelConfig, MoeFieldMissing) {
  const ModelConfigResult r = ParseModelConfig(R"({"architectures": ["MixtralForCausalLM"], "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100,
    "num_experts_per_tok": 2})", "m.json");
  EXPECT_EQ(r.error, "m.json: field 'num_local_experts' is missing");
}

TEST(ModelConfig, WrongTypeNamesTheValue) {
  std::string text = kLlama;
  text.replace(text.find("\"hidden_size\": 64"), 17, "\"hidden_size\": \"64\"");
  EXPECT_EQ(ParseModelConfig(text, "c.json").error, "c.json: field 'hidden_size' expected a positive integer, got \"64\"");
}

TEST(ModelConfig, UnknownArchitectureListsTheKnownOnes) {
  const ModelConfigResult r = ParseModelConfig(R"({"architectures": ["FalconForCausalLM"]})", "f.json");
  EXPECT_EQ(r.error.rfind("f.json: field 'architectures': 'FalconForCausalLM' is not a known architecture (known: ", 0), 0u)
      << r.error;
  for (const std::string& name : KnownArchitectures()) EXPECT_NE(r.error.find(name), std::string::npos) << name;
  EXPECT_EQ(r.error.find('\n'), std::string::npos);
}

TEST(ModelConfig, NoArchitectureAtAll) {
  EXPECT_EQ(ParseModelConfig(R"({"hidden_size": 1})", "a.json").error,
            "a.json: field 'architectures' is missing (and there is no 'model_type')");
}

TEST(ModelConfig, KvHeadsMustDivideHeads) {
  std::string text = kLlama;
  text.replace(text.find("\"num_key_value_heads\": 2"), 24, "\"num_key_value_heads\": 3");
  EXPECT_EQ(ParseModelConfig(text, "c.json").error,
            "c.json: field 'num_key_value_heads' (3) must divide num_attention_heads (4)");
}

TEST(ModelConfig, NotJsonAndUnreadable) {
  EXPECT_EQ(ParseModelConfig("{nope", "bad.json").error, "bad.json: not a JSON object (expected a Hugging Face config.json)");
  EXPECT_EQ(ReadModelConfig("/nonexistent/config.json").error, "/nonexistent/config.json: cannot read the file");
}

}  // namespace
}  // namespace bench
