#include "report/artifacts.h"

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

}  // namespace
}  // namespace bench
