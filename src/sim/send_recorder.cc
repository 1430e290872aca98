#include "sim/send_recorder.h"

#include "util/clock.h"

namespace bench {

void SimSendRecorder::Open(int64_t received_ns, int64_t arrived_ns, std::string_view request_id) {
  if (shard_ == nullptr) return;
  open_ = true;
  record_.received_ns = received_ns;
  record_.arrived_ns = arrived_ns;
  record_.request_id.assign(request_id);
  record_.event_ns.clear();
  record_.start_ns.clear();
  record_.due_ns.clear();
}

void SimSendRecorder::Reserve(size_t events) {
  if (!open_) return;
  record_.event_ns.reserve(events);
  record_.start_ns.reserve(events);
}

int64_t SimSendRecorder::WriteStartNs() const { return open_ ? MonotonicNowNs() : 0; }

void SimSendRecorder::Stamp(int events, int64_t start_ns, int64_t due_ns) {
  if (!open_ || events <= 0) return;
  const auto n = static_cast<size_t>(events);
  record_.event_ns.insert(record_.event_ns.end(), n, MonotonicNowNs());
  record_.start_ns.insert(record_.start_ns.end(), n, start_ns);
  record_.due_ns.insert(record_.due_ns.end(), n, due_ns);
}

void SimSendRecorder::Close() {
  if (!open_) return;
  open_ = false;
  shard_->Append(record_);
}

}  // namespace bench
