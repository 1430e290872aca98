#include "util/http_options.h"

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/cli.h"
#include "app/input_config.h"

namespace bench {
namespace {

// A fake environment for ResolveApiKey.
struct FakeEnv {
  std::map<std::string, std::string> vars;
  const char* operator()(const char* name) const {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

TEST(HttpOptionsTest, ApiKeyPrecedenceIsFlagThenHeaderThenOpenAiThenNgc) {
  const FakeEnv both{{{"OPENAI_API_KEY", "openai"}, {"NGC_API_KEY", "ngc"}}};
  EXPECT_EQ(ResolveApiKey("flag", {}, both).value, "flag");
  EXPECT_EQ(ResolveApiKey("flag", {}, both).source, "--api-key");
  EXPECT_EQ(ResolveApiKey("", {}, both).value, "openai");
  EXPECT_EQ(ResolveApiKey("", {}, both).source, "OPENAI_API_KEY");
  EXPECT_EQ(ResolveApiKey("", {}, FakeEnv{{{"NGC_API_KEY", "ngc"}}}).source, "NGC_API_KEY");
  EXPECT_EQ(ResolveApiKey("", {}, FakeEnv{{{"OPENAI_API_KEY", ""}, {"NGC_API_KEY", "ngc"}}}).value, "ngc");
  // An Authorization header typed with -H wins over the environment.
  EXPECT_EQ(ResolveApiKey("", {"authorization : Bearer typed"}, both).value, "");
  EXPECT_EQ(ResolveApiKey("", {"X-Other: 1"}, both).value, "openai");
  EXPECT_EQ(ResolveApiKey("", {}, FakeEnv{}).source, "");
}

TEST(HttpOptionsTest, RequestHeadersAddTheBearerTokenOnlyWithAKey) {
  EXPECT_EQ(RequestHeaders({"A: 1"}, ""), std::vector<std::string>{"A: 1"});
  EXPECT_EQ(RequestHeaders({"A: 1"}, "k"), (std::vector<std::string>{"A: 1", "Authorization: Bearer k"}));
}

TEST(HttpOptionsTest, RedactUrlRemovesUserinfoOnly) {
  EXPECT_EQ(RedactUrl("https://user:pass@host:8000/v1"), "https://<redacted>@host:8000/v1");
  EXPECT_EQ(RedactUrl("user:p@ss@host:8000"), "<redacted>@host:8000");
  EXPECT_EQ(RedactUrl("http://host:8000/v1?x=a@b"), "http://host:8000/v1?x=a@b");
  EXPECT_EQ(RedactUrl("http://host:8000/a@b"), "http://host:8000/a@b");
  EXPECT_EQ(RedactUrl("localhost:8000"), "localhost:8000");
  EXPECT_EQ(RedactUrl(""), "");
}

Command ParseProfile(std::vector<std::string> extra) {
  std::vector<std::string> args = {"bench", "profile", "-m", "m", "--url", "https://127.0.0.1:1"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, err);
}

TEST(HttpOptionsTest, CliValidatesApiKeyAndCaCert) {
  EXPECT_EQ(ParseProfile({"--ca-cert", "/nonexistent/ca.pem"}).exit_code, kExitUsage);
  EXPECT_EQ(ParseProfile({"--api-key", "k", "-H", "Authorization: Bearer x"}).exit_code, kExitUsage);
  const Command ok = ParseProfile({"--api-key", "k", "--insecure"});
  ASSERT_EQ(ok.kind, Command::Kind::kProfile);
  EXPECT_EQ(ok.profile.api_key, "k");
  EXPECT_EQ(ok.profile.api_key_source, "--api-key");
  EXPECT_TRUE(ok.profile.tls.insecure);
}

TEST(HttpOptionsTest, InputConfigRedactsTheKeyAndUrlCredentials) {
  ProfileConfig c;
  c.models = {"m"};
  c.url = "https://user:pw-SECRET@host:8000";
  c.api_key = "sk-SECRET";
  const std::string dumped = InputConfigJson(c).dump();
  EXPECT_EQ(dumped.find("SECRET"), std::string::npos) << dumped;
  EXPECT_EQ(InputConfigJson(c)["endpoint"]["api_key"], "<redacted>");
  c.api_key.clear();
  EXPECT_FALSE(InputConfigJson(c)["endpoint"].contains("api_key"));
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

TEST(IsLoopbackUrlTest, OnlyThisMachine) {
  EXPECT_TRUE(IsLoopbackUrl("http://localhost:8000"));
  EXPECT_TRUE(IsLoopbackUrl("http://127.0.0.1:8000/v1"));
  EXPECT_TRUE(IsLoopbackUrl("http://[::1]:8000"));
  EXPECT_TRUE(IsLoopbackUrl("http://user:pw@LOCALHOST"));
  EXPECT_FALSE(IsLoopbackUrl("http://10.0.0.5:8000"));
  EXPECT_FALSE(IsLoopbackUrl("http://localhost.example.com"));
  EXPECT_FALSE(IsLoopbackUrl("http://api.example.com/127.0.0.1"));
}

}  // namespace
}  // namespace bench
