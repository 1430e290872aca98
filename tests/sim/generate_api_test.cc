// The simulator as Triton's generate extension and as TGI: routes, request fields, and the events
// and bodies with those servers' field names.

#include "sim/generate_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/api_routes.h"
#include "sim/router.h"
#include "sim/simulator.h"

namespace bench {
namespace {

using nlohmann::json;

SimRoute Route(std::string_view method, std::string_view target, std::string_view body) {
  SimulatorOptions options;
  options.model = "sim-model";
  return RouteSimRequest(method, target, std::nullopt, body, options, 1700000000);
}

// The JSON of an SSE event ("data: {...}\n\n" or TGI's "data:{...}\n\n").
json Data(const std::string& event) {
  EXPECT_EQ(event.rfind("data:", 0), 0u) << event;
  EXPECT_EQ(event.substr(event.size() - 2), "\n\n");
  return json::parse(event.substr(5));
}

TEST(SimGenerateApiTest, PathsMapToTheirApis) {
  const auto triton = MatchSimApiPath("/v2/models/llama/generate_stream");
  ASSERT_TRUE(triton);
  EXPECT_EQ(triton->endpoint, SimEndpoint::kTritonGenerate);
  EXPECT_EQ(triton->model, "llama");
  EXPECT_TRUE(triton->stream);
  const auto versioned = MatchSimApiPath("/v2/models/llama/versions/2/generate");
  ASSERT_TRUE(versioned);
  EXPECT_EQ(versioned->model, "llama");
  EXPECT_FALSE(versioned->stream);
  EXPECT_EQ(MatchSimApiPath("/generate_stream")->endpoint, SimEndpoint::kTgiGenerate);
  EXPECT_TRUE(MatchSimApiPath("/generate_stream")->stream);
  EXPECT_EQ(MatchSimApiPath("/")->endpoint, SimEndpoint::kTgiCompat);
  EXPECT_EQ(MatchSimApiPath("/v1/responses")->endpoint, SimEndpoint::kResponses);
  EXPECT_FALSE(MatchSimApiPath("/v2/models//generate"));
  EXPECT_FALSE(MatchSimApiPath("/v2/models/llama/infer"));
}

TEST(SimGenerateApiTest, RouterParsesTritonAndTgiBodies) {
  const SimRoute triton = Route("POST", "/v2/models/llama/generate_stream",
                                R"({"text_input":["a b c"],"stream":true,"max_tokens":7})");
  ASSERT_TRUE(triton.request) << (triton.reply ? triton.reply->body : "");
  EXPECT_EQ(triton.request->model, "llama");
  EXPECT_TRUE(triton.request->stream);
  EXPECT_EQ(triton.request->max_tokens, 7);
  EXPECT_EQ(triton.request->input_tokens, 3u);
  const SimRoute params = Route("POST", "/v2/models/llama/generate",
                                R"({"text_input":"a b","parameters":{"max_tokens":4,"ignore_eos":true}})");
  ASSERT_TRUE(params.request);
  EXPECT_FALSE(params.request->stream);
  EXPECT_EQ(params.request->max_tokens, 4);
  EXPECT_TRUE(params.request->ignore_eos);

  const SimRoute tgi = Route("POST", "/generate", R"({"model":"m","inputs":"x y","parameters":{"max_new_tokens":5}})");
  ASSERT_TRUE(tgi.request);
  EXPECT_EQ(tgi.request->max_tokens, 5);
  EXPECT_FALSE(tgi.request->stream);
  EXPECT_TRUE(Route("POST", "/", R"({"inputs":"x","stream":true})").request->stream);
  EXPECT_FALSE(Route("POST", "/", R"({"inputs":"x"})").request->stream);
}

TEST(SimGenerateApiTest, BadBodiesAre400sNamingTheField) {
  const SimRoute no_text = Route("POST", "/v2/models/m/generate", R"({"max_tokens":3})");
  ASSERT_TRUE(no_text.reply);
  EXPECT_EQ(no_text.reply->status, 400);
  EXPECT_NE(no_text.reply->body.find("text_input"), std::string::npos);
  const SimRoute no_inputs = Route("POST", "/generate_stream", R"({"parameters":{}})");
  ASSERT_TRUE(no_inputs.reply);
  EXPECT_NE(no_inputs.reply->body.find("inputs"), std::string::npos);
  EXPECT_EQ(Route("GET", "/generate", "").reply->status, 405);
}

TEST(SimGenerateApiTest, TritonEventsAndBodyCarryTextOutput) {
  SimRequest request;
  request.endpoint = SimEndpoint::kTritonGenerate;
  request.model = "llama";
  SimResponseFormatter f(request, "id1", 1);
  EXPECT_TRUE(f.OpeningEvents().empty());
  const json chunk = Data(f.ContentEvent("Hello"));
  EXPECT_EQ(chunk, (json{{"model_name", "llama"}, {"model_version", "1"}, {"text_output", "Hello"}}));
  const SimStreamEnd end{"length", 3, 2};
  EXPECT_TRUE(f.ClosingEvents(end).empty());
  EXPECT_FALSE(f.SendsDone());
  EXPECT_EQ(json::parse(f.FullResponse("Hello you", "length", 3, 2))["text_output"], "Hello you");
}

TEST(SimGenerateApiTest, TgiStreamPutsTheAnswerOnTheLastTokenOrTheEos) {
  SimRequest request;
  request.endpoint = SimEndpoint::kTgiGenerate;
  request.input_tokens = 3;
  SimResponseFormatter f(request, "id1", 1);
  const std::string first = f.ContentEvent("A");
  EXPECT_EQ(first.rfind("data:{", 0), 0u) << "axum writes no space after data:";
  const json a = Data(first);
  EXPECT_EQ(a["index"], 1);
  EXPECT_EQ(a["token"]["text"], "A");
  EXPECT_EQ(a["token"]["special"], false);
  EXPECT_TRUE(a["generated_text"].is_null());
  const SimStreamEnd length{"length", 3, 2};
  const json last = Data(f.LastContentEvent(" cat", length));
  EXPECT_EQ(last["generated_text"], "A cat");
  EXPECT_EQ(last["details"]["finish_reason"], "length");
  EXPECT_EQ(last["details"]["generated_tokens"], 2);
  EXPECT_TRUE(f.ClosingEvents(length).empty());

  SimResponseFormatter stop(request, "id2", 1);
  const SimStreamEnd eos{"stop", 3, 1};
  EXPECT_TRUE(Data(stop.LastContentEvent("A", eos))["generated_text"].is_null());
  const std::vector<std::string> closing = stop.ClosingEvents(eos);
  ASSERT_EQ(closing.size(), 1u);
  const json end = Data(closing[0]);
  EXPECT_EQ(end["token"]["special"], true);
  EXPECT_EQ(end["generated_text"], "A");
  EXPECT_EQ(end["details"]["finish_reason"], "eos_token");
}

TEST(SimGenerateApiTest, TgiBodyIsAnObjectOnGenerateAndAListOnTheRoot) {
  SimRequest request;
  request.endpoint = SimEndpoint::kTgiGenerate;
  EXPECT_EQ(json::parse(SimResponseFormatter(request, "i", 1).FullResponse("x y", "length", 1, 2)),
            (json{{"generated_text", "x y"}}));
  request.endpoint = SimEndpoint::kTgiCompat;
  EXPECT_EQ(json::parse(SimResponseFormatter(request, "i", 1).FullResponse("x y", "length", 1, 2)),
            json::array({json{{"generated_text", "x y"}}}));
}

}  // namespace
}  // namespace bench
