#pragma once
// A worker's finished requests, parked on disk in raw form until the load is over: the
// RawRecord serialiser over a SpillFile.

#include <cstddef>
#include <cstdint>
#include <string>

#include "load/spill_file.h"
#include "transport/transport.h"

namespace bench {

/// Finished requests wait on disk, not in memory, until the load is over: each worker appends
/// its own in raw form (a copy into a SpillFile buffer, or for a long body the body's own
/// buffer handed over: no parsing, no escaping; the file's own writer thread compresses and
/// does the I/O), and RunLoad replays them into the sink after the workers are
/// joined.
class RawSpill {
 public:
  explicit RawSpill(const std::string& dir) : file_(dir) {}
  RawSpill(const RawSpill&) = delete;
  RawSpill& operator=(const RawSpill&) = delete;

  /// Appends `r` (no parsing, no escaping). With `take_bytes`, a long body is handed to the
  /// file rather than copied, and r.bytes comes back empty: only for a record nobody reads again.
  void Write(RawRecord& r, bool take_bytes);
  /// Records come back in the order they were written; false at the end (or on a read error).
  bool Read(RawRecord& r);
  bool failed() const { return file_.failed(); }
  size_t written() const { return written_; }
  const SpillFile& file() const { return file_; }

 private:
  void Put(const void* data, size_t n) { file_.Append(data, n); }
  bool Get(void* data, size_t n) { return file_.Read(data, n); }

  static constexpr size_t kHeaderFields = 17;  // the integers before each record's arrays
  SpillFile file_;
  size_t written_ = 0;
  size_t read_ = 0;
};

}  // namespace bench
