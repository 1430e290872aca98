#include "dataset/kserve_inputs.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

using Json = nlohmann::ordered_json;

TEST(KserveInputsTest, TensorRtLlmShapeAndDefaultMaxTokens) {
  const Json body = MakeKserveBody(Json{{"model", "m"}}, "tensorrtllm", "hello", std::nullopt, true, Json::object());
  EXPECT_EQ(body.dump(),
            R"({"model":"m","text_input":["hello"],"max_tokens":[256],"exclude_input_in_output":[true],"stream":[true]})");
}

TEST(KserveInputsTest, VllmSamplingParametersOnlyWithMaxTokens) {
  EXPECT_EQ(MakeKserveBody(Json{{"model", "m"}}, "vllm", "hi", 40, false, Json::object()).dump(),
            R"({"model":"m","text_input":["hi"],"exclude_input_in_output":[true],"sampling_parameters":["{\"max_tokens\": \"40\"}"]})");
  EXPECT_EQ(MakeKserveBody(Json{{"model", "m"}}, "vllm", "hi", std::nullopt, true, Json::object()).dump(),
            R"({"model":"m","text_input":["hi"],"exclude_input_in_output":[true],"stream":[true]})");
}

TEST(KserveInputsTest, ExtraInputsAreOneElementListsAndOverride) {
  const Json extra{{"max_tokens", 9}, {"temperature", 0.5}};
  EXPECT_EQ(MakeKserveBody(Json{{"model", "m"}}, "tensorrtllm", "x", 100, false, extra).dump(),
            R"({"model":"m","text_input":["x"],"max_tokens":[9],"exclude_input_in_output":[true],"temperature":[0.5]})");
}

}  // namespace
}  // namespace bench
