#include "util/direct_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

bool HasDirect(int fd) { return (::fcntl(fd, F_GETFL) & O_DIRECT) != 0; }

TEST(DirectIoTest, WritesEveryByteAtItsOffset) {
  test::TempDir dir;
  const auto path = dir.path() / "f";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  bool direct = false;
  EXPECT_EQ(WriteAllAt(fd, "world", 5, 6, direct), 0);
  EXPECT_EQ(WriteAllAt(fd, "hello ", 6, 0, direct), 0);
  ::close(fd);
  EXPECT_EQ(test::ReadFile(path), "hello world");
}

// A direct write the file system refuses (here: memory and length not aligned) clears O_DIRECT
// and goes through the page cache.
TEST(DirectIoTest, ARefusedDirectWriteContinuesThroughThePageCache) {
  test::TempDir dir;
  const auto path = dir.path() / "f";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  if (!SetDirect(fd, true)) {
    ::close(fd);
    GTEST_SKIP() << "this file system refuses O_DIRECT";
  }
  EXPECT_TRUE(HasDirect(fd));
  bool direct = true;
  const std::string text = "not a whole block";
  EXPECT_EQ(WriteAllAt(fd, text.data() + 1, text.size() - 1, 0, direct), 0);
  EXPECT_FALSE(direct);
  EXPECT_FALSE(HasDirect(fd));
  ::close(fd);
  EXPECT_EQ(test::ReadFile(path), text.substr(1));
}

TEST(DirectIoTest, AFailedWriteGivesItsErrno) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  bool direct = false;
  EXPECT_EQ(WriteAll(fd, "x", 1), ENOSPC);
  EXPECT_EQ(WriteAllAt(fd, "x", 1, 0, direct), ENOSPC);
  ::close(fd);
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  EXPECT_EQ(WriteAllAt(pipe_fds[1], "x", 1, 0, direct), ESPIPE);  // no offsets on a pipe
  EXPECT_EQ(WriteAll(pipe_fds[1], "abc", 3), 0);                  // but it can be written
  char got[3];
  EXPECT_EQ(::read(pipe_fds[0], got, 3), 3);
  EXPECT_EQ(std::string(got, 3), "abc");
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace
}  // namespace bench
