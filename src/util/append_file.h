#pragma once
// A file written once, front to back, through a std::ostream, with its disk blocks reserved
// ahead in large steps. On ext4 a buffered write into a file's end books each new page for
// delayed allocation on its own (extent-status lookups and inserts, a reservation, quota): for
// the export's 400 MB that was a third of the system time its writes cost (0.109 -> 0.075 s,
// docs/benchmarks.md). Blocks reserved with fallocate(KEEP_SIZE) skip that; the reservation past
// the end is released when the file is closed, so the file's size and blocks are what was
// written. Where the file system cannot reserve, the file is written as any other.

#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

namespace bench {

/// Unbuffered: each write goes to the file at once, so callers hand it large pieces (the export
/// writer's MiB).
class AppendFileBuf : public std::streambuf {
 public:
  AppendFileBuf() = default;
  ~AppendFileBuf() override;
  AppendFileBuf(const AppendFileBuf&) = delete;
  AppendFileBuf& operator=(const AppendFileBuf&) = delete;

  /// Creates or empties `path`; false (errno set) when it cannot be opened for writing.
  bool Open(const std::string& path);
  /// Releases the reservation past the end and closes; false when any write or the close failed.
  bool Close();
  bool is_open() const { return fd_ >= 0; }
  int64_t written() const { return written_; }
  int64_t reserved() const { return reserved_; }  // bytes reserved so far, from the start

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int overflow(int c) override;

 private:
  void ReserveFor(int64_t end);

  int fd_ = -1;
  int64_t written_ = 0;
  int64_t reserved_ = 0;
  bool can_reserve_ = true;
  bool failed_ = false;
};

/// An output file stream over AppendFileBuf: `if (!file)` and `file.close()` as with
/// std::ofstream.
class AppendFile : public std::ostream {
 public:
  explicit AppendFile(const std::string& path);
  /// Closes the file; sets failbit when any write or the close failed.
  void close();
  const AppendFileBuf& buf() const { return buf_; }

 private:
  AppendFileBuf buf_;
};

}  // namespace bench
