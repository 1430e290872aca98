#include "report/gate.h"

#include <limits>

#include <gtest/gtest.h>

namespace bench {
namespace {

Gate MustParse(const std::string& expr) {
  const GateParse p = ParseGate(expr);
  EXPECT_TRUE(p.gate.has_value()) << p.error;
  return p.gate.value_or(Gate{});
}

const nlohmann::json kRun = nlohmann::json::parse(R"({
  "time_to_first_token": {"unit": "ms", "avg": 400.0, "p50": 380.0, "p99": 612.4, "min": 100, "max": 700, "std": 3},
  "output_token_throughput": {"unit": "tokens/sec", "avg": 950.25},
  "request_count": {"unit": "count", "avg": 100},
  "input_config": {"model": ["m"]},
  "bench": {"errors": {"total_requests": 200, "failed_requests": 3}}
})");

TEST(GateTest, ParsesStatMetricOperatorNumberAndUnit) {
  const Gate g = MustParse("p99(time_to_first_token) > 500ms");
  EXPECT_EQ(g.stat, "p99");
  EXPECT_EQ(g.metric, "time_to_first_token");
  EXPECT_EQ(g.op, GateOp::kGreater);
  EXPECT_DOUBLE_EQ(g.threshold, 500);
  EXPECT_EQ(g.unit, "ms");
  const Gate h = MustParse("  avg ( output_token_throughput )<=1e3 ");
  EXPECT_EQ(h.op, GateOp::kLessEqual);
  EXPECT_DOUBLE_EQ(h.threshold, 1000);
  EXPECT_EQ(h.unit, "");
  const Gate bare = MustParse("error_rate > 0.1%");
  EXPECT_EQ(bare.stat, "avg");
  EXPECT_EQ(bare.metric, "error_rate");
  EXPECT_EQ(bare.unit, "%");
  EXPECT_EQ(MustParse("request_throughput != 3").op, GateOp::kNotEqual);
  EXPECT_EQ(MustParse("max(request_latency) >= 2 s").unit, "s");
  EXPECT_EQ(MustParse("p1(request_latency) == 20us").op, GateOp::kEqual);
}

TEST(GateTest, ParseErrorsNameTheFlagAndPosition) {
  EXPECT_EQ(ParseGate("p100(time_to_first_token) > 1").error,
            "--fail-if 'p100(time_to_first_token) > 1': at position 1: unknown statistic 'p100' (use avg, min, "
            "max, std or p1..p99)");
  EXPECT_EQ(ParseGate("p99(time_to_first_token > 1").error,
            "--fail-if 'p99(time_to_first_token > 1': at position 25: expected ')'");
  EXPECT_EQ(ParseGate("p99(ttft) => 1").error, "--fail-if 'p99(ttft) => 1': at position 11: expected a comparison: "
                                               "<, <=, >, >=, == or !=");
  EXPECT_EQ(ParseGate("p99(ttft) > fast").error, "--fail-if 'p99(ttft) > fast': at position 13: expected a number");
  EXPECT_EQ(ParseGate("p99(ttft) > 5 min").error,
            "--fail-if 'p99(ttft) > 5 min': at position 15: unknown unit 'min' (use ms, s, us, % or none)");
  EXPECT_EQ(ParseGate("p99(ttft) > 5 ms x").error,
            "--fail-if 'p99(ttft) > 5 ms x': at position 18: unexpected text after the threshold");
  EXPECT_NE(ParseGate("").error.find("position 1"), std::string::npos);
  EXPECT_NE(ParseGate("p99(error_rate) > 1%").error.find("one number per run"), std::string::npos);
  EXPECT_NE(ParseGate("avg(request_latency) > 1%").error.find("error_rate only"), std::string::npos);
  EXPECT_NE(ParseGate("p99(ttft) >", "--max").error.find("--max 'p99"), std::string::npos);
}

TEST(GateTest, EvaluatesAndFormatsTheMessage) {
  GateResult r = EvaluateGate(MustParse("p99(time_to_first_token) > 500ms"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.message, "p99(time_to_first_token) = 612.4 ms > 500 ms");
  r = EvaluateGate(MustParse("p99(time_to_first_token) > 700"), kRun);  // plain number = ms
  EXPECT_FALSE(r.failed);
  EXPECT_EQ(r.message, "p99(time_to_first_token) = 612.4 ms > 700 ms");
  r = EvaluateGate(MustParse("avg(output_token_throughput) < 1000"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.message, "avg(output_token_throughput) = 950.25 < 1000");
  EXPECT_FALSE(EvaluateGate(MustParse("request_count < 100"), kRun).failed);
  EXPECT_TRUE(EvaluateGate(MustParse("request_count <= 100"), kRun).failed);
}

TEST(GateTest, ConvertsTimeUnits) {
  GateResult r = EvaluateGate(MustParse("p99(time_to_first_token) > 0.5 s"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_NEAR(*r.measured, 0.6124, 1e-12);
  EXPECT_EQ(r.message, "p99(time_to_first_token) = 0.6124 s > 0.5 s");
  r = EvaluateGate(MustParse("min(time_to_first_token) < 100001us"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_NEAR(*r.measured, 100000, 1e-6);
}

TEST(GateTest, ErrorRateFromTheErrorSummary) {
  GateResult r = EvaluateGate(MustParse("error_rate > 1%"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.message, "error_rate = 1.5% > 1%");
  EXPECT_FALSE(EvaluateGate(MustParse("error_rate > 0.02"), kRun).failed);  // fraction 0.015
  // No "bench.errors" object: no request failed.
  r = EvaluateGate(MustParse("error_rate > 0"), nlohmann::json::object());
  EXPECT_FALSE(r.failed);
  EXPECT_DOUBLE_EQ(*r.measured, 0.0);
}

TEST(GateTest, AnUnmeasurableGateFails) {
  GateResult r = EvaluateGate(MustParse("p99(inter_token_latency) > 5ms"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_FALSE(r.measured.has_value());
  EXPECT_NE(r.message.find("no such metric"), std::string::npos) << r.message;
  r = EvaluateGate(MustParse("p95(time_to_first_token) > 5ms"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.message.find("no 'p95' statistic"), std::string::npos) << r.message;
  r = EvaluateGate(MustParse("avg(output_token_throughput) < 5ms"), kRun);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.message.find("time unit"), std::string::npos) << r.message;
  // A NaN statistic (GenAI-Perf writes NaN for an empty list) cannot pass a gate.
  nlohmann::json nan_run = kRun;
  nan_run["time_to_first_token"]["p99"] = std::numeric_limits<double>::quiet_NaN();
  r = EvaluateGate(MustParse("p99(time_to_first_token) > 5ms"), nan_run);
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.message.find("NaN"), std::string::npos) << r.message;
}

TEST(GateTest, AMetricNoRunCanHaveIsAUsageErrorBeforeTheRun) {
  EXPECT_NE(ParseGate("p99(ttft) > 5").error.find("at position 5: unknown metric 'ttft' (use time_to_first_token, "),
            std::string::npos)
      << ParseGate("p99(ttft) > 5").error;
  EXPECT_NE(ParseGate("input_config > 0").error.find("at position 1: unknown metric 'input_config'"), std::string::npos);
  // bench's own figures are in *_bench.json, which gates read for error_rate only.
  EXPECT_NE(ParseGate("p99(schedule_lag) > 1ms").error.find("unknown metric"), std::string::npos);
  EXPECT_TRUE(ParseGate("image_throughput < 3").gate.has_value());
}

}  // namespace
}  // namespace bench
