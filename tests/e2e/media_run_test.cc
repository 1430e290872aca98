// bench profile against the embedded simulator for the media endpoint types: multimodal with
// images and with audio, image_retrieval and nvclip (run directory, table, files), and bad
// media input refused before any request is sent.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> MediaProfile(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--request-count", "6", "--concurrency", "2",
                                   "--num-dataset-entries", "3", "--sim-ttft-ms", "1", "--sim-itl-ms", "0.05",
                                   "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// The run's genai_perf.json, after checking the run directory holds GenAI-Perf's files.
nlohmann::json RunFiles(const fs::path& run_dir) {
  for (const char* file : {"inputs.json", "profile_export.json", "profile_export_genai_perf.json",
                           "profile_export_genai_perf.csv", "profile_export_bench.json"}) {
    EXPECT_TRUE(fs::exists(run_dir / file)) << run_dir / file;
  }
  return test::ReadJson(run_dir / "profile_export_genai_perf.json");
}

TEST(MediaRunTest, MultimodalWithImagesStreams) {
  test::TempDir dir;
  const auto r = test::RunBench(MediaProfile(dir.path(), {"--endpoint-type", "multimodal", "--streaming",
                                                     "--image-width-mean", "64", "--image-height-mean", "48",
                                                     "--image-format", "jpeg", "--synthetic-input-tokens-mean", "20",
                                                     "--output-tokens-mean", "8"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Multi-Modal Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Time To First Token (ms)"), std::string::npos) << r.out;
  const fs::path run = dir.path() / "bench-sim-openai-multimodal-concurrency2";
  const auto stats = RunFiles(run);
  EXPECT_EQ(stats["request_count"]["avg"], 6.0);
  // Token metrics count the text alone: the 20-token prompt, not the image.
  EXPECT_EQ(stats["input_sequence_length"]["avg"], 20.0);
  EXPECT_EQ(stats["output_sequence_length"]["avg"], 8.0);
  EXPECT_EQ(stats["input_config"]["endpoint"]["output_format"], "openai_multimodal");
  EXPECT_EQ(stats["input_config"]["input"]["image"]["format"], "jpeg");
  const auto inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 3u);
  const auto& content = inputs["data"][0]["payload"][0]["messages"][0]["content"];
  EXPECT_EQ(content[1]["image_url"]["url"].get<std::string>().rfind("data:image/jpeg;base64,", 0), 0u);
}

TEST(MediaRunTest, VisionWithMp3Audio) {
  test::TempDir dir;
  const auto r = test::RunBench(MediaProfile(dir.path(), {"--endpoint-type", "vision", "--audio-length-mean", "0.3",
                                                     "--audio-format", "mp3", "--audio-sample-rates", "16", "24",
                                                     "--batch-size-audio", "2", "--synthetic-input-tokens-mean", "10",
                                                     "--output-tokens-mean", "4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-vision-concurrency2";
  const auto stats = RunFiles(run);
  EXPECT_EQ(stats["request_count"]["avg"], 6.0);
  EXPECT_EQ(stats["input_sequence_length"]["avg"], 10.0);
  EXPECT_FALSE(stats.contains("time_to_second_token"));  // not streamed: one response each
  const auto content = test::ReadJson(run / "inputs.json")["data"][2]["payload"][0]["messages"][0]["content"];
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[2]["input_audio"]["format"], "mp3");
}

TEST(MediaRunTest, ImageRetrieval) {
  test::TempDir dir;
  const auto r = test::RunBench(MediaProfile(dir.path(), {"--endpoint-type", "image_retrieval", "--image-width-mean",
                                                     "32", "--image-height-mean", "32", "--batch-size-image", "4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Image Retrieval Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Image Throughput (images/sec)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Token"), std::string::npos) << r.out;
  const auto stats = RunFiles(dir.path() / "bench-sim-openai-image_retrieval-concurrency2");
  EXPECT_EQ(stats["request_count"]["avg"], 6.0);
  // Four images per request: each request's image latency is a quarter of its latency.
  EXPECT_NEAR(stats["image_latency"]["avg"].get<double>() * 4, stats["request_latency"]["avg"].get<double>(), 1e-9);
  const auto exported = test::ReadJson(dir.path() / "bench-sim-openai-image_retrieval-concurrency2" /
                                       "profile_export.json");
  EXPECT_EQ(exported["endpoint"], "v1/infer");
  const auto answer = nlohmann::json::parse(
      exported["experiments"][0]["requests"][0]["response_outputs"][0]["response"].get<std::string>());
  EXPECT_EQ(answer["data"].size(), 4u);
}

TEST(MediaRunTest, Nvclip) {
  test::TempDir dir;
  const auto r = test::RunBench(MediaProfile(dir.path(), {"--endpoint-type", "nvclip", "--image-width-mean", "16",
                                                     "--image-height-mean", "16", "--synthetic-input-tokens-mean",
                                                     "6"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Request Latency (ms)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Token"), std::string::npos) << r.out;
  const fs::path run = dir.path() / "bench-sim-openai-nvclip-concurrency2";
  const auto stats = RunFiles(run);
  EXPECT_EQ(stats["request_count"]["avg"], 6.0);
  EXPECT_EQ(stats["input_config"]["endpoint"]["custom"], "v1/embeddings");
  const auto body = test::ReadJson(run / "inputs.json")["data"][0]["payload"][0];
  ASSERT_EQ(body["input"].size(), 2u);
  EXPECT_EQ(body["input"][1].get<std::string>().rfind("data:image/png;base64,", 0), 0u);
}

TEST(MediaRunTest, BadMediaInputIsRefusedBeforeAnyRequest) {
  test::TempDir dir;
  const fs::path file = dir.path() / "in.jsonl";
  const fs::path bad_audio = dir.path() / "noise.wav";
  std::ofstream(bad_audio) << "RIFF, but nothing else";
  struct BadCase {
    std::string line;
    std::vector<std::string> flags;
    int exit_code;
    std::string message;
  };
  const std::vector<BadCase> cases = {
      {R"({"text": "hi", "image": ")" + (dir.path() / "missing.png").string() + "\"}", {}, 4,
       (dir.path() / "missing.png").string() + "': cannot open file"},
      {R"({"text": "hi", "audio": ")" + bad_audio.string() + "\"}", {}, 4,
       bad_audio.string() + "': unsupported or invalid audio"},
      {R"({"text": "hi"})", {"--batch-size-image", "0"}, 2, "--batch-size-image: must be at least 1"},
      {R"({"text": "hi"})", {"--image-format", "webp"}, 2, "--image-format 'webp': not supported (png or jpeg)"},
  };
  for (const BadCase& c : cases) {
    std::ofstream(file) << c.line << "\n";
    const fs::path artifacts = dir.path() / "artifacts";
    std::vector<std::string> flags = {"-q", "--endpoint-type", "multimodal", "--input-file", file.string()};
    flags.insert(flags.end(), c.flags.begin(), c.flags.end());
    const auto r = test::RunBench(MediaProfile(artifacts, flags));
    EXPECT_EQ(r.exit_code, c.exit_code) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
    EXPECT_FALSE(fs::exists(artifacts / "bench-sim-openai-multimodal-concurrency2" / "profile_export.json"))
        << c.message;
  }
}

}  // namespace
}  // namespace bench
