// The simulator as OpenAI's Responses API: request fields, the response.* events in OpenAI's order
// with their names, sequence numbers and usage, and the response object.

#include "sim/responses_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/router.h"
#include "sim/simulator.h"

namespace bench {
namespace {

using nlohmann::json;

// (event line's name, data) of one event.
std::pair<std::string, json> Parse(const std::string& event) {
  EXPECT_EQ(event.rfind("event: ", 0), 0u) << event;
  const size_t nl = event.find('\n');
  const std::string name = event.substr(7, nl - 7);
  EXPECT_EQ(event.compare(nl + 1, 6, "data: "), 0) << event;
  json data = json::parse(event.substr(nl + 7));
  EXPECT_EQ(data["type"], name);
  return {name, data};
}

TEST(SimResponsesApiTest, ParsesInputAndMaxOutputTokens) {
  SimulatorOptions options;
  const SimParseResult messages = ParseResponsesRequest(
      R"({"model":"m","input":[{"role":"user","content":"a b c"}],"max_output_tokens":9,"stream":true})", options);
  ASSERT_TRUE(messages.request) << messages.error;
  EXPECT_EQ(messages.request->endpoint, SimEndpoint::kResponses);
  EXPECT_EQ(messages.request->max_tokens, 9);
  EXPECT_EQ(messages.request->input_tokens, 3u);
  EXPECT_TRUE(messages.request->stream);
  const SimParseResult text = ParseResponsesRequest(R"({"input":"a b"})", options);
  ASSERT_TRUE(text.request);
  EXPECT_EQ(text.request->input_tokens, 2u);
  EXPECT_EQ(text.request->max_tokens, options.default_max_tokens);
  EXPECT_NE(ParseResponsesRequest(R"({"model":"m"})", options).error.find("input"), std::string::npos);
  EXPECT_NE(ParseResponsesRequest(R"({"input":"x","max_output_tokens":"3"})", options).error.find("max_output_tokens"),
            std::string::npos);
  const SimRoute routed = RouteSimRequest("POST", "/v1/responses", std::nullopt, R"({"input":"x"})", options, 1);
  EXPECT_TRUE(routed.request);
}

TEST(SimResponsesApiTest, StreamEventsInOpenAisOrder) {
  SimRequest request;
  request.endpoint = SimEndpoint::kResponses;
  request.model = "m";
  SimResponseFormatter f(request, "abc", 1700000000);
  std::vector<std::string> names;
  int sequence = 0;
  auto take = [&](const std::string& event) {
    auto [name, data] = Parse(event);
    EXPECT_EQ(data["sequence_number"], sequence++) << name;
    names.push_back(name);
    return data;
  };
  for (const std::string& e : f.OpeningEvents()) take(e);
  const json delta = take(f.ContentEvent("Hello"));
  EXPECT_EQ(delta["delta"], "Hello");
  EXPECT_EQ(delta["item_id"], "msg_abc");
  EXPECT_EQ(delta["output_index"], 0);
  EXPECT_EQ(delta["content_index"], 0);
  const SimStreamEnd end{"stop", 4, 2};
  take(f.LastContentEvent(" you", end));
  json last;
  for (const std::string& e : f.ClosingEvents(end)) last = take(e);
  EXPECT_EQ(names, (std::vector<std::string>{"response.created", "response.in_progress", "response.output_item.added",
                                             "response.content_part.added", "response.output_text.delta",
                                             "response.output_text.delta", "response.output_text.done",
                                             "response.content_part.done", "response.output_item.done",
                                             "response.completed"}));
  EXPECT_EQ(last["response"]["status"], "completed");
  EXPECT_EQ(last["response"]["output"][0]["content"][0]["text"], "Hello you");
  EXPECT_EQ(last["response"]["usage"]["output_tokens"], 2);
  EXPECT_EQ(last["response"]["usage"]["input_tokens"], 4);
  EXPECT_EQ(last["response"]["usage"]["total_tokens"], 6);
  EXPECT_FALSE(f.SendsDone());
}

TEST(SimResponsesApiTest, MaxOutputTokensEndsIncompleteAsOpenAiDoes) {
  SimRequest request;
  request.endpoint = SimEndpoint::kResponses;
  SimResponseFormatter f(request, "x", 1);
  f.ContentEvent("a");
  const std::vector<std::string> closing = f.ClosingEvents(SimStreamEnd{"length", 1, 1});
  const auto [name, data] = Parse(closing.back());
  EXPECT_EQ(name, "response.incomplete");
  EXPECT_EQ(data["response"]["incomplete_details"]["reason"], "max_output_tokens");
  const json body = json::parse(f.FullResponse("a b", "length", 1, 2));
  EXPECT_EQ(body["object"], "response");
  EXPECT_EQ(body["status"], "incomplete");
  EXPECT_EQ(body["output"][0]["type"], "message");
  EXPECT_EQ(body["output"][0]["content"][0]["type"], "output_text");
  EXPECT_EQ(body["output"][0]["content"][0]["text"], "a b");
  EXPECT_EQ(body["usage"]["output_tokens"], 2);
  EXPECT_TRUE(body["error"].is_null());
}

}  // namespace
}  // namespace bench
