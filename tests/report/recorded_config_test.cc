#include "report/recorded_config.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

TEST(RecordedConfigTest, FirstDifferenceNamesTheDeepestDifferingKey) {
  const ojson a = {{"input", {{"synthetic_tokens", {{"mean", 550}, {"stddev", 0}}}}}, {"model", "m"}};
  ojson b = a;
  EXPECT_EQ(FirstDifference(a, b), "");
  b["input"]["synthetic_tokens"]["stddev"] = 5;
  EXPECT_EQ(FirstDifference(a, b), "input.synthetic_tokens.stddev");
  b = a;
  b["extra"] = 1;  // a key only one side has
  EXPECT_EQ(FirstDifference(a, b), "extra");
  EXPECT_EQ(FirstDifference(ojson(1), ojson(2)), "the whole value");
}

TEST(RecordedConfigTest, ComparableInputConfigDropsWhatDoesNotChangeTheMeasurement) {
  const ojson c = {{"subcommand", "profile"}, {"verbose", true}, {"output", {{"artifact_directory", "x"}}},
                   {"endpoint", {{"streaming", true}}}};
  EXPECT_EQ(ComparableInputConfig(c), (ojson{{"endpoint", {{"streaming", true}}}}));
  EXPECT_EQ(ComparableInputConfig(ojson(nullptr)), ojson(nullptr));
}

TEST(RecordedConfigTest, ReadsTheInputConfigAndTokenizerBesideAnExport) {
  const test::TempDir temp;
  const std::filesystem::path& dir = temp.path();
  EXPECT_TRUE(RecordedInputConfig(dir / "profile_export.json").is_null());  // nothing there
  {
    std::ofstream f(dir / "profile_export_genai_perf.json");
    f << R"({"request_latency": {"unit": "ms"}, "input_config": {"tokenizer": {"name": "gpt2"}}})";
  }
  const ojson recorded = RecordedInputConfig(dir / "profile_export.json");
  ASSERT_TRUE(recorded.is_object());
  EXPECT_EQ(RecordedTokenizer(recorded), "gpt2");
  EXPECT_EQ(RecordedTokenizer(ojson::object()), "");
  {
    std::ofstream f(dir / "profile_export_genai_perf.json");
    f << "not json";
  }
  EXPECT_TRUE(RecordedInputConfig(dir / "profile_export.json").is_null());
}

}  // namespace
}  // namespace bench
