#pragma once
// Writing a file around the page cache (O_DIRECT) where the file system allows it, and through
// it where it does not: the spill's and the export's writer threads (load/spill_file,
// util/append_file). O_DIRECT is switched on after the file is open rather than passed to
// open(), so a file system that refuses it still gets its file.

#include <cstddef>
#include <cstdint>

namespace bench {

/// Sets (`on`) or clears O_DIRECT on `fd`; false (errno set) when the kernel refuses.
bool SetDirect(int fd, bool on);

/// Writes all `n` bytes of `data` at `offset`. When `direct` is set and a write is refused with
/// EINVAL (a file system that took the flag but not the write, or a short direct write that
/// left the next offset unaligned), O_DIRECT is cleared, `direct` with it, and the rest goes
/// through the page cache. Returns 0, or the errno of the failure (ENOSPC for a write of 0
/// bytes: nothing more fits).
int WriteAllAt(int fd, const char* data, size_t n, uint64_t offset, bool& direct);

/// Writes all `n` bytes of `data` at the descriptor's position (any descriptor: a pipe, a
/// device). Returns 0 or the errno of the failure.
int WriteAll(int fd, const char* data, size_t n);

}  // namespace bench
