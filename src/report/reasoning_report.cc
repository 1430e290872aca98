#include "report/reasoning_report.h"

#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metrics/metric_registry.h"
#include "util/statistics.h"

namespace bench {
namespace {

double Mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// A per-request figure: its statistics under its key (times in ms), and a row per shown statistic.
void AddFigure(const char* key, const std::vector<double>& values, std::initializer_list<const char*> shown,
               ExportContext& context) {
  if (values.empty()) return;
  const MetricInfo& info = *FindMetric(key);
  const double scale = info.time ? 1.0 / 1e6 : 1.0;
  nlohmann::ordered_json stats = {{"unit", std::string(info.unit)}};
  for (const auto& [name, value] : ComputeStatistics(values)) stats[name] = value * scale;
  for (const char* stat : shown) {
    const double v = stats[stat].get<double>();
    context.bench_rows.emplace_back(StatLabel(info, stat), info.time ? fmt::format("{:.3f}", v) : fmt::format("{:.2f}", v));
  }
  context.extra[key] = std::move(stats);
}

// Server vs tokenizer averages of one count and their difference in % of the tokenizer's.
void AddComparison(const char* server_key, const char* tokenizer_key, const char* difference_key,
                   const std::vector<double>& server, const std::vector<double>& tokenizer, ExportContext& context) {
  if (server.empty()) return;
  AddFigure(server_key, server, {"avg"}, context);
  AddFigure(tokenizer_key, tokenizer, {"avg"}, context);
  const double t = Mean(tokenizer);
  if (t == 0) return;
  const double percent = 100.0 * (Mean(server) - t) / t;
  context.extra[difference_key] = {{"unit", "%"}, {"avg", percent}};
  context.bench_rows.emplace_back(StatLabel(*FindMetric(difference_key), ""), fmt::format("{:+.2f}", percent));
}

void AddServerCounts(const ReasoningMetrics& m, ExportContext& context) {
  if (!m.use_server_token_count) return;
  context.extra["server_token_count"] = {{"requests", m.requests_counted},
                                         {"requests_with_usage", m.server_osl.size()},
                                         {"requests_without_usage", m.requests_without_usage}};
  AddComparison("server_output_sequence_length", "tokenizer_output_sequence_length",
                "output_sequence_length_difference", m.server_osl, m.tokenizer_osl, context);
  AddComparison("server_input_sequence_length", "tokenizer_input_sequence_length", "input_sequence_length_difference",
                m.server_isl, m.tokenizer_isl, context);
  if (m.requests_without_usage > 0) {
    spdlog::warn(
        "--use-server-token-count: {} of {} requests carried no usage.completion_tokens; their OSL and ISL are the "
        "tokenizer's counts. A streaming server sends usage only when it honours stream_options.include_usage "
        "(bench asks for it).",
        m.requests_without_usage, m.requests_counted);
  }
}

void AddChunkCheck(const ReasoningMetrics& m, bool streaming, ExportContext& context) {
  if (!streaming || m.chunks == 0) return;
  const double per_chunk = m.chunk_tokens / static_cast<double>(m.chunks);
  const char* source = m.chunk_tokens_from_usage == 0                 ? "tokenizer"
                       : m.chunk_tokens_from_usage == m.requests_counted ? "usage"
                                                                          : "usage and tokenizer";
  context.extra["tokens_per_chunk"] = {
      {"avg", per_chunk}, {"tokens", m.chunk_tokens}, {"chunks", m.chunks}, {"source", source}};
  const bool exact = m.chunk_tokens_from_usage == m.requests_counted;
  if (per_chunk <= (exact ? kSeveralTokensPerChunkByUsage : kSeveralTokensPerChunkByTokenizer)) return;
  context.bench_rows.emplace_back(StatLabel(*FindMetric("tokens_per_chunk"), "avg"), fmt::format("{:.2f}", per_chunk));
  spdlog::warn(
      "SSE chunks carried {:.2f} tokens on average (counted by the {}): Time To Second Token and the gaps between "
      "chunks are per chunk, not per token. Inter Token Latency divides by tokens and stays per token.",
      per_chunk, source);
}

}  // namespace

void AddReasoningReport(const ReasoningMetrics& m, bool streaming, ExportContext& context) {
  if (m.requests_with_reasoning > 0) {
    context.extra["reasoning"] = {{"requests_with_reasoning", m.requests_with_reasoning},
                                  {"requests", m.requests_counted}};
    AddFigure("time_to_first_reasoning_token", m.time_to_first_reasoning_token, {"avg", "p99"}, context);
    AddFigure("time_to_first_answer_token", m.time_to_first_answer_token, {"avg", "p99"}, context);
    AddFigure("inter_token_latency_with_reasoning", m.inter_token_latency_with_reasoning, {"avg", "p99"}, context);
    AddFigure("reasoning_token_count", m.reasoning_token_count, {"avg"}, context);
    AddFigure("answer_token_count", m.answer_token_count, {"avg"}, context);
  }
  AddServerCounts(m, context);
  AddChunkCheck(m, streaming, context);
}

}  // namespace bench
