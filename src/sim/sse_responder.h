#pragma once
// The cheapest server bench can talk to: one thread, one epoll loop, every request on a
// keep-alive connection answered with the same pre-rendered vLLM-style SSE stream (content
// chunks, a finish chunk, [DONE]; Content-Length framed, as the nginx of benchmarks/ceiling.sh
// answers). `bench calibrate` measures the client against it: the full simulator tokenizes,
// times and writes event by event, and saturated first (issue #23: 1,809 req/s where the same
// client does ~90,000 against nginx). Nothing is parsed beyond the request's framing.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace bench {

class SseResponder {
 public:
  struct Options {
    int content_chunks = 100;  // " tok" chunks before the finish chunk and [DONE]
    int cpu = -1;              // the core to pin the responder's thread to (-1: not pinned)
  };

  explicit SseResponder(Options options);
  ~SseResponder();
  SseResponder(const SseResponder&) = delete;
  SseResponder& operator=(const SseResponder&) = delete;

  /// Listens on 127.0.0.1, an ephemeral port, and starts the thread; returns the port. Throws
  /// std::runtime_error naming the failing call.
  uint16_t Start();
  /// Stops the thread and closes every socket. Idempotent.
  void Stop();

  /// Responses written in full so far.
  uint64_t responses() const { return responses_.load(std::memory_order_relaxed); }
  /// CPU seconds the responder's thread used from Start to Stop (complete after Stop).
  double cpu_seconds() const { return cpu_seconds_; }
  /// Wall seconds from Start to Stop (complete after Stop).
  double wall_seconds() const { return wall_seconds_; }
  /// The bytes of one response, head included.
  const std::string& response() const { return response_; }

 private:
  void Loop();

  Options options_;
  std::string response_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
  std::atomic<uint64_t> responses_{0};
  double cpu_seconds_ = 0;
  double wall_seconds_ = 0;
};

}  // namespace bench
