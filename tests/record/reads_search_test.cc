#include "record/reads_search.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

// The reads in the general form: each output also holds its index, so none is compact.
bench::ResponseOutputs General(const std::vector<std::string>& reads) {
  std::vector<nlohmann::json> outputs;
  for (size_t i = 0; i < reads.size(); ++i) outputs.push_back({{"response", reads[i]}, {"read", i}});
  return bench::ResponseOutputs::FromJson(std::move(outputs));
}

// Both forms of the same reads.
std::vector<bench::ResponseOutputs> BothForms(const std::vector<std::string>& reads) {
  return {test::ResponseOutputs(reads), General(reads)};
}

// The key found wherever the reads are cut: inside one read, across two, across three (a read
// shorter than the key in the middle), and in bare-string outputs.
TEST(ReadsSearchTest, FindsTheKeyWhereverTheReadsAreCut) {
  const std::string text = R"(data: {"choices":[{"delta":{"reasoning_content":"a"}}]})";
  const std::string key = "\"reasoning";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    for (const auto& two : BothForms({text.substr(0, cut), text.substr(cut)})) {
      EXPECT_TRUE(ReadsContain(two, key, 1, key.size() - 1)) << cut << " compact " << two.compact();
    }
    for (size_t second = cut; second <= std::min(text.size(), cut + 4); ++second) {
      for (const auto& three : BothForms({text.substr(0, cut), text.substr(cut, second - cut), text.substr(second)})) {
        EXPECT_TRUE(ReadsContain(three, key)) << cut << " " << second << " compact " << three.compact();
      }
    }
  }
  const auto bare = bench::ResponseOutputs::FromJson({text.substr(0, 30), text.substr(30)});
  ASSERT_FALSE(bare.compact());
  EXPECT_TRUE(ReadsContain(bare, key));
}

TEST(ReadsSearchTest, AbsentKeyAndNearMissesAreNotFound) {
  const std::string text = R"(data: {"choices":[{"delta":{"content":"no reasoning"},"finish_reason":null}]})";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    for (const auto& two : BothForms({text.substr(0, cut), text.substr(cut)})) {
      EXPECT_FALSE(ReadsContain(two, "\"reasoning")) << cut << " compact " << two.compact();
    }
  }
  // The bytes of a key split over two requests' worth of reads with something between them.
  for (const auto& four : BothForms({"x\"reas", "", "X", "oning"})) EXPECT_FALSE(ReadsContain(four, "\"reasoning"));
  EXPECT_FALSE(ReadsContain(bench::ResponseOutputs(), "\"timings\""));
  // Outputs under another key hold no response strings.
  EXPECT_FALSE(ReadsContain(test::ResponseOutputs("text_output", {text}), "\"content"));
  EXPECT_TRUE(ReadsContain(test::ResponseOutputs({text}), "\"content"));
}

TEST(ReadsSearchTest, BodyKeysAreFoundOnlyWhereTheyStartInTheRange) {
  const std::string text = R"({"error":1,"x":"\"reasoning","timings":{}})";
  EXPECT_EQ(BodyKeysStartingIn(text, 0, text.size()), unsigned{kErrorKey | kReasoningKey | kTimingsKey});
  const size_t timings = text.find("\"timings\"");
  EXPECT_EQ(BodyKeysStartingIn(text, timings, timings + 1), unsigned{kTimingsKey});  // runs on past the range
  EXPECT_EQ(BodyKeysStartingIn(text, timings + 1, text.size()), 0u);
  EXPECT_EQ(BodyKeysStartingIn(text, 0, text.size(), kReasoningKey), unsigned{kReasoningKey});
  EXPECT_EQ(BodyKeysStartingIn(R"({"errors":1,"reasonin)", 0, 21), 0u);
}

TEST(ReadsSearchTest, ARecordsReadingAnswersForItsReads) {
  RequestRecord r;
  r.response_outputs = test::ResponseOutputs({"data: {\"timin", "gs\":{}}\n\n"});
  EXPECT_TRUE(ReadsContain(r, kTimingsKey));
  EXPECT_FALSE(ReadsContain(r, kReasoningKey));
  // The body check's walk noted the keys: they are not searched again.
  r.reading = BodyReading{};
  r.reading->keys = kReasoningKey;
  EXPECT_FALSE(ReadsContain(r, kTimingsKey));
  EXPECT_TRUE(ReadsContain(r, kReasoningKey));
}

}  // namespace
}  // namespace bench
