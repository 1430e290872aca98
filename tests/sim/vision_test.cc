// Chat content parts as a VLM server checks them, through the simulator's request parser.
#include "sim/vision.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/openai.h"
#include "sim/simulator.h"
#include "util/base64.h"

namespace bench {
namespace {

using nlohmann::json;

const std::string kPngB64 = Base64Encode(std::string("\x89PNG\r\n\x1a\n", 8) + "rest");
const std::string kWavB64 = Base64Encode(std::string("RIFF\x24\0\0\0WAVEfmt ", 16));

SimParseResult Parse(const json& content) {
  SimulatorOptions options;
  const json body{{"model", "m"}, {"messages", {{{"role", "user"}, {"content", content}}}}};
  return ParseSimRequest(SimEndpoint::kChat, body.dump(), options);
}

TEST(SimVisionTest, TextImageAndAudioPartsAreAcceptedAndCounted) {
  const json content = json::array(
      {{{"type", "text"}, {"text", "what is this"}},
       {{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64," + kPngB64}}}},
       {{"type", "image_url"}, {"image_url", {{"url", "https://example.com/cat.jpg"}}}},
       {{"type", "input_audio"}, {"input_audio", {{"data", kWavB64}, {"format", "wav"}}}},
       {{"type", "audio_url"}, {"audio_url", {{"url", "data:audio/wav;base64," + kWavB64}}}}});
  const SimParseResult r = Parse(content);
  ASSERT_TRUE(r.request) << r.error;
  EXPECT_EQ(r.request->input_tokens, 3 + 2 * kSimImageTokens + 2 * kSimAudioTokens);
}

TEST(SimVisionTest, MalformedPartsAreBadRequests) {
  const auto error_of = [](const json& part) { return Parse(json::array({part})).error; };
  EXPECT_EQ(error_of({{"type", "video"}}), "unknown content part type 'video'");
  EXPECT_EQ(error_of({{"text", "no type"}}), "content part without a 'type'");
  EXPECT_EQ(error_of(json("bare string")), "each content part must be an object");
  EXPECT_EQ(error_of({{"type", "image_url"}, {"image_url", "data:..."}}), "image_url part without image_url.url");
  EXPECT_EQ(error_of({{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64,@@@@"}}}}),
            "image_url: invalid base64 data");
  EXPECT_EQ(error_of({{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64," + Base64Encode("GIF89a")}}}}),
            "image_url: cannot identify image file");
  EXPECT_EQ(error_of({{"type", "image_url"}, {"image_url", {{"url", "data:image/png," + kPngB64}}}}),
            "image_url: data URL must be base64 encoded (data:<type>;base64,...)");
  EXPECT_EQ(error_of({{"type", "image_url"}, {"image_url", {{"url", "ftp://x/y.png"}}}}),
            "image_url: url must be an http(s) URL or a data URL");
  EXPECT_EQ(error_of({{"type", "input_audio"}, {"input_audio", {{"data", kWavB64}}}}),
            "input_audio part needs input_audio.data and input_audio.format");
  EXPECT_EQ(error_of({{"type", "input_audio"}, {"input_audio", {{"data", kWavB64}, {"format", "ogg"}}}}),
            "input_audio.format must be wav or mp3");
  EXPECT_EQ(error_of({{"type", "input_audio"}, {"input_audio", {{"data", kPngB64}, {"format", "wav"}}}}),
            "input_audio: cannot identify audio file");
  EXPECT_EQ(error_of({{"type", "audio_url"}, {"audio_url", {{"url", "data:image/png;base64," + kPngB64}}}}),
            "audio_url: data URL has the wrong media type for this part");
}

}  // namespace
}  // namespace bench
