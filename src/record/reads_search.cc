#include "record/reads_search.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/substring_search.h"

namespace bench {

bool ReadsContain(const ResponseOutputs& outputs, std::string_view key, size_t first, size_t second) {
  if (key.empty()) return true;
  if (outputs.compact()) {
    return ContainsSubstring(outputs.ResponseStrings(), key, first, second);  // back to back already
  }
  const size_t overlap = key.size() - 1;  // a key across a seam has at most this much on each side
  std::string tail;                       // the last `overlap` bytes of the reads so far
  std::string seam;                       // tail + the next read's first `overlap` bytes
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string_view read = outputs.ResponseString(i);
    if (read.empty()) continue;
    if (!tail.empty()) {
      seam.assign(tail).append(read.substr(0, overlap));  // one buffer for all seams
      if (seam.find(key) != std::string::npos) return true;
    }
    if (ContainsSubstring(read, key, first, second)) return true;
    tail.append(read.size() > overlap ? read.substr(read.size() - overlap) : read);
    if (tail.size() > overlap) tail.erase(0, tail.size() - overlap);
  }
  return false;
}

std::string_view BodyKeyText(BodyKey key) {
  switch (key) {
    case kErrorKey: return "\"error\"";
    case kReasoningKey: return "\"reasoning";
    case kTimingsKey: return "\"timings\"";
  }
  return {};
}

bool ReadsContain(const RequestRecord& record, BodyKey key) {
  if (record.reading) return (record.reading->keys & key) != 0;
  const std::string_view text = BodyKeyText(key);
  // "reasoning on 'r' and 'g' (not 'n': `reason":null` is in every vLLM chunk).
  if (key == kReasoningKey) return ReadsContain(record.response_outputs, text, 1, text.size() - 1);
  return ReadsContain(record.response_outputs, text);
}

unsigned BodyKeysStartingIn(std::string_view text, size_t from, size_t to, unsigned wanted) {
  unsigned found = 0;
  to = std::min(to, text.size());
  while (from < to && (found & wanted) != wanted) {
    const void* quote = std::memchr(text.data() + from, '"', to - from);
    if (quote == nullptr) break;
    const size_t at = static_cast<size_t>(static_cast<const char*>(quote) - text.data());
    const std::string_view rest = text.substr(at);
    for (const BodyKey key : {kErrorKey, kReasoningKey, kTimingsKey}) {
      if ((wanted & key) != 0 && rest.starts_with(BodyKeyText(key))) found |= key;
    }
    from = at + 1;
  }
  return found & wanted;
}

}  // namespace bench
