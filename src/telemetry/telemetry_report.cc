#include "telemetry/telemetry_report.h"

#include "util/http_options.h"

namespace bench {

TelemetryReport ReportTelemetry(const std::vector<std::unique_ptr<UrlTelemetry>>& urls, int64_t start_ns,
                                int64_t end_ns) {
  TelemetryReport report;
  if (urls.empty()) return report;
  GpuSamples merged;
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const auto& url : urls) {
    merged.Merge(url->gpu);
    nlohmann::ordered_json source = {{"url", RedactUrl(url->url)},
                                     {"scrapes", url->scrapes},
                                     {"failed_scrapes", url->failed_scrapes},
                                     {"malformed_lines", url->bad_lines},
                                     {"gpu_metrics", !url->gpu.empty()}};
    nlohmann::ordered_json server = url->server.Summary(start_ns, end_ns);
    if (!server.is_null()) {
      for (auto& row : ServerMetricRows(server)) report.rows.push_back(std::move(row));
      source["server_metrics"] = std::move(server);
    }
    sources.push_back(std::move(source));
  }
  if (!merged.empty()) report.telemetry_stats = merged.Stats();
  report.bench_json = {{"sources", std::move(sources)}};
  return report;
}

}  // namespace bench
