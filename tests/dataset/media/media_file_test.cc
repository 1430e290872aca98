// --input-file lines with images and audio, read as GenAI-Perf's FileInputRetriever reads them.
#include "dataset/media/media_file.h"

#include <fstream>

#include <gtest/gtest.h>

#include "dataset/media/audio_codec.h"
#include "dataset/media/image_codec.h"
#include "dataset/media/media_inputs.h"
#include "test_util.h"
#include "tokenizer/builtin_tokenizer.h"
#include "util/base64.h"
#include "util/random_stream.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class MediaFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RandomStream rng(1);
    png_ = EncodeImage(DrawImage(10, 20, rng), ImageFormat::kPng);
    jpeg_ = EncodeImage(DrawImage(30, 40, rng), ImageFormat::kJpeg);
    wav_ = EncodeWav(SynthNoise(0.1, 8000, 16, 1, rng));
    WriteFile(dir_.path() / "a.png", png_);
    WriteFile(dir_.path() / "b.jpg", jpeg_);
    WriteFile(dir_.path() / "c.wav", wav_);
    WriteFile(dir_.path() / "not-an-image.png", "GIF89a");
    WriteFile(dir_.path() / "bad.wav", "RIFF....WAVEjunk");
  }
  std::string P(const char* name) const { return (dir_.path() / name).string(); }
  std::string Jsonl(const std::string& lines) const {
    const fs::path f = dir_.path() / "in.jsonl";
    WriteFile(f, lines);
    return f.string();
  }
  test::TempDir dir_;
  std::string png_, jpeg_, wav_;
};

TEST_F(MediaFileTest, LocalFilesBecomeDataUrlsOfTheirOwnBytesAndUrlsPassThrough) {
  const std::string path = Jsonl("{\"text\": \" hi \", \"image\": \"" + P("a.png") + "\"}\n\n" +
                                 "{\"text_input\": \"two\", \"image\": \"" + P("b.jpg") + "\", \"audio\": \"" +
                                 P("c.wav") + "\"}\n" + "{\"image\": \"https://example.com/x.png\", \"audio\": " +
                                 "\"http://example.com/y.mp3\"}\n");
  const MediaFileRead read = ReadMediaInputFile(path);
  ASSERT_EQ(read.error, "");
  EXPECT_EQ(read.content.texts, (std::vector<std::string>{"hi", "two"}));
  ASSERT_EQ(read.content.images.size(), 3u);
  EXPECT_EQ(read.content.images[0], "data:image/png;base64," + Base64Encode(png_));
  EXPECT_EQ(read.content.images[1], "data:image/jpeg;base64," + Base64Encode(jpeg_));
  EXPECT_EQ(read.content.images[2], "https://example.com/x.png");
  ASSERT_EQ(read.content.audios.size(), 2u);
  EXPECT_EQ(read.content.audios[0].format, "wav");
  EXPECT_EQ(read.content.audios[0].base64, Base64Encode(wav_));
  EXPECT_EQ(read.content.audios[1].url, "http://example.com/y.mp3");
}

TEST_F(MediaFileTest, BadItemsNameTheFileLineAndValue) {
  const std::string missing = Jsonl("{\"text\": \"a\"}\n{\"text\": \"b\", \"image\": \"" + P("nope.png") + "\"}\n");
  EXPECT_EQ(ReadMediaInputFile(missing).error,
            "--input-file " + missing + ":2: image '" + P("nope.png") + "': cannot open file");
  const std::string gif = Jsonl("{\"image\": \"" + P("not-an-image.png") + "\"}\n");
  EXPECT_EQ(ReadMediaInputFile(gif).error, "--input-file " + gif + ":1: image '" + P("not-an-image.png") +
                                               "': unsupported or invalid image (not a PNG or JPEG file); PNG and "
                                               "JPEG are supported");
  const std::string audio = Jsonl("{\"audio\": \"" + P("bad.wav") + "\"}\n");
  EXPECT_NE(ReadMediaInputFile(audio).error.find(":1: audio '" + P("bad.wav") + "': unsupported or invalid audio"),
            std::string::npos)
      << ReadMediaInputFile(audio).error;
  const std::string half_url = Jsonl("{\"image\": \"//host-without-scheme/x.png\"}\n");
  EXPECT_NE(ReadMediaInputFile(half_url).error.find("a URL needs both a scheme and a host"), std::string::npos);
  const std::string typed = Jsonl("{\"image\": 5}\n");
  EXPECT_EQ(ReadMediaInputFile(typed).error, "--input-file " + typed + ":1: 'image' must be a string (a path or a URL)");
}

TEST_F(MediaFileTest, RowsZipTheKindsLikeGenAiPerf) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c;
  c.models = {"m"};
  c.endpoint_type = "vision";
  c.input_file = Jsonl("{\"text\": \"one\", \"image\": \"" + P("a.png") + "\"}\n{\"text\": \"two\"}\n" +
                       "{\"text\": \"three\", \"image\": \"" + P("b.jpg") + "\"}\n");
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  // Three texts, two images: zip pairs them in order and stops at the shorter list.
  ASSERT_EQ(d.value.payloads.size(), 2u);
  const auto& second = d.value.payloads[1]["messages"][0]["content"];
  EXPECT_EQ(second[0]["text"], "two");
  EXPECT_EQ(second[1]["image_url"]["url"], "data:image/jpeg;base64," + Base64Encode(jpeg_));
}

TEST_F(MediaFileTest, BatchesSampleDistinctItemsAndMayNotExceedTheFile) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions c;
  c.models = {"m"};
  c.endpoint_type = "image_retrieval";
  c.num_dataset_entries = 5;
  c.media.image.batch_size = 2;
  c.input_file = Jsonl("{\"text\": \"ignored\", \"image\": \"" + P("a.png") + "\"}\n{\"image\": \"" + P("b.jpg") + "\"}\n");
  auto d = BuildDataset(c, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 5u);
  for (const auto& body : d.value.payloads) {
    ASSERT_EQ(body["input"].size(), 2u);
    EXPECT_NE(body["input"][0]["url"], body["input"][1]["url"]);
  }
  c.media.image.batch_size = 3;
  d = BuildDataset(c, *tok);
  EXPECT_EQ(d.error, "--batch-size-image 3: larger than the 2 images of --input-file " + c.input_file);
  c.media.image.batch_size = 1;
  c.input_file = Jsonl("{\"text\": \"no image here\"}\n");
  d = BuildDataset(c, *tok);
  EXPECT_EQ(d.error, "--input-file " + c.input_file + ": no 'image' line for --endpoint-type image_retrieval");
}

}  // namespace
}  // namespace bench
