#include "util/rich_table.h"

#include <gtest/gtest.h>

#include <string>

#include "exporter_case.h"

namespace bench {
namespace {

// tests/data/rich_table/cases.json: random tables (widths 15..150, wrapping, ellipsis,
// max_width, no_wrap, all three justifications) printed by rich 13.3.1 through
// Console(width=W, color_system=None); regenerate with generate_cases.py beside it.
TEST(RichTableTest, MatchesRichOnRecordedTables) {
  const auto cases = nlohmann::json::parse(testing::ReadFileBytes(
      std::filesystem::path(BENCH_TEST_DATA_DIR) / "rich_table" / "cases.json"));
  ASSERT_GT(cases.size(), 10u);
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    RichTable table(c.at("title").get<std::string>());
    for (const auto& col : c.at("columns")) {
      RichColumn column;
      column.header = col.at("header");
      const std::string justify = col.at("justify");
      column.justify = justify == "left"    ? Justify::kLeft
                       : justify == "right" ? Justify::kRight
                                            : Justify::kCenter;
      if (!col.at("max_width").is_null()) column.max_width = col.at("max_width").get<int>();
      column.no_wrap = col.at("no_wrap");
      table.AddColumn(column);
    }
    for (const auto& row : c.at("rows")) table.AddRow(row.get<std::vector<std::string>>());
    const std::string expected = c.at("expected");
    const std::string actual = table.Render(c.at("width"));
    EXPECT_EQ(actual, expected) << "case " << i << " width " << c.at("width") << "\n--- expected\n"
                                << expected << "--- actual\n" << actual;
  }
}

TEST(RichTableTest, TitleCentredWithTrailingSpaces) {
  RichTable table("ab");
  table.AddColumn({"x", Justify::kRight, {}, false});
  table.AddRow({"12345"});
  EXPECT_EQ(table.Render(100),
            "   ab    \n"
            "┏━━━━━━━┓\n"
            "┃     x ┃\n"
            "┡━━━━━━━┩\n"
            "│ 12345 │\n"
            "└───────┘\n");
}

}  // namespace
}  // namespace bench
