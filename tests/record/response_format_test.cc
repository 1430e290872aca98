// The response formats: names, --endpoint-type aliases, families, and inference from an export.

#include "record/response_format.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace bench {
namespace {

TEST(ResponseFormatTest, NamesRoundTripAndAliasesResolve) {
  for (ResponseFormat f : {ResponseFormat::kOpenAiChat, ResponseFormat::kOpenAiCompletions,
                           ResponseFormat::kTriton, ResponseFormat::kTritonCApi, ResponseFormat::kDynamicGrpc}) {
    EXPECT_EQ(ResponseFormatFromName(ResponseFormatName(f)), f) << ResponseFormatName(f);
  }
  EXPECT_EQ(ResponseFormatFromName("chat"), ResponseFormat::kOpenAiChat);
  EXPECT_EQ(ResponseFormatFromName("vision"), ResponseFormat::kOpenAiMultimodal);
  EXPECT_EQ(ResponseFormatFromName("kserve"), ResponseFormat::kTriton);
  EXPECT_FALSE(ResponseFormatFromName("CHAT"));
}

TEST(ResponseFormatTest, FamiliesAndTokenizerNeeds) {
  EXPECT_EQ(FamilyOf(ResponseFormat::kOpenAiChat), MetricFamily::kLlm);
  EXPECT_EQ(FamilyOf(ResponseFormat::kOpenAiEmbeddings), MetricFamily::kBase);
  EXPECT_EQ(FamilyOf(ResponseFormat::kImageRetrieval), MetricFamily::kImageRetrieval);
  EXPECT_TRUE(NeedsTokenizer(ResponseFormat::kOpenAiCompletions));
  EXPECT_FALSE(NeedsTokenizer(ResponseFormat::kTritonCApi));
}

TEST(ResponseFormatTest, ResponseStringOfAnOutput) {
  EXPECT_EQ(ResponseString(nlohmann::json{{"response", "data: x"}}), "data: x");
  EXPECT_EQ(ResponseString(nlohmann::json("bare")), "bare");
  EXPECT_EQ(ResponseString(nlohmann::json{{"response", 3}}), "");
  EXPECT_EQ(ResponseString(nlohmann::json{{"text_output", "t"}}), "");
}

TEST(ResponseFormatTest, InferenceFallsBackToResponseBody) {
  const nlohmann::json inputs = {{"payload", "{}"}};
  const nlohmann::json hf = {{"response", R"([{"generated_text":"x"}])"}};
  EXPECT_EQ(InferResponseFormat("openai", ".", &inputs, &hf).format,
            ResponseFormat::kHuggingFaceGenerate);
  const nlohmann::json chat = {{"response", R"({"object":"chat.completion"})"}};
  EXPECT_EQ(InferResponseFormat("openai", "custom/path", &inputs, &chat).format,
            ResponseFormat::kOpenAiChat);
  EXPECT_EQ(InferResponseFormat("openai", "v2/models/m/generate", &inputs, nullptr).format,
            ResponseFormat::kTritonGenerate);
  EXPECT_FALSE(InferResponseFormat("openai", "custom", nullptr, nullptr).format.has_value());
  EXPECT_FALSE(InferResponseFormat("tfserving", "", nullptr, nullptr).format.has_value());
}

TEST(ResponseFormatTest, TheNewEndpointTypesAreInferredFromBenchsOwnPaths) {
  EXPECT_EQ(ResponseFormatFromName("responses"), ResponseFormat::kOpenAiResponses);
  EXPECT_STREQ(ResponseFormatName(ResponseFormat::kOpenAiResponses), "OPENAI_RESPONSES");
  EXPECT_EQ(FamilyOf(ResponseFormat::kOpenAiResponses), MetricFamily::kLlm);
  EXPECT_EQ(InferResponseFormat("openai", "v1/responses", nullptr, nullptr).format, ResponseFormat::kOpenAiResponses);
  // TGI's own paths are bench's defaults; Triton's live under v2/models/.
  EXPECT_EQ(InferResponseFormat("openai", "generate_stream", nullptr, nullptr).format,
            ResponseFormat::kHuggingFaceGenerate);
  EXPECT_EQ(InferResponseFormat("openai", "/generate", nullptr, nullptr).format, ResponseFormat::kHuggingFaceGenerate);
  EXPECT_EQ(InferResponseFormat("openai", "v2/models/m/generate_stream", nullptr, nullptr).format,
            ResponseFormat::kTritonGenerate);
  const nlohmann::json created = {{"response", "event: response.created\ndata: {}\n\n"}};
  EXPECT_EQ(InferResponseFormat("openai", "custom", nullptr, &created).format, ResponseFormat::kOpenAiResponses);
  EXPECT_FALSE(StreamEndsWithDone(ResponseFormat::kOpenAiResponses));
  EXPECT_FALSE(StreamEndsWithDone(ResponseFormat::kTritonGenerate));
  EXPECT_TRUE(StreamEndsWithDone(ResponseFormat::kOpenAiChat));
}

}  // namespace
}  // namespace bench
