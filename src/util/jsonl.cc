#include "util/jsonl.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

namespace bench {

std::string Strip(std::string_view s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  auto begin = std::find_if(s.begin(), s.end(), not_space);
  auto end = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

JsonlRead ForEachJsonlLine(const std::string& path,
                           const std::function<std::string(int line_no, const std::string& line)>& on_line) {
  JsonlRead out;
  std::ifstream in(path);
  if (!in) {
    out.opened = false;
    return out;
  }
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (Strip(line).empty()) continue;
    if (std::string error = on_line(line_no, line); !error.empty()) {
      out.error = fmt::format("{}:{}: {}", path, line_no, error);
      return out;
    }
  }
  return out;
}

}  // namespace bench
