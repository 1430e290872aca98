#include "dataset/inputs.h"

#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"
#include "test_util.h"

namespace bench {
namespace {

TEST(ExtraInputsTest, TypesValuesLikeGenAiPerf) {
  auto r = ParseExtraInputs({"ignore_eos:true", "min_tokens:100", "temperature:0.5", "stop:END",
                             "flag", "neg:-1", "off:false"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value["ignore_eos"], true);
  EXPECT_EQ(r.value["min_tokens"], 100);
  EXPECT_TRUE(r.value["min_tokens"].is_number_integer());
  EXPECT_DOUBLE_EQ(r.value["temperature"].get<double>(), 0.5);
  EXPECT_EQ(r.value["stop"], "END");
  EXPECT_TRUE(r.value["flag"].is_null());
  EXPECT_EQ(r.value["neg"], -1);
  EXPECT_EQ(r.value["off"], false);
  // Order of first appearance is kept (it becomes the body's key order).
  EXPECT_EQ(r.value.begin().key(), "ignore_eos");
}

TEST(ExtraInputsTest, JsonObjectIsMerged) {
  auto r = ParseExtraInputs({R"({"stop": ["a:b"], "nested": {"x": 1}})", "max_tokens:5"});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.value["stop"][0], "a:b");
  EXPECT_EQ(r.value["nested"]["x"], 1);
  EXPECT_EQ(r.value["max_tokens"], 5);
}

TEST(ExtraInputsTest, ErrorsNameTheProblem) {
  EXPECT_NE(ParseExtraInputs({"a:1", "a:2"}).error.find("more than once"), std::string::npos);
  EXPECT_NE(ParseExtraInputs({"url:http://x"}).error.find("single ':'"), std::string::npos);
  EXPECT_NE(ParseExtraInputs({"{not json"}).error.find("not a valid JSON object"), std::string::npos);
  EXPECT_NE(ParseExtraInputs({":5"}).error.find("empty"), std::string::npos);
}

TEST(GoodputTest, ParsesPairsAndRejectsJunk) {
  auto ok = ParseGoodput({"time_to_first_token:100", "output_token_throughput_per_user:5.5"});
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok.value.size(), 2u);
  EXPECT_EQ(ok.value[1].first, "output_token_throughput_per_user");
  EXPECT_DOUBLE_EQ(ok.value[1].second, 5.5);
  EXPECT_FALSE(ParseGoodput({"ttft"}).ok());
  EXPECT_FALSE(ParseGoodput({"ttft:abc"}).ok());
  EXPECT_FALSE(ParseGoodput({"ttft:10ms"}).ok());
}

TEST(InputFileTest, ReadsTextAndTextInputAndNamesBadLines) {
  test::TempDir dir;
  const auto path = dir.path() / "prompts.jsonl";
  std::ofstream(path) << "{\"text\": \"  What is the capital of France? \"}\n\n{\"text_input\": \"Tell me a joke.\"}\n";
  auto r = ReadInputFile(path.string());
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.value.size(), 2u);
  EXPECT_EQ(r.value[0].text, "What is the capital of France?");
  EXPECT_EQ(r.value[1].text, "Tell me a joke.");

  std::ofstream(path) << "{\"text\": \"ok\"}\n{\"text\": 1}\n";
  EXPECT_EQ(ReadInputFile(path.string()).error, path.string() + ":2: 'text' must be a string");
  std::ofstream(path) << "{\"text\": \"a\", \"text_input\": \"b\"}\n";
  EXPECT_NE(ReadInputFile(path.string()).error.find(":1: both"), std::string::npos);
  std::ofstream(path) << "not json\n";
  EXPECT_EQ(ReadInputFile(path.string()).error, path.string() + ":1: not a JSON object");
  EXPECT_NE(ReadInputFile((dir.path() / "missing.jsonl").string()).error.find("cannot open"), std::string::npos);
}

DatasetOptions ChatConfig() {
  DatasetOptions c;
  c.models = {"m1"};
  c.streaming = true;
  c.num_dataset_entries = 3;
  c.synthetic_input_tokens_mean = 10;
  c.output_tokens_mean = 100;
  return c;
}

TEST(DatasetTest, ChatPayloadShapeAndKeyOrder) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.extra_inputs = ParseExtraInputs({"ignore_eos:true", "max_tokens:7"}).value;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 3u);
  const auto& p = d.value.payloads[0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : p.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"model", "messages", "stream", "max_tokens", "ignore_eos"}));
  EXPECT_EQ(p["max_tokens"], 7);  // extra inputs override in place
  EXPECT_EQ(p["messages"][0]["role"], "user");
  EXPECT_EQ(tok->CountTokens(p["messages"][0]["content"].get<std::string>()), 10u);
}

TEST(DatasetTest, CompletionsPromptIsAListAndNoStreamKeyWhenNotStreaming) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.endpoint_type = "completions";
  c.streaming = false;
  c.output_tokens_mean.reset();
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok());
  const auto& p = d.value.payloads[0];
  EXPECT_TRUE(p["prompt"].is_array());
  EXPECT_FALSE(p.contains("stream"));
  EXPECT_FALSE(p.contains("max_tokens"));
}

TEST(DatasetTest, RoundRobinModelsAndSampledMaxTokensAtLeastOne) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.models = {"a", "b"};
  c.num_dataset_entries = 50;
  c.output_tokens_mean = 2;
  c.output_tokens_stddev = 10;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok());
  for (size_t i = 0; i < d.value.payloads.size(); ++i) {
    EXPECT_EQ(d.value.payloads[i]["model"], i % 2 == 0 ? "a" : "b");
    EXPECT_GE(d.value.payloads[i]["max_tokens"].get<int>(), 1);
  }
}

TEST(DatasetTest, InputsJsonWrapsEachPayload) {
  auto tok = MakeBuiltinTokenizer();
  auto d = BuildDataset(ChatConfig(), *tok);
  ASSERT_TRUE(d.ok());
  const auto j = nlohmann::json::parse(InputsJson(d.value));
  ASSERT_EQ(j["data"].size(), 3u);
  EXPECT_EQ(j["data"][1]["payload"][0]["model"], "m1");
}

TEST(DatasetTest, PrefixPromptsGiveExactlyPrefixPlusIslTokens) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.num_dataset_entries = 20;
  c.synthetic_input_tokens_mean = 40;
  c.synthetic_input_tokens_stddev = 10;
  c.num_prefix_prompts = 2;
  c.prefix_prompt_length = 25;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  EXPECT_EQ(d.value.inexact_prompts, 0u);
  std::set<std::string> prefixes;
  for (const auto& p : d.value.payloads) {
    const std::string text = p["messages"][0]["content"];
    // Each prompt starts with one of two 25-token prefixes; the prefix is the first 25 tokens.
    const auto ids = tok->Encode(text, false);
    ASSERT_GE(ids.size(), 25u);
    prefixes.insert(tok->Decode(std::vector<int32_t>(ids.begin(), ids.begin() + 25), true));
  }
  EXPECT_LE(prefixes.size(), 2u);
}

TEST(DatasetTest, SessionsGetOnePromptPerTurnAndOnlyFirstTurnsAPrefix) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.session_concurrency = 2;
  c.num_sessions = 3;
  c.session_turns_mean = 3;
  c.session_turn_delay_mean = 40;
  c.synthetic_input_tokens_mean = 30;
  c.num_prefix_prompts = 1;
  c.prefix_prompt_length = 20;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.sessions.size(), 3u);
  ASSERT_EQ(d.value.payloads.size(), 9u);  // --num-dataset-entries is replaced by the turns
  ASSERT_EQ(d.value.metadata.size(), 9u);
  for (const SessionSpec& s : d.value.sessions) {
    ASSERT_EQ(s.entries.size(), 3u);
    for (size_t t = 0; t < 3; ++t) {
      const std::string text = d.value.payloads[s.entries[t]]["messages"][0]["content"];
      EXPECT_EQ(tok->CountTokens(text), t == 0 ? 50u : 30u) << t;  // the prefix only on the first turn
      const auto& meta = d.value.metadata[s.entries[t]];
      EXPECT_EQ(meta["session_id"], s.id);
      if (t < 2) {
        EXPECT_EQ(meta["delay"], 40);
      } else {
        EXPECT_FALSE(meta.contains("delay"));
      }
    }
  }
}

TEST(DatasetTest, SameSeedSameDatasetAndSampledLengthsAreExact) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.num_dataset_entries = 30;
  c.synthetic_input_tokens_mean = 300;
  c.synthetic_input_tokens_stddev = 100;
  c.output_tokens_stddev = 20;
  c.random_seed = 11;
  auto a = BuildDataset(c, *tok);
  auto b = BuildDataset(c, *tok);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(InputsJson(a.value), InputsJson(b.value));
  c.random_seed = 12;
  EXPECT_NE(InputsJson(a.value), InputsJson(BuildDataset(c, *tok).value));
  EXPECT_EQ(a.value.inexact_prompts, 0u);
}

TEST(DatasetTest, TaskClipBoundsPromptLengthsAndMaxTokens) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = ChatConfig();
  c.num_dataset_entries = 40;
  c.synthetic_input_tokens_mean = 100;
  c.synthetic_input_tokens_stddev = 200;
  c.synthetic_input_tokens_clip = std::pair{50, 150};
  c.output_tokens_mean = 30;
  c.output_tokens_stddev = 100;
  c.output_tokens_clip = std::pair{10, 50};
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok());
  for (const auto& p : d.value.payloads) {
    const size_t n = tok->CountTokens(p["messages"][0]["content"].get<std::string>());
    EXPECT_GE(n, 50u);
    EXPECT_LE(n, 150u);
    EXPECT_GE(p["max_tokens"].get<int>(), 10);
    EXPECT_LE(p["max_tokens"].get<int>(), 50);
  }
}

}  // namespace
}  // namespace bench
