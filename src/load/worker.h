#pragma once
// One worker thread of the load engine: its epoll loop, its Transport and its concurrent request
// slots, and the three phase loops that decide when each request is sent — closed loop (a
// fixed number in flight), open loop (due times from load/schedule) and sessions (a turn due
// after the previous reply). Finished measured requests go raw into the worker's spill. The
// worker owns all of it; RunLoad (load/load_engine) starts the phases and merges after join.

#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "load/load_engine.h"
#include "load/loop_stats.h"
#include "load/raw_spill.h"
#include "load/stall_watch.h"
#include "record/record.h"
#include "record/session_workload.h"
#include "transport/transport.h"

namespace bench {

/// Longest wait between checks of the stop flag and deadlines.
inline constexpr int64_t kLoadMaxWaitNs = 50'000'000;

/// State shared by all workers in a closed-loop phase: how many requests may still be issued.
struct ClosedPhase {
  std::atomic<int64_t> remaining{0};
  int64_t total = 0;
};

/// State shared by all workers in a session phase: the next session to start.
struct SessionPhase {
  std::atomic<int64_t> next{0};
  int64_t count = 0;  // sessions in this phase; the k-th is the workload's session k % SessionCount()
};

/// One worker's share of an open-loop phase: its requests' dataset entries and due times.
struct OpenLoopPlan {
  std::vector<size_t> entries;
  std::vector<int64_t> due_mono_ns;
  int max_in_flight = 0;  // 0 = no cap
};

/// What the workers share for request ids.
struct RequestIds {
  std::string prefix;
  std::optional<std::string> user_value;  // the user's own -H X-Request-Id, sent unchanged
  std::atomic<uint64_t> next{0};
};

/// One worker thread's loop and requests; used by one thread at a time.
class LoadWorker {
 public:
  /// `windows_over` (null without time windows) is set when the last window has closed.
  LoadWorker(const LoadOptions& options, const std::vector<std::string>& bodies, HttpClient client,
             const TransportSettings& settings, RequestIds& ids, const std::atomic<bool>* windows_over);
  ~LoadWorker();

  /// Warm-up requests finished: counted, never exported.
  int warmup_completed() const { return warmup_completed_; }
  /// Requests that finished outside every time window: neither counted nor recorded.
  size_t dropped() const { return dropped_; }
  /// This worker's finished measured requests, replayed after join.
  RawSpill& spill() { return spill_; }
  /// The loop measuring itself, measured phases only.
  const LoopMeter& meter() const { return meter_; }

  LoadWorker(const LoadWorker&) = delete;
  LoadWorker& operator=(const LoadWorker&) = delete;

  /// Closed loop: `concurrency` slots, each sending its next request as soon as the previous one
  /// finishes, until the phase's requests are all issued and finished or `stop` is set. The
  /// multi handle (and its kept-alive connections) persists across phases.
  /// With a deadline (monotonic ns, 0 = none) no request is issued after it.
  void RunClosedPhase(int concurrency, ClosedPhase& phase, const std::atomic<bool>& stop, int64_t deadline,
                      bool warmup);

  /// Open loop: each request goes out at its due time whatever is outstanding; with a cap, a
  /// request due while all slots are busy goes out as soon as one frees (late, not dropped).
  /// With a deadline, due times are all before it; a request held back by the cap past the
  /// deadline is not sent.
  void RunOpenPhase(const OpenLoopPlan& plan, const std::atomic<bool>& stop, int64_t deadline, bool warmup);

  /// Sessions: `count` session slots, each taking the next unstarted session from `phase`. A turn
  /// is due when the previous one has finished plus its delay; the loop waits for the earliest
  /// due turn as the open loop does. A failed turn ends its session (the slot takes the next
  /// one). After `stop`, waiting sessions end and in-flight turns get the grace period.
  void RunSessionPhase(int count, SessionPhase& phase, const SessionWorkload& workload, const std::atomic<bool>& stop,
                       bool warmup);

 private:
  // One concurrent request context: its record (kept until the slot's next request, so the
  // session loop can read a finished reply) and its transfer index in the transport.
  struct Slot {
    RawRecord record;
    size_t index = 0;
    bool busy = false;
    int owner = -1;  // session phase: the session slot whose turn this is
  };

  // One session in progress on a worker: its turn, the replies so far and the next turn's body.
  struct SessionSlot {
    int64_t session = -1;  // workload session; -1 = no session (done)
    size_t turn = 0;
    std::vector<std::string> replies;  // assistant text of each finished turn
    std::string body;                  // the next turn's body, built when it was scheduled
  };

  // Gives `s` the next unstarted session of `phase` with its first turn's body; false when none is left.
  bool StartSession(SessionSlot& s, SessionPhase& phase, const SessionWorkload& workload);

  // After a turn of `s` finished as `r`: when it succeeded and the session has turns left, keeps
  // its reply and builds the next turn's body (s.turn then names that turn). False otherwise.
  bool NextTurn(SessionSlot& s, const RawRecord& r, const SessionWorkload& workload);

  void BeginPhase(int64_t deadline, bool warmup);

  void EndPhase();

  // Ends a loop pass (measured from the last wake-up) and waits for sockets or the timeout.
  void Poll(int64_t timeout_ns);

  // About once a second, off the per-read path: warns when no in-flight request of this worker
  // has received a byte for the stall time (stall_watch.h).
  void CheckStall(int64_t now);

  bool PastDeadline() const { return deadline_ != 0 && MonotonicNowNs() >= deadline_; }
  bool WindowsOver() const;

  // True when in-flight requests must be cancelled now: at the deadline under --drain cancel,
  // or once an interrupt's grace period is over (the first check after the interrupt starts
  // it; meanwhile nothing new is sent and in-flight requests may finish normally).
  bool Cancelling(const std::atomic<bool>& stop);

  // `max_ns`, shortened so the loop wakes at the deadline or at the end of the grace period.
  int64_t WaitNs(int64_t max_ns) const;

  Slot& AcquireSlot();

  bool TryIssue(ClosedPhase& phase);

  // Sends bodies_[entry], or `session_body` (moved into the record, which keeps it alive while
  // libcurl sends it and then spills it with the record) when given.
  void Issue(Slot& slot, size_t entry, int64_t intended_mono_ns, std::string* session_body = nullptr);

  // Runs the transport's due timers, then finishes every completed transfer; returns how many.
  int Drain();

  void Finish(Slot& slot);

  // Once per finished request, off the per-read path: the SSE event count approximates
  // output tokens for servers that stream one token per event.
  static void CountProgress(const RawRecord& r, LoadProgress& progress);

  void CancelAll();

  const LoadOptions& options_;
  const std::vector<std::string>& bodies_;
  RequestIds& ids_;
  const std::atomic<bool>* windows_over_;
  RawSpill spill_;  // this worker's finished measured requests
  int epoll_;
  std::unique_ptr<Transport> transport_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> free_;
  std::vector<size_t> done_;     // transfers the transport reported finished in this pass
  std::vector<Slot*> finished_;  // session phase: slots whose turn finished since the last look
  int warmup_completed_ = 0;
  size_t dropped_ = 0;
  bool warmup_ = false;
  int64_t deadline_ = 0;  // monotonic ns; 0 = none (the current phase has no deadline)
  int64_t grace_end_ = 0;  // monotonic ns; set when the interrupt is first seen
  LoopMeter meter_;       // measured phases only
  int64_t woke_ns_ = 0;
  int64_t last_finish_ns_ = 0;      // a request of this worker last finished (monotonic ns)
  int64_t next_stall_check_ns_ = 0;
  StallWatch stall_watch_{std::llround(std::max(0.1, options_.stall_warning_s) * 1e9)};
  uint32_t wake_ = 0;  // counts the loop's wake-ups: reads with the same value arrived together
  int64_t phase_cpu_ns_ = 0;
  int64_t phase_wall_ns_ = 0;

};

}  // namespace bench
