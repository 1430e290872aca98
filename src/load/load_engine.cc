#include "load/load_engine.h"

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <queue>
#include <string_view>
#include <stdexcept>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "util/cores.h"
#include "load/raw_spill.h"
#include "load/record_conversion.h"
#include "load/stall_watch.h"

namespace bench {
namespace {

// One concurrent request context: its record (kept until the slot's next request, so the
// session loop can read a finished reply) and its transfer index in the transport.
struct Slot {
  RawRecord record;
  size_t index = 0;
  bool busy = false;
  int owner = -1;  // session phase: the session slot whose turn this is
};

// State shared by all workers in a closed-loop phase: how many requests may still be issued.
struct PhaseState {
  std::atomic<int64_t> remaining{0};
  int64_t total = 0;
};

// State shared by all workers in a session phase: the next session to start.
struct SessionPhase {
  std::atomic<int64_t> next{0};
  int64_t count = 0;  // sessions in this phase; the k-th is the workload's session k % SessionCount()
};

// One session in progress on a worker: its turn, the replies so far and the next turn's body.
struct SessionSlot {
  int64_t session = -1;  // workload session; -1 = no session (done)
  size_t turn = 0;
  std::vector<std::string> replies;  // assistant text of each finished turn
  std::string body;                  // the next turn's body, built when it was scheduled
};

// One worker's share of an open-loop phase: its requests' dataset entries and due times.
struct OpenLoopPlan {
  std::vector<size_t> entries;
  std::vector<int64_t> due_mono_ns;
  int max_in_flight = 0;  // 0 = no cap
};

// What the workers share for request ids.
struct RequestIds {
  std::string prefix;
  std::optional<std::string> user_value;  // the user's own -H X-Request-Id, sent unchanged
  std::atomic<uint64_t> next{0};
};

// Longest wait between checks of the stop flag and deadlines.
constexpr int64_t kMaxWaitNs = 50'000'000;
constexpr int64_t kStallCheckNs = 1'000'000'000;
// The last stretch before a due send is spun (polling sockets without sleeping): a sleeping
// thread can wake late when the cores are busy; a spinning one is already running.
constexpr int64_t kSpinNs = 200'000;
// At most this many overdue requests are sent before the loop serves its sockets again.
constexpr int kMaxBurst = 32;

class Worker {
 public:
  // `windows_over` (null without time windows) is set when the last window has closed.
  Worker(const LoadOptions& options, const std::vector<std::string>& bodies, HttpClient client,
         const TransportSettings& settings, RequestIds& ids, const std::atomic<bool>* windows_over)
      : options_(options), bodies_(bodies), ids_(ids), windows_over_(windows_over),
        spill_(options.spill_dir),
        epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    transport_ = MakeTransport(client, settings, epoll_, &wake_);
  }
  ~Worker() {
    transport_.reset();  // may still touch the epoll set
    close(epoll_);
  }

  int warmup_completed() const { return warmup_completed_; }
  size_t dropped() const { return dropped_; }
  RawSpill& spill() { return spill_; }
  const LoopMeter& meter() const { return meter_; }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Closed loop: `concurrency` slots, each sending its next request as soon as the previous one
  // finishes, until the phase's requests are all issued and finished or `stop` is set. The
  // multi handle (and its kept-alive connections) persists across phases.
  // With a deadline (monotonic ns, 0 = none) no request is issued after it.
  void RunClosedPhase(int concurrency, PhaseState& phase, const std::atomic<bool>& stop, int64_t deadline,
                      bool warmup) {
    BeginPhase(deadline, warmup);
    int in_flight = 0;
    for (int i = 0; i < concurrency; ++i) {
      if (TryIssue(phase)) ++in_flight;
    }
    while (in_flight > 0) {
      if (Cancelling(stop)) {
        CancelAll();
        break;
      }
      for (int done = Drain(); done > 0; --done) {
        --in_flight;
        if (!stop.load(std::memory_order_relaxed) && !PastDeadline() && TryIssue(phase)) ++in_flight;
      }
      if (in_flight > 0) Poll(WaitNs(kMaxWaitNs));
    }
    EndPhase();
  }

  // Open loop: each request goes out at its due time whatever is outstanding; with a cap, a
  // request due while all slots are busy goes out as soon as one frees (late, not dropped).
  // With a deadline, due times are all before it; a request held back by the cap past the
  // deadline is not sent.
  void RunOpenPhase(const OpenLoopPlan& plan, const std::atomic<bool>& stop, int64_t deadline, bool warmup) {
    BeginPhase(deadline, warmup);
    size_t next = 0;
    int in_flight = 0;
    int burst = 0;  // requests sent since the last poll
    size_t total = plan.due_mono_ns.size();
    while (next < total || in_flight > 0) {
      if (Cancelling(stop)) {
        CancelAll();
        break;
      }
      if (PastDeadline() || stop.load(std::memory_order_relaxed)) total = next;
      const bool slot_free = plan.max_in_flight == 0 || in_flight < plan.max_in_flight;
      if (next < total && slot_free && plan.due_mono_ns[next] <= MonotonicNowNs() && burst < kMaxBurst) {
        Issue(AcquireSlot(), plan.entries[next], plan.due_mono_ns[next]);
        ++next;
        ++in_flight;
        ++burst;
        continue;  // several requests may be due at once
      }
      if (burst == kMaxBurst) {
        // Behind schedule: serve the sockets between bursts, or responses (and their
        // timestamps) would wait until the whole backlog is sent.
        Poll(0);
      }
      burst = 0;
      in_flight -= Drain();
      const bool can_send = next < total && (plan.max_in_flight == 0 || in_flight < plan.max_in_flight);
      int64_t wait = kMaxWaitNs;
      if (can_send) {
        wait = plan.due_mono_ns[next] - MonotonicNowNs();
        if (wait <= 0) continue;
        // A nanosecond timeout wakes the loop just before the due time, serving sockets meanwhile.
        wait = wait > kSpinNs ? wait - kSpinNs : 0;
      }
      if (in_flight > 0 || can_send) Poll(WaitNs(wait));
    }
    EndPhase();
  }

  // Sessions: `count` session slots, each taking the next unstarted session from `phase`. A turn
  // is due when the previous one has finished plus its delay; the loop waits for the earliest
  // due turn as the open loop does. A failed turn ends its session (the slot takes the next
  // one). After `stop`, waiting sessions end and in-flight turns get the grace period.
  void RunSessionPhase(int count, SessionPhase& phase, const SessionWorkload& workload, const std::atomic<bool>& stop,
                       bool warmup) {
    BeginPhase(0, warmup);
    std::vector<SessionSlot> sessions(static_cast<size_t>(count));
    // Turns waiting for their due time: (due monotonic ns, session slot), earliest first.
    using Due = std::pair<int64_t, size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
    int active = 0;
    for (size_t i = 0; i < sessions.size(); ++i) {
      if (StartSession(sessions[i], phase, workload)) {
        due.emplace(MonotonicNowNs(), i);
        ++active;
      }
    }
    while (active > 0) {
      if (Cancelling(stop)) {
        CancelAll();
        break;
      }
      const bool stopping = stop.load(std::memory_order_relaxed);
      if (stopping) {  // nothing new is sent: sessions waiting for their next turn end here
        active -= static_cast<int>(due.size());
        due = {};
      }
      int burst = 0;
      while (!due.empty() && due.top().first <= MonotonicNowNs() && burst < kMaxBurst) {
        SessionSlot& s = sessions[due.top().second];
        Slot& slot = AcquireSlot();
        slot.owner = static_cast<int>(due.top().second);
        Issue(slot, 0, 0, &s.body);
        slot.record.session = s.session;
        slot.record.turn = static_cast<int64_t>(s.turn);
        due.pop();
        ++burst;
      }
      if (burst == kMaxBurst) Poll(0);  // behind: serve the sockets between bursts
      Drain();
      for (Slot* done : finished_) {
        const size_t i = static_cast<size_t>(done->owner);
        done->owner = -1;
        SessionSlot& s = sessions[i];
        // The think time runs from the reply's last read (the transfer may complete a little
        // later, e.g. on the chunked terminator); a next turn already due goes out at once.
        const int64_t now = MonotonicNowNs();
        const int64_t replied_ns = done->record.read_mono_ns.empty() ? now : done->record.read_mono_ns.back();
        if (!stopping && NextTurn(s, done->record, workload)) {
          due.emplace(replied_ns + workload.DelayAfterNs(static_cast<size_t>(s.session), s.turn - 1), i);
        } else if (!stopping && StartSession(s, phase, workload)) {
          due.emplace(now, i);
        } else {
          s.session = -1;
          --active;
        }
      }
      finished_.clear();
      if (active == 0) break;
      int64_t wait = kMaxWaitNs;
      if (!due.empty()) {
        wait = due.top().first - MonotonicNowNs();
        if (wait <= 0) continue;
        // As the open loop: spin the last stretch. Long delays are slept in pieces so the
        // stop flag is seen (think times can be minutes).
        wait = std::min(kMaxWaitNs, wait > kSpinNs ? wait - kSpinNs : 0);
      }
      Poll(WaitNs(wait));
    }
    finished_.clear();
    for (auto& slot : slots_) slot->owner = -1;
    EndPhase();
  }

 private:
  // Gives `s` the next unstarted session of `phase` with its first turn's body; false when none is left.
  bool StartSession(SessionSlot& s, SessionPhase& phase, const SessionWorkload& workload) {
    const int64_t k = phase.next.fetch_add(1, std::memory_order_relaxed);
    if (k >= phase.count) return false;
    s.session = static_cast<int64_t>(static_cast<size_t>(k) % workload.SessionCount());
    s.turn = 0;
    s.replies.clear();
    s.body = workload.Body(static_cast<size_t>(s.session), 0, {});
    return true;
  }

  // After a turn of `s` finished as `r`: when it succeeded and the session has turns left, keeps
  // its reply and builds the next turn's body (s.turn then names that turn). False otherwise.
  bool NextTurn(SessionSlot& s, const RawRecord& r, const SessionWorkload& workload) {
    const size_t session = static_cast<size_t>(s.session);
    if (!r.Succeeded() || s.turn + 1 >= workload.TurnCount(session)) return false;
    std::vector<std::string_view> reads;
    reads.reserve(r.read_end.size());
    for (size_t i = 0; i < r.read_end.size(); ++i) reads.push_back(r.Read(i));
    s.replies.push_back(workload.Reply(reads));
    ++s.turn;
    s.body = workload.Body(session, s.turn, s.replies);
    return true;
  }

  void BeginPhase(int64_t deadline, bool warmup) {
    // Timed waits wake within ~1 us of their deadline instead of the default 50 us slack.
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    deadline_ = deadline;
    warmup_ = warmup;
    phase_cpu_ns_ = ThreadCpuNowNs();
    phase_wall_ns_ = MonotonicNowNs();
    woke_ns_ = phase_wall_ns_;
  }

  void EndPhase() {
    if (!warmup_) {
      meter_.cpu_ns += ThreadCpuNowNs() - phase_cpu_ns_;
      meter_.wall_ns += MonotonicNowNs() - phase_wall_ns_;
    }
    deadline_ = 0;
  }

  // Ends a loop pass (measured from the last wake-up) and waits for sockets or the timeout.
  void Poll(int64_t timeout_ns) {
    const int64_t now = MonotonicNowNs();
    if (!warmup_) meter_.passes.Record(now - woke_ns_);
    const int64_t timer_due = transport_->TimerDueNs();
    if (timer_due >= 0) timeout_ns = std::min(timeout_ns, std::max<int64_t>(0, timer_due - now));
    epoll_event events[256];
    const timespec timeout{static_cast<time_t>(timeout_ns / 1'000'000'000), static_cast<long>(timeout_ns % 1'000'000'000)};
    int n = epoll_pwait2(epoll_, events, 256, &timeout, nullptr);
    if (n < 0 && errno == ENOSYS) {  // kernels before 5.11: millisecond timeouts
      n = epoll_wait(epoll_, events, 256, static_cast<int>((timeout_ns + 999'999) / 1'000'000));
    }
    woke_ns_ = MonotonicNowNs();
    ++wake_;
    for (int i = 0; i < n; ++i) transport_->OnEvent(events[i]);
    if (woke_ns_ >= next_stall_check_ns_) CheckStall(woke_ns_);
  }

  // About once a second, off the per-read path: warns when no in-flight request of this worker
  // has received a byte for the stall time (stall_watch.h).
  void CheckStall(int64_t now) {
    next_stall_check_ns_ = now + kStallCheckNs;
    StallSample sample;
    sample.last_activity_ns = last_finish_ns_;
    for (const auto& slot : slots_) {
      if (!slot->busy) continue;
      const RawRecord& r = slot->record;
      int64_t last = std::max(r.handoff_mono_ns, r.send_mono_ns);
      if (!r.read_mono_ns.empty()) {
        last = r.read_mono_ns.back();
        ++sample.mid_response;
      } else if (r.send_mono_ns != 0) {
        ++sample.waiting_first_byte;
      } else {
        ++sample.not_sent;
      }
      sample.last_activity_ns = std::max(sample.last_activity_ns, last);
    }
    if (auto warning = stall_watch_.Check(sample, now)) spdlog::warn("{}", *warning);
  }

  bool PastDeadline() const { return deadline_ != 0 && MonotonicNowNs() >= deadline_; }
  bool WindowsOver() const {
    return !warmup_ && windows_over_ != nullptr && windows_over_->load(std::memory_order_relaxed);
  }

  // True when in-flight requests must be cancelled now: at the deadline under --drain cancel,
  // or once an interrupt's grace period is over (the first check after the interrupt starts
  // it; meanwhile nothing new is sent and in-flight requests may finish normally).
  bool Cancelling(const std::atomic<bool>& stop) {
    if (WindowsOver()) return true;  // the measurement is over: nothing in flight belongs to it
    if (options_.drain_cancel && PastDeadline()) return true;
    if (!stop.load(std::memory_order_relaxed)) return false;
    const int64_t now = MonotonicNowNs();
    if (grace_end_ == 0) grace_end_ = now + std::llround(std::max(0.0, options_.interrupt_grace_s) * 1e9);
    return now >= grace_end_;
  }

  // `max_ns`, shortened so the loop wakes at the deadline or at the end of the grace period.
  int64_t WaitNs(int64_t max_ns) const {
    int64_t wake = deadline_;
    if (grace_end_ != 0 && (wake == 0 || grace_end_ < wake)) wake = grace_end_;
    if (wake == 0) return max_ns;
    const int64_t left_ns = wake - MonotonicNowNs();
    if (left_ns <= 0) return max_ns;
    return std::min(max_ns, left_ns);
  }

  Slot& AcquireSlot() {
    if (free_.empty()) {
      slots_.push_back(std::make_unique<Slot>());
      slots_.back()->index = slots_.size() - 1;
      return *slots_.back();
    }
    Slot* slot = free_.back();
    free_.pop_back();
    return *slot;
  }

  bool TryIssue(PhaseState& phase) {
    const int64_t left = phase.remaining.fetch_sub(1, std::memory_order_relaxed);
    if (left <= 0) return false;
    Issue(AcquireSlot(), static_cast<size_t>(phase.total - left) % bodies_.size(), 0);
    return true;
  }

  // Sends bodies_[entry], or `session_body` (moved into the record, which keeps it alive while
  // libcurl sends it and then spills it with the record) when given.
  void Issue(Slot& slot, size_t entry, int64_t intended_mono_ns, std::string* session_body = nullptr) {
    // Cleared, not replaced: the buffers keep their capacity from one request to the next.
    slot.record.Clear();
    slot.record.entry = entry;
    slot.record.intended_mono_ns = intended_mono_ns;
    slot.record.request_id =
        ids_.user_value ? *ids_.user_value
                        : ids_.prefix + std::to_string(ids_.next.fetch_add(1, std::memory_order_relaxed));
    if (session_body != nullptr) slot.record.body = std::move(*session_body);
    const std::string& body = session_body != nullptr ? slot.record.body : bodies_[entry];
    slot.busy = true;
    // perf_analyzer stamps a request right before AsyncInfer; here that is the hand-off. The
    // send timestamp proper is taken by the transport when the request is about to be written
    // (after a connect, or behind a batch of hand-offs).
    slot.record.handoff_mono_ns = MonotonicNowNs();
    transport_->Start(slot.index, slot.record, body);
    if (options_.progress != nullptr) options_.progress->issued.fetch_add(1, std::memory_order_relaxed);
  }

  // Runs the transport's due timers, then finishes every completed transfer; returns how many.
  int Drain() {
    const int64_t timer_due = transport_->TimerDueNs();
    if (timer_due >= 0 && MonotonicNowNs() >= timer_due) transport_->OnTimer();
    done_.clear();
    transport_->TakeFinished(done_);
    for (size_t index : done_) Finish(*slots_[index]);
    return static_cast<int>(done_.size());
  }

  void Finish(Slot& slot) {
    RawRecord& r = slot.record;
    if (options_.drain_cancel && PastDeadline() && !r.cancelled) {
      // Finished after the deadline under --drain cancel: outside the measurement, like the
      // requests cancelled there (the check runs at most one poll interval late).
      r.cancelled = true;
      r.past_deadline = true;
    }
    slot.busy = false;
    last_finish_ns_ = MonotonicNowNs();
    free_.push_back(&slot);
    // The record stays in the slot until its next Issue, so the session loop can read the reply.
    if (slot.owner >= 0) finished_.push_back(&slot);
    if (r.dropped) {
      ++dropped_;  // outside every time window: neither counted nor recorded
      return;
    }
    if (options_.progress != nullptr) CountProgress(r, *options_.progress);
    if (warmup_) {
      ++warmup_completed_;  // excluded by phase, never exported
    } else {
      spill_.Write(r);
    }
  }

  // Once per finished request, off the per-read path: the SSE event count approximates
  // output tokens for servers that stream one token per event.
  static void CountProgress(const RawRecord& r, LoadProgress& progress) {
    progress.chunks.fetch_add(static_cast<int64_t>(EventsIn(r.bytes)), std::memory_order_relaxed);
    if (!r.Succeeded()) {
      progress.errors.fetch_add(1, std::memory_order_relaxed);
    } else {
      const int64_t sent = r.send_mono_ns != 0 ? r.send_mono_ns : r.handoff_mono_ns;
      const int64_t end = r.read_mono_ns.empty() ? sent : r.read_mono_ns.back();
      progress.ok_latency_ns.fetch_add(end - sent, std::memory_order_relaxed);
      progress.ok_done.fetch_add(1, std::memory_order_relaxed);
    }
    progress.done.fetch_add(1, std::memory_order_relaxed);
  }

  void CancelAll() {
    for (auto& slot : slots_) {
      if (!slot->busy) continue;
      slot->record.cancelled = true;
      slot->record.past_deadline = PastDeadline();
      slot->record.dropped = WindowsOver();
      transport_->Abort(slot->index);
      Finish(*slot);
    }
  }

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

// Thousands of streams need thousands of sockets (and an in-process simulator as many again):
// the soft descriptor limit (often 1024) goes up to the hard one, as wrk and h2load do.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

WindowSnapshot SnapshotOf(const LoadProgress& progress, int64_t now) {
  return {now, progress.ok_done.load(std::memory_order_relaxed),
          progress.ok_latency_ns.load(std::memory_order_relaxed)};
}

// Time windows, on RunLoad's thread while the workers send: sleeps to each window's end,
// closes it from the live counters, and sets `over` when the controller is done or on an
// interrupt (the open window is then abandoned: only closed windows count).
void MeasureWindows(WindowController& windows, LoadProgress& progress, int64_t start, const std::atomic<bool>& stop,
                    std::atomic<bool>& over) {
  const int64_t length = windows.WindowLengthNs();
  const int judged = windows.settings().stability_windows;
  windows.Start(SnapshotOf(progress, start));
  progress.window.store(1, std::memory_order_relaxed);
  progress.expected_ns.store(std::max(1, judged) * length, std::memory_order_relaxed);
  while (!windows.done() && !stop.load()) {
    const int64_t end = windows.NextEndNs();
    for (int64_t now = MonotonicNowNs(); now < end && !stop.load(); now = MonotonicNowNs()) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(end - now, kMaxWaitNs)));
    }
    if (stop.load()) break;
    windows.Close(SnapshotOf(progress, MonotonicNowNs()));
    const int closed = static_cast<int>(windows.windows().size());
    progress.window.store(closed + 1, std::memory_order_relaxed);
    progress.expected_ns.store(std::max(judged, closed + 1) * length, std::memory_order_relaxed);
  }
  over.store(true);
}

}  // namespace

int ResolveWorkerThreads(const LoadOptions& options) {
  const int cores = UsableCores();
  const bool fixed = !options.fixed_schedule_ms.empty();
  const bool open_loop = options.request_rate || fixed;
  if (options.worker_threads > 0) {
    return open_loop ? options.worker_threads : std::min(options.worker_threads, std::max(1, options.concurrency));
  }
  // A trace's average rate (its bursts are what the client must keep up with, but one loop
  // sends thousands per second).
  double rate = options.request_rate.value_or(0);
  if (fixed) {
    const double span_s = static_cast<double>(options.fixed_schedule_ms.back() - options.fixed_schedule_ms.front()) /
                          1000.0 / options.schedule_speedup;
    rate = span_s > 0 ? static_cast<double>(options.fixed_schedule_ms.size()) / span_s : 0;
  }
  // One event loop comfortably drives hundreds of streams or thousands of sends per second;
  // add loops only for large loads.
  const int wanted = open_loop ? static_cast<int>(std::ceil(rate / 4000.0))
                               : static_cast<int>(std::ceil(options.concurrency / 256.0));
  return std::clamp(wanted, 1, cores);
}

LoadResult RunLoad(const LoadOptions& requested, const std::vector<std::string>& bodies,
                   const std::atomic<bool>& stop, const EpochAnchor& anchor, RecordSink& sink) {
  static const bool raised = (RaiseDescriptorLimit(), true);
  (void)raised;
  LoadResult result;
  if (requested.sessions != nullptr ? requested.sessions->SessionCount() == 0 : bodies.empty()) return result;
  // Time windows are judged on the live counters, so they are kept even without a progress line.
  LoadOptions options = requested;
  LoadProgress window_counters;
  if (options.windows != nullptr && options.progress == nullptr) options.progress = &window_counters;
  std::atomic<bool> windows_over{false};
  TransportSettings settings;
  settings.url = options.url;
  settings.headers = {"Content-Type: application/json", "Expect:"};  // no 100-continue round trip
  settings.tls = options.tls;
  settings.request_timeout_s = options.request_timeout_s;
  RequestIds ids;
  ids.prefix = options.request_id_prefix;
  for (const auto& h : options.headers) {
    settings.headers.push_back(h);
    if (auto value = HeaderValue(h, "X-Request-Id")) ids.user_value = std::move(value);
  }
  settings.send_request_id = !ids.user_value;
  std::string client_error;
  const HttpClient client = ResolveHttpClient(options.http_client, options.url,
                                                  [](const char* name) -> const char* { return std::getenv(name); }, &client_error);
  if (!client_error.empty()) throw std::runtime_error(client_error);
  result.http_client = client;

  const int threads = ResolveWorkerThreads(options);
  result.worker_threads = threads;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < threads; ++i) {
    workers.push_back(
        std::make_unique<Worker>(options, bodies, client, settings, ids, options.windows ? &windows_over : nullptr));
  }

  // The measured phase's deadline (monotonic ns), or 0 for none and for warm-up.
  const auto deadline_after = [&](int64_t start) -> int64_t {
    return options.duration_s ? start + std::llround(*options.duration_s * 1e9) : 0;
  };
  // The measured phase's time windows run on this thread while the workers send.
  const auto measure = [&](int64_t start, bool warmup) {
    if (!warmup && options.windows != nullptr) {
      MeasureWindows(*options.windows, *options.progress, start, stop, windows_over);
    }
  };

  const auto run_closed = [&](int64_t count, int concurrency, bool warmup) {
    PhaseState phase;
    phase.total = count;
    phase.remaining = count;
    const int64_t start = MonotonicNowNs();
    const int64_t deadline = warmup ? 0 : deadline_after(start);
    std::vector<std::thread> pool;
    const int active = std::min(threads, concurrency);
    for (int i = 0; i < active; ++i) {
      // perf_analyzer's split: N / threads each, the remainder to the first threads.
      const int share = concurrency / active + (i < concurrency % active ? 1 : 0);
      pool.emplace_back([&, i, share] { workers[i]->RunClosedPhase(share, phase, stop, deadline, warmup); });
    }
    measure(start, warmup);
    for (auto& t : pool) t.join();
  };

  // Open loop over `entries` (dataset indices) due at `offsets` from a common start.
  const auto run_open = [&](const std::vector<size_t>& entries, const std::vector<int64_t>& offsets, bool warmup) {
    std::vector<OpenLoopPlan> plans(threads);
    for (int i = 0; i < threads; ++i) {
      const int cap = options.concurrency;
      plans[i].max_in_flight = cap <= 0 ? 0 : std::max(1, cap / threads + (i < cap % threads ? 1 : 0));
    }
    // Every worker starts from the same instant, a little ahead so no request is born late.
    const int64_t start = MonotonicNowNs() + 1'000'000;
    const int64_t deadline = warmup ? 0 : deadline_after(start);
    for (size_t k = 0; k < entries.size(); ++k) {
      OpenLoopPlan& plan = plans[k % threads];  // round-robin, as perf_analyzer's schedule
      plan.entries.push_back(entries[k]);
      plan.due_mono_ns.push_back(start + offsets[k]);
    }
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] { workers[i]->RunOpenPhase(plans[i], stop, deadline, warmup); });
    }
    measure(start, warmup);
    for (auto& t : pool) t.join();
  };

  // Request rate: entry k % size at the k-th arrival offset.
  const auto run_rate = [&](int count, bool warmup) {
    const uint64_t seed = options.schedule_seed + (warmup ? 1 : 0);
    // Time windows: a schedule long enough for every window (their cap, with room for late
    // wake-ups); the workers stop sending when the last one closes.
    const std::optional<int64_t> horizon_ns =
        warmup ? std::nullopt
        : options.duration_s ? std::optional<int64_t>(std::llround(*options.duration_s * 1e9))
        : options.windows    ? std::optional<int64_t>(options.windows->WindowLengthNs() *
                                                           options.windows->settings().max_windows * 11 / 10 +
                                                       1'000'000'000)
                             : std::nullopt;
    const std::vector<int64_t> offsets =
        horizon_ns ? ArrivalOffsetsWithin(*horizon_ns, *options.request_rate, options.distribution, seed, options.burstiness)
                   : ArrivalOffsets(count, *options.request_rate, options.distribution, seed, options.burstiness);
    std::vector<size_t> entries(offsets.size());
    for (size_t k = 0; k < entries.size(); ++k) entries[k] = k % bodies.size();
    run_open(entries, offsets, warmup);
  };

  // Trace replay: warm-up = entries [0, W), measured = [W, size), each phase timed from its
  // own first timestamp.
  const auto run_fixed = [&](bool warmup) {
    const size_t split = std::min(bodies.size(), static_cast<size_t>(std::max(0, options.warmup_request_count)));
    const size_t begin = warmup ? 0 : split;
    const size_t end = warmup ? split : bodies.size();
    std::vector<size_t> entries;
    for (size_t e = begin; e < end; ++e) entries.push_back(e);
    const std::vector<int64_t> times(options.fixed_schedule_ms.begin() + static_cast<std::ptrdiff_t>(begin),
                                     options.fixed_schedule_ms.begin() + static_cast<std::ptrdiff_t>(end));
    run_open(entries, FixedScheduleOffsets(times, options.schedule_speedup), warmup);
  };

  // Sessions: `count` sessions (from session 0, cycling), `concurrency` at a time.
  const auto run_sessions = [&](int64_t count, int concurrency, bool warmup) {
    SessionPhase phase;
    phase.count = count;
    const int active = static_cast<int>(std::min<int64_t>({threads, concurrency, count}));
    std::vector<std::thread> pool;
    for (int i = 0; i < active; ++i) {
      const int share = concurrency / active + (i < concurrency % active ? 1 : 0);
      pool.emplace_back([&, i, share] { workers[i]->RunSessionPhase(share, phase, *options.sessions, stop, warmup); });
    }
    for (auto& t : pool) t.join();
  };
  // Turns of the first `count` sessions (cycling), and how many whole sessions hold `turns`.
  const auto session_turns = [&](int64_t count) {
    int64_t turns = 0;
    for (int64_t k = 0; k < count; ++k) {
      turns += static_cast<int64_t>(options.sessions->TurnCount(static_cast<size_t>(k) % options.sessions->SessionCount()));
    }
    return turns;
  };
  const auto sessions_holding = [&](int64_t turns) {
    int64_t count = 0;
    for (int64_t held = 0; held < turns; ++count) {
      held += static_cast<int64_t>(options.sessions->TurnCount(static_cast<size_t>(count) % options.sessions->SessionCount()));
    }
    return count;
  };

  const bool fixed = !options.fixed_schedule_ms.empty();
  const auto run_phase = [&](int count, bool warmup) {
    if (options.sessions != nullptr) {
      const int64_t sessions = warmup ? sessions_holding(count) : static_cast<int64_t>(options.sessions->SessionCount());
      if (options.progress != nullptr) {
        options.progress->BeginPhase(warmup ? LoadPhase::kWarmup : LoadPhase::kMeasuring, session_turns(sessions));
      }
      run_sessions(sessions, warmup ? static_cast<int>(std::min<int64_t>(options.concurrency, sessions)) : options.concurrency,
                   warmup);
      return;
    }
    if (options.progress != nullptr) {
      // A timed measured phase has no request total: the progress line shows time instead.
      const bool timed = !warmup && !fixed && (options.duration_s || options.windows);
      const int64_t planned = fixed ? static_cast<int64_t>(bodies.size()) - options.warmup_request_count
                              : timed ? 0 : count;
      const int64_t expected_ns = !timed ? 0
                                  : options.duration_s ? std::llround(*options.duration_s * 1e9)
                                                       : options.windows->WindowLengthNs() *
                                                             options.windows->settings().stability_windows;
      options.progress->BeginPhase(warmup ? LoadPhase::kWarmup : LoadPhase::kMeasuring, warmup ? count : planned,
                                   expected_ns);
    }
    if (fixed) {
      run_fixed(warmup);
    } else if (options.request_rate) {
      run_rate(count, warmup);
    } else if (!warmup && (options.duration_s || options.windows)) {
      run_closed(std::numeric_limits<int64_t>::max() / 2, options.concurrency, warmup);
    } else {
      run_closed(count, warmup ? std::min(options.concurrency, count) : options.concurrency, warmup);
    }
  };

  if (options.warmup_request_count > 0) run_phase(options.warmup_request_count, /*warmup=*/true);
  for (auto& w : workers) result.warmup_completed += w->warmup_completed();
  if (!stop.load()) run_phase(options.request_count, /*warmup=*/false);
  result.interrupted = stop.load();

  std::vector<LoopMeter> meters;
  for (auto& w : workers) {
    meters.push_back(w->meter());
    result.dropped_in_flight += w->dropped();
  }
  // After the load: each request is checked and converted, worker by worker in completion order.
  RawRecord raw;
  size_t written = 0;
  bool spill_failed = false;
  int spill_error = 0;
  uint64_t spill_waits = 0;
  int64_t spill_wait_ns = 0;
  for (auto& w : workers) {
    RawSpill& spill = w->spill();
    while (spill.Read(raw)) {
      sink.Add(ToRecord(raw, bodies, options.sessions, anchor, options.streaming, result));
      ++result.recorded;
    }
    written += spill.written();
    spill_failed = spill_failed || spill.failed();
    if (spill_error == 0) spill_error = spill.file().error();
    spill_waits += spill.file().waits();
    spill_wait_ns += spill.file().wait_ns();
  }
  workers.clear();
  const std::string spill_dir = options.spill_dir.empty() ? "the temp directory" : options.spill_dir;
  if (spill_failed || result.recorded != written) {
    spdlog::error("the spill file under {} failed ({}): {} of {} measured requests are lost", spill_dir,
                  spill_error != 0 ? std::strerror(spill_error) : "disk full?", written - result.recorded, written);
  }
  if (spill_waits > 0) {
    // A waiting loop reads nothing, so the responses that arrived meanwhile got late timestamps.
    spdlog::warn("the spill file under {} could not keep up: the worker loops waited {} times for its writes to "
                 "disk ({:.1f} ms in all), so latencies may be inflated; put the artifact directory on a faster "
                 "disk, or leave the client a core it does not share with its load",
                 spill_dir, spill_waits, static_cast<double>(spill_wait_ns) / 1e6);
  }
  result.loops = SummarizeLoops(meters);
  if (result.streams_without_done > 0) {
    // GenAI-Perf accepts such streams, so their metrics count; the server is still off-spec.
    spdlog::warn("{} of {} streams ended without 'data: [DONE]' (kept as successful; an OpenAI-compatible "
                 "server should end every stream with it)",
                 result.streams_without_done, result.recorded);
  }
  return result;
}

}  // namespace bench
