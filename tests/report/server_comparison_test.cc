// FormatServerComparison: two runs' servers side by side.

#include "report/server_comparison.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

using Json = nlohmann::ordered_json;

// The table line whose first cell is `field`.
std::string Line(const std::string& text, const std::string& field) {
  const size_t at = text.find("│ " + field + " ");
  if (at == std::string::npos) return "";
  return text.substr(at, text.find('\n', at) - at);
}

Json RunWith(const Json& server) { return Json{{"bench", {{"server", server}}}}; }

TEST(ServerComparison, RowsForFieldsEitherRunHasAndWhichDiffer) {
  const std::string text = FormatServerComparison(
      RunWith({{"engine", "NIM"}, {"version", "1.8.4"}, {"profile", "trtllm-fp8-tp2"}, {"tensor_parallel", 2}}),
      RunWith({{"engine", "NIM"}, {"version", "1.8.4"}, {"profile", "trtllm-bf16-tp4"}, {"tensor_parallel", 4}}), 120);
  EXPECT_NE(text.find("Server"), std::string::npos);
  EXPECT_EQ(Line(text, "engine"), "│ engine          │ NIM            │ NIM             │         │") << text;
  EXPECT_EQ(Line(text, "profile"), "│ profile         │ trtllm-fp8-tp2 │ trtllm-bf16-tp4 │ differs │") << text;
  EXPECT_EQ(Line(text, "tensor_parallel"), "│ tensor_parallel │ 2              │ 4               │ differs │") << text;
  EXPECT_EQ(text.find("model_path"), std::string::npos);
}

TEST(ServerComparison, NothingRecordedNoTable) {
  EXPECT_EQ(FormatServerComparison(Json::object(), Json{{"bench", Json::object()}}, 120), "");
  const std::string one = FormatServerComparison(RunWith({{"engine", "vLLM"}}), Json::object(), 120);
  EXPECT_NE(one.find("vLLM"), std::string::npos);
  EXPECT_NE(one.find(" - "), std::string::npos) << one;
}

}  // namespace
}  // namespace bench
