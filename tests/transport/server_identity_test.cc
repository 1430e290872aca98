// SummarizeIdentity on what NIM, vLLM, llama.cpp and TGI answer, and FetchIdentity against the
// simulator, a closed port and a server that never answers.

#include "transport/server_identity.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "sim/simulator.h"

namespace bench {
namespace {

using Json = nlohmann::ordered_json;
using namespace std::chrono_literals;

// Every identity path absent, then the given ones answered.
IdentityResponses Answers(const std::vector<std::pair<std::string, std::string>>& bodies) {
  IdentityResponses responses;
  for (const std::string& path : IdentityPaths()) {
    responses.emplace_back(path, std::nullopt);
    for (const auto& [p, body] : bodies) {
      if (p == path) responses.back().second = Json::parse(body);
    }
  }
  return responses;
}

constexpr const char* kModels = R"({"object":"list","data":[{"id":"meta/llama-3.1-8b-instruct","object":"model"}]})";

TEST(ServerIdentity, NimNamesReleaseProfilePrecisionAndParallelism) {
  Json s = SummarizeIdentity(Answers({
      {"v1/models", kModels},
      {"v1/version", R"({"release":"1.8.4","api":"1.0.0"})"},
      {"v1/metadata", R"({"version":"1.8.4","modelInfo":[],"assetInfo":[],"profile_id":"abc123",
                          "profile_name":"tensorrt_llm-h100-fp8-tp2-pp1-latency"})"},
      {"version", R"({"version":"0.6.3"})"},
  }));
  EXPECT_EQ(s["engine"], "NIM");
  EXPECT_EQ(s["version"], "1.8.4");
  EXPECT_EQ(s["api_version"], "1.0.0");
  EXPECT_EQ(s["backend_version"], "0.6.3");
  EXPECT_EQ(s["model"], "meta/llama-3.1-8b-instruct");
  EXPECT_EQ(s["profile"], "tensorrt_llm-h100-fp8-tp2-pp1-latency");
  EXPECT_EQ(s["profile_id"], "abc123");
  EXPECT_EQ(s["precision"], "fp8");
  EXPECT_EQ(s["tensor_parallel"], 2);
  EXPECT_EQ(s["pipeline_parallel"], 1);
  EXPECT_TRUE(s["endpoints"]["/props"].is_null());
  EXPECT_EQ(s["endpoints"]["/v1/version"]["release"], "1.8.4");
}

TEST(ServerIdentity, NimOneXGivesTheSelectedProfileId) {
  Json s = SummarizeIdentity(Answers({{"v1/metadata", R"({"version":"1.0.3","selectedModelProfileId":"f0e1"})"}}));
  EXPECT_EQ(s["engine"], "NIM");
  EXPECT_EQ(s["version"], "1.0.3");
  EXPECT_EQ(s["profile_id"], "f0e1");
  EXPECT_FALSE(s.contains("profile"));
  EXPECT_FALSE(s.contains("tensor_parallel"));
}

TEST(ServerIdentity, Vllm) {
  Json s = SummarizeIdentity(Answers({{"v1/models", kModels}, {"version", R"({"version":"0.8.5"})"}}));
  EXPECT_EQ(s["engine"], "vLLM");
  EXPECT_EQ(s["version"], "0.8.5");
  EXPECT_EQ(s["models"], Json::array({"meta/llama-3.1-8b-instruct"}));
}

TEST(ServerIdentity, LlamaCppPropsWithTheChatTemplateShortened) {
  const std::string long_template(5000, 'x');
  Json s = SummarizeIdentity(Answers({{"props", R"({"build_info":"b5000-abcdef","model_path":"/m/q.gguf",
      "total_slots":4,"chat_template":")" + long_template + R"(","default_generation_settings":{"n_ctx":4096}})"}}));
  EXPECT_EQ(s["engine"], "llama.cpp");
  EXPECT_EQ(s["version"], "b5000-abcdef");
  EXPECT_EQ(s["model_path"], "/m/q.gguf");
  const std::string recorded = s["endpoints"]["/props"]["chat_template"];
  EXPECT_EQ(recorded, std::string(256, 'x') + "... (5000 chars)");
  EXPECT_EQ(s["endpoints"]["/props"]["default_generation_settings"]["n_ctx"], 4096);
}

TEST(ServerIdentity, Tgi) {
  Json s = SummarizeIdentity(Answers({{"info", R"({"model_id":"mistralai/Mistral-7B-v0.1",
      "model_dtype":"torch.float16","version":"2.0.1","max_total_tokens":4096})"}}));
  EXPECT_EQ(s["engine"], "TGI");
  EXPECT_EQ(s["version"], "2.0.1");
  EXPECT_EQ(s["model"], "mistralai/Mistral-7B-v0.1");
  EXPECT_EQ(s["dtype"], "torch.float16");
}

// A server that answers every GET with its model list is not taken for a NIM, vLLM or TGI.
TEST(ServerIdentity, OneAnswerForEveryPathNamesNoEngine) {
  std::vector<std::pair<std::string, std::string>> all;
  for (const std::string& path : IdentityPaths()) all.emplace_back(path, kModels);
  Json s = SummarizeIdentity(Answers(all));
  EXPECT_FALSE(s.contains("engine")) << s.dump();
  EXPECT_EQ(s["model"], "meta/llama-3.1-8b-instruct");
}

TEST(ServerIdentity, NothingAnsweredIsRecordedAsAbsent) {
  Json s = SummarizeIdentity(Answers({}));
  EXPECT_FALSE(s.contains("engine"));
  ASSERT_EQ(s["endpoints"].size(), IdentityPaths().size());
  for (const auto& [path, body] : s["endpoints"].items()) EXPECT_TRUE(body.is_null()) << path;
}

TEST(ServerIdentity, FetchFromTheSimulator) {
  SimulatorOptions options;
  options.port = 0;
  options.model = "sim-model";
  options.profile_name = "sim-nvfp4-tp4-pp1";
  Simulator sim(options);
  const std::string base = "http://127.0.0.1:" + std::to_string(sim.Start());
  Json s = ProbeServerIdentity(base, {"Authorization: Bearer sekrit-key"}, TlsOptions{}, 5000ms);
  EXPECT_EQ(s["engine"], "NIM");
  EXPECT_EQ(s["version"], BENCH_VERSION);
  EXPECT_EQ(s["model"], "sim-model");
  EXPECT_EQ(s["profile"], "sim-nvfp4-tp4-pp1");
  EXPECT_EQ(s["precision"], "nvfp4");
  EXPECT_EQ(s["tensor_parallel"], 4);
  EXPECT_TRUE(s["endpoints"]["/info"].is_null());  // the simulator's 404
  EXPECT_EQ(s.dump().find("sekrit"), std::string::npos);
}

TEST(ServerIdentity, ClosedPortAndSilentServerAreAbsentWithinTheTimeout) {
  // A listening socket nobody accepts from: connections succeed, answers never come.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string silent = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  const auto start = std::chrono::steady_clock::now();
  for (const auto& [path, body] : FetchIdentity(silent, {}, TlsOptions{}, 300ms)) EXPECT_FALSE(body) << path;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // all at once, not one timeout each
  ::close(fd);
  for (const auto& [path, body] : FetchIdentity("http://127.0.0.1:1", {}, TlsOptions{}, 300ms)) {
    EXPECT_FALSE(body) << path;
  }
}

}  // namespace
}  // namespace bench
