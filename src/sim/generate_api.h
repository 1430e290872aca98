#pragma once
// The simulator as Triton's HTTP generate extension (`v2/models/{model}/generate` and
// `generate_stream`) and as Hugging Face TGI (`/generate`, `/generate_stream` and the root
// path): request parsing, and the SSE events and JSON bodies with those servers' field names.

#include <memory>
#include <string_view>

#include "sim/api_stream.h"
#include "sim/openai.h"

namespace bench {

struct SimulatorOptions;

/// A Triton generate body: `text_input` (a string or strings) is required; `max_tokens`,
/// `min_tokens` and `ignore_eos` are read at the top level or under `parameters` (a value may
/// be a one-element list). `model` comes from the path; `stream` from the path too
/// (generate_stream), as Triton decides by URL.
SimParseResult ParseTritonGenerateRequest(std::string_view model, bool stream, std::string_view body,
                                          const SimulatorOptions& options);

/// A TGI body: `inputs` (a string) is required; `parameters.max_new_tokens` is the output length.
/// `stream` comes from the path (/generate_stream) or, on the root path (`compat`), from the
/// body's "stream".
SimParseResult ParseTgiGenerateRequest(bool stream_path, bool compat, std::string_view body,
                                       const SimulatorOptions& options);

/// Triton: each chunk `data: {"model_name":...,"model_version":"1","text_output":...}`; the
/// body the same object with the whole answer.
std::unique_ptr<SimApiStream> MakeTritonGenerateStream(const SimRequest& request);

/// TGI: one `data:{"index":i,"token":{...},"generated_text":null,"details":null}` per chunk;
/// the last token's event carries the whole answer and `details` (on an early stop, an extra
/// special EOS token does). The body: `{"generated_text": ...}` on /generate, a one-element
/// list of it on the root path.
std::unique_ptr<SimApiStream> MakeTgiGenerateStream(const SimRequest& request);

}  // namespace bench
