#include "plots/compare_plots.h"

#include <fmt/format.h>

namespace bench {
namespace {

struct PlottedMetric {
  const char* key;
  const char* title;
  const char* unit_label;
};

constexpr PlottedMetric kMetrics[] = {
    {"time_to_first_token", "Time to First Token", "Time to First Token (ms)"},
    {"inter_token_latency", "Inter Token Latency", "Inter Token Latency (ms)"},
    {"request_latency", "Request Latency", "Request Latency (ms)"},
    {"output_token_throughput_per_user", "Output Token Throughput Per User",
     "Output Token Throughput Per User (tokens/s)"},
};

// The percentiles GenAI-Perf exports (min and max left out: one request would set the scale).
constexpr std::pair<const char*, double> kPercentiles[] = {{"p1", 1},   {"p5", 5},   {"p10", 10},
                                                           {"p25", 25}, {"p50", 50}, {"p75", 75},
                                                           {"p90", 90}, {"p95", 95}, {"p99", 99}};

}  // namespace

std::vector<Chart> BuildCompareCharts(const std::vector<ComparedRun>& runs) {
  std::vector<Chart> charts;
  for (const PlottedMetric& m : kMetrics) {
    LineChartSpec spec;
    spec.title = std::string(m.title) + " Percentiles";
    spec.x_label = "Percentile";
    spec.y_label = m.unit_label;
    bool any = false;
    for (const ComparedRun& run : runs) {
      LineSeries s;
      s.label = run.name;
      const auto it = run.doc.find(m.key);
      if (it != run.doc.end() && it->is_object()) {
        for (const auto& [stat, p] : kPercentiles) {
          const auto v = it->find(stat);
          if (v != it->end() && v->is_number()) s.points.emplace_back(p, v->get<double>());
        }
      }
      any |= !s.points.empty();
      spec.series.push_back(std::move(s));
    }
    if (!any) continue;
    spec.note = "Each run's p1, p5, p10, p25, p50, p75, p90, p95 and p99 from its *_genai_perf.json;\n"
                "a curve above another is slower (latency) or faster (throughput) at that percentile.";
    charts.push_back(LineChart(spec));
  }
  return charts;
}

}  // namespace bench
