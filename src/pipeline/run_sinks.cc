#include "pipeline/run_sinks.h"

#include <exception>
#include <utility>

namespace bench {

void ExportSink::Add(RequestRecord&& record) {
  writer_.WriteRequest(record);
  first_send_ns_ = std::min(first_send_ns_, record.timestamp_ns);
  if (!record.response_timestamps.empty()) last_ns_ = std::max(last_ns_, record.response_timestamps.back());
  timings_.Add(record);
  if (!error_.empty()) return;
  try {
    metrics_.Add(record);
  } catch (const std::exception& e) {
    error_ = std::string("computing metrics failed: ") + e.what();
  }
}

void WindowedSink::Add(RequestRecord&& record) {
  // Records carry epoch times; the windows were closed on the monotonic clock.
  if (epoch_windows_.size() != windows_.windows().size()) {
    epoch_windows_ = windows_.windows();
    for (MeasurementWindow& w : epoch_windows_) {
      w.start_ns = anchor_.ToEpochNs(w.start_ns);
      w.end_ns = anchor_.ToEpochNs(w.end_ns);
    }
    requests_.assign(epoch_windows_.size(), 0);
    errors_.assign(epoch_windows_.size(), 0);
  }
  const int w = WindowOf(epoch_windows_, RequestEndNs(record));
  if (w < 0) {
    ++dropped_;
    return;
  }
  ++requests_[static_cast<size_t>(w)];
  if (record.error) ++errors_[static_cast<size_t>(w)];
  inner_.Add(std::move(record));
}

}  // namespace bench
