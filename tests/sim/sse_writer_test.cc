// The simulator's stream bytes: the head, chunk framing, the event count the send log stamps,
// and the faults that reshape events.

#include "sim/sse_writer.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(SimSseWriterTest, FramesEachEventAsOneChunkAndCountsThem) {
  SimSseWriter w;
  w.Append("data: a\n\n");
  w.Emit("data: bc\n\n", SimFaultKind::kNone);
  w.End();
  EXPECT_EQ(w.bytes(), "9\r\ndata: a\n\n\r\na\r\ndata: bc\n\n\r\n0\r\n\r\n");
  EXPECT_EQ(w.TakeEvents(), 2);
  EXPECT_EQ(w.TakeEvents(), 0);
}

TEST(SimSseWriterTest, ClearKeepsTheEventCountUntilTaken) {
  SimSseWriter w;
  w.Append("x");
  w.Clear();
  EXPECT_EQ(w.bytes(), "");
  EXPECT_EQ(w.TakeEvents(), 1);
}

TEST(SimSseWriterTest, HeadSaysCloseOnlyWithoutKeepAlive) {
  SimSseWriter w;
  w.Head(/*keep_alive=*/true);
  EXPECT_EQ(w.bytes().find("Connection: close"), std::string::npos);
  EXPECT_TRUE(w.bytes().starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_TRUE(w.bytes().ends_with("Transfer-Encoding: chunked\r\n\r\n"));
  w.Head(/*keep_alive=*/false);
  EXPECT_TRUE(w.bytes().ends_with("Connection: close\r\n\r\n"));
  EXPECT_EQ(w.TakeEvents(), 0);
}

TEST(SimSseWriterTest, StreamFormatFaultsReshapeEmittedEvents) {
  SimSseWriter w;
  w.Emit("data: {}\n\n", SimFaultKind::kSseNoBlankLine);
  EXPECT_EQ(w.bytes(), "9\r\ndata: {}\n\r\n");
  w.Clear();
  w.Emit("data: {}\n\n", SimFaultKind::kSseComments);
  EXPECT_NE(w.bytes().find(": comment line inside an event\ndata: {}\n\n"), std::string::npos);
}

TEST(SimSseWriterTest, FirstContentEventFaults) {
  const std::string event = "data: {\"a\":1}\n\n";
  EXPECT_EQ(FirstContentEvent(event, SimFault{}), event);
  EXPECT_NE(FirstContentEvent(event, SimFault{SimFaultKind::kInvalidJsonChunk, 0}), event);
  EXPECT_GE(FirstContentEvent(event, SimFault{SimFaultKind::kBigChunk, 1000}).size(), 1000u);
}

}  // namespace
}  // namespace bench
