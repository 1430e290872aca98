#pragma once
// No run may wait silently: a worker looks at its in-flight requests about once a second and,
// when none of them has received a byte for a while, says so on stderr (how many, since when,
// in what state), and keeps saying it while the silence lasts. A server that stops answering
// without closing its connections is then visible instead of looking like a hung client.

#include <cstdint>
#include <optional>
#include <string>

namespace bench {

/// What a worker's in-flight requests are doing, taken from their records.
struct StallSample {
  int not_sent = 0;           // still connecting, or waiting to write the request
  int waiting_first_byte = 0; // the request is written; no response byte yet
  int mid_response = 0;       // part of the response has arrived
  int64_t last_activity_ns = 0;  // monotonic: the latest send, read or completion of the worker
  int in_flight() const { return not_sent + waiting_first_byte + mid_response; }
};

class StallWatch {
 public:
  /// Warns once the silence reaches `after_ns`, then again every `after_ns` while it lasts.
  explicit StallWatch(int64_t after_ns) : after_ns_(after_ns) {}

  /// The warning to print at monotonic `now_ns` for `sample`, if one is due now.
  std::optional<std::string> Check(const StallSample& sample, int64_t now_ns);

 private:
  int64_t after_ns_;
  int64_t silence_start_ns_ = -1;  // the silence last warned about (its last activity)
  int64_t next_warning_ns_ = 0;
};

/// "no response byte for 12.0 s (since 07:55:01) from 3 requests in flight: 1 waiting for the
/// first byte, 2 mid-response; the server may be stalled (--request-timeout S ends such
/// requests)". `since` is a wall-clock label.
std::string FormatStall(const StallSample& sample, int64_t silent_ns, const std::string& since);

}  // namespace bench
