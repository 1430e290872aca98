#include "dataset/media/media_inputs.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "dataset/media/audio_codec.h"
#include "dataset/media/image_codec.h"
#include "util/base64.h"
#include "util/random_stream.h"

namespace bench {
namespace {

// Media draws come from a stream of their own, so a multimodal run's prompts are those of a chat
// run with the same seed (GenAI-Perf, too, draws audio from numpy's stream, not Python's).
constexpr uint64_t kMediaStream = 0x6d65646961ULL;  // "media"

int PositiveSize(int mean, int stddev, RandomStream& rng) {
  const int n = static_cast<int>(std::abs(rng.Gauss(mean, stddev)));
  return n != 0 ? n : 1;
}

// random.sample(items, k): k distinct items in random order.
template <typename T>
std::vector<T> Sample(const std::vector<T>& items, int k, RandomStream& rng) {
  std::vector<size_t> index(items.size());
  std::iota(index.begin(), index.end(), size_t{0});
  std::vector<T> out;
  for (size_t i = 0; i < size_t(k); ++i) {
    std::swap(index[i], index[i + rng.Below(index.size() - i)]);
    out.push_back(items[index[i]]);
  }
  return out;
}

bool IsMultimodal(std::string_view type) { return type == "multimodal" || type == "vision"; }

// The rows of an input file (GenAI-Perf's _convert_content_to_data_file, with audio beside
// images): with every batch size 1, line-wise pairs of the kinds present (zip: the shortest list
// decides); with a larger batch, num_dataset_entries rows of distinct items sampled per kind.
Parsed<std::vector<MediaRow>> FileRows(const DatasetOptions& config, RandomStream& rng) {
  Parsed<std::vector<MediaRow>> out;
  MediaFileRead read = ReadMediaInputFile(config.input_file);
  if (!read.error.empty()) {
    out.error = read.error;
    return out;
  }
  MediaFileContent& c = read.content;
  if (config.endpoint_type == "image_retrieval") {
    c.texts.clear();
    c.audios.clear();
  } else if (config.endpoint_type == "nvclip") {
    c.audios.clear();
  }
  if (c.texts.empty() && c.images.empty() && c.audios.empty()) {
    out.error = fmt::format("--input-file {}: no 'image' line for --endpoint-type {}", config.input_file,
                            config.endpoint_type);
    return out;
  }
  const ImageOptions& image = config.media.image;
  const AudioOptions& audio = config.media.audio;
  if (!c.images.empty() && image.batch_size > int(c.images.size())) {
    out.error = fmt::format("--batch-size-image {}: larger than the {} images of --input-file {}", image.batch_size,
                            c.images.size(), config.input_file);
    return out;
  }
  if (!c.audios.empty() && audio.batch_size > int(c.audios.size())) {
    out.error = fmt::format("--batch-size-audio {}: larger than the {} audio clips of --input-file {}",
                            audio.batch_size, c.audios.size(), config.input_file);
    return out;
  }
  if (image.batch_size > 1 || audio.batch_size > 1) {
    for (int i = 0; i < config.num_dataset_entries; ++i) {
      MediaRow row;
      if (!c.texts.empty()) row.texts = Sample(c.texts, 1, rng);
      if (!c.images.empty()) row.images = Sample(c.images, image.batch_size, rng);
      if (!c.audios.empty()) row.audios = Sample(c.audios, audio.batch_size, rng);
      out.value.push_back(std::move(row));
    }
    return out;
  }
  size_t n = SIZE_MAX;
  for (const size_t size : {c.texts.size(), c.images.size(), c.audios.size()}) {
    if (size > 0) n = std::min(n, size);
  }
  for (size_t i = 0; i < n; ++i) {
    MediaRow row;
    if (!c.texts.empty()) row.texts = {std::move(c.texts[i])};
    if (!c.images.empty()) row.images = {std::move(c.images[i])};
    if (!c.audios.empty()) row.audios = {std::move(c.audios[i])};
    out.value.push_back(std::move(row));
  }
  return out;
}

// Synthetic prompts: one per row (GenAI-Perf's batch_size_text is 1 for these types), with the
// prefix pool as for chat.
std::vector<std::string> SynthPrompts(const DatasetOptions& config, size_t count, const Tokenizer& tokenizer,
                                      RandomStream& rng, size_t& inexact) {
  SyntheticPromptGenerator generator(tokenizer, rng);
  const std::vector<std::string> prefixes =
      generator.PrefixPool(config.num_prefix_prompts, config.prefix_prompt_length);
  std::vector<PromptSpec> specs(count);
  const auto clip = config.synthetic_input_tokens_clip.value_or(std::pair<int, int>{0, 0});
  for (PromptSpec& spec : specs) {
    spec.num_tokens = generator.SampleLength(config.synthetic_input_tokens_mean, config.synthetic_input_tokens_stddev,
                                             clip.first, clip.second);
    if (!prefixes.empty()) {
      spec.prefix = prefixes[rng.Below(prefixes.size())];
      spec.prefix_tokens = size_t(std::max(0, config.prefix_prompt_length));
    }
  }
  std::vector<std::string> prompts = generator.GenerateAll(specs);
  inexact = generator.inexact_count();
  return prompts;
}

Parsed<std::vector<MediaRow>> SyntheticRows(const DatasetOptions& config, const Tokenizer& tokenizer,
                                            RandomStream& rng, size_t& inexact) {
  Parsed<std::vector<MediaRow>> out;
  std::vector<std::string> prompts;
  // NV-CLIP sends --batch-size-text texts with its images; the chat types one text per request.
  const size_t texts_per_row = config.endpoint_type == "nvclip" ? size_t(std::max(1, config.batch_size_text)) : 1;
  if (config.endpoint_type != "image_retrieval") {
    prompts = SynthPrompts(config, texts_per_row * size_t(config.num_dataset_entries), tokenizer, rng, inexact);
  }
  RandomStream media_rng(config.random_seed ^ kMediaStream);
  const bool audio = IsMultimodal(config.endpoint_type) && config.media.audio.enabled();
  for (int i = 0; i < config.num_dataset_entries; ++i) {
    MediaRow row;
    for (size_t k = 0; k < texts_per_row && !prompts.empty(); ++k) {
      row.texts.push_back(std::move(prompts[size_t(i) * texts_per_row + k]));
    }
    if (config.media.image.enabled()) {
      for (int k = 0; k < config.media.image.batch_size; ++k) row.images.push_back(SynthImageUrl(config.media.image, media_rng));
    }
    for (int k = 0; audio && k < config.media.audio.batch_size; ++k) {
      row.audios.push_back(SynthAudioItem(config.media.audio, media_rng, out.error));
      if (!out.ok()) return out;
    }
    out.value.push_back(std::move(row));
  }
  return out;
}

nlohmann::ordered_json ChatContent(const MediaRow& row) {
  nlohmann::ordered_json content = nlohmann::ordered_json::array();
  for (const std::string& text : row.texts) content.push_back({{"type", "text"}, {"text", text}});
  for (const std::string& image : row.images) {
    content.push_back({{"type", "image_url"}, {"image_url", {{"url", image}}}});
  }
  for (const AudioItem& audio : row.audios) {
    if (audio.url.empty()) {
      content.push_back({{"type", "input_audio"}, {"input_audio", {{"data", audio.base64}, {"format", audio.format}}}});
    } else {
      content.push_back({{"type", "audio_url"}, {"audio_url", {{"url", audio.url}}}});
    }
  }
  return content;
}

}  // namespace

bool IsMediaEndpoint(std::string_view type) {
  return IsMultimodal(type) || type == "image_retrieval" || type == "nvclip";
}

std::string SynthImageUrl(const ImageOptions& options, RandomStream& rng) {
  const int width = PositiveSize(options.width_mean, options.width_stddev, rng);
  const int height = PositiveSize(options.height_mean, options.height_stddev, rng);
  const ImageFormat format = options.format == "jpeg" ? ImageFormat::kJpeg : ImageFormat::kPng;
  const std::string bytes = EncodeImage(DrawImage(width, height, rng), format);
  return fmt::format("data:image/{};base64,{}", ImageFormatName(format), Base64Encode(bytes));
}

AudioItem SynthAudioItem(const AudioOptions& options, RandomStream& rng, std::string& error) {
  double seconds = 0;
  do {
    seconds = rng.Gauss(options.length_mean, options.length_stddev);
  } while (seconds < 0.1);  // the CLI guarantees mean >= 0.1, so this ends
  const auto hz = static_cast<int>(options.sample_rates_khz[rng.Below(options.sample_rates_khz.size())] * 1000);
  const int depth = options.depths[rng.Below(options.depths.size())];
  const PcmAudio pcm = SynthNoise(seconds, hz, depth, options.num_channels, rng);
  AudioItem item;
  item.format = options.format;
  const std::string bytes = options.format == "mp3" ? EncodeMp3(pcm, error) : EncodeWav(pcm);
  item.base64 = Base64Encode(bytes);
  return item;
}

nlohmann::ordered_json MediaBody(const DatasetOptions& config, size_t index, const MediaRow& row, RandomStream& rng) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  if (config.endpoint_type == "image_retrieval") {  // no model: the NIM serves one
    nlohmann::ordered_json input = nlohmann::ordered_json::array();
    for (const std::string& image : row.images) input.push_back({{"type", "image_url"}, {"url", image}});
    body["input"] = std::move(input);
  } else {
    const auto& models = config.models;
    body["model"] = config.model_selection_strategy == "random" ? models[rng.Below(models.size())]
                                                                : models[index % models.size()];
    if (config.endpoint_type == "nvclip") {
      nlohmann::ordered_json input = nlohmann::ordered_json::array();
      for (const std::string& text : row.texts) input.push_back(text);
      for (const std::string& image : row.images) input.push_back(image);
      body["input"] = std::move(input);
    } else {
      body["messages"] = nlohmann::ordered_json::array({{{"role", "user"}, {"content", ChatContent(row)}}});
      if (config.streaming) body["stream"] = true;
      if (config.output_tokens_mean) body["max_tokens"] = SampleMaxTokens(config, rng);
    }
  }
  for (const auto& [key, value] : config.extra_inputs.items()) body[key] = value;
  return body;
}

Parsed<Dataset> BuildMediaDataset(const DatasetOptions& config, const Tokenizer& tokenizer) {
  Parsed<Dataset> out;
  RandomStream rng(config.random_seed);
  auto rows = config.input_file.empty() ? SyntheticRows(config, tokenizer, rng, out.value.inexact_prompts)
                                        : FileRows(config, rng);
  if (!rows.ok()) {
    out.error = rows.error;
    return out;
  }
  for (size_t i = 0; i < rows.value.size(); ++i) out.value.payloads.push_back(MediaBody(config, i, rows.value[i], rng));
  return out;
}

}  // namespace bench
