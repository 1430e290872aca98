// The bodies of Triton generate, TGI generate and the Responses API, against the shapes of
// reference §3.3 (GenAI-Perf's converters) and AIPerf's Responses requests.

#include "dataset/endpoint_bodies.h"

#include <gtest/gtest.h>

#include "dataset/inputs.h"
#include "tokenizer/builtin_tokenizer.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

TEST(EndpointBodiesTest, TritonGenerateIsGenAiPerfsShapeWithoutAModel) {
  const auto body = EndpointBody("generate", {"m1", "hello world", true, 97});
  ASSERT_TRUE(body);
  EXPECT_EQ(body->dump(), R"({"text_input":["hello world"],"stream":true,"max_tokens":97})");
  EXPECT_EQ(EndpointBody("generate", {"m1", "hi", false, std::nullopt})->dump(), R"({"text_input":["hi"]})");
}

TEST(EndpointBodiesTest, HuggingFaceGenerateIsGenAiPerfsShapeWithoutStream) {
  EXPECT_EQ(EndpointBody("huggingface_generate", {"m1", "hello", true, 10})->dump(),
            R"({"model":"m1","inputs":"hello","parameters":{"max_new_tokens":10}})");
  EXPECT_EQ(EndpointBody("huggingface_generate", {"m1", "hello", false, std::nullopt})->dump(),
            R"({"model":"m1","inputs":"hello"})");
}

TEST(EndpointBodiesTest, ResponsesIsAiPerfsShape) {
  EXPECT_EQ(EndpointBody("responses", {"m1", "hello", true, 5})->dump(),
            R"({"model":"m1","input":[{"role":"user","content":"hello"}],"stream":true,"max_output_tokens":5})");
}

TEST(EndpointBodiesTest, ChatAndCompletionsAreNotBuiltHere) {
  EXPECT_FALSE(EndpointBody("chat", {"m", "x", false, 1}));
  EXPECT_FALSE(HasEndpointBody("completions"));
  EXPECT_TRUE(HasEndpointBody("responses"));
}

TEST(EndpointBodiesTest, TgiExtraInputsGoUnderParametersOnlyWhenTheKeyIsThere) {
  ojson body = *EndpointBody("huggingface_generate", {"m", "x", false, 10});
  AddExtraInput("huggingface_generate", body, "max_new_tokens", 1234);
  AddExtraInput("huggingface_generate", body, "stream", true);
  EXPECT_EQ(body.dump(), R"({"model":"m","inputs":"x","parameters":{"max_new_tokens":1234},"stream":true})");
  ojson triton = *EndpointBody("generate", {"m", "x", false, 10});
  AddExtraInput("generate", triton, "max_tokens", 3);
  EXPECT_EQ(triton.dump(), R"({"text_input":["x"],"max_tokens":3})");
}

TEST(EndpointBodiesTest, DefaultPaths) {
  EXPECT_EQ(DefaultEndpointPath("generate", "llama", false), "v2/models/llama/generate");
  EXPECT_EQ(DefaultEndpointPath("generate", "llama", true), "v2/models/llama/generate_stream");
  EXPECT_EQ(DefaultEndpointPath("huggingface_generate", "m", false), "generate");
  EXPECT_EQ(DefaultEndpointPath("huggingface_generate", "m", true), "generate_stream");
  EXPECT_EQ(DefaultEndpointPath("responses", "m", true), "v1/responses");
  EXPECT_EQ(DefaultEndpointPath("chat", "m", true), "v1/chat/completions");
}

TEST(EndpointBodiesTest, TheDatasetBuildsEveryBodyThroughHere) {
  const auto tokenizer = MakeBuiltinTokenizer();
  DatasetOptions options;
  options.models = {"m1"};
  options.endpoint_type = "responses";
  options.streaming = true;
  options.num_dataset_entries = 3;
  options.synthetic_input_tokens_mean = 20;
  options.output_tokens_mean = 7;
  options.extra_inputs = ojson{{"ignore_eos", true}};
  const Parsed<Dataset> d = BuildDataset(options, *tokenizer);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 3u);
  for (const ojson& body : d.value.payloads) {
    EXPECT_EQ(body["model"], "m1");
    EXPECT_TRUE(body["input"][0]["content"].is_string());
    EXPECT_EQ(body["max_output_tokens"], 7);
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["ignore_eos"], true);
    EXPECT_FALSE(body.contains("messages"));
  }
}

}  // namespace
}  // namespace bench
