#pragma once
// The text of one response of TGI's generate API and of OpenAI's Responses API (the formats
// record/response_parser hands on here): which field holds the model's output, in a whole JSON
// body and in one streamed event, and where a merged read's text is written back.

#include <string>

#include <nlohmann/json.hpp>

#include "record/response_parser.h"

namespace bench {

/// TGI: `[{"generated_text": ...}]` (the root path, GenAI-Perf's shape), `{"generated_text":
/// ...}` (/generate) or one /generate_stream event, whose text is `token.text`; a special token
/// (`"special": true`, e.g. the EOS `</s>`) has none, and the last event's `generated_text`, the
/// whole answer again, is not counted twice.
TextExtraction HuggingFaceGenerateText(const nlohmann::ordered_json& data);

/// The Responses API: a `response` object (non-streaming) gives the `text` of every
/// `output_text` part of every `message` item in `output`; a streamed event gives its `delta`
/// when its `type` is `response.output_text.delta` and "" for every other event (`created`,
/// `output_text.done`, `completed`, reasoning deltas, ...), so only answer deltas are tokens.
TextExtraction ResponsesText(const nlohmann::ordered_json& data);

/// Writes `text` where the two functions above read it in a streamed event (a read holding
/// several events is merged into its first one). False when the event has no such place.
bool SetHuggingFaceGenerateText(nlohmann::ordered_json& data, const std::string& text);
bool SetResponsesText(nlohmann::ordered_json& data, const std::string& text);

}  // namespace bench
