#pragma once
// GenAI-Perf's Image Input and Audio Input flags and --batch-size-image/-audio (reference §1.2),
// and their checks: the media endpoint types (multimodal, vision, image_retrieval, nvclip).

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/config.h"

namespace bench {

/// --image-*, --audio-*, --batch-size-image, --batch-size-audio into `p.media`.
void AddMediaOptions(CLI::App* app, ProfileConfig& p);

/// One-line usage error or "": values in range (an MP3 sample rate MP3 allows, bit depths
/// 8/16/24/32, 1 or 2 channels, batch sizes >= 1), media flags only with an endpoint type that
/// sends them, images for image_retrieval, no --streaming for image_retrieval and nvclip.
std::string ValidateMedia(ProfileConfig& c, const CLI::App& app);

/// The default URL path of a media endpoint type (reference §1.3).
std::string MediaEndpointPath(const std::string& endpoint_type);

/// GenAI-Perf's output_format name of a media endpoint type ("openai_multimodal",
/// "image_retrieval", "nvclip"), recorded in input_config.
std::string MediaOutputFormat(const std::string& endpoint_type);

/// input_config's `input.audio` and `input.image` objects, in GenAI-Perf's key order.
nlohmann::ordered_json MediaAudioJson(const AudioOptions& audio);
nlohmann::ordered_json MediaImageJson(const ImageOptions& image);

}  // namespace bench
