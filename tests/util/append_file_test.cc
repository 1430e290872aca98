#include "util/append_file.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct stat StatOf(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st;
}

// Both ways a regular file is written: around the page cache (where the file system allows)
// and through it; and with one buffer, so that every hand-over waits for the writer.
class AppendFileWays : public ::testing::TestWithParam<AppendFileBuf::Options> {};

TEST_P(AppendFileWays, WritesExactlyWhatWasGivenAndKeepsNoReservationAfterClose) {
  test::TempDir dir;
  const auto path = dir.path() / "export.json";
  std::string expected;
  {
    AppendFile file(path.string(), GetParam());
    ASSERT_TRUE(file);
    if (!GetParam().direct) {
      EXPECT_FALSE(file.buf().direct());
    }
    std::mt19937 rng(3);
    // Odd-sized pieces, single characters and ~9 MiB in all: past the first 4 MiB reservation
    // and past the buffers that may wait for the disk.
    while (expected.size() < (9u << 20)) {
      std::string piece(rng() % 300'000, 'a');
      for (char& c : piece) c = static_cast<char>('a' + rng() % 26);
      file << piece;
      file.put('\n');
      expected += piece + "\n";
    }
    if (file.buf().reserved() > 0) {  // 0 where the file system cannot reserve
      EXPECT_GE(file.buf().reserved(), static_cast<int64_t>(expected.size()));
    }
    EXPECT_EQ(file.buf().written(), static_cast<int64_t>(expected.size()));
    file.close();
    EXPECT_TRUE(file);
    EXPECT_EQ(file.buf().error(), 0);
  }
  EXPECT_EQ(ReadAll(path), expected);
  const struct stat st = StatOf(path);
  EXPECT_EQ(static_cast<size_t>(st.st_size), expected.size());
  // The blocks past the end were given back (a file system may round up to its block or extent).
  EXPECT_LT(static_cast<int64_t>(st.st_blocks) * 512, static_cast<int64_t>(expected.size()) + (1 << 20));
}

// Sizes at and around the buffers' edges: the last, partial buffer goes out at close.
TEST_P(AppendFileWays, WritesEverySizeAroundABuffer) {
  test::TempDir dir;
  constexpr size_t kMiB = AppendFileBuf::kBufferSize;
  for (const size_t size : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, kMiB - 1, kMiB, kMiB + 1, 3 * kMiB,
                            3 * kMiB + 4097}) {
    const auto path = dir.path() / ("f" + std::to_string(size));
    std::string expected(size, 'x');
    for (size_t i = 0; i < size; ++i) expected[i] = static_cast<char>('A' + i * 7 % 26);
    AppendFile file(path.string(), GetParam());
    file.write(expected.data(), static_cast<std::streamsize>(size));
    file.close();
    EXPECT_TRUE(file) << size;
    EXPECT_EQ(ReadAll(path), expected) << size;
  }
}

// A stream buffer opened again after a close writes the new file from its start.
TEST_P(AppendFileWays, OpensAgainAfterAClose) {
  test::TempDir dir;
  AppendFileBuf buf(GetParam());
  for (const char* name : {"a", "b"}) {
    const std::string text(5 * AppendFileBuf::kBufferSize + 17, *name);
    ASSERT_TRUE(buf.Open((dir.path() / name).string()));
    std::ostream out(&buf);
    out << text;
    EXPECT_TRUE(buf.Close());
    EXPECT_EQ(ReadAll(dir.path() / name), text);
  }
}

INSTANTIATE_TEST_SUITE_P(Ways, AppendFileWays,
                         ::testing::Values(AppendFileBuf::Options{true, 8}, AppendFileBuf::Options{false, 8},
                                           AppendFileBuf::Options{true, 1}),
                         [](const ::testing::TestParamInfo<AppendFileBuf::Options>& way) {
                           return std::string(way.param.direct ? "Direct" : "PageCache") +
                                  std::to_string(way.param.max_buffers) + "Buffers";
                         });

// On a file system that takes O_DIRECT (ext4, xfs; not tmpfs before Linux 6.6), full buffers
// go around the page cache.
TEST(AppendFileTest, SaysWhetherItWritesAroundThePageCache) {
  test::TempDir dir;
  AppendFile file((dir.path() / "f").string());
  ASSERT_TRUE(file);
  const bool direct = file.buf().direct();
  file << std::string(2u << 20, 'q');
  file.close();
  EXPECT_TRUE(file);
  // A file system that took the flag but refused the writes clears it; nothing else does.
  if (!direct) {
    EXPECT_FALSE(file.buf().direct());
  }
  std::cout << "[ info ] " << dir.path() << (direct ? ": O_DIRECT" : ": page cache") << "\n";
}

// A write that fails in the writer thread (the file-size limit here; a full disk alike) fails
// the next write and the close, with its errno.
TEST(AppendFileTest, AWriteThatFailsLaterFailsTheClose) {
  test::TempDir dir;
  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
  struct rlimit small = old;
  small.rlim_cur = 2u << 20;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  {
    AppendFile file((dir.path() / "f").string());
    ASSERT_TRUE(file);
    const std::string mib(AppendFileBuf::kBufferSize, 'e');
    for (int i = 0; i < 6 && file; ++i) file << mib;
    file.close();
    EXPECT_FALSE(file);
    EXPECT_EQ(file.buf().error(), EFBIG);
  }
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, old_handler);
}

TEST(AppendFileTest, EmptiesAnExistingFile) {
  test::TempDir dir;
  const auto path = dir.path() / "f";
  std::ofstream(path) << std::string(10'000, 'x');
  AppendFile file(path.string());
  file << "new";
  file.close();
  EXPECT_TRUE(file);
  EXPECT_EQ(ReadAll(path), "new");
}

TEST(AppendFileTest, AFileThatCannotBeOpenedFailsTheStream) {
  test::TempDir dir;
  AppendFile file((dir.path() / "no-such-dir" / "f").string());
  EXPECT_FALSE(file);
  EXPECT_FALSE(file.buf().is_open());
}

// A file that cannot reserve blocks (a character device here) is written as any other.
TEST(AppendFileTest, WritesWhereNothingCanBeReserved) {
  AppendFile file("/dev/null");
  ASSERT_TRUE(file);
  file << std::string(5u << 20, 'z');
  EXPECT_EQ(file.buf().reserved(), 0);
  EXPECT_EQ(file.buf().written(), 5 << 20);
  file.close();
  EXPECT_TRUE(file);
}

// A write that fails (a full disk here) fails the stream, and Close says so.
TEST(AppendFileTest, AFailedWriteFailsTheStream) {
  AppendFile file("/dev/full");
  ASSERT_TRUE(file);
  file << "anything";
  EXPECT_FALSE(file);
  file.close();
  EXPECT_FALSE(file);
}

}  // namespace
}  // namespace bench
