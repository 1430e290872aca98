#include "record/stream_check.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/json_scan.h"
#include "util/json_shape.h"
#include "util/substring_search.h"
#include "util/utf8.h"

namespace bench {
namespace {

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A short printable excerpt for an error message.
std::string Excerpt(std::string_view s) {
  std::string out = Utf8Lossy(s.substr(0, 80));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > 80) out += "...";
  return out;
}

// `{"error": ...}` without choices: how vLLM and others report a failure inside a 2xx answer.
// The substring test keeps the DOM parse off every ordinary chunk.
constexpr std::string_view kErrorKey = "\"error\"";

// string_view::find stops at every quote (JSON is full of them) and glibc's memmem cost ~2.7
// instructions a byte (3 % of a run); ContainsSubstring looks at 16 positions a step.
bool HoldsErrorKey(std::string_view s) { return ContainsSubstring(s, kErrorKey); }

// The DOM check of IsErrorObject, for a text known to hold the key.
bool IsErrorObjectByDom(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  // A Responses API object carries "error": null when all went well.
  return doc.is_object() && doc.contains("error") && !doc["error"].is_null() && !doc.contains("choices");
}

bool IsErrorObject(std::string_view json_text) { return HoldsErrorKey(json_text) && IsErrorObjectByDom(json_text); }

// Validates without building a DOM (nlohmann::json::accept's rules, several times faster).
bool IsJson(std::string_view s) { return IsJsonText(s); }

RequestError Error(ErrorKind kind, std::string message) { return {kind, 0, std::move(message)}; }

BodyCheck CheckJsonBody(std::string_view body) {
  BodyCheck out;
  const std::string_view trimmed = Trim(body);
  if (trimmed.empty()) {
    out.error = Error(ErrorKind::kInvalidJson, "empty response body");
  } else if (!IsValidUtf8(trimmed)) {
    out.error = Error(ErrorKind::kInvalidJson, "response body is not valid UTF-8");
  } else if (!IsJson(trimmed)) {
    out.error = Error(ErrorKind::kInvalidJson, "response body is not valid JSON: " + Excerpt(trimmed));
  } else if (IsErrorObject(trimmed)) {
    out.error = Error(ErrorKind::kServerError, "error object in a 2xx response: " + Excerpt(trimmed));
  }
  return out;
}

// Walks the stream event by event (a blank line ends an event, as the SSE spec says) and
// stops at the first problem.
class StreamWalker {
 public:
  BodyCheck Walk(std::string_view body) {
    size_t pos = 0;
    while (out_.error.kind == ErrorKind::kNone) {
      size_t end = body.find('\n', pos);
      const bool eof = end == std::string_view::npos;
      if (eof) end = body.size();
      std::string_view line = body.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) {
        Dispatch();
      } else if (line.starts_with("data:")) {
        // One data line (the usual event) is only viewed; several are joined in `data_`.
        if (++data_lines_ == 2) data_.assign(first_data_);
        if (data_lines_ >= 2) {
          data_ += '\n';
          data_.append(line.substr(5));
        } else {
          first_data_ = line.substr(5);
        }
      } else if (line.starts_with("event:")) {
        event_ = line.substr(6);
      }
      // Comments (":"), id:, retry: and lines that are no field are ignored, per the spec.
      if (eof) {
        Dispatch();  // a last event without its blank line is accepted
        break;
      }
      pos = end + 1;
    }
    if (out_.error.kind != ErrorKind::kNone) return out_;
    if (data_events_ == 0) {
      const std::string_view trimmed = Trim(body);
      std::string why = trimmed.empty()            ? "empty response to a streaming request"
                        : trimmed.front() == '{'   ? "a JSON body instead of an SSE stream "
                                                     "(non-streaming answer to a streaming request)"
                                                   : "no SSE data events in the response";
      out_.error = Error(ErrorKind::kMalformedStream, std::move(why));
      return out_;
    }
    out_.missing_done = !done_;
    return out_;
  }

 private:
  void Dispatch() {
    const std::string_view event = Trim(event_);
    const int lines = data_lines_;
    // data_ is overwritten only at the next event's second data line, after this use.
    const std::string_view data = Trim(lines >= 2 ? std::string_view(data_) : first_data_);
    event_ = {};
    first_data_ = {};
    data_lines_ = 0;
    // GenAI-Perf's sse_error_occurred: an `event:` naming an error.
    if (event.find("error") != std::string_view::npos) {
      out_.error = Error(ErrorKind::kServerError, "SSE error event: " + Excerpt(data));
      return;
    }
    if (lines == 0) return;
    ++data_events_;
    if (data == "[DONE]") {
      done_ = true;
      return;
    }
    if (data.empty()) return;
    // Valid JSON is valid UTF-8 (its strings are checked, the rest is ASCII), so the UTF-8
    // pass is needed only to name what is wrong with data that is not JSON.
    const bool json = IsJsonData(data, /*in_body=*/lines == 1);
    if (!json && !IsValidUtf8(data)) {
      out_.error = Error(ErrorKind::kInvalidJson, "SSE data is not valid UTF-8");
    } else if (!json) {
      out_.error = lines > 1 ? Error(ErrorKind::kMalformedStream,
                                     "an SSE event holds " + std::to_string(lines) +
                                         " data lines that are not one JSON value (events not "
                                         "separated by a blank line?)")
                             : Error(ErrorKind::kInvalidJson, "SSE data is not valid JSON: " + Excerpt(data));
    } else if (MayHoldErrorKey(data) && IsErrorObjectByDom(data)) {
      out_.error = Error(ErrorKind::kServerError, "error object in the stream: " + Excerpt(data));
    }
  }

  // IsJsonText(data), but an event that differs from the last validated one only inside one
  // string is checked by that string alone (util/json_shape). `in_body`: `data` is a view into
  // the body (not into data_, which the next joined event overwrites), so it can be remembered.
  bool IsJsonData(std::string_view data, bool in_body) {
    matched_.reset();
    if (const std::optional<JsonShape::Span> changed = shape_.Match(data)) {
      const std::string_view content = data.substr(changed->begin, changed->end - changed->begin);
      if (StaysOneString(content)) {
        quoted_.assign(1, '"').append(content).push_back('"');
        if (IsJsonText(quoted_)) {
          misses_ = 0;
          matched_ = changed;
          return true;
        }
      }
    }
    const bool ok = IsJson(data);
    // A stream whose events keep changing shape stops paying for templates after a few.
    if (ok && in_body && misses_ < kMaxMisses) {
      ++misses_;
      shape_.RememberAllStrings(data);
      shape_holds_error_key_ = HoldsErrorKey(data);
    }
    return ok;
  }

  // HoldsErrorKey(data). When data matched a template without the key, a key can only overlap
  // the changed string (the rest is the template's bytes), so only around it is searched.
  bool MayHoldErrorKey(std::string_view data) const {
    if (!matched_ || shape_holds_error_key_) return HoldsErrorKey(data);
    const size_t reach = kErrorKey.size() - 1;
    const size_t begin = matched_->begin > reach ? matched_->begin - reach : 0;
    const size_t end = std::min(data.size(), matched_->end + reach);
    return HoldsErrorKey(data.substr(begin, end - begin));
  }

  static constexpr int kMaxMisses = 4;
  JsonShape shape_;
  bool shape_holds_error_key_ = false;
  std::optional<JsonShape::Span> matched_;  // the changed string when IsJsonData matched shape_
  std::string quoted_;
  int misses_ = 0;
  BodyCheck out_;
  std::string_view event_;
  std::string_view first_data_;
  std::string data_;
  int data_lines_ = 0;
  int data_events_ = 0;
  bool done_ = false;
};

}  // namespace

BodyCheck CheckResponseBody(std::string_view body, bool streaming) {
  if (!streaming) return CheckJsonBody(body);
  return StreamWalker().Walk(body);
}

}  // namespace bench
