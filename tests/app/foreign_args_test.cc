#include "app/foreign_args.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

using Args = std::vector<std::string>;

TEST(ForeignArgsTest, TheNimGuidesPassthroughMapsVerboseAndAcceptsMaxThreadsWithAWarning) {
  const PassthroughResult r = TranslatePerfAnalyzerArgs({"-v", "--max-threads=256"});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.bench_args, (Args{"--verbose"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "-- --max-threads: perf_analyzer option accepted without effect: bench's worker threads are event "
            "loops with many requests each, sized automatically (--worker-threads sets them)");
}

TEST(ForeignArgsTest, OptionsWithABenchMeaningBecomeBenchFlags) {
  const PassthroughResult r =
      TranslatePerfAnalyzerArgs({"--measurement-interval", "5000", "-s", "5", "--request-count=40",
                                 "--concurrency-range", "8:8", "--request-distribution", "poisson", "-H", "A: b"});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.bench_args, (Args{"--measurement-interval", "5000", "--stability-percentage", "5", "--request-count",
                                "40", "--concurrency", "8", "--request-distribution", "poisson", "--header", "A: b"}));
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(TranslatePerfAnalyzerArgs({"--request-rate-range=5.5"}).bench_args, (Args{"--request-rate", "5.5"}));
}

TEST(ForeignArgsTest, TheRestIsOneLineNamingTheOption) {
  EXPECT_EQ(TranslatePerfAnalyzerArgs({"-v", "--periodic-concurrency-range", "1:4"}).error,
            "-- --periodic-concurrency-range: perf_analyzer option not supported by bench (docs/compatibility.md "
            "lists those it takes)");
  EXPECT_EQ(TranslatePerfAnalyzerArgs({"--concurrency-range", "1:8:2"}).error,
            "-- --concurrency-range 1:8:2: a range of load levels is a sweep; use bench analyze --sweep-type "
            "concurrency");
  EXPECT_EQ(TranslatePerfAnalyzerArgs({"--request-count"}).error,
            "-- --request-count: perf_analyzer option without a value");
}

TEST(ForeignArgsTest, GenAiPerfFlagsNotImplementedAreNamed) {
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "-m", "x", "--backend", "vllm"}), "");  // --endpoint-type kserve
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "--grpc-method=a.B/C"}),
            "--grpc-method: GenAI-Perf's flag is not supported by bench yet (gRPC endpoints)");
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "--image-width-mean=64"}), "");  // dataset/media
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "--server-metrics-url", "http://h/metrics"}), "");  // telemetry
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "-m", "x", "--", "--backend"}), "");  // perf_analyzer's business
  EXPECT_EQ(UnsupportedGenAiPerfFlag({"profile", "-m", "x", "--batch-size-audio=2"}), "");
}

}  // namespace
}  // namespace bench
