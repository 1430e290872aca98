#pragma once
// The datasets and request bodies of GenAI-Perf's media endpoint types (reference §3.3):
// multimodal (alias vision: chat whose user content is text, image_url and input_audio parts),
// image_retrieval (NIM /v1/infer: {"input": [{"type": "image_url", "url": ...}, ...]}) and
// nvclip ({"model": m, "input": [texts..., images...]}).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/inputs.h"
#include "dataset/media/media_file.h"

namespace bench {

class RandomStream;

/// True for "multimodal", "vision", "image_retrieval" and "nvclip".
bool IsMediaEndpoint(std::string_view endpoint_type);

/// One request's content before it is shaped into a body.
struct MediaRow {
  std::vector<std::string> texts;
  std::vector<std::string> images;  // data URLs or URLs
  std::vector<AudioItem> audios;
};

/// A synthetic image as GenAI-Perf sizes it: width and height int(|gauss(mean, stddev)|), 0 -> 1;
/// drawn by image_codec and returned as a data URL of `options.format`.
std::string SynthImageUrl(const ImageOptions& options, RandomStream& rng);

/// A synthetic clip as GenAI-Perf makes it: length from N(mean, stddev) redrawn until >= 0.1 s,
/// a sample rate and a depth picked from the lists, noise encoded as `options.format`.
AudioItem SynthAudioItem(const AudioOptions& options, RandomStream& rng, std::string& error);

/// The body of one row for `config.endpoint_type` (GenAI-Perf's converters): model by the
/// selection strategy, content, then for multimodal `stream` and `max_tokens`, then
/// --extra-inputs last.
nlohmann::ordered_json MediaBody(const DatasetOptions& config, size_t index, const MediaRow& row,
                                 RandomStream& rng);

/// The dataset of a media endpoint type: synthetic rows (num_dataset_entries of them) or the
/// rows of --input-file. Errors are one line naming the flag or FILE:LINE.
Parsed<Dataset> BuildMediaDataset(const DatasetOptions& config, const Tokenizer& tokenizer);

}  // namespace bench
