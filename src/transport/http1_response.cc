#include "transport/http1_response.h"

#include <algorithm>
#include <cctype>

namespace bench {
namespace {

// A head (status line + headers, or a chunk's trailers) larger than this is not a server we can
// trust to frame its body either.
constexpr size_t kMaxHeadBytes = 64 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool ListHas(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (EqualsIgnoreCase(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// The last element of a comma-separated list.
std::string_view LastOf(std::string_view value) {
  const size_t comma = value.rfind(',');
  return Trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
}

bool ParseDecimal(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool Http1ResponseParser::Fail(std::string message) {
  state_ = State::kError;
  error_ = std::move(message);
  return false;
}

bool Http1ResponseParser::TakeLine(std::string_view& in, std::string_view& line) {
  const size_t nl = in.find('\n');
  const size_t take = nl == std::string_view::npos ? in.size() : nl;
  head_bytes_ += take + (nl == std::string_view::npos ? 0 : 1);
  if (head_bytes_ > kMaxHeadBytes) {
    Fail("malformed HTTP response: head larger than 64 KiB");
    return false;
  }
  if (nl == std::string_view::npos) {
    line_.append(in);
    in = {};
    return false;
  }
  if (line_.empty()) {
    line = in.substr(0, nl);
  } else {
    line_.append(in.substr(0, nl));
    line = line_;
  }
  in.remove_prefix(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

bool Http1ResponseParser::OnStatusLine(std::string_view line) {
  // "HTTP/1.1 200 OK": the version, a space, three digits, then an optional reason.
  if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ' || !std::isdigit(static_cast<unsigned char>(line[9])) ||
      !std::isdigit(static_cast<unsigned char>(line[10])) || !std::isdigit(static_cast<unsigned char>(line[11])) ||
      (line.size() > 12 && line[12] != ' ')) {
    return Fail("malformed HTTP response: bad status line '" + std::string(line.substr(0, 64)) + "'");
  }
  http10_ = line[7] == '0';
  status_ = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  keep_alive_ = !http10_;
  chunked_ = false;
  has_length_ = false;
  state_ = State::kHeaders;
  return true;
}

bool Http1ResponseParser::OnHeaderLine(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Fail("malformed HTTP response: bad header line '" + std::string(line.substr(0, 64)) + "'");
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = Trim(line.substr(colon + 1));
  if (EqualsIgnoreCase(name, "content-length")) {
    uint64_t length = 0;
    if (!ParseDecimal(value, length) || (has_length_ && length != remaining_)) {
      return Fail("malformed HTTP response: bad Content-Length '" + std::string(value.substr(0, 32)) + "'");
    }
    has_length_ = true;
    remaining_ = length;
  } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
    chunked_ = EqualsIgnoreCase(LastOf(value), "chunked");
  } else if (EqualsIgnoreCase(name, "connection")) {
    if (ListHas(value, "close")) keep_alive_ = false;
    if (http10_ && ListHas(value, "keep-alive")) keep_alive_ = true;
  }
  return true;
}

bool Http1ResponseParser::OnHeadersEnd() {
  if (status_ >= 100 && status_ < 200) {
    // An interim response (100 Continue, 103 Early Hints): the real one follows.
    state_ = State::kStatusLine;
    status_ = 0;
    return true;
  }
  if (status_ == 204 || status_ == 304) {
    state_ = State::kDone;
  } else if (chunked_) {
    state_ = State::kChunkSize;  // chunked wins over a Content-Length (RFC 9112 6.3)
  } else if (has_length_) {
    state_ = remaining_ == 0 ? State::kDone : State::kFixedBody;
  } else {
    state_ = State::kCloseBody;
    keep_alive_ = false;
  }
  return true;
}

bool Http1ResponseParser::OnChunkSize(std::string_view line) {
  const std::string_view digits = Trim(line.substr(0, line.find(';')));
  if (digits.empty() || digits.size() > 15) {
    return Fail("malformed HTTP response: bad chunk size '" + std::string(line.substr(0, 32)) + "'");
  }
  uint64_t size = 0;
  for (char c : digits) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
    if (d < 0) return Fail("malformed HTTP response: bad chunk size '" + std::string(line.substr(0, 32)) + "'");
    size = size * 16 + static_cast<uint64_t>(d);
  }
  remaining_ = size;
  state_ = size == 0 ? State::kTrailers : State::kChunkData;
  return true;
}

bool Http1ResponseParser::Feed(std::string_view in, std::string& body) {
  if (!in.empty()) started_ = true;
  while (!in.empty()) {
    switch (state_) {
      case State::kStatusLine:
      case State::kHeaders:
      case State::kChunkSize:
      case State::kChunkEnd:
      case State::kTrailers: {
        std::string_view line;
        if (!TakeLine(in, line)) return state_ != State::kError;
        bool ok = true;
        if (state_ == State::kStatusLine) {
          ok = OnStatusLine(line);
        } else if (state_ == State::kHeaders) {
          ok = line.empty() ? OnHeadersEnd() : OnHeaderLine(line);
        } else if (state_ == State::kChunkSize) {
          ok = OnChunkSize(line);
        } else if (state_ == State::kChunkEnd) {
          if (line.empty()) {
            state_ = State::kChunkSize;
          } else {
            ok = Fail("malformed HTTP response: chunk data longer than its size");
          }
        } else if (line.empty()) {
          state_ = State::kDone;  // the blank line after the last chunk (and any trailers)
        }
        line_.clear();
        if (!ok) return false;
        break;
      }
      case State::kFixedBody:
      case State::kChunkData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size()));
        body.append(in.data(), n);
        in.remove_prefix(n);
        remaining_ -= n;
        if (remaining_ == 0) state_ = state_ == State::kFixedBody ? State::kDone : State::kChunkEnd;
        break;
      }
      case State::kCloseBody:
        body.append(in.data(), in.size());
        in = {};
        break;
      case State::kDone:
        return Fail("malformed HTTP response: bytes after the end of the response");
      case State::kError:
        return false;
    }
    // Each part of the framing gets its own budget, so a long stream of chunks is no "large head".
    if (state_ == State::kChunkData || state_ == State::kFixedBody || state_ == State::kChunkSize) head_bytes_ = 0;
  }
  return state_ != State::kError;
}

bool Http1ResponseParser::FeedEof() {
  if (state_ == State::kCloseBody) {
    state_ = State::kDone;
    return true;
  }
  return state_ == State::kDone;
}

}  // namespace bench
