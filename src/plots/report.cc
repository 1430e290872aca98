#include "plots/report.h"

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "plots/stats.h"
#include "util/svg.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

constexpr size_t kHeatmapBins = 20;
constexpr size_t kScatterPoints = 2000;
constexpr size_t kLinePoints = 1000;

std::vector<double> ToMs(const std::vector<double>& ns) {
  std::vector<double> ms(ns.size());
  for (size_t i = 0; i < ns.size(); ++i) ms[i] = ns[i] / 1e6;
  return ms;
}

// A JSON scalar as a table cell ("" for a missing value).
std::string Cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + Cell(e);
    return out;
  }
  return v.dump();
}

const nlohmann::ordered_json& At(const nlohmann::ordered_json& doc, std::initializer_list<const char*> path) {
  static const nlohmann::ordered_json kNull;
  const nlohmann::ordered_json* at = &doc;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return kNull;
    at = &(*at)[key];
  }
  return *at;
}

std::string Fixed(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : "n/a"; }

constexpr const char* kPageStyle =
    "body{font-family:sans-serif;margin:16px 20px;color:#222;background:#f4f4f4}"
    "h1{font-size:20px;margin:0 0 10px}"
    "table.facts{border-collapse:collapse;font-size:13px;margin:0 0 14px}"
    "table.facts td{padding:2px 18px 2px 0;vertical-align:top}"
    "table.facts td:first-child{color:#555}"
    ".charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}"
    "figure{margin:0;background:#fff;border:1px solid #ddd;padding:6px}"
    "figure.wide{grid-column:1/-1}"
    "figure svg{display:block;width:100%;height:auto}"
    "footer{font-size:12px;color:#666;margin-top:12px}";

}  // namespace

bool PlotsSupported(ResponseFormat format) { return FamilyOf(format) == MetricFamily::kLlm; }

std::vector<Chart> BuildRunCharts(const MetricLists& lists, const PlotData& data) {
  std::vector<Chart> charts;
  charts.push_back(BoxPlotChart("Time to First Token", "Time to First Token (ms)", ToMs(lists.time_to_first_token)));
  charts.push_back(BoxPlotChart("Request Latency", "Request Latency (ms)", ToMs(lists.request_latency)));
  charts.push_back(HeatmapChart("Distribution of Input Sequence Lengths to Output Sequence Lengths",
                                "Input Sequence Length", "Output Sequence Length",
                                BinHeatmap(lists.input_sequence_length, lists.output_sequence_length, kHeatmapBins)));

  const std::vector<double> ttft_ms = ToMs(lists.time_to_first_token);
  ScatterSpec ttft;
  ttft.title = "Time to First Token vs Input Sequence Lengths";
  ttft.x_label = "Input Sequence Length";
  ttft.y_label = "Time to First Token (ms)";
  ttft.x = lists.input_sequence_length;
  ttft.y = ttft_ms;
  ttft.max_points = kScatterPoints;
  ttft.empty_message = "no successful request";
  charts.push_back(ScatterChart(ttft));

  std::vector<double> positions, latency_ms;
  positions.reserve(data.token_latency.size());
  latency_ms.reserve(data.token_latency.size());
  for (const TokenLatencyPoint& p : data.token_latency) {
    positions.push_back(p.position);
    latency_ms.push_back(p.latency_ns / 1e6);
  }
  ScatterSpec itl;
  itl.title = "Token-to-Token Latency vs Output Token Position";
  itl.x_label = "Output Token Position";
  itl.y_label = "Token-to-Token Latency (ms)";
  itl.x = positions;
  itl.y = latency_ms;
  itl.total = data.token_latency_total;
  itl.max_points = kScatterPoints;
  std::vector<size_t> with_mean;
  for (size_t i = 0; i < data.position_count.size(); ++i) {
    if (data.position_count[i] > 0) with_mean.push_back(i);
  }
  for (const size_t k : EvenSampleIndices(with_mean.size(), kLinePoints)) {
    const size_t i = with_mean[k];
    itl.line.emplace_back(static_cast<double>(i + 1), data.position_mean_ns[i] / 1e6);
  }
  itl.line_label = "mean at each position";
  itl.note =
      "Latency: gap to the previous response / tokens in it (GenAI-Perf's chunked ITL);\n"
      "position: response index after the first (= token position when each response is one token).";
  itl.empty_message = "no request kept two responses (streaming runs only)";
  itl.wide = true;  // positions run to the longest output: the width shows more of them
  charts.push_back(ScatterChart(itl));

  charts.push_back(TimelineChart("Request Timeline", data));
  return charts;
}

std::vector<std::pair<std::string, std::string>> RunFacts(const nlohmann::ordered_json& input_config,
                                                          const ExperimentMetrics& metrics) {
  std::vector<std::pair<std::string, std::string>> facts;
  const auto add = [&](const std::string& name, const std::string& value) {
    if (!value.empty()) facts.emplace_back(name, value);
  };
  add("Model", Cell(At(input_config, {"model_names"})));
  const std::string type = Cell(At(input_config, {"endpoint", "type"}));
  const std::string url = Cell(At(input_config, {"endpoint", "url"}));
  add("Endpoint",
      type.empty() ? std::string(ResponseFormatName(metrics.format)) : type + (url.empty() ? "" : " at " + url));
  add("Streaming", Cell(At(input_config, {"endpoint", "streaming"})));
  const nlohmann::ordered_json& stimulus = At(input_config, {"perf_analyzer", "stimulus"});
  if (stimulus.is_object() && !stimulus.empty()) {
    add("Load", stimulus.begin().key() + " " + Cell(stimulus.begin().value()));
  }
  const MetricLists& l = metrics.lists;
  add("Requests",
      fmt::format("{} with a response, {} failed", l.request_latency.size(), metrics.errors.failed_requests));
  add("Benchmark duration", Fixed(metrics.benchmark_duration_s) + " s");
  if (l.request_throughput) add("Request throughput", Fixed(*l.request_throughput) + " requests/s");
  if (l.output_token_throughput) add("Output token throughput", Fixed(*l.output_token_throughput) + " tokens/s");
  return facts;
}

std::string RenderPlotReportHtml(const PlotReport& report) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + XmlEscape(report.title) + "</title>\n<style>" + kPageStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>" + XmlEscape(report.title) + "</h1>\n<table class=\"facts\">\n";
  for (const auto& [name, value] : report.facts) {
    html += "<tr><td>" + XmlEscape(name) + "</td><td>" + XmlEscape(value) + "</td></tr>\n";
  }
  html += "</table>\n<div class=\"charts\">\n";
  for (const Chart& c : report.charts) {
    html += fmt::format("<figure id=\"{}\"{}>\n", XmlEscape(c.file_stem), c.wide ? " class=\"wide\"" : "");
    html += c.svg;
    html += "\n</figure>\n";
  }
  html += "</div>\n<footer>Written by bench " BENCH_VERSION
          ". Self-contained: no script and nothing fetched. Each chart is also saved beside this page as "
          "an .svg file named after its id.</footer>\n</body>\n</html>\n";
  return html;
}

std::string WritePlotReport(const fs::path& dir, const PlotReport& report) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fmt::format("cannot create {}: {}", dir.string(), ec.message());
  const auto write = [](const fs::path& path, const std::string& content) -> std::string {
    std::ofstream f(path, std::ios::binary);
    f << content;
    f.close();
    return f ? "" : fmt::format("cannot write {}", path.string());
  };
  for (const Chart& c : report.charts) {
    const std::string file = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg + "\n";
    if (std::string e = write(dir / (c.file_stem + ".svg"), file); !e.empty()) {
      return e;
    }
  }
  return write(dir / "report.html", RenderPlotReportHtml(report));
}

}  // namespace bench
