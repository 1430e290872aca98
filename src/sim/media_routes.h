#pragma once
// The simulator's non-generating media endpoints, each answered with one JSON body after the
// time the latency model gives its input (TTFT for that many prompt tokens; sim/vision's
// per-image cost):
//   POST /v1/infer       NIM object detection (GenAI-Perf's image_retrieval): per image, the
//                        page-elements answer {"index", "bounding_boxes": {label: [boxes]}}.
//   POST /v1/embeddings  OpenAI embeddings as NV-CLIP serves them: `input` holds texts and image
//                        data URLs in one batch; 1024-dimensional unit vectors.

#include <string_view>

#include "sim/router.h"

namespace bench {

/// True for the two paths above.
bool IsSimMediaPath(std::string_view path);

/// The answer to a POST on a media path: 200 with the body and its delay, or 400 naming what is
/// malformed (no delay).
SimReply SimMediaReply(std::string_view path, std::string_view body, const SimulatorOptions& options);

/// NV-CLIP's embedding size.
inline constexpr int kSimNvclipDimensions = 1024;

}  // namespace bench
