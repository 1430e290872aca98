#include "util/append_file.h"

#include <sys/stat.h>

#include <fstream>
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

TEST(AppendFileTest, WritesExactlyWhatWasGivenAndKeepsNoReservationAfterClose) {
  test::TempDir dir;
  const auto path = dir.path() / "export.json";
  std::string expected;
  {
    AppendFile file(path.string());
    ASSERT_TRUE(file);
    std::mt19937 rng(3);
    // Odd-sized pieces, single characters and ~9 MiB in all: past the first 4 MiB reservation.
    while (expected.size() < (9u << 20)) {
      std::string piece(rng() % 300'000, 'a');
      for (char& c : piece) c = static_cast<char>('a' + rng() % 26);
      file << piece;
      file.put('\n');
      expected += piece + "\n";
    }
    const struct stat open_st = StatOf(path);
    EXPECT_EQ(static_cast<size_t>(open_st.st_size), expected.size());  // KEEP_SIZE: no visible growth
    if (file.buf().reserved() > 0) {  // 0 where the file system cannot reserve
      EXPECT_GE(file.buf().reserved(), static_cast<int64_t>(expected.size()));
    }
    EXPECT_EQ(file.buf().written(), static_cast<int64_t>(expected.size()));
    file.close();
    EXPECT_TRUE(file);
  }
  EXPECT_EQ(ReadAll(path), expected);
  const struct stat st = StatOf(path);
  EXPECT_EQ(static_cast<size_t>(st.st_size), expected.size());
  // The blocks past the end were given back (a file system may round up to its block or extent).
  EXPECT_LT(static_cast<int64_t>(st.st_blocks) * 512, static_cast<int64_t>(expected.size()) + (1 << 20));
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
