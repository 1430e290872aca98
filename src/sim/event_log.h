#pragma once
// The simulator's send log (`bench simulator --event-log FILE`): for every request, when it was
// fully received and when each of its SSE events was accepted by the kernel, in CLOCK_MONOTONIC
// nanoseconds. It is the server-side truth the fidelity benchmark (benchmarks/fidelity.sh) joins
// with bench's profile export on the X-Request-Id header. docs/simulator.md has the format.
//
// The io threads must never wait on the disk: each thread appends finished requests to its own
// shard buffer, and a full buffer is handed to one writer thread that owns the file.

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bench {

/// What the simulator saw of one request.
struct SimEventRecord {
  std::string request_id;         // X-Request-Id request header; empty if absent
  int64_t received_ns = 0;        // monotonic ns when headers and body were parsed
  std::vector<int64_t> event_ns;  // monotonic ns when each event's write completed, by index
  std::vector<int64_t> start_ns;  // monotonic ns when that write was initiated; empty = omit
  std::vector<int64_t> due_ns;    // monotonic ns when the pacing schedule had it due; empty = omit
  int64_t arrived_ns = 0;         // monotonic ns when the request's last bytes reached the socket; 0 = omit
};

/// Appends `record` to `out` as one JSONL line:
/// {"request_id":"...","received_ns":N,"arrived_ns":N,"event_ns":[N,...],"start_ns":[N,...],"due_ns":[N,...]}\n
/// ("arrived_ns", "start_ns" and "due_ns" only when the record has them).
void AppendEventLogLine(std::string& out, const SimEventRecord& record);

/// A JSONL file written by one background thread from per-io-thread shard buffers.
class SimEventLog {
 public:
  /// One io thread's buffer. Only that thread (or the thread that joined it) may call Append.
  class Shard {
   public:
    /// Formats `record` into the buffer; hands the buffer to the writer once it is large.
    void Append(const SimEventRecord& record);

   private:
    friend class SimEventLog;
    explicit Shard(SimEventLog& log) : log_(log) {}
    SimEventLog& log_;
    std::string buffer_;
  };

  /// Creates (truncates) `path` and starts the writer; `shards` = number of io threads.
  /// Throws std::runtime_error with a one-line message if the file cannot be opened.
  SimEventLog(const std::string& path, int shards);
  ~SimEventLog();
  SimEventLog(const SimEventLog&) = delete;
  SimEventLog& operator=(const SimEventLog&) = delete;

  /// Shard `i` (0 <= i < shards).
  Shard& shard(int i) { return *shards_[static_cast<size_t>(i)]; }
  /// Writes every shard's remainder, stops the writer and closes the file. Call only once the
  /// io threads are joined. Returns an error message, empty on success. Idempotent.
  std::string Close();

 private:
  void Submit(std::string chunk);
  void WriterLoop();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;  // guarded by mu_
  bool done_ = false;              // guarded by mu_
  bool write_failed_ = false;      // writer thread only, read after join
  std::thread writer_;
  bool closed_ = false;
};

}  // namespace bench
