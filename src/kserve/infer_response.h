#pragma once
// A KServe v2 inference response as Triton's LLM backends send it: the generated text in the
// BYTES output `text_output`, and in a stream the `triton_final_response` parameter on the last
// response of a request.

#include <optional>
#include <string>
#include <string_view>

#include "kserve/kserve.pb.h"

namespace bench {

/// The text of output `text_output` (its elements joined); nullopt when the response has no
/// such output or its contents cannot be read. A response without outputs (Triton's empty
/// final response) gives "".
std::optional<std::string> TextOutput(const inference::ModelInferResponse& response);

/// True when the response carries `triton_final_response: true`.
bool IsFinalResponse(const inference::ModelInferResponse& response);

/// Fills `out` with one BYTES output `text_output` holding `text` (raw contents), the model and
/// request id, and the final flag when `final_flag` is set.
void MakeTextResponse(std::string_view model, std::string_view id, std::string_view text, std::optional<bool> final_flag,
                      inference::ModelInferResponse& out);

}  // namespace bench
