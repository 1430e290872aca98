#include "telemetry/collector.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "telemetry/metrics_server.h"

namespace bench {
namespace {

using namespace std::chrono_literals;

CollectorOptions Options(std::vector<std::string> urls) {
  CollectorOptions o;
  o.urls = std::move(urls);
  o.interval_s = 0.05;
  o.timeout_s = 1;
  return o;
}

TEST(CollectorTest, ScrapesEachUrlUntilStopAndOnceMoreAfter) {
  test::MetricsServer dcgm(test::DcgmPage);
  const EpochAnchor anchor;
  TelemetryCollector collector(Options({dcgm.url()}), anchor);
  ASSERT_EQ(collector.results().size(), 1u);
  EXPECT_EQ(dcgm.scrapes(), 1);  // the reachability check
  collector.Start();
  std::this_thread::sleep_for(300ms);
  collector.Stop();
  const UrlTelemetry& r = *collector.results()[0];
  EXPECT_GE(r.scrapes, 3u);
  EXPECT_EQ(r.failed_scrapes, 0u);
  EXPECT_EQ(r.bad_lines, 0u);
  EXPECT_EQ(static_cast<size_t>(dcgm.scrapes()), r.scrapes + 1);
  // Scrape k (k >= 1: the check was 0) saw power 100 + 10 k on GPU 0.
  const std::vector<double>& power = r.gpu.Values("gpu_power_usage", "0");
  ASSERT_EQ(power.size(), r.scrapes);
  for (size_t k = 0; k < power.size(); ++k) EXPECT_EQ(power[k], 100 + 10.0 * (k + 1));
  EXPECT_EQ(r.gpu.Values("gpu_power_usage", "1").size(), r.scrapes);
  // Of the server metrics, a DCGM page holds only its energy counter.
  EXPECT_EQ(r.server.Servers(), std::vector<std::string>{"dcgm"});
}

TEST(CollectorTest, UnusableUrlsAreDroppedBeforeTheRun) {
  test::MetricsServer not_found([](int) { return std::string("no such page"); }, 404);
  test::MetricsServer html([](int) { return std::string("<html><body>hello</body></html>"); }, 200,
                           "text/html; charset=utf-8");
  test::MetricsServer huge([](int) { return std::string(2 << 20, '#'); });
  test::MetricsServer stalls(test::DcgmPage, 200, "text/plain", 1500);
  test::MetricsServer good(test::DcgmPage);
  CollectorOptions options =
      Options({"http://127.0.0.1:1/metrics", not_found.url(), html.url(), huge.url(), stalls.url(), good.url()});
  options.max_page_bytes = 1 << 20;
  options.timeout_s = 0.5;
  const EpochAnchor anchor;
  TelemetryCollector collector(options, anchor);
  ASSERT_EQ(collector.results().size(), 1u);
  EXPECT_EQ(collector.results()[0]->url, good.url());
}

TEST(CollectorTest, MalformedLinesAreCountedAndTheRestKept) {
  test::MetricsServer bad([](int) { return test::DcgmPage(0) + "garbage line\nDCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} x\n"; });
  const EpochAnchor anchor;
  TelemetryCollector collector(Options({bad.url()}), anchor);
  collector.Start();
  collector.Stop();
  const UrlTelemetry& r = *collector.results()[0];
  ASSERT_GE(r.scrapes, 1u);
  EXPECT_EQ(r.bad_lines, 2 * r.scrapes);
  EXPECT_EQ(r.gpu.Values("gpu_utilization", "0").size(), r.scrapes);
}

}  // namespace
}  // namespace bench
