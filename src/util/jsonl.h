#pragma once
// Line-oriented input files (JSONL prompts, traces): one reading loop, so every reader skips
// blank lines and names FILE:LINE the same way.

#include <functional>
#include <string>
#include <string_view>

namespace bench {

/// `s` without leading and trailing whitespace.
std::string Strip(std::string_view s);

struct JsonlRead {
  bool opened = true;  // false when the file could not be opened (error then empty)
  std::string error;   // "FILE:LINE: <what on_line returned>", or "" when every line was accepted
};

/// Calls `on_line(line_no, line)` for each non-blank line of the file at `path` (numbered from
/// 1, blank lines counted) until it returns a non-empty error.
JsonlRead ForEachJsonlLine(const std::string& path,
                           const std::function<std::string(int line_no, const std::string& line)>& on_line);

}  // namespace bench
