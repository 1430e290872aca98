#include "kserve/infer_request.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

const inference::ModelInferRequest::InferInputTensor* Input(const inference::ModelInferRequest& r, const std::string& name) {
  for (const auto& input : r.inputs()) {
    if (input.name() == name) return &input;
  }
  return nullptr;
}

TEST(InferRequestTest, TensorRtLlmBodyBecomesBatchedTensorsWithRawContents) {
  inference::ModelInferRequest r;
  const std::string body =
      R"({"model":"ensemble","text_input":["Hi there"],"max_tokens":[256],"exclude_input_in_output":[true],"stream":[true]})";
  ASSERT_EQ(BuildInferRequest(body, KserveBackend::kTensorRtLlm, /*streaming=*/true, "bench-7", r), "");
  EXPECT_EQ(r.model_name(), "ensemble");
  EXPECT_EQ(r.id(), "bench-7");
  ASSERT_EQ(r.inputs_size(), 4);  // "model" names the model, it is no tensor
  ASSERT_EQ(r.raw_input_contents_size(), 4);
  const auto* text = Input(r, "text_input");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->datatype(), "BYTES");
  EXPECT_EQ(std::vector<int64_t>(text->shape().begin(), text->shape().end()), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(r.raw_input_contents(0), std::string("\x08\x00\x00\x00Hi there", 12));
  EXPECT_EQ(Input(r, "max_tokens")->datatype(), "INT32");
  EXPECT_EQ(r.raw_input_contents(1), std::string("\x00\x01\x00\x00", 4));  // 256, little-endian
  EXPECT_EQ(Input(r, "exclude_input_in_output")->datatype(), "BOOL");
  EXPECT_EQ(Input(r, "stream")->datatype(), "BOOL");
  EXPECT_EQ(r.raw_input_contents(3), std::string("\x01", 1));
  // Streaming asks for Triton's final flag on an empty response, as perf_analyzer does.
  ASSERT_TRUE(r.parameters().contains("triton_enable_empty_final_response"));
  EXPECT_TRUE(r.parameters().at("triton_enable_empty_final_response").bool_param());
  EXPECT_EQ(*InputElements(r, "text_input"), std::vector<std::string>{"Hi there"});
  EXPECT_EQ(*InputElements(r, "max_tokens"), std::vector<std::string>{"256"});
  EXPECT_EQ(*InputElements(r, "stream"), std::vector<std::string>{"true"});
}

TEST(InferRequestTest, VllmTensorsHaveNoBatchDimension) {
  inference::ModelInferRequest r;
  const std::string body =
      R"({"model":"vllm_model","text_input":["a"],"exclude_input_in_output":[true],"sampling_parameters":["{\"max_tokens\": \"8\"}"]})";
  ASSERT_EQ(BuildInferRequest(body, KserveBackend::kVllm, /*streaming=*/false, "x", r), "");
  const auto* sampling = Input(r, "sampling_parameters");
  ASSERT_NE(sampling, nullptr);
  EXPECT_EQ(sampling->datatype(), "BYTES");
  EXPECT_EQ(std::vector<int64_t>(sampling->shape().begin(), sampling->shape().end()), (std::vector<int64_t>{1}));
  EXPECT_EQ(*InputElements(r, "sampling_parameters"), std::vector<std::string>{"{\"max_tokens\": \"8\"}"});
  EXPECT_FALSE(r.parameters().contains("triton_enable_empty_final_response"));
}

TEST(InferRequestTest, NumberTypesFollowTheElements) {
  inference::ModelInferRequest r;
  ASSERT_EQ(BuildInferRequest(R"({"model":"m","temperature":[0.5],"random_seed":[7],"top_k":3})",
                              KserveBackend::kTensorRtLlm, false, "", r),
            "");
  EXPECT_EQ(Input(r, "temperature")->datatype(), "FP32");
  EXPECT_EQ(Input(r, "random_seed")->datatype(), "UINT64");
  EXPECT_EQ(Input(r, "top_k")->datatype(), "INT32");  // a lone value is one element
  EXPECT_EQ(*InputElements(r, "temperature"), std::vector<std::string>{"0.5"});
  EXPECT_EQ(*InputElements(r, "random_seed"), std::vector<std::string>{"7"});
}

TEST(InferRequestTest, BadBodiesNameWhatIsWrong) {
  inference::ModelInferRequest r;
  EXPECT_EQ(BuildInferRequest("[1]", KserveBackend::kVllm, false, "", r),
            "request body is not a JSON object of input tensors");
  EXPECT_EQ(BuildInferRequest(R"({"text_input":["a"]})", KserveBackend::kVllm, false, "", r),
            "request body has no \"model\"");
  EXPECT_EQ(BuildInferRequest(R"({"model":"m","x":["a",1]})", KserveBackend::kVllm, false, "", r),
            "input tensor 'x': elements must be all strings, all booleans or all numbers");
  EXPECT_EQ(BuildInferRequest(R"({"model":"m","x":[{"a":1}]})", KserveBackend::kVllm, false, "", r),
            "input tensor 'x': elements must be all strings, all booleans or all numbers");
}

TEST(InferRequestTest, RawBytesSplitChecksLengths) {
  std::string raw;
  AppendRawBytesElement(raw, "ab");
  AppendRawBytesElement(raw, "");
  EXPECT_EQ(*SplitRawBytes(raw), (std::vector<std::string>{"ab", ""}));
  EXPECT_FALSE(SplitRawBytes(raw.substr(0, 5)).has_value());  // cut inside an element
  EXPECT_FALSE(SplitRawBytes("\x01\x00").has_value());        // cut inside a length
}

TEST(InferRequestTest, BackendNames) {
  EXPECT_EQ(KserveBackendFromName("tensorrtllm"), KserveBackend::kTensorRtLlm);
  EXPECT_EQ(KserveBackendFromName("vllm"), KserveBackend::kVllm);
  EXPECT_FALSE(KserveBackendFromName("onnx").has_value());
  EXPECT_STREQ(KserveBackendName(KserveBackend::kVllm), "vllm");
}

}  // namespace
}  // namespace bench
