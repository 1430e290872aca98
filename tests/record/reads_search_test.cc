#include "record/reads_search.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

using test::ResponseOutputs;

// The key found wherever the reads are cut: inside one read, across two, across three (a read
// shorter than the key in the middle), and in bare-string outputs.
TEST(ReadsSearchTest, FindsTheKeyWhereverTheReadsAreCut) {
  const std::string text = R"(data: {"choices":[{"delta":{"reasoning_content":"a"}}]})";
  const std::string key = "\"reasoning";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_TRUE(ReadsContain(ResponseOutputs({text.substr(0, cut), text.substr(cut)}), key, 1, key.size() - 1)) << cut;
    for (size_t second = cut; second <= std::min(text.size(), cut + 4); ++second) {
      const auto three = ResponseOutputs({text.substr(0, cut), text.substr(cut, second - cut), text.substr(second)});
      EXPECT_TRUE(ReadsContain(three, key)) << cut << " " << second;
    }
  }
  std::vector<nlohmann::json> bare = {text.substr(0, 30), text.substr(30)};
  EXPECT_TRUE(ReadsContain(bare, key));
}

TEST(ReadsSearchTest, AbsentKeyAndNearMissesAreNotFound) {
  const std::string text = R"(data: {"choices":[{"delta":{"content":"no reasoning"},"finish_reason":null}]})";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_FALSE(ReadsContain(ResponseOutputs({text.substr(0, cut), text.substr(cut)}), "\"reasoning")) << cut;
  }
  // The bytes of a key split over two requests' worth of reads with something between them.
  EXPECT_FALSE(ReadsContain(ResponseOutputs({"x\"reas", "", "X", "oning"}), "\"reasoning"));
  EXPECT_FALSE(ReadsContain({}, "\"timings\""));
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
