#include "record/response_parser.h"

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

using OJson = nlohmann::ordered_json;


OJson LoadJson(const std::string& path) { return test::ReadOrderedJson(path); }

ResponseOutputs Outputs(const OJson& list) {
  std::vector<nlohmann::json> out;
  for (const auto& o : list) out.push_back(nlohmann::json::parse(o.dump()));
  return ResponseOutputs::FromJson(std::move(out));
}

std::vector<std::string> Strings(const OJson& list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.get<std::string>());
  return out;
}

std::vector<int64_t> Ints(const OJson& list) {
  std::vector<int64_t> out;
  for (const auto& v : list) out.push_back(v.get<int64_t>());
  return out;
}

// The same outputs each holding one more key are kept in the general form: the same result.
void ExpectTheGeneralFormReadsAlike(ResponseFormat format, const ResponseOutputs& outputs,
                                    const std::vector<int64_t>& timestamps, const ProcessedResponses& r) {
  std::vector<nlohmann::json> extended;
  for (size_t i = 0; i < outputs.size(); ++i) {
    extended.push_back(outputs.Output(i));
    extended.back()["read"] = i;
  }
  const ResponseOutputs general = ResponseOutputs::FromJson(std::move(extended));
  ASSERT_FALSE(general.compact());
  const ProcessedResponses g = PreprocessResponses(format, general, timestamps);
  EXPECT_EQ(g.texts, r.texts);
  EXPECT_EQ(g.raw, r.raw);
  EXPECT_EQ(g.timestamps, r.timestamps);
  EXPECT_EQ(g.failed, r.failed);
}

// Runs one sse_* case and checks everything it records, asserted or observed.
void RunSseCase(const std::string& name) {
  SCOPED_TRACE(name);
  const OJson input = LoadJson(test::CasesDir().string() + "/" + name + "/input_response_outputs.json");
  const OJson expected = LoadJson(test::CasesDir().string() + "/" + name + "/expected.json")["asserted"];
  const std::optional<ResponseFormat> format =
      ResponseFormatFromName(input["context"]["response_format"].get<std::string>());
  ASSERT_TRUE(format.has_value());
  const ResponseOutputs outputs = Outputs(input["response_outputs"]);
  const std::vector<int64_t> timestamps = Ints(input["response_timestamps"]);
  const ProcessedResponses r = PreprocessResponses(*format, outputs, timestamps);

  EXPECT_EQ(r.failed, expected["failed"].get<size_t>());
  EXPECT_EQ(r.raw.size(), r.timestamps.size());
  // What the metrics call: the same responses without their raw strings.
  const ProcessedResponses dropped = PreprocessResponses(*format, outputs, timestamps, RawResponses::kDrop);
  EXPECT_TRUE(dropped.raw.empty());
  EXPECT_EQ(dropped.texts, r.texts);
  EXPECT_EQ(dropped.timestamps, r.timestamps);
  EXPECT_EQ(dropped.failed, r.failed);
  EXPECT_EQ(r.texts.size(), r.timestamps.size());
  if (expected.contains("responses_after")) {
    EXPECT_EQ(r.raw, Strings(expected["responses_after"]));
  }
  if (expected.contains("response_outputs[0].response")) {
    ASSERT_FALSE(r.raw.empty());
    EXPECT_EQ(r.raw[0], expected["response_outputs[0].response"].get<std::string>());
  }
  if (expected.contains("num_timestamps_after")) {
    EXPECT_EQ(r.timestamps.size(), expected["num_timestamps_after"].get<size_t>());
  }
  if (expected.contains("observed_not_asserted")) {
    const OJson& obs = expected["observed_not_asserted"];
    if (obs.contains("responses_after")) {
      EXPECT_EQ(r.raw, Strings(obs["responses_after"]));
    }
    if (obs.contains("response_timestamps_after")) {
      EXPECT_EQ(r.timestamps, Ints(obs["response_timestamps_after"]));
    }
    if (obs.contains("response_outputs_after")) {
      std::vector<std::string> after;
      for (const auto& o : obs["response_outputs_after"]) after.push_back(o["response"]);
      EXPECT_EQ(r.raw, after);
    }
  }
  // Every kept response's text is what ExtractText reads from it.
  for (size_t i = 0; i < r.raw.size(); ++i) {
    const TextExtraction t = ExtractText(*format, r.raw[i]);
    EXPECT_EQ(t.error, "");
    EXPECT_EQ(t.text, r.texts[i]);
    EXPECT_FALSE(t.text.empty());
  }
  ExpectTheGeneralFormReadsAlike(*format, outputs, timestamps, r);
}

TEST(ResponseParserTest, SseErrorEventSameChunk) { RunSseCase("sse_error_event_same_chunk"); }
TEST(ResponseParserTest, SseErrorEventSeparateChunk) { RunSseCase("sse_error_event_separate_chunk"); }
TEST(ResponseParserTest, SseMergeMultiEventChunkChat) { RunSseCase("sse_merge_multi_event_chunk_chat"); }
TEST(ResponseParserTest, SseMergeMultiEventChunkCompletions) {
  RunSseCase("sse_merge_multi_event_chunk_completions");
}
TEST(ResponseParserTest, SseNonDataFieldsCommentsEvents) {
  RunSseCase("sse_non_data_fields_comments_events");
}
TEST(ResponseParserTest, SseNonStreamingSingleJsonResponse) {
  RunSseCase("sse_non_streaming_single_json_response");
}
TEST(ResponseParserTest, SseSplinteredChat) { RunSseCase("sse_splintered_chat"); }
TEST(ResponseParserTest, SseSplinteredCompletions) { RunSseCase("sse_splintered_completions"); }
TEST(ResponseParserTest, SseSplinteredCutAfterDataPrefix) {
  RunSseCase("sse_splintered_cut_after_data_prefix");
}

TEST(ResponseParserTest, TextExtractionTable) {
  const OJson cases = LoadJson(test::CasesDir().string() + "/" + "text_extraction_table/input_cases.json");
  for (const auto& c : cases["extract_text_output"]) {
    const std::string response = c["response"];
    SCOPED_TRACE(c["response_format"].get<std::string>() + " " + response);
    const std::optional<ResponseFormat> format = ResponseFormatFromName(c["response_format"].get<std::string>());
    const bool expect_error = c["expect_error"];
    if (!format) {
      EXPECT_TRUE(expect_error);  // an unknown format is an error, as upstream's ValueError
      continue;
    }
    const TextExtraction t = ExtractText(*format, response);
    // Deliberate difference (docs/compatibility.md): TGI's /generate answers an object, which
    // GenAI-Perf (posting to the root path, which answers a list) rejects and bench reads.
    if (*format == ResponseFormat::kHuggingFaceGenerate && response == R"({"generated_text":"Hello"})") {
      EXPECT_EQ(t.error, "");
      EXPECT_EQ(t.text, "Hello");
      continue;
    }
    EXPECT_EQ(!t.error.empty(), expect_error) << t.error;
    if (!expect_error) {
      EXPECT_EQ(t.text, c["expected_text"].get<std::string>());
    }
  }
  for (const auto& c : cases["is_empty_response"]) {
    const std::optional<ResponseFormat> format = ResponseFormatFromName(c["response_format"].get<std::string>());
    ASSERT_TRUE(format.has_value());
    EXPECT_EQ(IsEmptyResponse(*format, c["response"].get<std::string>()),
              c["expected_is_empty"].get<bool>())
        << c["response"];
  }
}

TEST(ResponseParserTest, OutputTextIsJoinedBeforeCounting) {
  // OSL tokenizes this joined string once (9 tokens), not the ten chunks (1 each).
  const OJson input = LoadJson(test::CasesDir().string() + "/" + "output_token_counts_chunked/input_response_outputs.json");
  const std::string joined = "Adidas Originals are now available in more than";
  for (const auto& [key, format] :
       {std::pair<const char*, ResponseFormat>{"openai_chat_stream", ResponseFormat::kOpenAiChat},
        {"triton", ResponseFormat::kTriton}}) {
    const ResponseOutputs outputs = Outputs(input[key]);
    const std::vector<int64_t> ts(outputs.size(), 1);
    const ProcessedResponses r = PreprocessResponses(format, outputs, ts);
    ASSERT_EQ(r.texts.size(), 10u) << key;
    std::string all;
    for (const auto& t : r.texts) all += t;
    EXPECT_EQ(all, joined) << key;
  }
}

TEST(ResponseParserTest, RemovesRoleOnlyEmptyDeltaUsageAndDone) {
  const ResponseOutputs outputs = ResponseOutputs::FromJson({
      {{"response", R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"role":"assistant"}}]})"
                    "\n\n"}},
      {{"response", "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"}},
      {{"response", "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":null}}]}\n\n"}},
      {{"response", "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{}}]}\n\n"}},
      {{"response", "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"completion_tokens\":1}}\n\n"}},
      {{"response", "id: 7\n\n"}},
      {{"response", "retry: 100\n\n"}},
      {{"response", "data: [DONE]\n\n"}},
  });
  const std::vector<int64_t> ts = {1, 2, 3, 4, 5, 6, 7, 8};
  const ProcessedResponses r = PreprocessResponses(ResponseFormat::kOpenAiChat, outputs, ts);
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{2}));
  EXPECT_EQ(r.texts, (std::vector<std::string>{"Hi"}));
  EXPECT_EQ(r.failed, 0u);
}

TEST(ResponseParserTest, CrlfEventsAndDataWithoutSpace) {
  const ResponseOutputs outputs = ResponseOutputs::FromJson({
      {{"response", "data:{\"choices\":[{\"text\":\"a\"}]}\r\n\r\ndata:{\"choices\":[{\"text\":\"b\"}]}\r\n\r\n"}},
      {{"response", "data:{\"choices\":[{\"text\":\"c\"}]}\r\n\r\n"}},
  });
  const std::vector<int64_t> ts = {5, 6};
  const ProcessedResponses r = PreprocessResponses(ResponseFormat::kOpenAiCompletions, outputs, ts);
  EXPECT_EQ(r.timestamps, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(r.texts, (std::vector<std::string>{"ab", "c"}));
}

TEST(ResponseParserTest, DataLinesOfOneEventAreJoinedWithNewlines) {
  // One event's JSON spread over two and over three data lines (joined with '\n', as the SSE
  // specification and GenAI-Perf do), merged with a one-line event in the same read: the merged
  // raw response is re-serialised from the first event, which was joined.
  const ResponseOutputs outputs = ResponseOutputs::FromJson({
      {{"response", "data: {\"object\":\"text_completion\",\ndata:\"choices\":[{\"text\":\"a\"}]}\n\n"
                    "data: {\"choices\":[{\"text\":\"b\"}]}\n\n"}},
      {{"response", "data: {\"choices\":\ndata: [{\"text\":\ndata: \"c\"}]}\n\n"}},
  });
  const std::vector<int64_t> ts = {1, 2};
  const ProcessedResponses r = PreprocessResponses(ResponseFormat::kOpenAiCompletions, outputs, ts);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(r.texts, (std::vector<std::string>{"ab", "c"}));
  ASSERT_EQ(r.raw.size(), 2u);
  EXPECT_EQ(r.raw[0], R"({"object":"text_completion","choices":[{"text":"ab"}]})");
  EXPECT_EQ(ExtractText(ResponseFormat::kOpenAiCompletions, outputs.Text(1)).text, "c");
}

TEST(ResponseParserTest, TritonGenerateEventsMergeTextOutput) {
  const ResponseOutputs outputs = ResponseOutputs::FromJson({
      {{"response", "data: {\"text_output\":\"x\"}\n\ndata: {\"text_output\":\"y\"}\n\n"}}});
  const std::vector<int64_t> ts = {9};
  const ProcessedResponses r = PreprocessResponses(ResponseFormat::kTritonGenerate, outputs, ts);
  ASSERT_EQ(r.raw.size(), 1u);
  EXPECT_EQ(r.raw[0], R"({"text_output":"xy"})");
}

TEST(ResponseParserTest, CApiCountsOutputIds) {
  const ResponseOutputs outputs = ResponseOutputs::FromJson({
      {{"output_ids", 5}}, {{"output_ids", {1, 2, 3}}}, {{"output_log_probs", {0}}}});
  const std::vector<int64_t> ts = {1, 2, 3};
  const ProcessedResponses r = PreprocessResponses(ResponseFormat::kTritonCApi, outputs, ts);
  EXPECT_EQ(r.output_id_count, 5u);  // 1 + 3 + 1 placeholder
  EXPECT_EQ(r.timestamps.size(), 3u);
}

TEST(ResponseParserTest, MismatchedListsUseTheShorter) {
  const ResponseOutputs outputs = ResponseOutputs::FromJson({{{"text_output", "a"}}, {{"text_output", "b"}}});
  const std::vector<int64_t> ts = {1};
  EXPECT_EQ(PreprocessResponses(ResponseFormat::kTriton, outputs, ts).timestamps.size(), 1u);
}

TEST(ResponseParserTest, OpenAiTextFromDuplicateEscapedAndOddShapes) {
  // Read without a DOM when the body is well-formed; every other shape keeps the DOM's verdict.
  struct Case {
    const char* body;
    const char* text;  // nullptr: an error is expected
  };
  const Case cases[] = {
      {R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"a\u00e9\n"}}]})", "a\xc3\xa9\n"},
      {R"({"choices":[{"delta":{"content":"old"}}],"object":"chat.completion.chunk","choices":[{"delta":{"content":"new"}}]})", "new"},
      {R"({"\u006fbject":"chat.completion","choices":[{"message":{"content":"m"}}]})", "m"},
      {R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":null}}]})", ""},
      {R"({"object":"chat.completion.chunk","choices":[{"delta":{}}]})", ""},
      {R"({"object":"chat.completion.chunk","choices":[]})", ""},
      {R"({"choices":[{"text":"t"}]})", "t"},
      {R"({"object":"text_completion","choices":[{"text":"t2"}]})", "t2"},
      {R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":5}}]})", nullptr},
      {R"({"object":"chat.completion.chunk","choices":[{"message":{"content":"x"}}]})", nullptr},
      {R"({"object":7,"choices":[{"text":"t"}]})", nullptr},
      {R"({"object":"chat.completion.chunk","choices":[3]})", nullptr},
      {R"({"object":"chat.completion.chunk","choices":{}})", nullptr},
      {R"([1])", nullptr},
      {R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"x"}}]} junk)", nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    const TextExtraction t = ExtractText(ResponseFormat::kOpenAiChat, std::string("data: ") + c.body + "\n\n");
    if (c.text == nullptr) {
      EXPECT_FALSE(t.error.empty());
    } else {
      EXPECT_EQ(t.error, "");
      EXPECT_EQ(t.text, c.text);
    }
  }
}

TEST(ResponseParserTest, ArbitraryBytesNeverThrow) {
  // A poor man's fuzzer: random fragments of SSE-looking text and bytes.
  const std::vector<std::string> pieces = {"data: ", "data:", "\n\n", "\n", "{", "}", "[DONE]",
                                           "event: error", ":", "\"choices\":[", "{\"delta\":",
                                           "\"content\":\"x\"", "]", ",", "\xff", "\xc3", "id: 1"};
  std::mt19937 rng(42);
  for (const ResponseFormat format :
       {ResponseFormat::kOpenAiChat, ResponseFormat::kOpenAiCompletions,
        ResponseFormat::kTritonGenerate, ResponseFormat::kHuggingFaceGenerate}) {
    for (int iter = 0; iter < 300; ++iter) {
      std::vector<nlohmann::json> outputs;
      std::vector<int64_t> ts;
      const int n = 1 + static_cast<int>(rng() % 5);
      for (int i = 0; i < n; ++i) {
        std::string s;
        const int k = static_cast<int>(rng() % 8);
        for (int j = 0; j < k; ++j) s += pieces[rng() % pieces.size()];
        nlohmann::json o = nlohmann::json::object();
        o["response"] = std::move(s);
        outputs.push_back(std::move(o));
        ts.push_back(i);
      }
      EXPECT_NO_THROW({
        const ProcessedResponses r = PreprocessResponses(format, ResponseOutputs::FromJson(outputs), ts);
        for (const auto& raw : r.raw) (void)ExtractText(format, raw);
      });
    }
  }
}

}  // namespace
}  // namespace bench
