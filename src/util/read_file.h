#pragma once
// A whole file read into memory at once. Through a std::ostringstream (`s << in.rdbuf()`) the
// buffer grows by doubling and is copied out at the end: reading the 1.3 MB tokenizer cache
// that way touched about three times its size in new memory at start-up, where each 4 KiB
// page is a fault (~6 µs on a paravirtualized guest). Read here into a string of the file's
// size, each page is touched once.

#include <optional>
#include <string>

namespace bench {

/// The bytes of `path` (a regular file, or anything read to its end: a pipe, /dev/stdin);
/// nullopt when it cannot be opened or read (errno set).
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace bench
