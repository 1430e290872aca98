#include "load/spill_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "util/spill_codec.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMiB = SpillFile::kBufferSize;

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t word = rng();
    std::memcpy(s.data() + i, &word, std::min<size_t>(8, n - i));
  }
  return s;
}

// Records that cover the edges (filling a buffer exactly, one byte over, appends spanning
// several buffers) and then random sizes up to `total` bytes, mostly small as a spill's are.
std::vector<std::string> Records(uint64_t seed, size_t total) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> records;
  size_t sum = 0;
  for (size_t n : {kMiB - 10, size_t{10}, kMiB, size_t{1}, 2 * kMiB + 5, size_t{0}, kMiB - 6}) {
    records.push_back(RandomBytes(rng, n));
    sum += n;
  }
  while (sum < total) {
    const uint64_t kind = rng() % 100;
    const size_t n = kind < 80   ? rng() % 4096
                     : kind < 95 ? 4096 + rng() % 300'000
                                 : kMiB + rng() % (2 * kMiB);
    records.push_back(RandomBytes(rng, n));
    sum += n;
  }
  return records;
}

void AppendAll(SpillFile& spill, const std::vector<std::string>& records) {
  for (const auto& r : records) spill.Append(r.data(), r.size());
}

// Reads back in the sizes appended; true when every byte matches and nothing follows.
void ExpectReadsBack(SpillFile& spill, const std::vector<std::string>& records) {
  std::string got;
  for (size_t i = 0; i < records.size(); ++i) {
    got.assign(records[i].size(), '\0');
    ASSERT_TRUE(spill.Read(got.data(), got.size())) << "record " << i << " of " << records.size();
    ASSERT_TRUE(got == records[i]) << "record " << i << " differs (" << records[i].size() << " bytes)";
  }
  char extra = 0;
  EXPECT_FALSE(spill.Read(&extra, 1));
  EXPECT_FALSE(spill.failed());
}

size_t TotalSize(const std::vector<std::string>& records) {
  size_t total = 0;
  for (const auto& r : records) total += r.size();
  return total;
}

// Whether `dir`'s file system takes an aligned O_DIRECT write, probed independently of SpillFile.
bool DirectWritesWork(const fs::path& dir) {
  const std::string path = (dir / "direct-probe").string();
  const int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDWR | O_DIRECT, 0600);
  if (fd < 0) return false;
  void* block = nullptr;
  bool ok = posix_memalign(&block, SpillFile::kAlignment, SpillFile::kAlignment) == 0;
  if (ok) {
    std::memset(block, 'x', SpillFile::kAlignment);
    ok = pwrite(fd, block, SpillFile::kAlignment, 0) == static_cast<ssize_t>(SpillFile::kAlignment);
  }
  std::free(block);
  close(fd);
  unlink(path.c_str());
  return ok;
}

size_t EntriesIn(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(SpillFileTest, DirectRoundTripIsByteExact) {
  test::TempDir dir;
  const auto records = Records(1, 40 * kMiB);
  SpillFile spill(dir.path().string());
  AppendAll(spill, records);
  EXPECT_EQ(spill.bytes(), TotalSize(records));
  ExpectReadsBack(spill, records);
  // The fast path must really be taken where the file system allows it, not silently replaced.
  if (DirectWritesWork(dir.path())) {
    EXPECT_TRUE(spill.direct());
  } else {
    EXPECT_FALSE(spill.direct());
  }
}

TEST(SpillFileTest, BufferedRoundTripIsByteExact) {
  test::TempDir dir;
  const auto records = Records(2, 40 * kMiB);
  SpillFile spill(dir.path().string(), SpillFile::Options{.direct = false});
  EXPECT_FALSE(spill.direct());
  AppendAll(spill, records);
  EXPECT_EQ(spill.bytes(), TotalSize(records));
  ExpectReadsBack(spill, records);
  EXPECT_FALSE(spill.direct());
}

TEST(SpillFileTest, UncompressedRoundTripIsByteExact) {
  for (const bool direct : {true, false}) {
    test::TempDir dir;
    const auto records = Records(12, 12 * kMiB);
    SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct, .compress = false});
    AppendAll(spill, records);
    ExpectReadsBack(spill, records);
    EXPECT_EQ(spill.stored_bytes(), TotalSize(records)) << "direct " << direct;
  }
}

// Text that compresses (repeated SSE-like lines, as a spill of streams is) comes back exactly
// and takes a fraction of the disk; random bytes (above) are stored as they are.
TEST(SpillFileTest, CompressibleTextRoundTripsSmaller) {
  for (const bool direct : {true, false}) {
    test::TempDir dir;
    std::vector<std::string> records;
    for (int i = 0; i < 40'000; ++i) {
      records.push_back("data: {\"choices\":[{\"delta\":{\"content\":\" w" + std::to_string(i % 977) +
                        "\"}}]}\n\n");
    }
    records.push_back(std::string(3 * kMiB, 'z'));  // spans buffers, and all one byte
    SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct});
    AppendAll(spill, records);
    ExpectReadsBack(spill, records);
    EXPECT_LT(spill.stored_bytes() * 4, spill.bytes()) << "direct " << direct;
  }
}

TEST(SpillFileTest, RandomBytesAreStoredRawWithLittleOverhead) {
  test::TempDir dir;
  const auto records = Records(13, 6 * kMiB);
  SpillFile spill(dir.path().string());
  AppendAll(spill, records);
  ExpectReadsBack(spill, records);
  // A header and the padding to 4 KiB per 1 MiB block at most.
  const uint64_t blocks = (spill.bytes() + kMiB - 1) / kMiB;
  EXPECT_LE(spill.stored_bytes(), spill.bytes() + blocks * SpillFile::kAlignment);
}

// Encoded blocks lie back to back, not each padded to 4 KiB (which doubled the disk bytes of
// blocks that compress to one 4 KiB page, and cost a write apiece): 16 blocks of one repeated
// byte take exactly their encoded sizes, rounded up once at the end.
TEST(SpillFileTest, CompressedBlocksArePackedBackToBack) {
  for (const bool direct : {true, false}) {
    test::TempDir dir;
    const std::string block(kMiB, 'z');
    std::vector<char> encoded(SpillBlockBound(kMiB));
    const size_t one = EncodeSpillBlock(block.data(), block.size(), encoded.data());
    ASSERT_GT(one, SpillFile::kAlignment);  // so a padded layout would take two pages a block
    const std::vector<std::string> records(16, block);
    SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct});
    AppendAll(spill, records);
    ExpectReadsBack(spill, records);
    const uint64_t packed = (16 * one + SpillFile::kAlignment - 1) / SpillFile::kAlignment * SpillFile::kAlignment;
    EXPECT_EQ(spill.stored_bytes(), packed) << "direct " << direct;
  }
}

// Long strings are taken, not copied, between copied bytes; everything comes back in the order
// appended, and a taken string's buffer comes back for reuse. One buffer: the appender keeps
// waiting for the writer, which must not deadlock.
TEST(SpillFileTest, TakenStringsComeBackInOrder) {
  for (const size_t max_buffers : {size_t{1}, size_t{32}}) {
    test::TempDir dir;
    std::vector<std::string> records;
    for (int i = 0; i < 60; ++i) {
      const size_t n = i % 4 == 0 ? SpillFile::kTakeAtLeast - 1 : i % 4 == 1 ? 10 : i % 4 == 2 ? 3 * kMiB / 2 : 300'000;
      records.push_back(std::string(n, static_cast<char>('a' + i % 26)) + std::to_string(i));
    }
    SpillFile spill(dir.path().string(), SpillFile::Options{.max_buffers = max_buffers});
    size_t reused = 0;
    for (const std::string& record : records) {
      std::string s = record;
      spill.AppendTaking(s);
      if (record.size() >= SpillFile::kTakeAtLeast) {
        EXPECT_TRUE(s.empty());
        reused += s.capacity() >= SpillFile::kTakeAtLeast ? 1 : 0;
      } else {
        EXPECT_EQ(s, record);
      }
    }
    ExpectReadsBack(spill, records);
    EXPECT_FALSE(spill.failed());
    if (max_buffers == 1) {
      EXPECT_GT(reused, 0u) << "written strings are handed back";
    }
  }
}

TEST(SpillFileTest, FewBuffersStillRoundTrip) {
  // Two buffers: the appender keeps catching up with the writer, in both modes.
  for (const bool direct : {true, false}) {
    test::TempDir dir;
    const auto records = Records(3, 20 * kMiB);
    SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct, .max_buffers = 2});
    AppendAll(spill, records);
    ExpectReadsBack(spill, records);
  }
}

TEST(SpillFileTest, CountsEveryWaitForTheDisk) {
  // With one buffer, each hand-off must wait until the writer has written it back.
  test::TempDir dir;
  std::mt19937_64 rng(4);
  const std::vector<std::string> records = {RandomBytes(rng, 5 * kMiB + 100)};
  SpillFile spill(dir.path().string(), SpillFile::Options{.max_buffers = 1});
  EXPECT_EQ(spill.waits(), 0u);
  AppendAll(spill, records);
  EXPECT_EQ(spill.waits(), 5u);
  EXPECT_GE(spill.wait_ns(), 0);
  ExpectReadsBack(spill, records);
}

TEST(SpillFileTest, ReadsInOtherSizesThanAppended) {
  test::TempDir dir;
  const auto records = Records(5, 6 * kMiB);
  std::string all;
  for (const auto& r : records) all += r;
  SpillFile spill(dir.path().string());
  AppendAll(spill, records);
  spill.EndWrites();
  spill.EndWrites();  // idempotent
  std::string got;
  std::string piece(7777, '\0');
  while (got.size() + piece.size() <= all.size()) {
    ASSERT_TRUE(spill.Read(piece.data(), piece.size()));
    got += piece;
  }
  // Asking for more than is left fails; what is left can still be read.
  piece.resize(all.size() - got.size() + 1);
  EXPECT_FALSE(spill.Read(piece.data(), piece.size()));
  piece.pop_back();
  ASSERT_TRUE(spill.Read(piece.data(), piece.size()));
  got += piece;
  EXPECT_TRUE(got == all);
  EXPECT_FALSE(spill.failed());
}

TEST(SpillFileTest, EmptySpill) {
  test::TempDir dir;
  for (const bool direct : {true, false}) {
    SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct});
    spill.Append(nullptr, 0);
    EXPECT_EQ(spill.bytes(), 0u);
    EXPECT_TRUE(spill.Read(nullptr, 0));
    char c = 0;
    EXPECT_FALSE(spill.Read(&c, 1));
    EXPECT_FALSE(spill.failed());
    EXPECT_EQ(spill.waits(), 0u);
  }
  // Never read: destroyed with nothing written.
  SpillFile unread(dir.path().string());
}

TEST(SpillFileTest, MissingDirectoryThrowsNamingIt) {
  test::TempDir dir;
  const std::string missing = (dir.path() / "no-such-dir").string();
  try {
    SpillFile spill(missing);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(SpillFileTest, EmptyDirectoryMeansTheTempDirectory) {
  SpillFile spill("");
  const char bytes[] = "abc";
  spill.Append(bytes, 3);
  char got[3] = {};
  ASSERT_TRUE(spill.Read(got, 3));
  EXPECT_EQ(std::string(got, 3), "abc");
}

TEST(SpillFileTest, LeavesNoFileInTheDirectory) {
  test::TempDir dir;
  std::mt19937_64 rng(6);
  const std::vector<std::string> records = {RandomBytes(rng, 3 * kMiB + 7)};
  SpillFile spill(dir.path().string());
  AppendAll(spill, records);
  // Unlinked at creation: not visible even while it is being written and read.
  EXPECT_EQ(EntriesIn(dir.path()), 0u);
  ExpectReadsBack(spill, records);
  EXPECT_EQ(EntriesIn(dir.path()), 0u);
}

TEST(SpillFileTest, DestroyedWhileWritingDoesNotHang) {
  test::TempDir dir;
  std::mt19937_64 rng(7);
  const std::string bytes = RandomBytes(rng, 9 * kMiB);
  SpillFile spill(dir.path().string(), SpillFile::Options{.max_buffers = 3});
  spill.Append(bytes.data(), bytes.size());
}

// The policy and real-time priority of this process's thread named `name` ({-1, -1}: none).
std::pair<int, int> SchedulingOf(const std::string& name) {
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::string comm = test::ReadFile(task.path() / "comm");
    if (comm != name + "\n") continue;
    const std::string stat = test::ReadFile(task.path() / "stat");
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
    if (f.size() < 39) return {-1, -1};
    return {std::stoi(f[38]), std::stoi(f[37])};  // fields 41 (policy) and 40 (rt_priority)
  }
  return {-1, -1};
}

TEST(SpillFileTest, WriterRunsAboveARealTimeAppender) {
  // In a thread of its own, so the test process keeps its policy.
  bool permitted = true;
  std::pair<int, int> writer{-1, -1};
  std::thread([&] {
    sched_param param{};
    param.sched_priority = 10;
    if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) != 0) {
      permitted = false;
      return;
    }
    test::TempDir dir;
    SpillFile spill(dir.path().string());
    const std::string bytes(kMiB + 1, 'x');
    spill.Append(bytes.data(), bytes.size());  // one full buffer: the writer thread starts
    writer = SchedulingOf("bench-spill");
    spill.EndWrites();
  }).join();
  if (!permitted) GTEST_SKIP() << "SCHED_FIFO is not permitted here";
  EXPECT_EQ(writer.first, SCHED_FIFO);
  EXPECT_EQ(writer.second, 11);
}

// A file-size limit stands in for a full disk: writes past it fail with EFBIG (SIGXFSZ ignored).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

TEST(SpillFileTest, WriteErrorIsReportedNotFatal) {
  for (const bool direct : {true, false}) {
    // Past the limit in a full buffer (the writer thread) and in the tail (EndWrites).
    for (const size_t size : {8 * kMiB + 100, 2 * kMiB + 100}) {
      SCOPED_TRACE(testing::Message() << "direct " << direct << ", " << size << " bytes");
      test::TempDir dir;
      std::mt19937_64 rng(8);
      const std::string bytes = RandomBytes(rng, size);
      SpillFile spill(dir.path().string(), SpillFile::Options{.direct = direct, .max_buffers = 2});
      {
        FileSizeLimit limit(2 * kMiB);
        spill.Append(bytes.data(), bytes.size());
        spill.EndWrites();
      }
      EXPECT_TRUE(spill.failed());
      EXPECT_EQ(spill.error(), EFBIG);
      EXPECT_EQ(spill.bytes(), size);
      std::string got(16, '\0');
      EXPECT_FALSE(spill.Read(got.data(), got.size()));
    }
  }
}

}  // namespace
}  // namespace bench
