#include "record/response_outputs.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

TEST(ResponseOutputsTest, TextsLieBackToBackUnderOneKey) {
  ResponseOutputs o;
  EXPECT_TRUE(o.empty());
  EXPECT_EQ(o.Key(), "response");  // OpenAI's shape unless told otherwise
  o.AddText("data: a\n\n");
  o.AddText("");
  o.AddText("data: [DONE]\n\n");
  ASSERT_EQ(o.size(), 3u);
  EXPECT_TRUE(o.compact());
  EXPECT_EQ(o.Text(0), "data: a\n\n");
  EXPECT_EQ(o.Text(1), "");
  EXPECT_EQ(o.Text(2), "data: [DONE]\n\n");
  EXPECT_EQ(o.Texts(), "data: a\n\ndata: [DONE]\n\n");
  EXPECT_EQ(o.Output(0), (nlohmann::json{{"response", "data: a\n\n"}}));
  EXPECT_EQ(o.ToJson(), nlohmann::json::parse(R"([{"response":"data: a\n\n"},{"response":""},{"response":"data: [DONE]\n\n"}])"));

  ResponseOutputs triton("text_output");
  triton.AddText("I");
  triton.AddText(" like");
  EXPECT_EQ(triton.Key(), "text_output");
  EXPECT_EQ(triton.ToJson(), nlohmann::json::parse(R"([{"text_output":"I"},{"text_output":" like"}])"));
}

TEST(ResponseOutputsTest, AdoptsABodyAndItsReadEnds) {
  const ResponseOutputs o("response", "abcdef", {2, 2, 5});
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o.Text(0), "ab");
  EXPECT_EQ(o.Text(1), "");
  EXPECT_EQ(o.Text(2), "cde");
  EXPECT_EQ(o.Texts(), "abcde");  // nothing past the last read is kept
  // A body cut off at its size limit: the last reads end at its end.
  const ResponseOutputs cut("response", "abc", {2, 5, 9});
  ASSERT_EQ(cut.size(), 3u);
  EXPECT_EQ(cut.Text(0), "ab");
  EXPECT_EQ(cut.Text(1), "c");
  EXPECT_EQ(cut.Text(2), "");
  EXPECT_TRUE(ResponseOutputs("response", "abc", {}).empty());
  EXPECT_EQ(ResponseOutputs("response", "abc", {}).Texts(), "");
}

TEST(ResponseOutputsTest, AFileIsCompactOnlyWhenEveryOutputIsOneSameKeyAndAString) {
  struct Case {
    const char* outputs;
    bool compact;
  };
  const Case cases[] = {
      {R"([])", true},
      {R"([{"response":"a"},{"response":""}])", true},
      {R"([{"text_output":"x"}])", true},
      {R"([{"":"x"}])", true},
      {R"([{"response":"a"},{"text_output":"b"}])", false},          // mixed keys
      {R"([{"response":"a","extra":1}])", false},                    // several keys
      {R"([{"response":null}])", false},                             // not a string
      {R"([{"text_output":["a","b"]}])", false},                     // batched BYTES
      {R"([{"output_ids":[1,2]},{"output_ids":3}])", false},         // the TRT-LLM C API
      {R"(["data: a", {"response":"b"}])", false},                   // a bare string
      {R"([{}])", false},
      {R"([{"response":"a"},7])", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.outputs);
    const nlohmann::json given = nlohmann::json::parse(c.outputs);
    const ResponseOutputs o = ResponseOutputs::FromJson(given.get<std::vector<nlohmann::json>>());
    EXPECT_EQ(o.compact(), c.compact);
    EXPECT_EQ(o.size(), given.size());
    EXPECT_EQ(o.ToJson(), given);  // kept exactly as read, either way
  }
  const ResponseOutputs text = ResponseOutputs::FromJson({{{"text_output", "x"}}, {{"text_output", "yz"}}});
  EXPECT_EQ(text.Key(), "text_output");
  EXPECT_EQ(text.Texts(), "xyz");
}

TEST(ResponseOutputsTest, ResponseStringsAndStringsUnderAKeyInBothForms) {
  const ResponseOutputs compact = test::ResponseOutputs({"a", "b"});
  EXPECT_EQ(compact.ResponseString(1), "b");
  EXPECT_EQ(compact.StringAt(0, "response"), "a");
  EXPECT_EQ(compact.StringAt(0, "text_output"), std::nullopt);
  const ResponseOutputs triton = test::ResponseOutputs("text_output", {"t"});
  EXPECT_EQ(triton.ResponseString(0), "");  // only {"response": ...} and bare strings are responses
  EXPECT_EQ(triton.StringAt(0, "text_output"), "t");

  const ResponseOutputs general = ResponseOutputs::FromJson(
      {nlohmann::json{{"response", "a"}, {"n", 1}}, nlohmann::json("bare"), nlohmann::json{{"response", 5}}, nlohmann::json{{"text_output", "t"}}});
  ASSERT_FALSE(general.compact());
  EXPECT_EQ(general.Key(), "");
  EXPECT_EQ(general.ResponseString(0), "a");
  EXPECT_EQ(general.ResponseString(1), "bare");
  EXPECT_EQ(general.ResponseString(2), "");
  EXPECT_EQ(general.ResponseString(3), "");
  EXPECT_EQ(general.StringAt(0, "response"), "a");
  EXPECT_EQ(general.StringAt(1, "response"), std::nullopt);  // a bare string holds no key
  EXPECT_EQ(general.StringAt(2, "response"), std::nullopt);
  EXPECT_EQ(general.StringAt(3, "text_output"), "t");
  EXPECT_EQ(general.Json(2), (nlohmann::json{{"response", 5}}));
  EXPECT_EQ(general.Output(0), (nlohmann::json{{"response", "a"}, {"n", 1}}));
}

TEST(ResponseOutputsTest, EqualMeansTheSameOutputs) {
  EXPECT_EQ(test::ResponseOutputs({"ab", "c"}), test::ResponseOutputs({"ab", "c"}));
  EXPECT_NE(test::ResponseOutputs({"ab", "c"}), test::ResponseOutputs({"a", "bc"}));  // other reads
  EXPECT_NE(test::ResponseOutputs({"a"}), test::ResponseOutputs("text_output", {"a"}));
  EXPECT_EQ(ResponseOutputs(), ResponseOutputs("text_output"));  // no outputs under either key
  EXPECT_EQ(ResponseOutputs::FromJson({}), ResponseOutputs());
  EXPECT_EQ(test::ResponseOutputs({"a"}), ResponseOutputs::FromJson({{{"response", "a"}}}));
  const ResponseOutputs general = ResponseOutputs::FromJson({nlohmann::json{{"output_ids", {1, 2}}}});
  EXPECT_EQ(general, ResponseOutputs::FromJson({nlohmann::json{{"output_ids", {1, 2}}}}));
  EXPECT_NE(general, ResponseOutputs::FromJson({nlohmann::json{{"output_ids", {1}}}}));
  EXPECT_NE(general, test::ResponseOutputs({"a"}));
}

}  // namespace
}  // namespace bench
