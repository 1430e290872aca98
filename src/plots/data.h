#pragma once
// What the plots need beyond the metric lists, gathered one request at a time while the
// metrics are computed (a RequestObserver), in bounded memory: a sample of request timelines,
// a sample of per-chunk token-to-token latencies and the mean latency at each output position.
// The box plots, the heatmap and the TTFT scatter read the metric lists themselves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "metrics/profile_metrics.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// One request on the timeline; times are epoch ns.
struct TimelineBar {
  enum class Kind : uint8_t {
    kOk,          // send -> first token -> end
    kFailed,      // bench error: send -> last read (or the send time when nothing came)
    kNoResponse,  // succeeded, but no response kept text (metrics skip it too)
  };
  int64_t send_ns = 0;
  int64_t first_ns = 0;  // first kept response (== end_ns unless kOk)
  int64_t end_ns = 0;
  Kind kind = Kind::kOk;
};

/// GenAI-Perf's chunked inter-token latency of one response after the first: the gap to the
/// previous response divided by the tokens it carried, at its position (1 = second response).
struct TokenLatencyPoint {
  uint32_t position = 0;
  double latency_ns = 0;
};

/// How much is kept; what is dropped is said in the plot captions.
struct PlotLimits {
  size_t timeline_bars = 400;
  size_t token_points = 3000;
  size_t positions = 16384;  // output positions with a mean (later ones are only sampled)
};

struct PlotData {
  std::vector<TimelineBar> timeline;  // a StrideSampler sample, in export (completion) order
  size_t timeline_total = 0;          // requests seen
  size_t timeline_stride = 1;         // every stride-th request was kept
  int64_t first_send_ns = 0;          // over every request (the time axis starts here)
  int64_t last_end_ns = 0;
  std::vector<TokenLatencyPoint> token_latency;  // sampled like the timeline
  size_t token_latency_total = 0;
  size_t token_latency_stride = 1;
  std::vector<double> position_mean_ns;  // [position - 1]: mean over every request
  std::vector<uint64_t> position_count;
};

/// Collects PlotData from the requests a MetricsAccumulator is given.
class PlotDataCollector : public RequestObserver {
 public:
  /// `tokenizer` counts the tokens of each response (null: one per response, as for the
  /// TRT-LLM C API whose responses carry ids).
  explicit PlotDataCollector(const Tokenizer* tokenizer, PlotLimits limits = {});
  ~PlotDataCollector() override;
  void Observe(const ObservedRequest& request) override;
  /// Call once, after the last request.
  PlotData Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace bench
