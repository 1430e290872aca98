#include "load/worker.h"

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <queue>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

#include "load/record_conversion.h"
#include "transport/packed_body.h"

namespace bench {
namespace {

constexpr int64_t kStallCheckNs = 1'000'000'000;
// The last stretch before a due send is spun (polling sockets without sleeping): a sleeping
// thread can wake late when the cores are busy; a spinning one is already running.
constexpr int64_t kSpinNs = 200'000;
// At most this many overdue requests are sent before the loop serves its sockets again.
constexpr int kMaxBurst = 32;

}  // namespace

LoadWorker::LoadWorker(const LoadOptions& options, const std::vector<std::string>& bodies, HttpClient client,
                       const TransportSettings& settings, RequestIds& ids, const std::atomic<bool>* windows_over)
    : options_(options), bodies_(bodies), ids_(ids), windows_over_(windows_over),
      spill_(options.spill_dir),
      epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
  transport_ = MakeTransport(client, settings, epoll_, &wake_);
}

LoadWorker::~LoadWorker() {
  transport_.reset();  // may still touch the epoll set
  close(epoll_);
}

void LoadWorker::RunClosedPhase(int concurrency, ClosedPhase& phase, const std::atomic<bool>& stop,
                                int64_t deadline, bool warmup) {
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
    if (in_flight > 0) Poll(WaitNs(kLoadMaxWaitNs));
  }
  EndPhase();
}

void LoadWorker::RunOpenPhase(const OpenLoopPlan& plan, const std::atomic<bool>& stop, int64_t deadline, bool warmup) {
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
    int64_t wait = kLoadMaxWaitNs;
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

void LoadWorker::RunSessionPhase(int count, SessionPhase& phase, const SessionWorkload& workload,
                                 const std::atomic<bool>& stop, bool warmup) {
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
    int64_t wait = kLoadMaxWaitNs;
    if (!due.empty()) {
      wait = due.top().first - MonotonicNowNs();
      if (wait <= 0) continue;
      // As the open loop: spin the last stretch. Long delays are slept in pieces so the
      // stop flag is seen (think times can be minutes).
      wait = std::min(kLoadMaxWaitNs, wait > kSpinNs ? wait - kSpinNs : 0);
    }
    Poll(WaitNs(wait));
  }
  finished_.clear();
  for (auto& slot : slots_) slot->owner = -1;
  EndPhase();
}

bool LoadWorker::StartSession(SessionSlot& s, SessionPhase& phase, const SessionWorkload& workload) {
  const int64_t k = phase.next.fetch_add(1, std::memory_order_relaxed);
  if (k >= phase.count) return false;
  s.session = static_cast<int64_t>(static_cast<size_t>(k) % workload.SessionCount());
  s.turn = 0;
  s.replies.clear();
  s.body = workload.Body(static_cast<size_t>(s.session), 0, {});
  return true;
}

bool LoadWorker::NextTurn(SessionSlot& s, const RawRecord& r, const SessionWorkload& workload) {
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

void LoadWorker::BeginPhase(int64_t deadline, bool warmup) {
  // Timed waits wake within ~1 us of their deadline instead of the default 50 us slack.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  deadline_ = deadline;
  warmup_ = warmup;
  phase_cpu_ns_ = ThreadCpuNowNs();
  phase_wall_ns_ = MonotonicNowNs();
  woke_ns_ = phase_wall_ns_;
}

void LoadWorker::EndPhase() {
  if (!warmup_) {
    meter_.cpu_ns += ThreadCpuNowNs() - phase_cpu_ns_;
    meter_.wall_ns += MonotonicNowNs() - phase_wall_ns_;
  }
  deadline_ = 0;
}

void LoadWorker::Poll(int64_t timeout_ns) {
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

void LoadWorker::CheckStall(int64_t now) {
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

bool LoadWorker::WindowsOver() const {
  return !warmup_ && windows_over_ != nullptr && windows_over_->load(std::memory_order_relaxed);
}

bool LoadWorker::Cancelling(const std::atomic<bool>& stop) {
  if (WindowsOver()) return true;  // the measurement is over: nothing in flight belongs to it
  if (options_.drain_cancel && PastDeadline()) return true;
  if (!stop.load(std::memory_order_relaxed)) return false;
  const int64_t now = MonotonicNowNs();
  if (grace_end_ == 0) grace_end_ = now + std::llround(std::max(0.0, options_.interrupt_grace_s) * 1e9);
  return now >= grace_end_;
}

int64_t LoadWorker::WaitNs(int64_t max_ns) const {
  int64_t wake = deadline_;
  if (grace_end_ != 0 && (wake == 0 || grace_end_ < wake)) wake = grace_end_;
  if (wake == 0) return max_ns;
  const int64_t left_ns = wake - MonotonicNowNs();
  if (left_ns <= 0) return max_ns;
  return std::min(max_ns, left_ns);
}

LoadWorker::Slot& LoadWorker::AcquireSlot() {
  if (free_.empty()) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->index = slots_.size() - 1;
    return *slots_.back();
  }
  Slot* slot = free_.back();
  free_.pop_back();
  return *slot;
}

bool LoadWorker::TryIssue(ClosedPhase& phase) {
  const int64_t left = phase.remaining.fetch_sub(1, std::memory_order_relaxed);
  if (left <= 0) return false;
  Issue(AcquireSlot(), static_cast<size_t>(phase.total - left) % bodies_.size(), 0);
  return true;
}

void LoadWorker::Issue(Slot& slot, size_t entry, int64_t intended_mono_ns, std::string* session_body) {
  // Cleared, not replaced: the buffers keep their capacity from one request to the next.
  slot.record.Clear();
  slot.record.entry = entry;
  slot.record.intended_mono_ns = intended_mono_ns;
  slot.record.request_id =
      ids_.user_value ? *ids_.user_value
                      : ids_.prefix + std::to_string(ids_.next.fetch_add(1, std::memory_order_relaxed));
  if (session_body != nullptr) slot.record.body = std::move(*session_body);
  // A session's reply is read again for its next turn; every other body may be packed.
  slot.record.packable = slot.owner < 0;
  slot.record.count_events = options_.progress != nullptr;
  const std::string& body = session_body != nullptr ? slot.record.body : bodies_[entry];
  slot.busy = true;
  // perf_analyzer stamps a request right before AsyncInfer; here that is the hand-off. The
  // send timestamp proper is taken by the transport when the request is about to be written
  // (after a connect, or behind a batch of hand-offs).
  slot.record.handoff_mono_ns = MonotonicNowNs();
  transport_->Start(slot.index, slot.record, body);
  if (options_.progress != nullptr) options_.progress->issued.fetch_add(1, std::memory_order_relaxed);
}

int LoadWorker::Drain() {
  const int64_t timer_due = transport_->TimerDueNs();
  if (timer_due >= 0 && MonotonicNowNs() >= timer_due) transport_->OnTimer();
  done_.clear();
  transport_->TakeFinished(done_);
  for (size_t index : done_) Finish(*slots_[index]);
  return static_cast<int>(done_.size());
}

void LoadWorker::Finish(Slot& slot) {
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
    spill_.Write(r, /*take_bytes=*/slot.owner < 0);  // a session's turn is read again for the next
  }
}

void LoadWorker::CountProgress(const RawRecord& r, LoadProgress& progress) {
  progress.chunks.fetch_add(static_cast<int64_t>(EventsInBody(r)), std::memory_order_relaxed);
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

void LoadWorker::CancelAll() {
  for (auto& slot : slots_) {
    if (!slot->busy) continue;
    slot->record.cancelled = true;
    slot->record.past_deadline = PastDeadline();
    slot->record.dropped = WindowsOver();
    transport_->Abort(slot->index);
    Finish(*slot);
  }
}

}  // namespace bench
