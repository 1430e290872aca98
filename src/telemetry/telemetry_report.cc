#include "telemetry/telemetry_report.h"

#include "util/http_options.h"

namespace bench {

TelemetryReport ReportTelemetry(const std::vector<std::unique_ptr<UrlTelemetry>>& urls, int64_t start_ns,
                                int64_t end_ns, const RequestTimings& timings, const EnergyBasis& basis) {
  TelemetryReport report;
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  if (!urls.empty()) {
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
      if (!server.is_null() && server["metrics"].contains("energy")) {
        const double joules = server["metrics"]["energy"]["increase"].get<double>();
        nlohmann::ordered_json& energy = server["metrics"]["energy"];
        if (basis.requests > 0) energy["joules_per_request"] = joules / basis.requests;
        if (basis.output_tokens > 0) energy["joules_per_output_token"] = joules / basis.output_tokens;
        if (joules > 0) energy["output_tokens_per_joule"] = basis.output_tokens / joules;
      }
      if (!server.is_null()) {
        for (auto& row : ServerMetricRows(server)) report.rows.push_back(std::move(row));
        source["server_metrics"] = std::move(server);
      }
      sources.push_back(std::move(source));
    }
    if (!merged.empty()) report.telemetry_stats = merged.Stats();
    doc["sources"] = std::move(sources);
  }
  if (nlohmann::ordered_json per_request = timings.Summary(); !per_request.is_null()) {
    doc["request_timings"] = std::move(per_request);
    for (auto& row : timings.Rows()) report.rows.push_back(std::move(row));
  }
  if (!doc.empty()) report.bench_json = std::move(doc);
  return report;
}

}  // namespace bench
