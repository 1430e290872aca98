// GenAI-Perf's image and audio flags, the media endpoint types' paths and their usage errors.
#include "app/media_flags.h"

#include <sstream>

#include <gtest/gtest.h>

#include "app/cli.h"
#include "app/config_file.h"

namespace bench {
namespace {

struct MediaParsed {
  Command command;
  std::string err;
};

MediaParsed ParseMedia(std::vector<std::string> args) {
  args.insert(args.begin(), {"bench", "profile", "-m", "m"});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  MediaParsed p{ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, err), ""};
  p.err = err.str();
  return p;
}

TEST(MediaFlagsTest, EndpointTypesGetGenAiPerfsDefaultPaths) {
  for (const auto& [type, path] : std::vector<std::pair<std::string, std::string>>{
           {"multimodal", "v1/chat/completions"}, {"vision", "v1/chat/completions"},
           {"nvclip", "v1/embeddings"}}) {
    const MediaParsed p = ParseMedia({"--endpoint-type", type});
    ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << type << ": " << p.err;
    EXPECT_EQ(p.command.profile.endpoint, path) << type;
  }
  const MediaParsed retrieval = ParseMedia({"--endpoint-type", "image_retrieval", "--image-width-mean", "8",
                                  "--image-height-mean", "8"});
  ASSERT_EQ(retrieval.command.kind, Command::Kind::kProfile) << retrieval.err;
  EXPECT_EQ(retrieval.command.profile.endpoint, "v1/infer");
}

TEST(MediaFlagsTest, FlagsFillTheMediaOptions) {
  const MediaParsed p = ParseMedia({"--endpoint-type", "multimodal", "--image-width-mean", "640", "--image-width-stddev", "10",
                          "--image-height-mean", "480", "--image-height-stddev", "5", "--image-format", "jpeg",
                          "--batch-size-image", "2", "--audio-length-mean", "2.5", "--audio-length-stddev", "0.5",
                          "--audio-format", "mp3", "--audio-depths", "16", "24", "--audio-sample-rates", "16",
                          "44.1", "--audio-num-channels", "2", "--batch-size-audio", "3"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  const MediaOptions& m = p.command.profile.media;
  EXPECT_EQ(m.image.width_mean, 640);
  EXPECT_EQ(m.image.width_stddev, 10);
  EXPECT_EQ(m.image.height_mean, 480);
  EXPECT_EQ(m.image.height_stddev, 5);
  EXPECT_EQ(m.image.format, "jpeg");
  EXPECT_EQ(m.image.batch_size, 2);
  EXPECT_EQ(m.audio.length_mean, 2.5);
  EXPECT_EQ(m.audio.length_stddev, 0.5);
  EXPECT_EQ(m.audio.format, "mp3");
  EXPECT_EQ(m.audio.depths, (std::vector<int>{16, 24}));
  EXPECT_EQ(m.audio.sample_rates_khz, (std::vector<double>{16, 44.1}));
  EXPECT_EQ(m.audio.num_channels, 2);
  EXPECT_EQ(m.audio.batch_size, 3);
  EXPECT_EQ(MediaAudioJson(m.audio).dump(),
            R"({"batch_size":3,"length":{"mean":2.5,"stddev":0.5},"format":"mp3","depths":[16,24],)"
            R"("sample_rates":[16,44.1],"num_channels":2})");
  EXPECT_EQ(MediaImageJson(m.image).dump(),
            R"({"width":{"mean":640,"stddev":10},"height":{"mean":480,"stddev":5},"batch_size":2,"format":"jpeg"})");
}

TEST(MediaFlagsTest, BadValuesAreOneLineUsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--endpoint-type", "multimodal", "--image-format", "gif"}, "--image-format 'gif': not supported (png or jpeg)"},
      {{"--endpoint-type", "multimodal", "--batch-size-image", "0"}, "--batch-size-image: must be at least 1"},
      {{"--endpoint-type", "multimodal", "--batch-size-audio", "0"}, "--batch-size-audio: must be at least 1"},
      {{"--endpoint-type", "multimodal", "--audio-length-mean", "0.05"},
       "--audio-length-mean: must be 0 (no audio) or at least 0.1 seconds"},
      {{"--endpoint-type", "multimodal", "--audio-depths", "12"}, "--audio-depths 12: not supported (8, 16, 24 or 32 bits)"},
      {{"--endpoint-type", "multimodal", "--audio-format", "mp3", "--audio-sample-rates", "10"},
       "--audio-sample-rates 10: MP3 allows 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 or 48 kHz"},
      {{"--endpoint-type", "multimodal", "--audio-num-channels", "3"}, "--audio-num-channels: must be 1 or 2"},
      {{"--endpoint-type", "multimodal", "--audio-format", "flac"}, "--audio-format 'flac': not supported (wav or mp3)"},
      {{"--endpoint-type", "image_retrieval"},
       "--endpoint-type image_retrieval: needs images: --image-width-mean and --image-height-mean, or --input-file "
       "with 'image' lines"},
      {{"--endpoint-type", "nvclip", "--streaming"},
       "--streaming: not supported for --endpoint-type nvclip (one JSON answer per request)"},
      {{"--endpoint-type", "chat", "--image-width-mean", "10"},
       "--image-width-mean: images are sent only with --endpoint-type multimodal, vision, image_retrieval or nvclip"},
      {{"--endpoint-type", "nvclip", "--audio-length-mean", "1"},
       "--audio-length-mean: audio is sent only with --endpoint-type multimodal (or vision)"},
      {{"--endpoint-type", "image_retrieval", "--image-width-mean", "8", "--image-height-mean", "8",
        "--generate-plots"},
       "--generate-plots: not supported for --endpoint-type image_retrieval (no tokens to plot)"},
      {{"--endpoint-type", "nvclip", "--generate-plots"},
       "--generate-plots: not supported for --endpoint-type nvclip (no tokens to plot)"},
  };
  for (const auto& [args, message] : cases) {
    const MediaParsed p = ParseMedia(args);
    EXPECT_EQ(p.command.kind, Command::Kind::kExit) << message;
    EXPECT_EQ(p.command.exit_code, kExitUsage) << message;
    EXPECT_NE(p.err.find(message), std::string::npos) << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  }
}

TEST(MediaFlagsTest, YamlKeysAreGenAiPerfsInputAudioAndImage) {
  const ConfigFileResult r = ParseConfigText(
      "input:\n  audio:\n    batch_size: 2\n    format: mp3\n    depths: [16, 24]\n    sample_rates: 44.1\n"
      "    num_channels: 2\n    length: {mean: 3, stddev: 0.5}\n"
      "  image:\n    batch_size: 4\n    format: jpeg\n    width: {mean: 640, stddev: 0}\n    height: {mean: 480}\n",
      "cfg.yaml");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(ConfigArgv(r.args),
            (std::vector<std::string>{"--batch-size-audio=2", "--audio-format=mp3", "--audio-depths=16",
                                      "--audio-depths=24", "--audio-sample-rates=44.1", "--audio-num-channels=2",
                                      "--audio-length-mean=3", "--audio-length-stddev=0.5", "--batch-size-image=4",
                                      "--image-format=jpeg", "--image-width-mean=640", "--image-height-mean=480"}));
}

TEST(MediaFlagsTest, MultimodalKeepsPlotsAndStreaming) {
  const MediaParsed p = ParseMedia({"--endpoint-type", "vision", "--streaming", "--generate-plots"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(MediaOutputFormat("vision"), "openai_multimodal");
  EXPECT_EQ(MediaOutputFormat("nvclip"), "nvclip");
}

}  // namespace
}  // namespace bench
