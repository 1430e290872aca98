#pragma once
// Where a profile run's measured requests go after the load, one at a time: a line of
// profile_export.json and the metrics' per-request values (ExportSink), behind a filter that
// keeps only requests that ended inside a closed time window (WindowedSink).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "load/load_engine.h"
#include "load/measurement_windows.h"
#include "metrics/profile_metrics.h"
#include "record/profile_export_writer.h"
#include "telemetry/request_timings.h"
#include "util/clock.h"

namespace bench {

/// Each request: written to the export, then added to the metrics. Nothing else of it stays
/// in memory.
class ExportSink : public RecordSink {
 public:
  ExportSink(ProfileExportWriter& writer, MetricsAccumulator& metrics) : writer_(writer), metrics_(metrics) {}
  void Add(RequestRecord&& record) override;
  /// Why the metrics stopped (a tokenizer or allocation failure ends the metrics, not the
  /// export); empty when they did not.
  const std::string& error() const { return error_; }
  /// The measured phase as the records saw it (epoch ns): the first send, the last response.
  int64_t first_send_ns() const { return first_send_ns_; }
  int64_t last_ns() const { return std::max(last_ns_, first_send_ns_); }
  /// The servers' own per-request timings (llama.cpp's `timings`).
  const RequestTimings& timings() const { return timings_; }

 private:
  ProfileExportWriter& writer_;
  MetricsAccumulator& metrics_;
  std::string error_;
  int64_t first_send_ns_ = INT64_MAX;
  int64_t last_ns_ = 0;
  RequestTimings timings_;
};

/// Time windows: only requests whose end lies in a closed window go on to `inner`, as
/// perf_analyzer collects them window by window; the others finished after the last window
/// closed and are counted as dropped. Used after the load, when the windows are final.
class WindowedSink : public RecordSink {
 public:
  WindowedSink(RecordSink& inner, const WindowController& windows, const EpochAnchor& anchor)
      : inner_(inner), windows_(windows), anchor_(anchor) {}
  void Add(RequestRecord&& record) override;
  size_t dropped() const { return dropped_; }
  int64_t requests(size_t window) const { return window < requests_.size() ? requests_[window] : 0; }
  int64_t errors(size_t window) const { return window < errors_.size() ? errors_[window] : 0; }

 private:
  RecordSink& inner_;
  const WindowController& windows_;
  const EpochAnchor& anchor_;
  std::vector<MeasurementWindow> epoch_windows_;
  std::vector<int64_t> requests_;
  std::vector<int64_t> errors_;
  size_t dropped_ = 0;
};

}  // namespace bench
