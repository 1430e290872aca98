#include "cluster/record_gather.h"

#include <deque>
#include <memory>
#include <tuple>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

// Ranks in one process: what a rank sends to the root waits in a shared queue.
struct Wire {
  std::deque<std::tuple<std::string, int, bool>> messages;
  size_t largest = 0;
};

class FakeCluster : public Cluster {
 public:
  FakeCluster(int rank, int size, Wire& wire) : rank_(rank), size_(size), wire_(wire) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string host() const override { return "h" + std::to_string(rank_); }
  bool AllGather(const std::string&, std::vector<std::string>&, double) override { return false; }
  bool Broadcast(std::string&, double) override { return false; }
  bool MeasureClockOffsets(int, std::vector<ClockOffset>&, double) override { return false; }
  bool SendToRoot(const std::string& bytes, bool last) override {
    wire_.largest = std::max(wire_.largest, bytes.size());
    wire_.messages.emplace_back(bytes, rank_, last);
    return true;
  }
  bool ReceiveAtRoot(std::string& bytes, int& source, bool& last, double) override {
    if (wire_.messages.empty()) return false;  // silence
    std::tie(bytes, source, last) = wire_.messages.front();
    wire_.messages.pop_front();
    return true;
  }
  void Abort(int) override {}

 private:
  int rank_;
  int size_;
  Wire& wire_;
};

class CollectSink : public RecordSink {
 public:
  void Add(RequestRecord&& record) override { records.push_back(std::move(record)); }
  std::vector<RequestRecord> records;
};

RequestRecord At(int64_t send_ns, int64_t end_ns, bool failed = false) {
  RequestRecord r;
  r.timestamp_ns = send_ns;
  r.response_timestamps = {end_ns};
  r.response_outputs = test::ResponseOutputs({std::string(100, 'x')});
  if (failed) r.error = RequestError{ErrorKind::kHttpStatus, 500, "x"};
  return r;
}

TEST(RecordGatherTest, EveryRanksRecordsReachTheRootSinkInBoundedChunksWithPerRankTallies) {
  Wire wire;
  FakeCluster root(0, 3, wire);
  FakeCluster one(1, 3, wire);
  FakeCluster two(2, 3, wire);
  ForwardSink from_one(one, /*chunk_bytes=*/1000);
  ForwardSink from_two(two, /*chunk_bytes=*/1000);
  for (int k = 0; k < 50; ++k) from_one.Add(At(1'000'000'000 + k, 2'000'000'000 + k, k == 3));
  for (int k = 0; k < 20; ++k) from_two.Add(At(1'500'000'000, 1'750'000'000));
  ASSERT_TRUE(from_one.Finish({{"recorded", 50}}));
  ASSERT_TRUE(from_two.Finish({{"recorded", 20}}));
  EXPECT_LT(wire.largest, 1200u);  // one record past the chunk size at most
  EXPECT_GT(wire.messages.size(), 4u);

  CollectSink sink;
  std::vector<RankTally> tallies(1);
  const GatherResult result = GatherAtRoot(root, sink, tallies, 1);
  EXPECT_EQ(sink.records.size(), 70u);
  EXPECT_TRUE(result.lost.empty());
  EXPECT_TRUE(result.error.empty());
  ASSERT_EQ(tallies.size(), 3u);
  EXPECT_EQ(tallies[1].requests, 50);
  EXPECT_EQ(tallies[1].errors, 1);
  EXPECT_EQ(tallies[2].requests, 20);
  EXPECT_DOUBLE_EQ(tallies[2].Throughput(), 20 / 0.25);
  EXPECT_EQ(result.summaries[1]["recorded"], 50);
  EXPECT_TRUE(result.summaries[0].is_null());
}

TEST(RecordGatherTest, ARankThatNeverFinishesIsReportedLost) {
  Wire wire;
  FakeCluster root(0, 3, wire);
  FakeCluster one(1, 3, wire);
  ForwardSink from_one(one);
  from_one.Add(At(1, 2));
  ASSERT_TRUE(from_one.Finish(nlohmann::json::object()));
  CollectSink sink;
  std::vector<RankTally> tallies;
  const GatherResult result = GatherAtRoot(root, sink, tallies, 0.01);
  EXPECT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(result.lost, std::vector<int>{2});
}

}  // namespace
}  // namespace bench
