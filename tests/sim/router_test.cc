// What the simulator answers before generating: routes, methods, the forced-fault header, bad
// JSON, and the faults that replace a response.

#include "sim/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/simulator.h"

namespace bench {
namespace {

using nlohmann::json;

constexpr std::string_view kChatBody = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";

SimRoute Route(std::string_view method, std::string_view target, std::string_view body = {},
               std::optional<std::string_view> fault = std::nullopt) {
  SimulatorOptions options;
  options.model = "sim-model";
  return RouteSimRequest(method, target, fault, body, options, 1700000000);
}

TEST(SimRouterTest, HealthAndModelsAnswerGetAtOnce) {
  for (const char* path : {"/health", "/v1/health/ready"}) {
    const SimRoute r = Route("GET", path);
    ASSERT_TRUE(r.reply) << path;
    EXPECT_EQ(r.reply->status, 200);
    EXPECT_EQ(r.reply->body, "{}");
  }
  const SimRoute models = Route("GET", "/v1/models?x=1");
  ASSERT_TRUE(models.reply);
  const json body = json::parse(models.reply->body);
  EXPECT_EQ(body["data"][0]["id"], "sim-model");
  EXPECT_EQ(body["data"][0]["created"], 1700000000);
}

TEST(SimRouterTest, NimIdentityEndpointsAnswerGet) {
  const SimRoute metadata = Route("GET", "/v1/metadata");
  ASSERT_TRUE(metadata.reply);
  EXPECT_EQ(metadata.reply->status, 200);
  EXPECT_TRUE(json::parse(metadata.reply->body).contains("profile_name"));
  const SimRoute version = Route("GET", "/v1/version");
  ASSERT_TRUE(version.reply);
  EXPECT_TRUE(json::parse(version.reply->body).contains("release"));
  const SimRoute post = Route("POST", "/v1/metadata");
  ASSERT_TRUE(post.reply);
  EXPECT_EQ(post.reply->status, 405);
}

TEST(SimRouterTest, MetricsIsAPrometheusPageTheConnectionFills) {
  const SimRoute page = Route("GET", "/metrics");
  ASSERT_TRUE(page.reply);
  EXPECT_TRUE(page.metrics_page);
  EXPECT_EQ(page.reply->status, 200);
  EXPECT_EQ(page.reply->content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_FALSE(Route("GET", "/v1/models").metrics_page);
  EXPECT_EQ(Route("POST", "/metrics").reply->status, 405);
}

TEST(SimRouterTest, WrongMethodIs405WithAllow) {
  const SimRoute get = Route("GET", "/v1/chat/completions");
  ASSERT_TRUE(get.reply);
  EXPECT_EQ(get.reply->status, 405);
  EXPECT_EQ(get.reply->allow, "POST");
  EXPECT_NE(get.reply->body.find("method GET not allowed on /v1/chat/completions"), std::string::npos);
  const SimRoute post = Route("POST", "/v1/models");
  ASSERT_TRUE(post.reply);
  EXPECT_EQ(post.reply->allow, "GET");
}

TEST(SimRouterTest, UnknownPathIs404WithAPrintablePath) {
  const SimRoute r = Route("GET", std::string_view("/nope\x01\xff", 7));
  ASSERT_TRUE(r.reply);
  EXPECT_EQ(r.reply->status, 404);
  EXPECT_NE(r.reply->body.find("no route for /nope??"), std::string::npos);
}

TEST(SimRouterTest, CompletionRequestsAreParsedForGeneration) {
  const SimRoute chat = Route("POST", "/v1/chat/completions", kChatBody);
  ASSERT_FALSE(chat.reply);
  ASSERT_TRUE(chat.request);
  EXPECT_EQ(chat.request->endpoint, SimEndpoint::kChat);
  EXPECT_FALSE(chat.header_fault);
  const SimRoute completions = Route("POST", "/v1/completions", R"({"model":"m","prompt":"hi"})");
  ASSERT_TRUE(completions.request);
  EXPECT_EQ(completions.request->endpoint, SimEndpoint::kCompletions);
}

TEST(SimRouterTest, BadJsonAndBadFaultHeaderAre400) {
  const SimRoute json_error = Route("POST", "/v1/chat/completions", "{");
  ASSERT_TRUE(json_error.reply);
  EXPECT_EQ(json_error.reply->status, 400);
  const SimRoute fault_error = Route("POST", "/v1/chat/completions", kChatBody, "no_such_fault");
  ASSERT_TRUE(fault_error.reply);
  EXPECT_EQ(fault_error.reply->status, 400);
  EXPECT_NE(fault_error.reply->body.find("X-Bench-Fault: "), std::string::npos);
}

TEST(SimRouterTest, FaultHeaderIsCarriedToGeneration) {
  const SimRoute r = Route("POST", "/v1/chat/completions", kChatBody, "stall:0.5");
  ASSERT_TRUE(r.request);
  ASSERT_TRUE(r.header_fault);
  EXPECT_EQ(r.header_fault->kind, SimFaultKind::kStall);
  EXPECT_EQ(r.header_fault->arg, 0.5);
}

TEST(SimRouterTest, HttpFaultsReplaceTheResponse) {
  const auto r429 = SimFaultReply(SimFaultKind::kHttp429);
  ASSERT_TRUE(r429);
  EXPECT_EQ(r429->status, 429);
  EXPECT_EQ(r429->retry_after, "1");
  const auto r500 = SimFaultReply(SimFaultKind::kHttp500);
  ASSERT_TRUE(r500);
  EXPECT_EQ(r500->status, 500);
  EXPECT_EQ(r500->retry_after, "");
  EXPECT_EQ(SimFaultReply(SimFaultKind::kHttp503)->status, 503);
  EXPECT_FALSE(SimFaultReply(SimFaultKind::kStall));
  EXPECT_FALSE(SimFaultReply(SimFaultKind::kNone));
}

}  // namespace
}  // namespace bench
