#include "app/media_flags.h"

#include <algorithm>

#include <fmt/format.h>

#include "dataset/media/audio_codec.h"
#include "dataset/media/media_inputs.h"

namespace bench {
namespace {

constexpr const char* kImageFlags[] = {"--image-width-mean", "--image-width-stddev", "--image-height-mean",
                                       "--image-height-stddev", "--image-format", "--batch-size-image"};
constexpr const char* kAudioFlags[] = {"--audio-length-mean", "--audio-length-stddev", "--audio-format",
                                       "--audio-depths",      "--audio-sample-rates",  "--audio-num-channels",
                                       "--batch-size-audio"};

std::string ValidateImage(const ImageOptions& image) {
  if (image.width_mean < 0) return "--image-width-mean: must be 0 (no images) or more pixels";
  if (image.width_stddev < 0) return "--image-width-stddev: must be 0 or more pixels";
  if (image.height_mean < 0) return "--image-height-mean: must be 0 (no images) or more pixels";
  if (image.height_stddev < 0) return "--image-height-stddev: must be 0 or more pixels";
  if (image.format != "png" && image.format != "jpeg") {
    return fmt::format("--image-format '{}': not supported (png or jpeg)", image.format);
  }
  if (image.batch_size < 1) return "--batch-size-image: must be at least 1";
  return "";
}

std::string ValidateAudio(const AudioOptions& audio) {
  // GenAI-Perf refuses a mean under 0.1 s when it makes the first clip.
  if (audio.length_mean != 0 && !(audio.length_mean >= 0.1)) {
    return "--audio-length-mean: must be 0 (no audio) or at least 0.1 seconds";
  }
  if (!(audio.length_stddev >= 0)) return "--audio-length-stddev: must be 0 or more seconds";
  if (audio.format != "wav" && audio.format != "mp3") {
    return fmt::format("--audio-format '{}': not supported (wav or mp3)", audio.format);
  }
  for (const int depth : audio.depths) {
    if (depth != 8 && depth != 16 && depth != 24 && depth != 32) {
      return fmt::format("--audio-depths {}: not supported (8, 16, 24 or 32 bits)", depth);
    }
  }
  for (const double khz : audio.sample_rates_khz) {
    const auto hz = static_cast<int>(khz * 1000);
    if (!(khz > 0) || hz < 1) return fmt::format("--audio-sample-rates {}: must be more than 0 kHz", khz);
    if (audio.format == "mp3" && !Mp3SampleRateAllowed(hz)) {
      return fmt::format("--audio-sample-rates {}: MP3 allows 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 or 48 kHz", khz);
    }
  }
  if (audio.num_channels != 1 && audio.num_channels != 2) return "--audio-num-channels: must be 1 or 2";
  if (audio.batch_size < 1) return "--batch-size-audio: must be at least 1";
  return "";
}

std::string FirstGiven(const CLI::App& app, const auto& flags) {
  for (const char* flag : flags) {
    if (app.count(flag) > 0) return flag;
  }
  return "";
}

}  // namespace

void AddMediaOptions(CLI::App* app, ProfileConfig& p) {
  ImageOptions& image = p.media.image;
  AudioOptions& audio = p.media.audio;
  app->add_option("--image-width-mean", image.width_mean, "Synthetic image width in pixels (0: no images)")
      ->capture_default_str();
  app->add_option("--image-width-stddev", image.width_stddev, "Stddev of the image width")->capture_default_str();
  app->add_option("--image-height-mean", image.height_mean, "Synthetic image height in pixels (0: no images)")
      ->capture_default_str();
  app->add_option("--image-height-stddev", image.height_stddev, "Stddev of the image height")->capture_default_str();
  app->add_option("--image-format", image.format, "Synthetic image encoding: png | jpeg")->capture_default_str();
  app->add_option("--batch-size-image", image.batch_size, "Images per request")->capture_default_str();
  app->add_option("--audio-length-mean", audio.length_mean, "Synthetic audio length in seconds (0: no audio)")
      ->capture_default_str();
  app->add_option("--audio-length-stddev", audio.length_stddev, "Stddev of the audio length")->capture_default_str();
  app->add_option("--audio-format", audio.format, "Synthetic audio encoding: wav | mp3")->capture_default_str();
  app->add_option("--audio-depths", audio.depths, "Bit depths picked at random per clip (8 16 24 32)")
      ->expected(1, -1)->capture_default_str();
  app->add_option("--audio-sample-rates", audio.sample_rates_khz, "Sample rates in kHz picked at random per clip")
      ->expected(1, -1)->capture_default_str();
  app->add_option("--audio-num-channels", audio.num_channels, "1 (mono) or 2 (stereo)")->capture_default_str();
  app->add_option("--batch-size-audio", audio.batch_size, "Audio clips per request")->capture_default_str();
}

std::string MediaEndpointPath(const std::string& endpoint_type) {
  if (endpoint_type == "image_retrieval") return "v1/infer";
  if (endpoint_type == "nvclip") return "v1/embeddings";
  return "v1/chat/completions";
}

std::string ValidateMedia(ProfileConfig& c, const CLI::App& app) {
  if (std::string e = ValidateImage(c.media.image); !e.empty()) return e;
  if (std::string e = ValidateAudio(c.media.audio); !e.empty()) return e;
  const std::string& type = c.endpoint_type;
  const bool multimodal = type == "multimodal" || type == "vision";
  if (!IsMediaEndpoint(type)) {
    if (std::string flag = FirstGiven(app, kImageFlags); !flag.empty()) {
      return fmt::format("{}: images are sent only with --endpoint-type multimodal, vision, image_retrieval or nvclip",
                         flag);
    }
  }
  if (!multimodal) {
    if (std::string flag = FirstGiven(app, kAudioFlags); !flag.empty()) {
      return fmt::format("{}: audio is sent only with --endpoint-type multimodal (or vision)", flag);
    }
  }
  if (!IsMediaEndpoint(type)) return "";
  if (c.streaming && !multimodal) {
    return fmt::format("--streaming: not supported for --endpoint-type {} (one JSON answer per request)", type);
  }
  if (c.payload_input) {
    return fmt::format("--input-file payload:FILE: not supported for --endpoint-type {} (use a JSONL file of "
                       "text/image/audio lines)", type);
  }
  if (type == "image_retrieval" && c.input_file.empty() && !c.media.image.enabled()) {
    return "--endpoint-type image_retrieval: needs images: --image-width-mean and --image-height-mean, or "
           "--input-file with 'image' lines";
  }
  return "";
}

std::string MediaOutputFormat(const std::string& endpoint_type) {
  if (endpoint_type == "image_retrieval" || endpoint_type == "nvclip") return endpoint_type;
  return "openai_multimodal";
}

namespace {

// GenAI-Perf's defaults are ints; a typed value is a float (argparse type=float).
nlohmann::ordered_json Number(double v) {
  return v == static_cast<double>(static_cast<int64_t>(v)) ? nlohmann::ordered_json(static_cast<int64_t>(v))
                                                           : nlohmann::ordered_json(v);
}

}  // namespace

nlohmann::ordered_json MediaAudioJson(const AudioOptions& audio) {
  nlohmann::ordered_json rates = nlohmann::ordered_json::array();
  for (const double khz : audio.sample_rates_khz) rates.push_back(Number(khz));
  return {{"batch_size", audio.batch_size},
          {"length", {{"mean", Number(audio.length_mean)}, {"stddev", Number(audio.length_stddev)}}},
          {"format", audio.format},
          {"depths", audio.depths},
          {"sample_rates", std::move(rates)},
          {"num_channels", audio.num_channels}};
}

nlohmann::ordered_json MediaImageJson(const ImageOptions& image) {
  return {{"width", {{"mean", image.width_mean}, {"stddev", image.width_stddev}}},
          {"height", {{"mean", image.height_mean}, {"stddev", image.height_stddev}}},
          {"batch_size", image.batch_size},
          {"format", image.format}};
}

}  // namespace bench
