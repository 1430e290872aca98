#pragma once
// The bytes of one stream write: the response head, SSE events framed as HTTP/1.1 chunks and
// shaped by the stream-format faults, the terminating chunk; and how many events they carry, so
// the send log stamps each event when the write completes.

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/faults.h"

namespace bench {

/// Appends one HTTP/1.1 chunk frame around `data` to `out`.
void AppendHttpChunk(std::string& out, std::string_view data);

/// The first content event, with the faults that corrupt or inflate one chunk
/// (invalid_json_chunk, invalid_utf8, big_chunk).
std::string FirstContentEvent(std::string event, const SimFault& fault);

/// One connection's stream output, reused write after write.
class SimSseWriter {
 public:
  /// Starts the buffer with a 200 chunked text/event-stream head (`Connection: close` unless
  /// `keep_alive`).
  void Head(bool keep_alive);
  /// Appends `event` as one chunk, shaped by `fault` (sse_no_blank_line, sse_junk_lines,
  /// sse_comments).
  void Emit(std::string event, SimFaultKind fault);
  /// Appends `event` as one chunk, unshaped.
  void Append(std::string_view event);
  /// Appends the zero-length chunk that ends the body.
  void End() { out_ += "0\r\n\r\n"; }
  /// Empties the bytes; the event count runs on until TakeEvents.
  void Clear() { out_.clear(); }
  /// The bytes; they must stay untouched while a write of them is in flight.
  const std::string& bytes() const { return out_; }
  /// The events appended since the last call.
  int TakeEvents();

 private:
  std::string out_;
  int events_ = 0;
};

}  // namespace bench
