#include "plots/sweep_plots.h"

#include <cstdlib>
#include <optional>

#include <fmt/format.h>

namespace bench {
namespace {

using Field = std::optional<double> PointSummary::*;

// One curve: (x, y) of every point where both were measured, optionally labelled with its
// swept value.
LineSeries Curve(const std::vector<PointSummary>& points, const std::string& label, Field x, Field y,
                 bool labelled) {
  LineSeries s;
  s.label = label;
  for (const PointSummary& p : points) {
    if (!(p.*x) || !(p.*y)) continue;
    s.points.emplace_back(*(p.*x), *(p.*y));
    if (labelled) s.point_labels.push_back(p.value);
  }
  return s;
}

Chart LatencyVsThroughput(const std::vector<PointSummary>& points, const std::string& parameter,
                          const std::string& metric, Field avg, Field p99, const std::string& throughput,
                          const std::string& unit, Field throughput_field) {
  LineChartSpec spec;
  spec.title = metric + " vs " + throughput;
  spec.x_label = throughput + " (" + unit + ")";
  spec.y_label = metric + " (ms)";
  // Labels on the p99 curve only: it lies above the average, so its labels stay clear of both.
  spec.series = {Curve(points, "avg", throughput_field, avg, false),
                 Curve(points, "p99", throughput_field, p99, true)};
  spec.note = fmt::format("One point per sweep point, labelled with its {}; joined in sweep order.", parameter);
  spec.empty_message = "not measured (needs --streaming for TTFT and ITL)";
  return LineChart(spec);
}

}  // namespace

std::vector<Chart> BuildSweepCharts(const std::vector<PointSummary>& points, const std::string& parameter) {
  std::vector<Chart> charts;
  const std::string tokens = "Output Token Throughput";
  charts.push_back(LatencyVsThroughput(points, parameter, "Time to First Token", &PointSummary::ttft_avg,
                                       &PointSummary::ttft_p99, tokens, "tokens/s",
                                       &PointSummary::output_token_throughput));
  charts.push_back(LatencyVsThroughput(points, parameter, "Inter Token Latency", &PointSummary::itl_avg,
                                       &PointSummary::itl_p99, tokens, "tokens/s",
                                       &PointSummary::output_token_throughput));
  charts.push_back(LatencyVsThroughput(points, parameter, "Request Latency", &PointSummary::request_latency_avg,
                                       &PointSummary::request_latency_p99, "Request Throughput", "requests/s",
                                       &PointSummary::request_throughput));
  LineChartSpec spec;
  spec.title = "Output Token Throughput vs " + parameter;
  spec.x_label = parameter;
  spec.y_label = tokens + " (tokens/s)";
  LineSeries s;
  s.label = "output tokens/s";
  for (const PointSummary& p : points) {
    char* end = nullptr;
    const double value = std::strtod(p.value.c_str(), &end);
    if (end == p.value.c_str() || !p.output_token_throughput) continue;
    s.points.emplace_back(value, *p.output_token_throughput);
    s.point_labels.push_back(fmt::format("{:.0f}", *p.output_token_throughput));
  }
  spec.series = {s};
  spec.note = "One point per sweep point.";
  spec.empty_message = "no throughput measured";
  charts.push_back(LineChart(spec));
  return charts;
}

std::vector<std::pair<std::string, std::string>> SweepFacts(const std::vector<PointSummary>& points,
                                                            const std::string& parameter) {
  std::vector<std::pair<std::string, std::string>> facts;
  facts.emplace_back("Swept", fmt::format("{} over {} point(s)", parameter, points.size()));
  for (const PointSummary& p : points) {
    facts.emplace_back(parameter + " " + p.value, p.run_dir + "/plots/report.html");
  }
  return facts;
}

}  // namespace bench
