#pragma once
// An incremental HTTP/1.1 response parser for the native client: bytes go in as the socket
// delivers them, de-chunked body bytes come out appended to the caller's buffer, so one network
// read stays one timestamped read. Status line, headers (Content-Length, Transfer-Encoding,
// Connection), interim 1xx responses, fixed-length, chunked and close-delimited bodies.

#include <cstdint>
#include <string>
#include <string_view>

namespace bench {

class Http1ResponseParser {
 public:
  /// Parses `in`, appending body bytes to `body`. Returns false on a protocol error (then
  /// error() says what); bytes after the end of the response are an error too (a server must
  /// not send unasked-for data on a kept-alive connection).
  bool Feed(std::string_view in, std::string& body);
  /// The connection closed: true when that ends a close-delimited body (the response is then
  /// done); false when the response was cut off.
  bool FeedEof();

  bool done() const { return state_ == State::kDone; }
  /// Any byte of the response has arrived (an empty reply is a dead connection, not an answer).
  bool started() const { return started_; }
  /// The final status (0 until its status line is in; interim 1xx statuses are skipped).
  int status() const { return status_; }
  /// After done(): the connection may carry the next request.
  bool keep_alive() const { return keep_alive_; }
  const std::string& error() const { return error_; }

  /// Ready for the next response on the same connection.
  void Reset() { *this = Http1ResponseParser(); }

 private:
  enum class State { kStatusLine, kHeaders, kFixedBody, kCloseBody, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone, kError };

  // One line of the head or of the chunk framing; false while it is incomplete (kept in line_).
  bool TakeLine(std::string_view& in, std::string_view& line);
  bool OnStatusLine(std::string_view line);
  bool OnHeaderLine(std::string_view line);
  bool OnHeadersEnd();
  bool OnChunkSize(std::string_view line);
  bool Fail(std::string message);

  State state_ = State::kStatusLine;
  std::string line_;  // an incomplete line carried over between reads
  size_t head_bytes_ = 0;
  bool started_ = false;
  int status_ = 0;
  bool http10_ = false;
  bool keep_alive_ = true;
  bool chunked_ = false;
  bool has_length_ = false;
  uint64_t remaining_ = 0;  // fixed body or current chunk: bytes still expected
  std::string error_;
};

}  // namespace bench
