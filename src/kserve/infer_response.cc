#include "kserve/infer_response.h"

#include "kserve/infer_request.h"

namespace bench {

std::optional<std::string> TextOutput(const inference::ModelInferResponse& response) {
  if (response.outputs_size() == 0) return std::string();
  for (int i = 0; i < response.outputs_size(); ++i) {
    const auto& output = response.outputs(i);
    if (output.name() != "text_output") continue;
    std::vector<std::string> elements;
    if (response.raw_output_contents_size() > 0) {
      if (i >= response.raw_output_contents_size()) return std::nullopt;
      auto split = SplitRawBytes(response.raw_output_contents(i));
      if (!split) return std::nullopt;
      elements = std::move(*split);
    } else {
      elements.assign(output.contents().bytes_contents().begin(), output.contents().bytes_contents().end());
    }
    std::string text;
    for (const std::string& e : elements) text += e;
    return text;
  }
  return std::nullopt;
}

bool IsFinalResponse(const inference::ModelInferResponse& response) {
  const auto it = response.parameters().find("triton_final_response");
  return it != response.parameters().end() && it->second.bool_param();
}

void MakeTextResponse(std::string_view model, std::string_view id, std::string_view text, std::optional<bool> final_flag,
                      inference::ModelInferResponse& out) {
  out.Clear();
  out.set_model_name(std::string(model));
  out.set_id(std::string(id));
  auto* output = out.add_outputs();
  output->set_name("text_output");
  output->set_datatype("BYTES");
  output->add_shape(1);
  AppendRawBytesElement(*out.add_raw_output_contents(), text);
  if (final_flag) (*out.mutable_parameters())["triton_final_response"].set_bool_param(*final_flag);
}

}  // namespace bench
