#pragma once
// Writes profile_export.json exactly as perf_analyzer does (reference §4.3): compact JSON, PA's
// key order, requests streamed one at a time so million-request runs need no second copy.

#include <cstdint>
#include <ostream>
#include <span>
#include <string>

#include "record/record.h"
#include "util/byte_buffer.h"

namespace bench {

/// Streams a profile export to `out`. Call order: (BeginExperiment, WriteRequest*,
/// EndExperiment)*, Finish. String bytes are written as recorded (no UTF-8 validation), as
/// PA's rapidjson writer does; the reader drops invalid bytes like GenAI-Perf.
class ProfileExportWriter {
 public:
  /// `out` must outlive the writer. With `request_per_line`, each request object starts a new
  /// line (the same JSON, whitespace aside), so it can be searched and followed with line tools
  /// (`grep`, `tail -f`) while a run writes it.
  explicit ProfileExportWriter(std::ostream& out, bool request_per_line = false);

  /// Opens an experiment. `value` is written as an integer for "concurrency" and as a double
  /// (2.0) for any other mode.
  void BeginExperiment(const std::string& mode, double value);
  /// Appends one request to the open experiment.
  void WriteRequest(const RequestRecord& request);
  /// Closes the open experiment with its measurement window boundaries.
  void EndExperiment(std::span<const int64_t> window_boundaries);
  /// Writes the trailing document fields and closes the document.
  void Finish(const std::string& version, const std::string& service_kind,
              const std::string& endpoint);

 private:
  void Flush();

  static constexpr size_t kFlushBytes = size_t{1} << 20;

  std::ostream& out_;
  ByteBuffer buf_;  // the piece being built, written by Flush
  bool request_per_line_ = false;
  bool any_experiment_ = false;
  bool any_request_ = false;
};

/// Writes a whole in-memory export (a convenience over ProfileExportWriter).
void WriteProfileExport(const ProfileExport& profile, std::ostream& out);

}  // namespace bench
