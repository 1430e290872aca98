#include "dataset/text_batches.h"

#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

std::vector<std::string> Texts(int n) {
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) texts.push_back("t" + std::to_string(i));
  return texts;
}

TEST(TextBatchesTest, BatchOfOneIsOneRowPerTextInOrder) {
  RandomStream rng(0);
  auto rows = BatchRowsFromTexts(Texts(3), 1, 100, "f.jsonl", rng);
  ASSERT_TRUE(rows.ok()) << rows.error;
  // GenAI-Perf ignores --num-dataset-entries for a file with batch 1: every line is a row.
  ASSERT_EQ(rows.value.size(), 3u);
  EXPECT_EQ(rows.value[0], TextRow{"t0"});
  EXPECT_EQ(rows.value[2], TextRow{"t2"});
}

TEST(TextBatchesTest, LargerBatchSamplesNumEntriesRowsWithoutReplacement) {
  RandomStream rng(7);
  auto rows = BatchRowsFromTexts(Texts(5), 4, 6, "f.jsonl", rng);
  ASSERT_TRUE(rows.ok()) << rows.error;
  ASSERT_EQ(rows.value.size(), 6u);
  std::set<std::string> seen_anywhere;
  for (const TextRow& row : rows.value) {
    ASSERT_EQ(row.size(), 4u);
    const std::set<std::string> distinct(row.begin(), row.end());
    EXPECT_EQ(distinct.size(), 4u);  // no text twice in one request
    seen_anywhere.insert(row.begin(), row.end());
  }
  EXPECT_EQ(seen_anywhere.size(), 5u);
}

TEST(TextBatchesTest, SameSeedSameRows) {
  RandomStream a(3), b(3);
  EXPECT_EQ(BatchRowsFromTexts(Texts(9), 3, 4, "f", a).value, BatchRowsFromTexts(Texts(9), 3, 4, "f", b).value);
}

TEST(TextBatchesTest, BatchLargerThanTheFileNamesFlagAndFile) {
  RandomStream rng(0);
  auto rows = BatchRowsFromTexts(Texts(2), 3, 10, "dir/passages.jsonl", rng);
  EXPECT_EQ(rows.error, "--batch-size-text 3: larger than the 2 texts in dir/passages.jsonl");
}

TEST(TextBatchesTest, SampleWithoutReplacementTakesEachItemOnce) {
  RandomStream rng(1);
  const auto all = SampleWithoutReplacement(Texts(6), 6, rng);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 6u);
}

TEST(TextBatchesTest, JsonlFilesInDirectoryAreSortedAndFiltered) {
  test::TempDir dir;
  for (const char* name : {"queries.jsonl", "passages.jsonl", "notes.txt"}) std::ofstream(dir.path() / name) << "\n";
  const auto files = JsonlFilesIn(dir.path().string());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(std::filesystem::path(files[0]).filename(), "passages.jsonl");
  EXPECT_EQ(std::filesystem::path(files[1]).filename(), "queries.jsonl");
}

}  // namespace
}  // namespace bench
