#include "load/raw_spill.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "test_util.h"
#include "transport/packed_body.h"

namespace bench {
namespace {

RawRecord Sample(int n) {
  RawRecord r;
  r.entry = static_cast<size_t>(n);
  r.intended_mono_ns = 100 + n;
  r.handoff_mono_ns = 200 + n;
  r.send_mono_ns = 300 + n;
  r.AddRead("data: a\n\n", 400 + n, 7);
  r.AddRead(std::string(70'000, 'x'), 500 + n, 8);  // larger than one buffer page
  r.http_status = 200;
  r.transport_error = n % 2 == 0 ? ErrorKind::kNone : ErrorKind::kReset;
  r.transport_message = n % 2 == 0 ? "" : "Connection closed";
  r.cancelled = n == 1;
  r.past_deadline = n == 1;
  r.too_large = n == 2;
  r.request_id = "bench-" + std::to_string(n);
  r.session = n == 3 ? 5 : -1;
  r.turn = n == 3 ? 2 : 0;
  r.body = n == 3 ? R"({"messages":[]})" : "";
  r.kernel_stamped_reads = static_cast<uint32_t>(n % 3);
  return r;
}

void ExpectSame(const RawRecord& a, const RawRecord& b) {
  EXPECT_EQ(a.entry, b.entry);
  EXPECT_EQ(a.intended_mono_ns, b.intended_mono_ns);
  EXPECT_EQ(a.handoff_mono_ns, b.handoff_mono_ns);
  EXPECT_EQ(a.send_mono_ns, b.send_mono_ns);
  EXPECT_EQ(a.read_mono_ns, b.read_mono_ns);
  EXPECT_EQ(a.read_end, b.read_end);
  EXPECT_EQ(a.read_wake, b.read_wake);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.http_status, b.http_status);
  EXPECT_EQ(a.transport_error, b.transport_error);
  EXPECT_EQ(a.transport_message, b.transport_message);
  EXPECT_EQ(a.cancelled, b.cancelled);
  EXPECT_EQ(a.past_deadline, b.past_deadline);
  EXPECT_EQ(a.too_large, b.too_large);
  EXPECT_EQ(a.request_id, b.request_id);
  EXPECT_EQ(a.session, b.session);
  EXPECT_EQ(a.turn, b.turn);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.kernel_stamped_reads, b.kernel_stamped_reads);
}

TEST(RawSpillTest, RecordsComeBackWholeInTheOrderWritten) {
  test::TempDir dir;
  RawSpill spill(dir.path().string());
  for (int n = 0; n < 5; ++n) {
    RawRecord r = Sample(n);
    spill.Write(r, /*take_bytes=*/false);
    ExpectSame(r, Sample(n));  // kept for a session's next turn
  }
  EXPECT_EQ(spill.written(), 5u);
  RawRecord back;
  for (int n = 0; n < 5; ++n) {
    ASSERT_TRUE(spill.Read(back)) << n;
    ExpectSame(back, Sample(n));
  }
  EXPECT_FALSE(spill.Read(back));
  EXPECT_FALSE(spill.failed());
}

// A 1,000-chunk SSE stream read one event per read, as a token-paced server delivers it.
RawRecord SseRecord(int n) {
  RawRecord r;
  r.entry = static_cast<size_t>(n % 7);
  r.send_mono_ns = 1'000'000 * n;
  r.handoff_mono_ns = r.send_mono_ns - 5;
  r.http_status = 200;
  r.request_id = "req-" + std::to_string(n);
  for (int i = 0; i < 1000; ++i) {
    r.AddRead("data: {\"id\":\"chatcmpl-" + std::to_string(n) +
                  "\",\"object\":\"chat.completion.chunk\",\"created\":1732780000,\"model\":\"m\","
                  "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" w" + std::to_string((n * 31 + i) % 997) +
                  "\"},\"finish_reason\":null}]}\n\n",
              r.send_mono_ns + 1000 * i + (i * 7919) % 333, static_cast<uint32_t>(i));
  }
  return r;
}

// The compressed spill (issue #23) gives back every byte of every record — what
// profile_export.json is made of — over many blocks, and is much smaller than the bytes.
TEST(RawSpillTest, SseRecordsRoundTripThroughCompressedBlocks) {
  test::TempDir dir;
  RawSpill spill(dir.path().string());
  constexpr int kRecords = 150;  // ~26 MB of records: many 1 MiB blocks and a partial tail
  RawRecord r;
  for (int n = 0; n < kRecords; ++n) {
    // Mostly taken, as the load's records are; every third copied, as a session's turn is.
    const bool take = n % 3 != 0;
    r = SseRecord(n);
    spill.Write(r, take);
    EXPECT_EQ(r.bytes.empty(), take) << n;
  }
  RawRecord back;
  for (int n = 0; n < kRecords; ++n) {
    ASSERT_TRUE(spill.Read(back)) << n;
    ExpectSame(back, SseRecord(n));
  }
  EXPECT_FALSE(spill.Read(back));
  EXPECT_FALSE(spill.failed());
  EXPECT_GT(spill.file().bytes(), 20u * SpillFile::kBufferSize);
  EXPECT_LT(spill.file().stored_bytes() * 4, spill.file().bytes()) << "SSE bodies compress more than 4 times";
}

// A body packed as it arrived (transport/packed_body) comes back from the spill whole, the
// same record as one that was never packed.
TEST(RawSpillTest, PackedBodiesComeBackUnpacked) {
  test::TempDir dir;
  RawSpill spill(dir.path().string());
  std::string staging;
  for (int n = 0; n < 6; ++n) {
    const RawRecord plain = SseRecord(n);
    RawRecord r = plain;
    r.bytes.clear();
    r.read_end.clear();
    r.packable = true;
    for (size_t i = 0; i < plain.read_end.size(); i += 100) {  // reads of 100 events
      const size_t last = std::min(i + 99, plain.read_end.size() - 1);
      const uint32_t begin = i == 0 ? 0 : plain.read_end[i - 1];
      std::string& target = ReadTarget(r, plain.read_end[last] - begin, staging);
      target.append(plain.bytes, begin, plain.read_end[last] - begin);
      SettleRead(r, target);
      for (size_t k = i; k <= last; ++k) r.read_end.push_back(plain.read_end[k]);
    }
    ASSERT_GT(r.packed_bytes, 0u);
    spill.Write(r, /*take_bytes=*/n % 2 == 0);
  }
  RawRecord back;
  for (int n = 0; n < 6; ++n) {
    ASSERT_TRUE(spill.Read(back)) << n;
    ExpectSame(back, SseRecord(n));
    EXPECT_TRUE(back.packed.empty());
  }
  EXPECT_FALSE(spill.Read(back));
}

}  // namespace
}  // namespace bench
