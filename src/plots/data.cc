#include "plots/data.h"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include "plots/stats.h"
#include "util/statistics.h"

namespace bench {

struct PlotDataCollector::State {
  State(const Tokenizer* t, PlotLimits l)
      : tokenizer(t), limits(l), timeline(l.timeline_bars), token_latency(l.token_points) {}
  const Tokenizer* tokenizer;
  PlotLimits limits;
  StrideSampler<TimelineBar> timeline;
  StrideSampler<TokenLatencyPoint> token_latency;
  int64_t first_send = std::numeric_limits<int64_t>::max();
  int64_t last_end = std::numeric_limits<int64_t>::min();
  std::vector<double> position_mean;
  std::vector<uint64_t> position_count;
  std::string chunk;
  // Streamed chunks are mostly single tokens drawn from the vocabulary, so they repeat: cached,
  // a run's millions of chunks cost a hash lookup each instead of a tokenizer call.
  std::unordered_map<std::string, size_t> chunk_tokens;
  static constexpr size_t kMaxCachedChunks = 1 << 16;

  // GenAI-Perf counts a chunk as len(tokenizer("!" + chunk)) - 1: the "!" gives every chunk
  // the same left context, so a leading space is not merged differently from chunk to chunk.
  size_t ChunkTokens(const std::string& text) {
    if (tokenizer == nullptr) return 1;
    const auto it = chunk_tokens.find(text);
    if (it != chunk_tokens.end()) return it->second;
    chunk.assign("!");
    chunk += text;
    const size_t n = tokenizer->CountTokens(chunk);
    const size_t tokens = n > 0 ? n - 1 : 0;
    if (chunk_tokens.size() >= kMaxCachedChunks) chunk_tokens.clear();  // bounded memory
    chunk_tokens.emplace(text, tokens);
    return tokens;
  }

  void AddTokenLatencies(const ProcessedResponses& kept) {
    const std::vector<int64_t>& ts = kept.timestamps;
    const bool have_texts = kept.texts.size() == ts.size();
    for (size_t i = 1; i < ts.size(); ++i) {
      size_t tokens = have_texts ? ChunkTokens(kept.texts[i]) : 1;
      if (tokens == 0) tokens = 1;  // an empty chunk counts one token, as GenAI-Perf does
      const double latency = RoundHalfEven(static_cast<double>(ts[i] - ts[i - 1]) / static_cast<double>(tokens));
      const size_t position = i;
      token_latency.Add({static_cast<uint32_t>(std::min<size_t>(position, UINT32_MAX)), latency});
      if (position > limits.positions) continue;
      if (position_mean.size() < position) {
        position_mean.resize(position, 0);
        position_count.resize(position, 0);
      }
      // Running mean: no per-position list is kept however many requests there are.
      const uint64_t n = ++position_count[position - 1];
      position_mean[position - 1] += (latency - position_mean[position - 1]) / static_cast<double>(n);
    }
  }
};

PlotDataCollector::PlotDataCollector(const Tokenizer* tokenizer, PlotLimits limits)
    : state_(std::make_unique<State>(tokenizer, limits)) {}

PlotDataCollector::~PlotDataCollector() = default;

void PlotDataCollector::Observe(const ObservedRequest& request) {
  State& st = *state_;
  const RequestRecord& r = request.record;
  TimelineBar bar;
  bar.send_ns = r.timestamp_ns;
  if (request.kept != nullptr && !request.kept->timestamps.empty()) {
    bar.first_ns = request.kept->timestamps.front();
    bar.end_ns = request.kept->timestamps.back();
    st.AddTokenLatencies(*request.kept);
  } else {
    bar.kind = r.error ? TimelineBar::Kind::kFailed : TimelineBar::Kind::kNoResponse;
    bar.end_ns = r.response_timestamps.empty() ? r.timestamp_ns : r.response_timestamps.back();
    bar.first_ns = bar.end_ns;
  }
  st.first_send = std::min(st.first_send, bar.send_ns);
  st.last_end = std::max(st.last_end, std::max(bar.end_ns, bar.send_ns));
  st.timeline.Add(bar);
}

PlotData PlotDataCollector::Finish() {
  State& st = *state_;
  PlotData d;
  d.timeline_total = st.timeline.seen();
  d.timeline_stride = st.timeline.stride();
  d.timeline = st.timeline.Take();
  if (d.timeline_total > 0) {
    d.first_send_ns = st.first_send;
    d.last_end_ns = st.last_end;
  }
  d.token_latency_total = st.token_latency.seen();
  d.token_latency_stride = st.token_latency.stride();
  d.token_latency = st.token_latency.Take();
  d.position_mean_ns = std::move(st.position_mean);
  d.position_count = std::move(st.position_count);
  return d;
}

}  // namespace bench
