#include "load/raw_spill.h"

#include "transport/packed_body.h"

namespace bench {

void RawSpill::Write(RawRecord& r, bool take_bytes) {
  const int64_t header[kHeaderFields] = {static_cast<int64_t>(r.entry),
                            r.intended_mono_ns,
                            r.send_mono_ns,
                            r.handoff_mono_ns,
                            static_cast<int64_t>(r.http_status),
                            static_cast<int64_t>(r.transport_error),
                            (r.cancelled ? 1 : 0) | (r.past_deadline ? 2 : 0) | (r.too_large ? 4 : 0),
                            static_cast<int64_t>(r.read_mono_ns.size()),
                            static_cast<int64_t>(r.bytes.size()),
                            static_cast<int64_t>(r.transport_message.size()),
                            static_cast<int64_t>(r.request_id.size()),
                            r.session,
                            r.turn,
                            static_cast<int64_t>(r.body.size()),
                            static_cast<int64_t>(r.kernel_stamped_reads),
                            static_cast<int64_t>(r.packed.size()),
                            static_cast<int64_t>(r.packed_bytes)};
  Put(header, sizeof header);
  Put(r.read_mono_ns.data(), r.read_mono_ns.size() * sizeof(int64_t));
  Put(r.read_end.data(), r.read_end.size() * sizeof(uint32_t));
  Put(r.read_wake.data(), r.read_wake.size() * sizeof(uint32_t));
  Put(r.packed.data(), r.packed.size());  // already compressed: a tenth of the body or less
  if (take_bytes) {
    file_.AppendTaking(r.bytes);
  } else {
    Put(r.bytes.data(), r.bytes.size());
  }
  Put(r.transport_message.data(), r.transport_message.size());
  Put(r.request_id.data(), r.request_id.size());
  Put(r.body.data(), r.body.size());
  ++written_;
}

bool RawSpill::Read(RawRecord& r) {
  if (read_ == written_) return false;
  int64_t h[kHeaderFields];
  if (!Get(h, sizeof h)) return false;
  // The record's buffers keep their capacity from one record to the next.
  r.Clear();
  r.entry = static_cast<size_t>(h[0]);
  r.intended_mono_ns = h[1];
  r.send_mono_ns = h[2];
  r.handoff_mono_ns = h[3];
  r.http_status = static_cast<long>(h[4]);
  r.transport_error = static_cast<ErrorKind>(h[5]);
  r.cancelled = (h[6] & 1) != 0;
  r.past_deadline = (h[6] & 2) != 0;
  r.too_large = (h[6] & 4) != 0;
  r.read_mono_ns.resize(static_cast<size_t>(h[7]));
  r.read_end.resize(static_cast<size_t>(h[7]));
  r.read_wake.resize(static_cast<size_t>(h[7]));
  r.session = h[11];
  r.turn = h[12];
  r.kernel_stamped_reads = static_cast<uint32_t>(h[14]);
  if (!Get(r.read_mono_ns.data(), r.read_mono_ns.size() * sizeof(int64_t)) ||
      !Get(r.read_end.data(), r.read_end.size() * sizeof(uint32_t)) ||
      !Get(r.read_wake.data(), r.read_wake.size() * sizeof(uint32_t)) ||
      !file_.ReadAppend(r.packed, static_cast<size_t>(h[15])) || !file_.ReadAppend(r.bytes, static_cast<size_t>(h[8])) ||
      !file_.ReadAppend(r.transport_message, static_cast<size_t>(h[9])) ||
      !file_.ReadAppend(r.request_id, static_cast<size_t>(h[10])) || !file_.ReadAppend(r.body, static_cast<size_t>(h[13]))) {
    return false;
  }
  r.packed_bytes = static_cast<size_t>(h[16]);
  if (!UnpackBody(r)) return false;
  ++read_;
  return true;
}

}  // namespace bench
