#include "bench/artifacts.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

TEST(ArtifactsTest, NamesMatchGenAiPerf) {
  EXPECT_EQ(ArtifactDirName({"test_model"}, "chat", "", "concurrency1"), "test_model-openai-chat-concurrency1");
  EXPECT_EQ(ArtifactDirName({"hello/world/test_model"}, "chat", "", "concurrency1"),
            "hello_world_test_model-openai-chat-concurrency1");
  EXPECT_EQ(ArtifactDirName({"a", "b"}, "completions", "", "concurrency10"), "a_multi-openai-completions-concurrency10");
  EXPECT_EQ(ArtifactDirName({"test_model"}, "kserve", "vllm", "concurrency32"), "test_model-triton-vllm-concurrency32");
  EXPECT_EQ(GenAiPerfFileName("profile_export.json", "csv"), "profile_export_genai_perf.csv");
  EXPECT_EQ(GenAiPerfFileName("custom_export.json", "json"), "custom_export_genai_perf.json");
}

// Every row of GenAI-Perf's own naming table whose flags bench understands.
TEST(ArtifactsTest, ConformanceNamingTable) {
  const auto cases = test::ReadJson(test::CasesDir() / "artifact_naming_table" / "input_cases.json");
  int checked = 0;
  for (const auto& c : cases) {
    if (!c.contains("artifact_dir") || c["artifact_dir"].is_null()) continue;
    std::vector<std::string> models;
    std::string type = "kserve", backend, stimulus = "concurrency1";
    const auto& argv = c["argv"];
    for (size_t i = 2; i + 1 < argv.size(); ++i) {
      const std::string a = argv[i];
      if (a == "-m" || a == "--model") models.push_back(argv[i + 1]);
      if (a == "--endpoint-type") type = argv[i + 1];
      if (a == "--backend") backend = argv[i + 1];
      if (a == "--concurrency") stimulus = "concurrency" + argv[i + 1].get<std::string>();
    }
    EXPECT_EQ("artifacts/" + ArtifactDirName(models, type, backend, stimulus), c["artifact_dir"].get<std::string>());
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

ProfileConfig Chat(const std::string& model = "M") {
  ProfileConfig c;
  c.models = {model};
  c.endpoint_type = "chat";
  return c;
}

TEST(ArtifactsTest, RunDirNameIsGenAiPerfsWhenNoWorkloadFlagIsTyped) {
  ProfileConfig c = Chat("meta-llama/Llama-3.1-8B");
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-openai-chat-concurrency1");
  c.concurrency = 8;
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-openai-chat-concurrency8");
  c.request_rate = 5;
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-openai-chat-request_rate5.0");
  c.request_rate.reset();
  c.fixed_schedule = c.payload_input = true;
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-openai-chat-fixed_schedule");
  c.fixed_schedule = false;
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-openai-chat");  // a trace without a load flag
  // Defaults that were not typed do not name the run, whatever their values.
  ProfileConfig d = Chat();
  d.synthetic_input_tokens_mean = 200;
  d.output_tokens_mean = 100;
  EXPECT_EQ(RunDirName(d), "M-openai-chat-concurrency1");
}

TEST(ArtifactsTest, TypedWorkloadFlagsDoNotNameTheRunByDefault) {
  // The README's seed command: GenAI-Perf's name, whatever --isl/--osl were typed.
  ProfileConfig c = Chat("meta-llama/Llama-3.1-8B-Instruct");
  c.concurrency = 10;
  c.concurrency_given = true;
  c.synthetic_input_tokens_mean = 200;
  c.isl_given = true;
  c.output_tokens_mean = 100;
  c.osl_given = true;
  c.random_seed = 7;
  c.random_seed_given = true;
  EXPECT_EQ(RunDirName(c), "meta-llama_Llama-3.1-8B-Instruct-openai-chat-concurrency10");
  ProfileConfig r = Chat();
  r.request_rate = 5.0;
  r.request_distribution = "poisson";
  r.burstiness = 0.5;
  EXPECT_EQ(RunDirName(r), "M-openai-chat-request_rate5.0");
}

TEST(ArtifactsTest, WorkloadSuffixNamesTheRunByTypedFlagsSoShellLoopsNeverOverwrite) {
  ProfileConfig c = Chat();
  c.workload_suffix = true;
  c.synthetic_input_tokens_mean = 200;
  c.isl_given = true;
  EXPECT_EQ(RunDirName(c), "M-openai-chat-concurrency1-isl200");
  c.output_tokens_mean = 100;
  c.osl_given = true;
  EXPECT_EQ(RunDirName(c), "M-openai-chat-concurrency1-isl200-osl100");
  c.synthetic_input_tokens_stddev = 20;
  c.isl_stddev_given = true;
  c.output_tokens_stddev = 5;
  c.osl_stddev_given = true;
  EXPECT_EQ(RunDirName(c), "M-openai-chat-concurrency1-isl200sd20-osl100sd5");
  c.num_dataset_entries = 30;
  c.num_dataset_entries_given = true;
  c.random_seed = 7;
  c.random_seed_given = true;
  c.task = "summarization";
  EXPECT_EQ(RunDirName(c), "M-openai-chat-concurrency1-summarization-isl200sd20-osl100sd5-entries30-seed7");
  ProfileConfig r = Chat();
  r.workload_suffix = true;
  r.request_rate = 5.0;
  r.request_distribution = "poisson";
  r.burstiness = 0.5;
  EXPECT_EQ(RunDirName(r), "M-openai-chat-request_rate5.0-burstiness0.5");
}

TEST(ArtifactsTest, SweepPointReplacesTheStimulusAsGenAiPerfsAnalyzeDoes) {
  ProfileConfig c = Chat("gpt2");
  c.num_dataset_entries = 150;
  c.num_dataset_entries_given = true;  // the swept parameter is not repeated as a tag
  c.sweep_point = SweepPoint{"num_dataset_entries", "150"};
  EXPECT_EQ(RunDirName(c), "gpt2-openai-chat-num_dataset_entries150");
  c.sweep_point = SweepPoint{"input_sequence_length", "128"};
  c.isl_given = true;
  c.output_tokens_mean = 50;
  c.osl_given = true;
  EXPECT_EQ(RunDirName(c), "gpt2-openai-chat-input_sequence_length128");
  c.workload_suffix = true;
  EXPECT_EQ(RunDirName(c), "gpt2-openai-chat-input_sequence_length128-osl50-entries150");
  ProfileConfig r = Chat("gpt2");
  r.request_rate = 16;
  r.sweep_point = SweepPoint{"request_rate", "16"};
  EXPECT_EQ(RunDirName(r), "gpt2-openai-chat-request_rate16");
}

}  // namespace
}  // namespace bench
