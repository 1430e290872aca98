// The simulator's encoder endpoints: OpenAI /v1/embeddings, NIM /v1/ranking and TEI /rerank
// answer with the real APIs' shapes, deterministically per body; bad bodies are one-line 400s.
#include "sim/embeddings.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/router.h"
#include "sim/simulator.h"
#include "sim/vision.h"
#include "util/base64.h"

namespace bench {
namespace {

using nlohmann::json;

SimParseResult ParseEmbeddings(SimEndpoint endpoint, std::string_view body, int dims = 8) {
  SimulatorOptions options;
  options.model = "sim-model";
  options.embedding_dimensions = dims;
  return ParseSimEncoderRequest(endpoint, body, options);
}

TEST(SimEmbeddingsTest, PathsNameTheEncoderEndpoints) {
  EXPECT_EQ(SimEncoderEndpointOf("/v1/embeddings"), SimEndpoint::kEmbeddings);
  EXPECT_EQ(SimEncoderEndpointOf("/v1/ranking"), SimEndpoint::kRanking);
  EXPECT_EQ(SimEncoderEndpointOf("/rerank"), SimEndpoint::kRerank);
  EXPECT_FALSE(SimEncoderEndpointOf("/v1/chat/completions").has_value());
  EXPECT_TRUE(IsSimEncoder(SimEndpoint::kRerank));
  EXPECT_FALSE(IsSimEncoder(SimEndpoint::kChat));
}

TEST(SimEmbeddingsTest, EmbeddingsAnswerHasOneUnitVectorPerInputAndUsage) {
  const auto r = ParseEmbeddings(SimEndpoint::kEmbeddings, R"({"model":"e5","input":["one two","three"],"input_type":"query"})");
  ASSERT_TRUE(r.request) << r.error;
  EXPECT_EQ(r.request->input_tokens, 3u);
  const json answer = json::parse(r.request->encoder_answer);
  EXPECT_EQ(answer["object"], "list");
  EXPECT_EQ(answer["model"], "e5");
  ASSERT_EQ(answer["data"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const json& item = answer["data"][i];
    EXPECT_EQ(item["object"], "embedding");
    EXPECT_EQ(item["index"], i);
    ASSERT_EQ(item["embedding"].size(), 8u);
    double norm = 0;
    for (const json& x : item["embedding"]) norm += x.get<double>() * x.get<double>();
    EXPECT_NEAR(norm, 1.0, 1e-6);
  }
  EXPECT_NE(answer["data"][0]["embedding"], answer["data"][1]["embedding"]);
  EXPECT_EQ(answer["usage"], (json{{"prompt_tokens", 3}, {"total_tokens", 3}}));
  // A text gets the same vector in any request, as a model's would.
  const auto other = ParseEmbeddings(SimEndpoint::kEmbeddings, R"({"input":["three","four"]})");
  ASSERT_TRUE(other.request) << other.error;
  EXPECT_EQ(json::parse(other.request->encoder_answer)["data"][0]["embedding"], answer["data"][1]["embedding"]);
  // The same body gets the same vectors.
  EXPECT_EQ(ParseEmbeddings(SimEndpoint::kEmbeddings, R"({"model":"e5","input":["one two","three"],"input_type":"query"})")
                .request->encoder_answer,
            r.request->encoder_answer);
}

TEST(SimEmbeddingsTest, EmbeddingsHonourDimensionsAndBase64) {
  const auto r = ParseEmbeddings(SimEndpoint::kEmbeddings, R"({"input":"x","dimensions":3,"encoding_format":"base64"})");
  ASSERT_TRUE(r.request) << r.error;
  const json answer = json::parse(r.request->encoder_answer);
  EXPECT_EQ(answer["model"], "sim-model");
  // 3 float32 = 12 bytes = 16 base64 characters.
  EXPECT_EQ(answer["data"][0]["embedding"].get<std::string>().size(), 16u);
}

TEST(SimEmbeddingsTest, EmbeddingsRefuseWhatOpenAiRefuses) {
  for (const char* body : {R"({"model":"m"})", R"({"input":[]})", R"({"input":""})", R"({"input":[1.5]})",
                           R"({"input":"x","encoding_format":"int8"})", R"({"input":"x","dimensions":0})",
                           R"({"input":"x","stream":true})", "[]", "{"}) {
    const auto r = ParseEmbeddings(SimEndpoint::kEmbeddings, body);
    EXPECT_FALSE(r.request) << body;
    EXPECT_FALSE(r.error.empty()) << body;
    EXPECT_EQ(r.error.find('\n'), std::string::npos);
  }
}

TEST(SimEmbeddingsTest, NimRankingSortsByLogitWithEveryIndexOnce) {
  const auto r = ParseEmbeddings(SimEndpoint::kRanking,
                       R"({"model":"r","query":{"text":"a b"},"passages":[{"text":"c"},{"text":"d e"},{"text":"f"}]})");
  ASSERT_TRUE(r.request) << r.error;
  EXPECT_EQ(r.request->input_tokens, 2u * 3 + 4);  // the query is read with each passage
  const json answer = json::parse(r.request->encoder_answer);
  ASSERT_EQ(answer["rankings"].size(), 3u);
  std::set<int> indices;
  double previous = INFINITY;
  for (const json& rank : answer["rankings"]) {
    indices.insert(rank["index"].get<int>());
    EXPECT_LE(rank["logit"].get<double>(), previous);
    previous = rank["logit"].get<double>();
  }
  EXPECT_EQ(indices, (std::set<int>{0, 1, 2}));
  EXPECT_FALSE(ParseEmbeddings(SimEndpoint::kRanking, R"({"query":"a","passages":[{"text":"c"}]})").request);
  EXPECT_FALSE(ParseEmbeddings(SimEndpoint::kRanking, R"({"query":{"text":"a"},"passages":[]})").request);
}

TEST(SimEmbeddingsTest, TeiRerankScoresAreSigmoidsUnlessRaw) {
  const auto r = ParseEmbeddings(SimEndpoint::kRerank, R"({"query":"a","texts":["b","c"],"return_text":true})");
  ASSERT_TRUE(r.request) << r.error;
  const json answer = json::parse(r.request->encoder_answer);
  ASSERT_TRUE(answer.is_array());
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_GE(answer[0]["score"].get<double>(), answer[1]["score"].get<double>());
  for (const json& rank : answer) {
    EXPECT_GT(rank["score"].get<double>(), 0.0);
    EXPECT_LT(rank["score"].get<double>(), 1.0);
    EXPECT_EQ(rank["text"], rank["index"] == 0 ? "b" : "c");
  }
  const auto raw = ParseEmbeddings(SimEndpoint::kRerank, R"({"query":"a","texts":["b","c"],"raw_scores":true})");
  ASSERT_TRUE(raw.request);
  const json raw_answer = json::parse(raw.request->encoder_answer);
  EXPECT_FALSE(raw_answer[0].contains("text"));
  // A pair's logit does not depend on the other fields: sigmoid(raw) is the default score.
  for (const json& rank : raw_answer) {
    for (const json& s : answer) {
      if (s["index"] == rank["index"]) {
        EXPECT_NEAR(s["score"].get<double>(), 1.0 / (1.0 + std::exp(-rank["score"].get<double>())), 1e-12);
      }
    }
  }
  EXPECT_FALSE(ParseEmbeddings(SimEndpoint::kRerank, R"({"query":"a","texts":[1]})").request);
}

TEST(SimEmbeddingsTest, RouterSendsEncoderPathsHere) {
  SimulatorOptions options;
  const SimRoute ok = RouteSimRequest("POST", "/v1/embeddings", std::nullopt, R"({"input":"x"})", options, 0);
  ASSERT_TRUE(ok.request);
  EXPECT_EQ(ok.request->endpoint, SimEndpoint::kEmbeddings);
  EXPECT_FALSE(ok.request->encoder_answer.empty());
  const SimRoute get = RouteSimRequest("GET", "/v1/ranking", std::nullopt, "", options, 0);
  ASSERT_TRUE(get.reply);
  EXPECT_EQ(get.reply->status, 405);
  const SimRoute bad = RouteSimRequest("POST", "/rerank", std::nullopt, R"({"query":"a"})", options, 0);
  ASSERT_TRUE(bad.reply);
  EXPECT_EQ(bad.reply->status, 400);
  EXPECT_NE(bad.reply->body.find("texts must be"), std::string::npos);
}

// NV-CLIP: texts and image data URLs in one `input` batch, each image checked and costed as one.
TEST(SimEmbeddingsTest, NvclipEmbedsTextsAndImagesInOneBatch) {
  const std::string png = "data:image/png;base64," + Base64Encode(std::string("\x89PNG\r\n\x1a\n", 8) + "x");
  const json body{{"model", "nvclip"}, {"input", {"a photo of a cat", png}}};
  const auto r = ParseEmbeddings(SimEndpoint::kEmbeddings, body.dump());
  ASSERT_TRUE(r.request) << r.error;
  const json answer = json::parse(r.request->encoder_answer);
  EXPECT_EQ(answer["model"], "nvclip");
  ASSERT_EQ(answer["data"].size(), 2u);
  EXPECT_EQ(answer["data"][1]["index"], 1);
  EXPECT_EQ(answer["data"][1]["embedding"].size(), 8u);
  EXPECT_EQ(answer["usage"]["prompt_tokens"], 5 + kSimImageTokens);
  const auto bad = ParseEmbeddings(SimEndpoint::kEmbeddings, R"({"input":["ok","data:image/png;base64,!!"]})");
  EXPECT_FALSE(bad.request);
  EXPECT_EQ(bad.error.rfind("input[1]: ", 0), 0u) << bad.error;
}

}  // namespace
}  // namespace bench
