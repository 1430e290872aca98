#include "record/sse.h"

namespace bench {

std::string_view StripView(std::string_view s) {
  // Python str.strip() without arguments: ASCII whitespace is what matters here. A test per
  // byte, not find_first_not_of (a memchr over the set for every byte looked at: 2.5 % of a
  // whole run, called three times per event).
  const auto ws = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };  // \t \n \v \f \r
  size_t b = 0;
  size_t e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string NormalizeNewlines(std::string_view s) {
  // Most servers send LF only: one copy, no byte loop.
  if (s.find('\r') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool IsNonDataField(std::string_view s) {
  return s.starts_with(":") || s.starts_with("event:") || s.starts_with("id:") ||
         s.starts_with("retry:");
}

bool IsSseStart(std::string_view s) { return s.starts_with("data:") || IsNonDataField(s); }

size_t FindLineStartData(std::string_view s) {
  size_t pos = 0;
  while ((pos = s.find("data:", pos)) != std::string_view::npos) {
    if (pos == 0 || s[pos - 1] == '\n') return pos;
    ++pos;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> SplitSseEvents(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find("\n\n", start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 2;
  }
}

SseEvent ParseSseEvent(std::string_view block) {
  SseEvent ev;
  size_t start = 0;
  while (start <= block.size()) {
    size_t end = block.find('\n', start);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(start, end - start);
    if (line.starts_with("data:")) {
      if (!ev.has_data) {
        ev.line = line.substr(5);
      } else {
        if (!ev.several) ev.joined.assign(ev.line);
        ev.several = true;
        ev.joined.push_back('\n');
        ev.joined.append(line.substr(5));
      }
      ev.has_data = true;
    } else if (line.starts_with("event:") &&
               line.find("error") != std::string_view::npos) {
      // GenAI-Perf's sse_error_occurred: an `event:` whose text mentions "error".
      ev.is_error = true;
    }
    start = end + 1;
  }
  if (ev.is_error) ev.has_data = false;  // an error event's payload is not model output
  return ev;
}

void StitchSplinteredReads(std::vector<std::string>& reads) {
  // GenAI-Perf walks backwards, re-copying the growing tail at every step (quadratic in the
  // number of reads of one large event); appending forwards to the last read that starts an
  // event gives the same strings.
  size_t anchor = 0;
  for (size_t i = 1; i < reads.size(); ++i) {
    std::string& s = reads[i];
    if (IsNonDataField(s) || s.starts_with("data:")) {
      anchor = i;
      continue;
    }
    const size_t idx = FindLineStartData(s);
    if (idx == std::string::npos) {
      reads[anchor] += s;
      s.clear();
    } else {
      reads[anchor].append(s, 0, idx);
      s.erase(0, idx);
      anchor = i;
    }
  }
}

}  // namespace bench
