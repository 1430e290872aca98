#pragma once
// One connection's entries in the simulator's send log (sim/event_log): a record opened when a
// request has been fully read, stamped as each write of its response completes, and appended to
// the io thread's shard when the response is done (or the connection dies mid-stream).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/event_log.h"

namespace bench {

/// The send-log side of one connection; a no-op throughout when there is no log.
class SimSendRecorder {
 public:
  /// `shard`: the io thread's shard of the send log, or null when there is no log.
  explicit SimSendRecorder(SimEventLog::Shard* shard) : shard_(shard) {}

  /// Starts the record of a request fully read at `received_ns` whose last bytes reached the
  /// socket at `arrived_ns` (monotonic ns; 0 when unknown).
  void Open(int64_t received_ns, int64_t arrived_ns, std::string_view request_id);
  /// Room for `events` stamps, so a long stream does not regrow its vectors.
  void Reserve(size_t events);
  /// The initiation time of a write about to start (now), or 0 when nothing is recorded.
  int64_t WriteStartNs() const;
  /// A write carrying `events` events completed now, started at `start_ns`, due at `due_ns`.
  /// Completion is the first moment Asio says the kernel accepted every byte; at initiation
  /// the bytes may still wait for socket buffer space. But Asio usually sends during
  /// initiation and only queues the handler behind the handlers already runnable, so this
  /// stamp trails the real send by the loop's backlog; the send happened between `start_ns`
  /// and the stamp (docs/simulator.md "Send log"). `due_ns` tells lateness apart from jitter
  /// (--jitter moves the schedule, not the truth).
  void Stamp(int events, int64_t start_ns, int64_t due_ns);
  /// Appends the open record to the shard; nothing when none is open.
  void Close();

 private:
  SimEventLog::Shard* shard_;
  SimEventRecord record_;  // reused request after request: its vectors keep their capacity
  bool open_ = false;
};

}  // namespace bench
