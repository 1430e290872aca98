#include "record/stream_check.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "record/reads_search.h"
#include "record/sse.h"
#include "record/validated_text.h"
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
// string_view::find stops at every quote (JSON is full of them) and glibc's memmem cost ~2.7
// instructions a byte (3 % of a run); ContainsSubstring looks at 16 positions a step.
bool HoldsErrorKey(std::string_view s) { return ContainsSubstring(s, BodyKeyText(kErrorKey)); }

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

// True when the reads cut `body` only between events, each read starting with a field, and no
// line ends in CR: then each read holds whole events that the walk dispatches inside it, and
// GenAI-Perf's per-read pre-processing (no stitching, no newline rewriting: record/
// response_parser's PreprocessSse) sees exactly the events the walk sees.
bool ReadsCutBetweenEvents(std::string_view body, std::span<const uint32_t> read_ends) {
  if (read_ends.empty() || read_ends.back() != body.size()) return false;
  if (std::memchr(body.data(), '\r', body.size()) != nullptr) return false;
  size_t begin = 0;
  for (const uint32_t end : read_ends) {
    if (end < begin) return false;
    if (end == begin) continue;
    const std::string_view read = body.substr(begin, end - begin);
    if (!read.starts_with("data:") && !IsNonDataField(read)) return false;
    if (begin > 0 && (begin < 2 || body[begin - 2] != '\n' || body[begin - 1] != '\n')) return false;
    begin = end;
  }
  return true;
}

// Walks the stream event by event (a blank line ends an event, as the SSE spec says) and
// stops at the first problem. With a BodyReading wanted it also notes the keys, checks the
// bytes the JSON validation does not cover for UTF-8 and reads each event's OpenAI text: an
// event that matched the last remembered one (util/json_shape) is read from its changed string.
class StreamWalker {
 public:
  StreamWalker(bool reading, std::span<const uint32_t> read_ends) : reading_(reading), read_ends_(read_ends) {}

  // Kept whole: the line loop of the SSE grammar reads best in one piece.
  BodyCheck Walk(std::string_view body) {
    if (reading_ && ReadsCutBetweenEvents(body, read_ends_)) {
      texts_ = true;
      read_texts_.resize(read_ends_.size());
      read_events_.resize(read_ends_.size());
    }
    size_t pos = 0;
    while (out_.error.kind == ErrorKind::kNone) {
      // A blank line (every other line of a stream) needs no search for its end.
      size_t end = pos < body.size() && body[pos] == '\n' ? pos : body.find('\n', pos);
      const bool eof = end == std::string_view::npos;
      if (eof) end = body.size();
      std::string_view line = body.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) {
        Dispatch();
      } else {
        last_line_end_ = pos + line.size();
        if (line.starts_with("data:")) {
          if (!read_events_.empty() && !IsDoneLine(line)) CountEvent(pos);
          // One data line (the usual event) is only viewed; several are joined in `data_`.
          if (++data_lines_ == 2) data_.assign(first_data_);
          if (data_lines_ >= 2) {
            data_ += '\n';
            data_.append(line.substr(5));
          } else {
            first_data_ = line.substr(5);
          }
        } else {
          if (line.starts_with("event:")) event_ = line.substr(6);
          // Comments (":"), id:, retry: and lines that are no field are ignored, per the spec.
          if (reading_) NoteOtherLine(line);
        }
        // GenAI-Perf strips an event's leading whitespace: a line starting with it may be read there.
        if (IsSpaceNotNewline(line.front())) texts_ = false;
      }
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

  // What the walk learnt, when it was asked to and the body passed.
  std::optional<BodyReading> Reading() {
    if (!reading_ || out_.error.kind != ErrorKind::kNone || !utf8_) return std::nullopt;
    BodyReading r;
    r.keys = keys_;
    r.texts_known = texts_;
    if (texts_) r.read_texts = std::move(read_texts_);
    r.read_events = std::move(read_events_);
    return r;
  }

 private:
  static bool IsSpaceNotNewline(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

  // `data: [DONE]...`, which EventsIn does not count (a fixed-size memcmp, inlined).
  static bool IsDoneLine(std::string_view data_line) {
    return data_line.size() >= 12 && std::memcmp(data_line.data() + 5, " [DONE]", 7) == 0;
  }

  // A data line starting at `pos`: one more event for its read (a line lies in one read when
  // the reads cut the body between events).
  void CountEvent(size_t pos) {
    if (pos >= read_ends_[event_read_]) {
      while (event_read_ + 1 < read_ends_.size() && read_ends_[event_read_] <= pos) ++event_read_;
    }
    ++read_events_[event_read_];
  }

  // A line that is not a data line: its keys, its UTF-8, and GenAI-Perf's error events (any
  // `event:` line naming an error, where the check looks at the event's last one).
  void NoteOtherLine(std::string_view line) {
    keys_ |= BodyKeysStartingIn(line, 0, line.size());
    if (!IsValidUtf8(line)) utf8_ = false;
    if (line.starts_with("event:") && line.find("error") != std::string_view::npos) texts_ = false;
  }

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
      return;
    }
    if (!json) {
      out_.error = lines > 1 ? Error(ErrorKind::kMalformedStream,
                                     "an SSE event holds " + std::to_string(lines) +
                                         " data lines that are not one JSON value (events not "
                                         "separated by a blank line?)")
                             : Error(ErrorKind::kInvalidJson, "SSE data is not valid JSON: " + Excerpt(data));
      return;
    }
    const unsigned keys = KeysOf(data);
    if (remembered_) shape_keys_ = keys;
    keys_ |= keys;
    if ((keys & kErrorKey) != 0 && IsErrorObjectByDom(data)) {
      out_.error = Error(ErrorKind::kServerError, "error object in the stream: " + Excerpt(data));
      return;
    }
    if (texts_) ReadText(data, remembered_);
  }

  // The keys in `data`. When it matched a template that holds none, a key can only overlap the
  // changed string (the rest is the template's bytes), so only around it is searched.
  unsigned KeysOf(std::string_view data) const {
    if (change_ && change_->identical) return shape_keys_;
    if (!change_ || shape_keys_ != 0) return BodyKeysStartingIn(data, 0, data.size());
    constexpr size_t kReach = 9;  // the longest key, `"reasoning`, less one
    const size_t begin = change_->span.begin;
    return BodyKeysStartingIn(data, begin > kReach ? begin - kReach : 0, change_->span.end);
  }

  // The event's OpenAI text, appended to its read's; any event without one (not OpenAI's shape,
  // or a text its walk leaves to On-Demand's checks) leaves the texts to the long way.
  void ReadText(std::string_view data, bool new_template) {
    // Every line of the event lies in one read (ReadsCutBetweenEvents).
    while (read_ < read_ends_.size() && read_ends_[read_] < last_line_end_) ++read_;
    if (read_ == read_ends_.size()) {
      texts_ = false;
      return;
    }
    std::string& read_text = read_texts_[read_];
    if (change_ && change_->identical && shape_text_) {
      read_text += *shape_text_;
      return;
    }
    if (change_ && !change_->identical && change_->index == shape_text_index_) {
      const std::string_view content = data.substr(change_->span.begin, change_->span.end - change_->span.begin);
      if (content.find('\\') == std::string_view::npos) {
        read_text += content;
        return;
      }
      if (const std::optional<std::string> text = DecodedStringContent(content)) {
        read_text += *text;
        return;
      }
    }
    std::optional<JsonShape::Span> from;
    std::optional<std::string> text = ValidatedOpenAiText(data, &from);
    if (new_template) {
      shape_text_ = text;
      shape_text_index_ = from ? shape_.SpanStartingAt(from->begin).value_or(kNoSpan) : kNoSpan;
    }
    if (!text) {
      texts_ = false;
      return;
    }
    read_text += *text;
  }

  // IsJsonText(data), but an event that differs from the last validated one only inside one
  // string is checked by that string alone (util/json_shape). `in_body`: `data` is a view into
  // the body (not into data_, which the next joined event overwrites), so it can be remembered.
  bool IsJsonData(std::string_view data, bool in_body) {
    change_.reset();
    remembered_ = false;
    if (const std::optional<JsonShape::Change> changed = shape_.MatchChange(data)) {
      const std::string_view content = data.substr(changed->span.begin, changed->span.end - changed->span.begin);
      if (changed->identical) {
        misses_ = 0;
        change_ = changed;
        return true;
      }
      if (StaysOneString(content)) {
        quoted_.assign(1, '"').append(content).push_back('"');
        if (IsJsonText(quoted_)) {
          misses_ = 0;
          change_ = changed;
          return true;
        }
      }
    }
    const bool ok = IsJson(data);
    // A stream whose events keep changing shape stops paying for templates after a few.
    if (ok && in_body && misses_ < kMaxMisses) {
      ++misses_;
      shape_.RememberAllStrings(data);
      remembered_ = true;
    }
    return ok;
  }

  static constexpr int kMaxMisses = 4;
  static constexpr size_t kNoSpan = static_cast<size_t>(-1);
  const bool reading_;
  const std::span<const uint32_t> read_ends_;
  JsonShape shape_;
  unsigned shape_keys_ = 0;                    // the keys in the template's text
  std::optional<std::string> shape_text_;      // the template's OpenAI text, when it has one
  size_t shape_text_index_ = kNoSpan;          // the template's span that gave it
  std::optional<JsonShape::Change> change_;    // how the data matched shape_, when it did
  bool remembered_ = false;                    // the data became shape_'s template
  std::string quoted_;
  int misses_ = 0;
  BodyCheck out_;
  std::string_view event_;
  std::string_view first_data_;
  std::string data_;
  int data_lines_ = 0;
  int data_events_ = 0;
  bool done_ = false;
  // The reading.
  bool texts_ = false;  // each read's text is still known
  bool utf8_ = true;    // no line outside the validated JSON was invalid UTF-8
  unsigned keys_ = 0;
  size_t last_line_end_ = 0;  // just past the last non-blank line
  size_t read_ = 0;           // the read holding the event being dispatched
  std::vector<std::string> read_texts_;
  size_t event_read_ = 0;  // the read holding the last data line counted
  std::vector<uint32_t> read_events_;  // each read's events, when the reads cut between events
};

}  // namespace

BodyCheck CheckResponseBody(std::string_view body, bool streaming) {
  if (!streaming) return CheckJsonBody(body);
  return StreamWalker(/*reading=*/false, {}).Walk(body);
}

BodyCheck CheckStream(std::string_view body, std::span<const uint32_t> read_ends,
                      std::optional<BodyReading>& reading) {
  StreamWalker walker(/*reading=*/true, read_ends);
  BodyCheck check = walker.Walk(body);
  reading = walker.Reading();
  return check;
}

}  // namespace bench
