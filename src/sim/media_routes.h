#pragma once
// The simulator's image-retrieval endpoint, answered with one JSON body after the time the
// latency model gives its input (TTFT for sim/vision's per-image cost):
//   POST /v1/infer  NIM object detection (GenAI-Perf's image_retrieval): per image, the
//                   page-elements answer {"index", "bounding_boxes": {label: [boxes]}}.
// NV-CLIP's /v1/embeddings (texts and image data URLs in one batch) is sim/embeddings'.

#include <string_view>

#include "sim/router.h"

namespace bench {

/// True for /v1/infer.
bool IsSimMediaPath(std::string_view path);

/// The answer to a POST on the media path (/v1/infer): 200 with the body and its delay, or 400 naming what is
/// malformed (no delay).
SimReply SimMediaReply(std::string_view body, const SimulatorOptions& options);

}  // namespace bench
