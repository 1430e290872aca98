// Request bodies of the media endpoint types against the shapes of reference §3.3.
#include "dataset/media/media_inputs.h"

#include <set>

#include <gtest/gtest.h>

#include "dataset/media/audio_codec.h"
#include "dataset/media/image_codec.h"
#include "tokenizer/builtin_tokenizer.h"
#include "util/base64.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

std::vector<std::string> Keys(const ojson& object) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : object.items()) keys.push_back(k);
  return keys;
}

// The bytes of a data URL of `mime_prefix` (e.g. "data:image/png;base64,").
std::string DataUrlBytes(const std::string& url, const std::string& mime_prefix) {
  EXPECT_EQ(url.rfind(mime_prefix, 0), 0u) << url.substr(0, 40);
  const auto bytes = Base64Decode(url.substr(mime_prefix.size()));
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or("");
}

DatasetOptions Multimodal() {
  DatasetOptions c;
  c.models = {"vlm"};
  c.endpoint_type = "multimodal";
  c.streaming = true;
  c.num_dataset_entries = 3;
  c.synthetic_input_tokens_mean = 12;
  c.output_tokens_mean = 50;
  c.media.image.width_mean = 64;
  c.media.image.height_mean = 48;
  c.media.audio.length_mean = 0.25;
  return c;
}

TEST(MediaInputsTest, MultimodalBodyIsChatWithTextImageAndAudioParts) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = Multimodal();
  c.extra_inputs = ojson{{"temperature", 0}};
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 3u);
  const ojson& body = d.value.payloads[0];
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"model", "messages", "stream", "max_tokens", "temperature"}));
  EXPECT_EQ(body["model"], "vlm");
  EXPECT_EQ(body["max_tokens"], 50);
  ASSERT_EQ(body["messages"].size(), 1u);
  EXPECT_EQ(body["messages"][0]["role"], "user");
  const ojson& content = body["messages"][0]["content"];
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(Keys(content[0]), (std::vector<std::string>{"type", "text"}));
  EXPECT_EQ(content[0]["type"], "text");
  EXPECT_EQ(tok->CountTokens(content[0]["text"].get<std::string>()), 12u);
  EXPECT_EQ(Keys(content[1]), (std::vector<std::string>{"type", "image_url"}));
  EXPECT_EQ(content[1]["type"], "image_url");
  EXPECT_EQ(Keys(content[1]["image_url"]), (std::vector<std::string>{"url"}));
  std::string error;
  const auto image = DecodeImage(DataUrlBytes(content[1]["image_url"]["url"], "data:image/png;base64,"), error);
  ASSERT_TRUE(image.has_value()) << error;
  EXPECT_EQ(image->width, 64);  // stddev 0: exactly the mean
  EXPECT_EQ(image->height, 48);
  EXPECT_EQ(Keys(content[2]), (std::vector<std::string>{"type", "input_audio"}));
  EXPECT_EQ(content[2]["type"], "input_audio");
  EXPECT_EQ(Keys(content[2]["input_audio"]), (std::vector<std::string>{"data", "format"}));
  EXPECT_EQ(content[2]["input_audio"]["format"], "wav");
  // input_audio.data is bare base64 (no data: prefix), as GenAI-Perf splits "wav,<b64>".
  const auto wav = Base64Decode(content[2]["input_audio"]["data"].get<std::string>());
  ASSERT_TRUE(wav.has_value());
  const auto info = InspectAudio(*wav, error);
  ASSERT_TRUE(info.has_value()) << error;
  EXPECT_EQ(info->sample_rate, 16000);  // the default --audio-sample-rates 16
  EXPECT_EQ(info->depth, 16);
  EXPECT_EQ(info->frames, 4000);        // int(0.25 s x 16000)
}

TEST(MediaInputsTest, PromptsMatchAChatRunWithTheSameSeed) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = Multimodal();
  DatasetOptions chat = c;
  chat.endpoint_type = "chat";
  chat.media = {};
  auto m = BuildDataset(c, *tok);
  auto t = BuildDataset(chat, *tok);
  ASSERT_TRUE(m.ok() && t.ok());
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(m.value.payloads[i]["messages"][0]["content"][0]["text"], t.value.payloads[i]["messages"][0]["content"]);
  }
}

TEST(MediaInputsTest, BatchesJpegAndMp3) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = Multimodal();
  c.streaming = false;
  c.output_tokens_mean.reset();
  c.media.image.format = "jpeg";
  c.media.image.batch_size = 2;
  c.media.audio.format = "mp3";
  c.media.audio.batch_size = 3;
  c.media.audio.sample_rates_khz = {22.05};
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  const ojson& body = d.value.payloads[1];
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"model", "messages"}));
  const ojson& content = body["messages"][0]["content"];
  ASSERT_EQ(content.size(), 1u + 2u + 3u);
  std::string error;
  EXPECT_TRUE(DecodeImage(DataUrlBytes(content[2]["image_url"]["url"], "data:image/jpeg;base64,"), error));
  EXPECT_EQ(content[5]["input_audio"]["format"], "mp3");
  const auto info = InspectAudio(Base64Decode(content[5]["input_audio"]["data"].get<std::string>()).value(), error);
  ASSERT_TRUE(info.has_value()) << error;
  EXPECT_EQ(info->format, AudioFormat::kMp3);
  EXPECT_EQ(info->sample_rate, 22050);
}

TEST(MediaInputsTest, WithoutMediaFlagsMultimodalSendsTheTextPartAlone) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c = Multimodal();
  c.media = {};
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  EXPECT_EQ(d.value.payloads[0]["messages"][0]["content"].size(), 1u);
}

TEST(MediaInputsTest, ImageRetrievalBodyIsNimInferWithoutModel) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c;
  c.models = {"m"};
  c.endpoint_type = "image_retrieval";
  c.num_dataset_entries = 4;
  c.media.image.width_mean = 32;
  c.media.image.height_mean = 32;
  c.media.image.width_stddev = 8;
  c.media.image.batch_size = 3;
  c.extra_inputs = ojson{{"threshold", 0.5}};
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 4u);
  const ojson& body = d.value.payloads[0];
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"input", "threshold"}));
  ASSERT_EQ(body["input"].size(), 3u);
  EXPECT_EQ(Keys(body["input"][0]), (std::vector<std::string>{"type", "url"}));
  EXPECT_EQ(body["input"][0]["type"], "image_url");
  std::string error;
  EXPECT_TRUE(DecodeImage(DataUrlBytes(body["input"][2]["url"], "data:image/png;base64,"), error)) << error;
}

TEST(MediaInputsTest, NvclipBodyPutsTextsThenImagesInOneInput) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c;
  c.models = {"nvclip"};
  c.endpoint_type = "nvclip";
  c.num_dataset_entries = 2;
  c.synthetic_input_tokens_mean = 5;
  c.output_tokens_mean = 9;  // no max_tokens in an embeddings body
  c.streaming = false;
  c.media.image.width_mean = 16;
  c.media.image.height_mean = 16;
  c.media.image.batch_size = 2;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  const ojson& body = d.value.payloads[1];
  EXPECT_EQ(Keys(body), (std::vector<std::string>{"model", "input"}));
  ASSERT_EQ(body["input"].size(), 3u);
  EXPECT_EQ(tok->CountTokens(body["input"][0].get<std::string>()), 5u);
  EXPECT_EQ(body["input"][1].get<std::string>().rfind("data:image/png;base64,", 0), 0u);
  EXPECT_EQ(body["input"][2].get<std::string>().rfind("data:image/png;base64,", 0), 0u);
}

// --batch-size-text texts, each of the sampled length, then the images, in one `input` list.
TEST(MediaInputsTest, NvclipSendsBatchSizeTextTextsBesideItsImages) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c;
  c.models = {"nvclip"};
  c.endpoint_type = "nvclip";
  c.num_dataset_entries = 3;
  c.synthetic_input_tokens_mean = 6;
  c.batch_size_text = 3;
  c.media.image.width_mean = 8;
  c.media.image.height_mean = 8;
  c.media.image.batch_size = 1;
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 3u);
  std::set<std::string> texts;
  for (const ojson& body : d.value.payloads) {
    ASSERT_EQ(body["input"].size(), 4u);
    for (size_t k = 0; k < 3; ++k) {
      const std::string text = body["input"][k].get<std::string>();
      EXPECT_EQ(tok->CountTokens(text), 6u) << text;
      texts.insert(text);
    }
    EXPECT_EQ(body["input"][3].get<std::string>().rfind("data:image/png;base64,", 0), 0u);
  }
  EXPECT_EQ(texts.size(), 9u) << "every text of every request is its own prompt";
}

TEST(MediaInputsTest, SynthImageSizesFollowGenAiPerfsRule) {
  // int(|gauss(mean, stddev)|), and 0 becomes 1: a mean of 0 with no spread is a 1x1 image.
  RandomStream rng(9);
  ImageOptions o;
  o.width_mean = 0;
  o.height_mean = 0;
  std::string error;
  const auto decoded = DecodeImage(DataUrlBytes(SynthImageUrl(o, rng), "data:image/png;base64,"), error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_EQ(decoded->width, 1);
  EXPECT_EQ(decoded->height, 1);
}

TEST(MediaInputsTest, SynthAudioIsAtLeastATenthOfASecond) {
  RandomStream rng(11);
  AudioOptions o;
  o.length_mean = 0.1;
  o.length_stddev = 1.0;  // most draws are redrawn
  o.sample_rates_khz = {8};
  o.depths = {8};
  std::string error;
  for (int i = 0; i < 20; ++i) {
    const AudioItem item = SynthAudioItem(o, rng, error);
    const auto info = InspectAudio(Base64Decode(item.base64).value(), error);
    ASSERT_TRUE(info.has_value()) << error;
    EXPECT_GE(info->frames, 800);
    EXPECT_EQ(info->depth, 8);
  }
}

}  // namespace
}  // namespace bench
