#include "transport/transport.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace bench {
namespace {

HttpClient Resolve(HttpClient requested, const std::string& url, const std::map<std::string, std::string>& env = {},
                   std::string* error = nullptr) {
  return ResolveHttpClient(
      requested, url,
      [&](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      error);
}

TEST(ResolveHttpClientTest, AutoTakesNativeForPlainHttp) {
  EXPECT_EQ(Resolve(HttpClient::kAuto, "http://127.0.0.1:8000/v1/chat/completions"), HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, "HTTP://[::1]:8000/v1/completions"), HttpClient::kNative);
}

TEST(ResolveHttpClientTest, AutoTakesNativeForHttps) {
  EXPECT_EQ(Resolve(HttpClient::kAuto, "https://api.example.com/v1/chat/completions"), HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, "HTTPS://[::1]:8443/v1/completions"), HttpClient::kNative);
}

TEST(ResolveHttpClientTest, AutoTakesCurlForWhatNativeDoesNotSpeak) {
  EXPECT_EQ(Resolve(HttpClient::kAuto, "http://user:pw@host:8000/v1/completions"), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, "https://user:pw@host/v1/completions"), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, "ftp://host/x"), HttpClient::kCurl);
}

TEST(ResolveHttpClientTest, HttpsProxyVariablesSendAutoToCurl) {
  const std::string url = "https://api.example.com/v1/chat/completions";
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"https_proxy", "http://proxy:3128"}}), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"HTTPS_PROXY", "http://proxy:3128"}}), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"all_proxy", "socks5://proxy"}}), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://proxy:3128"}}), HttpClient::kNative)
      << "http_proxy is for http:// only";
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"https_proxy", "http://p:1"}, {"no_proxy", "example.com"}}),
            HttpClient::kNative);
}

TEST(ResolveHttpClientTest, ProxyVariablesSendAutoToCurlUnlessExempt) {
  const std::string url = "http://gpu-node.lab:8000/v1/chat/completions";
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://proxy:3128"}}), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"ALL_PROXY", "socks5://proxy"}}), HttpClient::kCurl);
  // libcurl ignores upper-case HTTP_PROXY (httpoxy), and so does the choice.
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"HTTP_PROXY", "http://proxy:3128"}}), HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://p:1"}, {"no_proxy", "localhost, .lab"}}),
            HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://p:1"}, {"NO_PROXY", "gpu-node.lab"}}),
            HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://p:1"}, {"no_proxy", "*"}}), HttpClient::kNative);
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", "http://p:1"}, {"no_proxy", "node.lab"}}),
            HttpClient::kCurl);  // a suffix only matches at a dot
  EXPECT_EQ(Resolve(HttpClient::kAuto, url, {{"http_proxy", ""}}), HttpClient::kNative);
}

TEST(ResolveHttpClientTest, ExplicitChoices) {
  std::string error;
  EXPECT_EQ(Resolve(HttpClient::kCurl, "http://127.0.0.1:1/x", {}, &error), HttpClient::kCurl);
  EXPECT_EQ(Resolve(HttpClient::kNative, "http://h:1/x", {{"http_proxy", "http://p:1"}}, &error), HttpClient::kNative);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(Resolve(HttpClient::kNative, "https://h/x", {}, &error), HttpClient::kNative);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(Resolve(HttpClient::kNative, "https://u:p@h/x", {}, &error), HttpClient::kCurl);
  EXPECT_NE(error.find("--http-client native: credentials"), std::string::npos) << error;
}

TEST(RawRecordTest, ReadsSliceTheBytes) {
  RawRecord r;
  r.AddRead("data: a\n\n", 10, 1);
  r.AddRead("data: b\n\ndata: c\n\n", 20, 2);
  ASSERT_EQ(r.read_end.size(), 2u);
  EXPECT_EQ(r.Read(0), "data: a\n\n");
  EXPECT_EQ(r.Read(1), "data: b\n\ndata: c\n\n");
  EXPECT_EQ(r.read_mono_ns, (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(r.read_wake, (std::vector<uint32_t>{1, 2}));
  r.http_status = 200;
  EXPECT_TRUE(r.Succeeded());
  r.transport_error = ErrorKind::kReset;
  EXPECT_FALSE(r.Succeeded());
  r.Clear();
  EXPECT_TRUE(r.bytes.empty());
  EXPECT_TRUE(r.read_end.empty());
  EXPECT_EQ(r.transport_error, ErrorKind::kNone);
  EXPECT_EQ(r.http_status, 0);
}

}  // namespace
}  // namespace bench
