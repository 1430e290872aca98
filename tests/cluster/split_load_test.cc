#include "cluster/split_load.h"

#include <algorithm>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "load/schedule.h"

namespace bench {
namespace {

LoadOptions Closed(int concurrency, int count, int warmup) {
  LoadOptions load;
  load.concurrency = concurrency;
  load.request_count = count;
  load.warmup_request_count = warmup;
  return load;
}

TEST(SplitLoadTest, CountsAndConcurrencySumExactlyWithTheRemainderToTheLowestRanks) {
  for (int size : {1, 2, 3, 4, 7}) {
    for (int concurrency : {7, 8, 9, 64}) {
      if (concurrency < size) continue;
      const LoadOptions load = Closed(concurrency, 1001, 13);
      int sum_c = 0, sum_n = 0, sum_w = 0;
      for (int r = 0; r < size; ++r) {
        const LoadShare share = SplitLoad(load, r, size);
        sum_c += share.load.concurrency;
        sum_n += share.load.request_count;
        sum_w += share.load.warmup_request_count;
        EXPECT_EQ(share.start_delay_ns, 0);
        if (r > 0) {
          EXPECT_LE(share.load.concurrency, SplitLoad(load, r - 1, size).load.concurrency);
        }
      }
      EXPECT_EQ(sum_c, concurrency) << size;
      EXPECT_EQ(sum_n, 1001) << size;
      EXPECT_EQ(sum_w, 13) << size;
    }
  }
  EXPECT_EQ(SplitLoad(Closed(10, 10, 0), 0, 4).load.concurrency, 3);
  EXPECT_EQ(SplitLoad(Closed(10, 10, 0), 1, 4).load.concurrency, 3);
  EXPECT_EQ(SplitLoad(Closed(10, 10, 0), 2, 4).load.concurrency, 2);
}

TEST(SplitLoadTest, OneRankIsTheLoadUnchanged) {
  const LoadOptions load = Closed(5, 100, 3);
  const LoadShare share = SplitLoad(load, 0, 1);
  EXPECT_EQ(share.load.concurrency, 5);
  EXPECT_EQ(share.load.request_count, 100);
  EXPECT_EQ(share.load.request_id_prefix, load.request_id_prefix);
}

TEST(SplitLoadTest, RequestIdPrefixesAreUniquePerRank) {
  std::set<std::string> prefixes;
  for (int r = 0; r < 4; ++r) prefixes.insert(SplitLoad(Closed(4, 4, 0), r, 4).load.request_id_prefix);
  EXPECT_EQ(prefixes.size(), 4u);
  EXPECT_EQ(SplitLoad(Closed(4, 4, 0), 2, 4).load.request_id_prefix, "bench-r2-");
}

TEST(SplitLoadTest, ConstantRateSchedulesInterleaveIntoTheRequestedSchedule) {
  LoadOptions load;
  load.request_rate = 40.0;  // 25 ms apart
  load.concurrency = 0;      // no in-flight cap stays none
  load.request_count = 103;
  const int size = 3;
  std::vector<int64_t> union_offsets;
  for (int r = 0; r < size; ++r) {
    const LoadShare share = SplitLoad(load, r, size);
    EXPECT_EQ(share.load.concurrency, 0);
    ASSERT_TRUE(share.load.request_rate);
    EXPECT_DOUBLE_EQ(*share.load.request_rate, 40.0 / size);
    for (int64_t offset : ArrivalOffsets(share.load.request_count, *share.load.request_rate, share.load.distribution,
                                         share.load.schedule_seed)) {
      union_offsets.push_back(offset + share.start_delay_ns);
    }
  }
  std::sort(union_offsets.begin(), union_offsets.end());
  const std::vector<int64_t> single = ArrivalOffsets(103, 40.0, ArrivalDistribution::kConstant, 0);
  ASSERT_EQ(union_offsets.size(), single.size());
  // Each rank's offsets are k * size / rate, rounded once; shifted by r / rate (rounded once):
  // within 2 ns of the single schedule's.
  for (size_t k = 0; k < single.size(); ++k) EXPECT_NEAR(union_offsets[k], single[k], 2) << k;
}

TEST(SplitLoadTest, PoissonRanksGetDistinctSeedsAndNoShift) {
  LoadOptions load;
  load.request_rate = 100.0;
  load.distribution = ArrivalDistribution::kPoisson;
  load.schedule_seed = 7;
  load.concurrency = 8;
  load.request_count = 10;
  const LoadShare a = SplitLoad(load, 0, 2);
  const LoadShare b = SplitLoad(load, 1, 2);
  EXPECT_EQ(a.start_delay_ns, 0);
  EXPECT_EQ(b.start_delay_ns, 0);
  EXPECT_NE(a.load.schedule_seed, b.load.schedule_seed);
  EXPECT_DOUBLE_EQ(*a.load.request_rate, 50.0);
  EXPECT_EQ(a.load.concurrency + b.load.concurrency, 8);
}

TEST(SplitLoadTest, DurationIsKept) {
  LoadOptions load = Closed(4, 10, 0);
  load.duration_s = 3.5;
  EXPECT_EQ(SplitLoad(load, 1, 2).load.duration_s, 3.5);
}

TEST(SplitLoadTest, CheckSplittableNamesWhatCannotBeSplit) {
  EXPECT_EQ(CheckSplittable(Closed(1, 1, 0), {}, 1), "");
  EXPECT_EQ(CheckSplittable(Closed(4, 4, 0), {}, 4), "");
  EXPECT_NE(CheckSplittable(Closed(3, 100, 0), {}, 4).find("--concurrency 3"), std::string::npos);
  EXPECT_NE(CheckSplittable(Closed(8, 3, 0), {}, 4).find("--request-count 3"), std::string::npos);
  EXPECT_NE(CheckSplittable(Closed(8, 8, 0), LoadKind{false, false, true}, 2).find("--measurement-interval"), std::string::npos);
  EXPECT_NE(CheckSplittable(Closed(8, 8, 0), LoadKind{false, true, false}, 2).find("--fixed-schedule"), std::string::npos);
  EXPECT_NE(CheckSplittable(Closed(8, 8, 0), LoadKind{true, false, false}, 2).find("sessions"), std::string::npos);
  LoadOptions timed = Closed(8, 1, 0);
  timed.duration_s = 2;
  EXPECT_EQ(CheckSplittable(timed, {}, 2), "");
}

}  // namespace
}  // namespace bench
