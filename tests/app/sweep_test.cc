#include "app/sweep.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

std::vector<double> Values(std::string_view type, std::optional<std::string> list, std::optional<std::string> range) {
  const SweepPlanResult r = ParseSweepPlan(type, list, range);
  EXPECT_EQ(r.error, "");
  return r.plan.values;
}

std::string Error(std::string_view type, std::optional<std::string> list, std::optional<std::string> range) {
  return ParseSweepPlan(type, list, range).error;
}

using V = std::vector<double>;

TEST(SweepTest, ListIsTakenAsGivenInOrder) {
  EXPECT_EQ(Values("concurrency", "3,5,1", std::nullopt), (V{3, 5, 1}));
  EXPECT_EQ(Values("input_sequence_length", "100,150,200,400", std::nullopt), (V{100, 150, 200, 400}));
  EXPECT_EQ(Values("request_rate", "0.5,2.5,10", std::nullopt), (V{0.5, 2.5, 10}));
}

TEST(SweepTest, RangeWithStepIsLinearForEveryTypeIncludingConcurrency) {
  // GenAI-Perf rejects a step for concurrency (perf_analyzer#393); its docs promise linear ranges.
  EXPECT_EQ(Values("concurrency", std::nullopt, "50:100:10"), (V{50, 60, 70, 80, 90, 100}));
  EXPECT_EQ(Values("request_rate", std::nullopt, "100:500:50"), (V{100, 150, 200, 250, 300, 350, 400, 450, 500}));
  EXPECT_EQ(Values("num_dataset_entries", std::nullopt, "100:200:50"), (V{100, 150, 200}));
  EXPECT_EQ(Values("concurrency", std::nullopt, "1:10:4"), (V{1, 5, 9}));  // max need not be hit
  EXPECT_EQ(Values("request_rate", std::nullopt, "0.1:0.3:0.1"), (V{0.1, 0.2, 0.3}));
  EXPECT_EQ(Values("concurrency", std::nullopt, "4:4"), (V{4}));
}

TEST(SweepTest, RangeWithoutStepIsPowersOfTwoWithinTheBounds) {
  EXPECT_EQ(Values("concurrency", std::nullopt, "1:256"), (V{1, 2, 4, 8, 16, 32, 64, 128, 256}));
  EXPECT_EQ(Values("concurrency", std::nullopt, "8:256"), (V{8, 16, 32, 64, 128, 256}));
  // GenAI-Perf's code gives 2,4,...,32 here (below min); the documented reading keeps to [min, max].
  EXPECT_EQ(Values("input_sequence_length", std::nullopt, "3:40"), (V{4, 8, 16, 32}));
  EXPECT_EQ(Values("request_rate", std::nullopt, "0.5:4"), (V{0.5, 1, 2, 4}));
  // num_dataset_entries is linear: every integer.
  EXPECT_EQ(Values("num_dataset_entries", std::nullopt, "100:104"), (V{100, 101, 102, 103, 104}));
}

TEST(SweepTest, DefaultsPerType) {
  EXPECT_EQ(Values("concurrency", std::nullopt, std::nullopt), (V{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}));
  EXPECT_EQ(Values("request_rate", std::nullopt, std::nullopt).front(), 16);
  EXPECT_EQ(Values("request_rate", std::nullopt, std::nullopt).back(), 8192);
  EXPECT_EQ(Values("input_sequence_length", std::nullopt, std::nullopt), (V{128, 256, 512}));
  EXPECT_EQ(Values("num_dataset_entries", std::nullopt, std::nullopt).size(), 901u);
  EXPECT_EQ(ParseSweepPlan("batch_size", std::nullopt, std::nullopt).plan.type, SweepType::kBatchSize);
}

TEST(SweepTest, BadValuesAreOneLineErrorsNamingTheFlag) {
  EXPECT_EQ(Error("concurrency", std::nullopt, "10:1"), "--sweep-range '10:1': min 10 is greater than max 1");
  EXPECT_EQ(Error("concurrency", "", std::nullopt), "--sweep-list: empty (expected comma-separated values, e.g. 1,2,4)");
  EXPECT_EQ(Error("concurrency", "1,,2", std::nullopt), "--sweep-list '1,,2': '' is not a whole number >= 1");
  EXPECT_EQ(Error("concurrency", "1,2.5", std::nullopt), "--sweep-list '1,2.5': '2.5' is not a whole number >= 1");
  EXPECT_EQ(Error("concurrency", "0,1", std::nullopt), "--sweep-list '0,1': '0' is not a whole number >= 1");
  EXPECT_EQ(Error("request_rate", "-1", std::nullopt), "--sweep-list '-1': '-1' is not a number > 0");
  EXPECT_EQ(Error("concurrency", "2,4,2", std::nullopt), "--sweep-list '2,4,2': 2 appears twice");
  EXPECT_EQ(Error("concurrency", std::nullopt, "1"), "--sweep-range '1': expected min:max or min:max:step");
  EXPECT_EQ(Error("concurrency", std::nullopt, "1:2:3:4"), "--sweep-range '1:2:3:4': expected min:max or min:max:step");
  EXPECT_EQ(Error("concurrency", std::nullopt, "1:8:0"), "--sweep-range '1:8:0': step '0' is not a whole number >= 1");
  EXPECT_EQ(Error("concurrency", std::nullopt, "a:8"), "--sweep-range 'a:8': min 'a' is not a whole number >= 1");
  EXPECT_EQ(Error("input_sequence_length", std::nullopt, "5:7"),
            "--sweep-range '5:7': no power of two lies between 5 and 7 (give a step, min:max:step, or --sweep-list)");
  EXPECT_EQ(Error("concurrency", "1", "1:2"), "--sweep-list and --sweep-range cannot be combined (give one)");
  EXPECT_EQ(Error("tokens", std::nullopt, std::nullopt),
            "--sweep-type 'tokens': expected one of concurrency, request_rate, input_sequence_length, "
            "num_dataset_entries, batch_size");
  EXPECT_EQ(Error("num_dataset_entries", std::nullopt, "1:1000000000"),
            "--sweep-range '1:1000000000': more than 100000 points");
}

TEST(SweepTest, ValuesAreNamedAsGenAiPerfNamesThem) {
  EXPECT_EQ(FormatSweepValue(16), "16");
  EXPECT_EQ(FormatSweepValue(2.5), "2.5");
  EXPECT_EQ(FormatSweepValue(0.1), "0.1");
  EXPECT_EQ(SweepTypeName(SweepType::kNumDatasetEntries), "num_dataset_entries");
  EXPECT_EQ(SweepTypeFlag(SweepType::kInputSequenceLength), "--synthetic-input-tokens-mean");
  EXPECT_EQ(ParseSweepType("request_rate"), SweepType::kRequestRate);
  EXPECT_FALSE(ParseSweepType("runtime_batch_size").has_value());
}

}  // namespace
}  // namespace bench
