#include "pipeline/run_sinks.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

// Keeps what it is given.
class KeepingSink : public RecordSink {
 public:
  void Add(RequestRecord&& record) override { records.push_back(std::move(record)); }
  std::vector<RequestRecord> records;
};

// A request sent at `sent_ns` whose last read came at `end_ns` (epoch ns), failed or not.
RequestRecord Request(int64_t sent_ns, int64_t end_ns, bool failed = false) {
  RequestRecord r;
  r.timestamp_ns = sent_ns;
  r.response_timestamps = {end_ns};
  r.response_outputs = test::ResponseOutputs({"x"});
  if (failed) r.error = RequestError{};
  return r;
}

TEST(WindowedSinkTest, KeepsOnlyRequestsThatEndedInAClosedWindowAndCountsThemPerWindow) {
  WindowSettings settings;
  settings.interval_ms = 100;  // windows of 120 ms
  WindowController windows(settings);
  windows.Start({0, 0, 0});
  windows.Close({120'000'000, 2, 2'000'000});
  windows.Close({240'000'000, 4, 4'000'000});
  // Monotonic 0 is epoch 1,000 s: the records carry epoch times.
  const int64_t epoch = 1'000'000'000'000;
  const EpochAnchor anchor(epoch, 0);
  KeepingSink inner;
  WindowedSink sink(inner, windows, anchor);
  sink.Add(Request(epoch + 10'000'000, epoch + 50'000'000));             // window 0
  sink.Add(Request(epoch + 60'000'000, epoch + 130'000'000, true));      // window 1, failed
  sink.Add(Request(epoch + 200'000'000, epoch + 230'000'000));           // window 1
  sink.Add(Request(epoch + 220'000'000, epoch + 300'000'000));           // after the last window
  EXPECT_EQ(inner.records.size(), 3u);
  EXPECT_EQ(sink.dropped(), 1u);
  EXPECT_EQ(sink.requests(0), 1);
  EXPECT_EQ(sink.requests(1), 2);
  EXPECT_EQ(sink.errors(0), 0);
  EXPECT_EQ(sink.errors(1), 1);
  EXPECT_EQ(sink.requests(7), 0);  // no such window
}

}  // namespace
}  // namespace bench
