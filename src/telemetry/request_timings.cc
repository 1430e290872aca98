#include "telemetry/request_timings.h"

#include <algorithm>
#include <functional>
#include <iterator>

#include <fmt/format.h>

#include "util/statistics.h"
#include "record/reads_search.h"

namespace bench {
namespace {

// The "response" strings of the record's outputs back to back: the compact form holds them so,
// other outputs are joined into `joined`.
std::string_view ResponseText(const RequestRecord& record, std::string& joined) {
  const ResponseOutputs& outputs = record.response_outputs;
  if (outputs.compact()) return outputs.ResponseStrings();
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (const std::optional<std::string_view> s = outputs.StringAt(i, "response")) joined += *s;
  }
  return joined;
}

// The JSON text holding the last `"timings"`: its SSE event's data, or the whole body.
std::string_view JsonAround(std::string_view text, size_t at) {
  const size_t data = text.rfind("data:", at);
  if (data == std::string_view::npos) return text;
  size_t end = text.find('\n', at);
  if (end == std::string_view::npos) end = text.size();
  return text.substr(data + 5, end - data - 5);
}

double Number(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? it->get<double>() : 0.0;
}

nlohmann::ordered_json Stats(const std::vector<double>& v) {
  return {{"avg", Mean(v)}, {"p50", Percentile(v, 50)}, {"p99", Percentile(v, 99)}};
}

// Where the last `"timings"` starts, or npos. std::string::rfind compares at every byte going
// back, which was 5 % of a whole run's instructions on streams without timings (every server but
// llama.cpp); Boyer-Moore-Horspool on the reversed text skips up to nine bytes a step.
size_t LastTimingsKey(std::string_view text) {
  static constexpr std::string_view kKey = "\"timings\"";
  static const std::boyer_moore_horspool_searcher searcher(kKey.rbegin(), kKey.rend());
  const auto found = std::search(text.rbegin(), text.rend(), searcher);
  if (found == text.rend()) return std::string_view::npos;
  return static_cast<size_t>(std::distance(found, text.rend())) - kKey.size();
}

}  // namespace

std::optional<ServerTiming> ServerTimingOf(const RequestRecord& record) {
  // Nearly every server sends no timings: joining a 100-chunk body only to find that was one
  // copy of it per request.
  if (!ReadsContain(record, kTimingsKey)) return std::nullopt;
  std::string joined;
  const std::string_view text = ResponseText(record, joined);
  const size_t at = LastTimingsKey(text);
  if (at == std::string_view::npos) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse(JsonAround(text, at), nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  const auto t = doc.find("timings");
  if (t == doc.end() || !t->is_object()) return std::nullopt;
  ServerTiming timing;
  timing.prompt_ms = Number(*t, "prompt_ms");
  timing.predicted_ms = Number(*t, "predicted_ms");
  timing.prompt_n = static_cast<int64_t>(Number(*t, "prompt_n"));
  timing.predicted_n = static_cast<int64_t>(Number(*t, "predicted_n"));
  timing.cache_n = static_cast<int64_t>(Number(*t, "cache_n"));
  return timing;
}

void RequestTimings::Add(const RequestRecord& record) {
  if (record.error || record.response_timestamps.empty()) return;
  const std::optional<ServerTiming> t = ServerTimingOf(record);
  if (!t) return;
  const double first_read_ms = static_cast<double>(record.response_timestamps.front() - record.timestamp_ns) / 1e6;
  prompt_ms_.push_back(t->prompt_ms);
  first_read_ms_.push_back(first_read_ms);
  outside_ms_.push_back(first_read_ms - t->prompt_ms);
  if (t->predicted_n > 0) per_token_ms_.push_back(t->predicted_ms / static_cast<double>(t->predicted_n));
  cached_ += t->cache_n;
}

nlohmann::ordered_json RequestTimings::Summary() const {
  if (prompt_ms_.empty()) return nullptr;
  nlohmann::ordered_json doc = {{"source", "llama.cpp timings"},
                                {"requests", prompt_ms_.size()},
                                {"cached_prompt_tokens", cached_},
                                {"server_prompt_ms", Stats(prompt_ms_)},
                                {"client_first_read_ms", Stats(first_read_ms_)},
                                {"first_read_outside_prefill_ms", Stats(outside_ms_)}};
  if (!per_token_ms_.empty()) doc["server_ms_per_output_token"] = Stats(per_token_ms_);
  return doc;
}

std::vector<std::pair<std::string, std::string>> RequestTimings::Rows() const {
  std::vector<std::pair<std::string, std::string>> rows;
  if (prompt_ms_.empty()) return rows;
  auto row = [&rows](const char* label, const std::vector<double>& v) {
    rows.emplace_back(label, fmt::format("avg {:.2f}, p50 {:.2f}, p99 {:.2f} ({} requests)", Mean(v),
                                         Percentile(v, 50), Percentile(v, 99), v.size()));
  };
  row("Server Prefill Per Request (ms) [timings]", prompt_ms_);
  row("First Read Outside Server Prefill (ms) [timings]", outside_ms_);
  if (!per_token_ms_.empty()) row("Server Time Per Output Token Per Request (ms) [timings]", per_token_ms_);
  return rows;
}

}  // namespace bench
