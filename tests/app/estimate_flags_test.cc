// `bench estimate`'s flags as ParseCommandLine fills them.

#include "app/estimate_flags.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "app/cli.h"

namespace bench {
namespace {

Command ParseEstimate(std::vector<std::string> args, std::string* err = nullptr) {
  args.insert(args.begin(), "bench");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, errors;
  Command cmd = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, errors);
  if (err != nullptr) *err = errors.str();
  return cmd;
}

TEST(EstimateFlags, DefaultsAreTheRuleOfThumbSettings) {
  const Command cmd = ParseEstimate({"estimate", "-m", "config.json"});
  ASSERT_EQ(cmd.kind, Command::Kind::kEstimate);
  EXPECT_EQ(cmd.estimate.model, "config.json");
  EXPECT_EQ(cmd.estimate.context, 4096);
  EXPECT_EQ(cmd.estimate.batch, 32);
  EXPECT_EQ(cmd.estimate.overhead_percent, 10);
  EXPECT_EQ(cmd.estimate.kv_precision, "fp16");
  EXPECT_TRUE(cmd.estimate.precisions.empty());
  EXPECT_FALSE(cmd.estimate.json);
}

TEST(EstimateFlags, EveryFlag) {
  const Command cmd = ParseEstimate({"estimate", "--model", "org/m", "--revision", "v2", "--precision", "fp16,nvfp4",
                             "--kv-precision", "fp8", "--context", "8192", "--batch", "4", "--overhead", "15",
                             "--tp", "4", "--gpu-memory", "80GiB", "--json"});
  ASSERT_EQ(cmd.kind, Command::Kind::kEstimate);
  EXPECT_EQ(cmd.estimate.revision, "v2");
  EXPECT_EQ(cmd.estimate.precisions, (std::vector<std::string>{"fp16", "nvfp4"}));
  EXPECT_EQ(cmd.estimate.kv_precision, "fp8");
  EXPECT_EQ(cmd.estimate.context, 8192);
  EXPECT_EQ(cmd.estimate.batch, 4);
  EXPECT_EQ(cmd.estimate.overhead_percent, 15);
  EXPECT_EQ(cmd.estimate.tensor_parallel, 4);
  EXPECT_EQ(cmd.estimate.gpu_memory, "80GiB");
  EXPECT_TRUE(cmd.estimate.json);
}

TEST(EstimateFlags, ModelIsRequiredAndValuesAreChecked) {
  std::string err;
  EXPECT_EQ(ParseEstimate({"estimate"}, &err).exit_code, kExitUsage);
  EXPECT_NE(err.find("--model"), std::string::npos) << err;
  const Command bad = ParseEstimate({"estimate", "-m", "x", "--batch", "0"}, &err);
  EXPECT_EQ(bad.exit_code, kExitUsage);
  EXPECT_EQ(err, "bench: error: --batch: must be at least 1\n");
}

}  // namespace
}  // namespace bench
