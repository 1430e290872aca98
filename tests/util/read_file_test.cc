#include "util/read_file.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

TEST(ReadFileTest, ReadsEveryByteOfFilesOfAnySize) {
  test::TempDir dir;
  for (const size_t size : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537}, size_t{3} << 20}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i * 131 % 256);  // NULs included
    const auto path = dir.path() / ("f" + std::to_string(size));
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(size));
    const std::optional<std::string> read = ReadWholeFile(path.string());
    ASSERT_TRUE(read.has_value()) << size;
    EXPECT_EQ(*read, bytes) << size;
  }
}

// Files whose size says nothing (/proc reports 0 and has content) are read in steps to their end.
TEST(ReadFileTest, ReadsFilesWhoseSizeIsNotKnown) {
  const std::optional<std::string> status = ReadWholeFile("/proc/self/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(status->find("Name:"), std::string::npos);
  const std::optional<std::string> empty = ReadWholeFile("/dev/null");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(ReadFileTest, AMissingFileIsNothing) {
  test::TempDir dir;
  EXPECT_FALSE(ReadWholeFile((dir.path() / "missing").string()).has_value());
  EXPECT_FALSE(ReadWholeFile(dir.path().string()).has_value());  // a directory cannot be read
}

}  // namespace
}  // namespace bench
