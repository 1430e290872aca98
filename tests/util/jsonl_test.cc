#include "util/jsonl.h"

#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

TEST(StripTest, TrimsBothEnds) {
  EXPECT_EQ(Strip("  a b \t\n"), "a b");
  EXPECT_EQ(Strip(" \t "), "");
  EXPECT_EQ(Strip(""), "");
}

TEST(ForEachJsonlLineTest, SkipsBlankLinesButCountsThem) {
  test::TempDir dir;
  const auto path = (dir.path() / "in.jsonl").string();
  std::ofstream(path) << "{\"a\":1}\n\n   \n{\"a\":2}\n";
  std::vector<int> lines;
  const JsonlRead r = ForEachJsonlLine(path, [&](int line_no, const std::string&) {
    lines.push_back(line_no);
    return std::string();
  });
  EXPECT_TRUE(r.opened);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(lines, (std::vector<int>{1, 4}));
}

TEST(ForEachJsonlLineTest, StopsAtTheFirstErrorNamingFileAndLine) {
  test::TempDir dir;
  const auto path = (dir.path() / "in.jsonl").string();
  std::ofstream(path) << "ok\nbad\nnever\n";
  int calls = 0;
  const JsonlRead r = ForEachJsonlLine(path, [&](int, const std::string& line) {
    ++calls;
    return line == "bad" ? std::string("field 'x': broken") : std::string();
  });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(r.error, path + ":2: field 'x': broken");
}

TEST(ForEachJsonlLineTest, ReportsAFileThatCannotBeOpened) {
  const JsonlRead r = ForEachJsonlLine("/nonexistent/in.jsonl", [](int, const std::string&) { return std::string(); });
  EXPECT_FALSE(r.opened);
  EXPECT_EQ(r.error, "");
}

}  // namespace
}  // namespace bench
