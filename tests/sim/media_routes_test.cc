// The simulator's image retrieval answer (/v1/infer); NV-CLIP is in embeddings_test.
#include "sim/media_routes.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/simulator.h"
#include "sim/vision.h"
#include "util/base64.h"

namespace bench {
namespace {

using nlohmann::json;

const std::string kPng = "data:image/png;base64," + Base64Encode(std::string("\x89PNG\r\n\x1a\n", 8) + "x");

SimRoute MediaRoute(std::string_view method, std::string_view path, const json& body, double ttft_ms = 10) {
  SimulatorOptions options;
  options.model = "sim-model";
  options.ttft_ms = ttft_ms;
  options.ttft_per_input_token_ms = 0.01;
  return RouteSimRequest(method, path, std::nullopt, body.dump(), options, 1700000000);
}

TEST(SimMediaRoutesTest, InferAnswersBoundingBoxesPerImageAfterTheModelsDelay) {
  const json body{{"input", {{{"type", "image_url"}, {"url", kPng}}, {{"type", "image_url"}, {"url", kPng}}}}};
  const SimRoute r = MediaRoute("POST", "/v1/infer", body);
  ASSERT_TRUE(r.reply);
  EXPECT_EQ(r.reply->status, 200) << r.reply->body;
  // TTFT for two images of kSimImageTokens each: 10 ms + 512 x 0.01 ms.
  EXPECT_EQ(r.reply->delay, std::chrono::nanoseconds(15'120'000));
  const json answer = json::parse(r.reply->body);
  ASSERT_EQ(answer["data"].size(), 2u);
  EXPECT_EQ(answer["data"][1]["index"], 1);
  for (const char* label : {"table", "chart", "title"}) {
    ASSERT_TRUE(answer["data"][0]["bounding_boxes"][label].is_array()) << label;
    for (const json& box : answer["data"][0]["bounding_boxes"][label]) {
      EXPECT_LT(box["x_min"].get<double>(), box["x_max"].get<double>());
      EXPECT_LE(box["y_max"].get<double>(), 1.0);
      EXPECT_TRUE(box.contains("confidence"));
    }
  }
  // The same body gets the same answer (seeded by the body).
  EXPECT_EQ(MediaRoute("POST", "/v1/infer", body).reply->body, r.reply->body);
}

TEST(SimMediaRoutesTest, InferRejectsWhatTheNimRejects) {
  const auto error_of = [](const json& body) {
    const SimRoute r = MediaRoute("POST", "/v1/infer", body);
    EXPECT_EQ(r.reply->status, 400);
    EXPECT_EQ(r.reply->delay.count(), 0);
    return json::parse(r.reply->body)["error"]["message"].get<std::string>();
  };
  EXPECT_EQ(error_of({{"input", json::array()}}), "input must be a non-empty array");
  EXPECT_EQ(error_of({{"input", {{{"type", "text"}, {"url", kPng}}}}}),
            "input[0]: expected {\"type\": \"image_url\", \"url\": ...}");
  EXPECT_EQ(error_of({{"input", {{{"type", "image_url"}, {"url", "https://x/y.png"}}}}}),
            "input[0]: the image must be a base64 data URL");
  EXPECT_EQ(error_of({{"input", {{{"type", "image_url"}, {"url", "data:image/png;base64,AAAA"}}}}}),
            "input[0]: cannot identify image file");
  EXPECT_EQ(MediaRoute("GET", "/v1/infer", json::object()).reply->status, 405);
}

}  // namespace
}  // namespace bench
