#include "app/run_dir.h"

#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

ProfileConfig Chat(const std::string& model = "M") {
  ProfileConfig c;
  c.models = {model};
  c.endpoint_type = "chat";
  return c;
}

TEST(RunDirNameTest, RunDirNameIsGenAiPerfsWhenNoWorkloadFlagIsTyped) {
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

TEST(RunDirNameTest, TypedWorkloadFlagsDoNotNameTheRunByDefault) {
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

TEST(RunDirNameTest, WorkloadSuffixNamesTheRunByTypedFlagsSoShellLoopsNeverOverwrite) {
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

TEST(RunDirNameTest, SweepPointReplacesTheStimulusAsGenAiPerfsAnalyzeDoes) {
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
