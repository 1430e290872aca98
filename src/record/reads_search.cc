#include "record/reads_search.h"

#include <string>

#include "record/response_format.h"
#include "util/substring_search.h"

namespace bench {

bool ReadsContain(const std::vector<nlohmann::json>& outputs, std::string_view key, size_t first, size_t second) {
  if (key.empty()) return true;
  const size_t overlap = key.size() - 1;  // a key across a seam has at most this much on each side
  std::string tail;                       // the last `overlap` bytes of the reads so far
  std::string seam;                       // tail + the next read's first `overlap` bytes
  for (const nlohmann::json& output : outputs) {
    const std::string_view read = ResponseString(output);
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

}  // namespace bench
