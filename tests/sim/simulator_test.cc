#include "sim/simulator.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tokenizer/builtin_tokenizer.h"

namespace bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Fast defaults so the suite stays quick; tests that check timing set their own.
SimulatorOptions FastOptions() {
  SimulatorOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.ttft_ms = 1;
  o.itl_ms = 1;
  o.seed = 42;
  return o;
}

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string content_type;
  // (arrival time, body size after it) for every write callback: lets a test find when a
  // given byte of the stream arrived.
  std::vector<std::pair<Clock::time_point, size_t>> arrivals;
  Clock::time_point sent;
  size_t abort_after_bytes = 0;  // > 0: hang up once this many body bytes arrived
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* reply = static_cast<Reply*>(user);
  reply->body.append(data, size * n);
  reply->arrivals.emplace_back(Clock::now(), reply->body.size());
  if (reply->abort_after_bytes > 0 && reply->body.size() >= reply->abort_after_bytes) return 0;
  return size * n;
}

CURL* MakeEasy(const std::string& url, const std::string* post_body, Reply* reply,
               curl_slist* headers) {
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, reply);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, 60L);
  if (post_body != nullptr) {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, post_body->c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body->size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  }
  return easy;
}

void Finish(CURL* easy, Reply& reply) {
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
  if (type != nullptr) reply.content_type = type;
}

curl_slist* JsonHeaders() {
  static curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  return headers;
}

Reply Fetch(const std::string& url, const std::string* post_body = nullptr,
            size_t abort_after_bytes = 0) {
  Reply reply;
  reply.abort_after_bytes = abort_after_bytes;
  CURL* easy = MakeEasy(url, post_body, &reply, JsonHeaders());
  reply.sent = Clock::now();
  reply.code = curl_easy_perform(easy);
  Finish(easy, reply);
  curl_easy_cleanup(easy);
  return reply;
}

// The payloads of `data: ...` events, in order.
std::vector<std::string> SseEvents(const std::string& body) {
  std::vector<std::string> events;
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t end = body.find("\n\n", pos);
    if (end == std::string::npos) break;
    std::string event = body.substr(pos, end - pos);
    if (event.rfind("data: ", 0) == 0) events.push_back(event.substr(6));
    pos = end + 2;
  }
  return events;
}

// True when `text` is exactly `n` tokens of the default tokenizer, each a builtin word.
void ExpectBuiltinWords(const std::string& text, size_t n) {
  std::set<int32_t> word_ids;
  for (size_t i = 0; i < BuiltinWords().size(); ++i) word_ids.insert(BuiltinSpacedWordId(i));
  const std::vector<int32_t> ids = MakeBuiltinTokenizer()->Encode(text);
  ASSERT_EQ(ids.size(), n) << text;
  for (int32_t id : ids) EXPECT_TRUE(word_ids.count(id)) << "not a builtin word: " << id;
}

class SimulatorTest : public ::testing::Test {
 protected:
  void StartSim(SimulatorOptions options) {
    sim_ = std::make_unique<Simulator>(std::move(options));
    base_ = "http://127.0.0.1:" + std::to_string(sim_->Start());
  }
  void SetUp() override { StartSim(FastOptions()); }

  std::unique_ptr<Simulator> sim_;
  std::string base_;
};

std::string ChatBody(int max_tokens, bool stream, bool include_usage = false,
                     const std::string& prompt = "hello there world") {
  json body = {{"model", "m1"},
               {"messages", {{{"role", "user"}, {"content", prompt}}}},
               {"max_tokens", max_tokens},
               {"stream", stream}};
  if (include_usage) body["stream_options"] = {{"include_usage", true}};
  return body.dump();
}

TEST_F(SimulatorTest, HealthEndpointsAnswer200) {
  EXPECT_EQ(Fetch(base_ + "/health").status, 200);
  EXPECT_EQ(Fetch(base_ + "/v1/health/ready").status, 200);
}

// GET /metrics: vLLM's names, counting the requests answered so far.
TEST_F(SimulatorTest, MetricsPageCountsFinishedRequests) {
  for (const bool stream : {true, false}) {
    const std::string body = ChatBody(5, stream);
    ASSERT_EQ(Fetch(base_ + "/v1/chat/completions", &body).status, 200);
  }
  const Reply r = Fetch(base_ + "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type.rfind("text/plain; version=0.0.4", 0), 0u) << r.content_type;
  EXPECT_NE(r.body.find("vllm:generation_tokens_total{engine=\"0\",model_name=\"bench-sim\"} 10.0\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("vllm:request_success_total{engine=\"0\",model_name=\"bench-sim\"} 2.0\n"), std::string::npos);
  EXPECT_NE(r.body.find("vllm:time_to_first_token_seconds_count{engine=\"0\",model_name=\"bench-sim\"} 2.0\n"),
            std::string::npos);
  EXPECT_EQ(Fetch(base_ + "/metrics", &r.body).status, 405);  // GET only
}

TEST_F(SimulatorTest, ModelsListsTheConfiguredModel) {
  const Reply r = Fetch(base_ + "/v1/models");
  ASSERT_EQ(r.status, 200);
  const json j = json::parse(r.body);
  EXPECT_EQ(j["object"], "list");
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["id"], "bench-sim");
  EXPECT_EQ(j["data"][0]["object"], "model");
}

TEST_F(SimulatorTest, NonStreamingChatHasExactTokenCountAndUsage) {
  const std::string body = ChatBody(5, false);
  const Reply r = Fetch(base_ + "/v1/chat/completions", &body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["model"], "m1");
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  ExpectBuiltinWords(j["choices"][0]["message"]["content"].get<std::string>(), 5);
  EXPECT_EQ(j["usage"]["completion_tokens"], 5);
  EXPECT_EQ(j["usage"]["prompt_tokens"], 3);  // ApproxPromptTokens: words of "hello there world"
  EXPECT_EQ(j["usage"]["total_tokens"], j["usage"]["prompt_tokens"].get<int>() + 5);
}

TEST_F(SimulatorTest, StreamingChatHasRoleContentFinishUsageDone) {
  const std::string body = ChatBody(4, true, /*include_usage=*/true);
  const Reply r = Fetch(base_ + "/v1/chat/completions", &body);
  ASSERT_EQ(r.code, CURLE_OK);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/event-stream");
  const std::vector<std::string> events = SseEvents(r.body);
  ASSERT_EQ(events.size(), 1u + 4u + 1u + 1u + 1u) << r.body;

  const json role = json::parse(events[0]);
  EXPECT_EQ(role["object"], "chat.completion.chunk");
  EXPECT_EQ(role["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(role["choices"][0]["delta"]["content"], "");
  EXPECT_TRUE(role["choices"][0]["finish_reason"].is_null());

  std::string text;
  for (size_t i = 1; i <= 4; ++i) {
    const json chunk = json::parse(events[i]);
    EXPECT_EQ(chunk["id"], role["id"]);
    EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
    const std::string piece = chunk["choices"][0]["delta"]["content"];
    // The first word has no leading space (it would be a token of its own), later ones do.
    EXPECT_EQ(piece.rfind(' ', 0) == 0, i > 1) << piece;
    text += piece;
    ExpectBuiltinWords(text, i);
  }

  const json finish = json::parse(events[5]);
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "length");
  EXPECT_TRUE(finish["choices"][0]["delta"].empty());

  const json usage = json::parse(events[6]);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], 4);
  EXPECT_EQ(usage["usage"]["total_tokens"], usage["usage"]["prompt_tokens"].get<int>() + 4);
  EXPECT_EQ(events[7], "[DONE]");
}

TEST_F(SimulatorTest, StreamingWithoutIncludeUsageHasNoUsageChunk) {
  const std::string body = ChatBody(2, true);
  const std::vector<std::string> events = SseEvents(Fetch(base_ + "/v1/chat/completions", &body).body);
  ASSERT_EQ(events.size(), 1u + 2u + 1u + 1u);
  EXPECT_EQ(json::parse(events[3])["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(events[4], "[DONE]");
}

TEST_F(SimulatorTest, CompletionsStreamingShape) {
  const std::string body =
      json{{"prompt", "the end"}, {"max_tokens", 3}, {"stream", true},
           {"stream_options", {{"include_usage", true}}}}
          .dump();
  const Reply r = Fetch(base_ + "/v1/completions", &body);
  ASSERT_EQ(r.status, 200);
  const std::vector<std::string> events = SseEvents(r.body);
  ASSERT_EQ(events.size(), 3u + 1u + 1u + 1u) << r.body;  // no role chunk for completions
  std::string text;
  for (size_t i = 0; i < 3; ++i) {
    const json chunk = json::parse(events[i]);
    EXPECT_EQ(chunk["object"], "text_completion");
    EXPECT_EQ(chunk["model"], "bench-sim");  // no model in the request: the configured one
    text += chunk["choices"][0]["text"].get<std::string>();
  }
  ExpectBuiltinWords(text, 3);
  const json finish = json::parse(events[3]);
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(finish["choices"][0]["text"], "");
  const json usage = json::parse(events[4]);
  EXPECT_EQ(usage["usage"]["prompt_tokens"], 2);
  EXPECT_EQ(usage["usage"]["completion_tokens"], 3);
  EXPECT_EQ(events[5], "[DONE]");
}

TEST_F(SimulatorTest, NonStreamingCompletion) {
  const std::string body = json{{"prompt", "a b"}, {"max_completion_tokens", 6}}.dump();
  const Reply r = Fetch(base_ + "/v1/completions", &body);
  ASSERT_EQ(r.status, 200);
  const json j = json::parse(r.body);
  EXPECT_EQ(j["object"], "text_completion");
  ExpectBuiltinWords(j["choices"][0]["text"].get<std::string>(), 6);
  EXPECT_EQ(j["usage"]["completion_tokens"], 6);
}

TEST_F(SimulatorTest, DefaultMaxTokensWhenRequestHasNone) {
  const std::string body = json{{"messages", {{{"role", "user"}, {"content", "x"}}}}}.dump();
  const json j = json::parse(Fetch(base_ + "/v1/chat/completions", &body).body);
  EXPECT_EQ(j["usage"]["completion_tokens"], 16);
}

TEST_F(SimulatorTest, TokensPerChunkGroupsTokens) {
  SimulatorOptions o = FastOptions();
  o.tokens_per_chunk = 3;
  StartSim(o);
  const std::string body = ChatBody(7, true);
  const std::vector<std::string> events = SseEvents(Fetch(base_ + "/v1/chat/completions", &body).body);
  ASSERT_EQ(events.size(), 1u + 3u + 1u + 1u);  // role, 3+3+1 tokens, finish, done
  // Tokens a chunk adds to the answer so far (a later chunk alone would count its leading space).
  const auto tokenizer = MakeBuiltinTokenizer();
  std::vector<size_t> sizes;
  std::string text;
  for (size_t i = 1; i <= 3; ++i) {
    const size_t before = tokenizer->CountTokens(text);
    text += json::parse(events[i])["choices"][0]["delta"]["content"].get<std::string>();
    sizes.push_back(tokenizer->CountTokens(text) - before);
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 1}));
}

// --sim-reasoning-tokens: vLLM's reasoning parser shape, reasoning_content chunks of
// tokens_per_chunk tokens before the answer, all of them in usage.completion_tokens.
TEST_F(SimulatorTest, ReasoningTokensStreamBeforeTheAnswerAndCountInUsage) {
  SimulatorOptions o = FastOptions();
  o.tokens_per_chunk = 2;
  o.reasoning_tokens = 5;
  StartSim(o);
  const std::string body = ChatBody(3, true, /*include_usage=*/true);
  const std::vector<std::string> events = SseEvents(Fetch(base_ + "/v1/chat/completions", &body).body);
  // role, reasoning 2+2+1, content 2+1, finish, usage, done
  ASSERT_EQ(events.size(), 1u + 3u + 2u + 1u + 1u + 1u);
  std::string reasoning, answer;
  for (size_t i = 1; i <= 3; ++i) {
    const json delta = json::parse(events[i])["choices"][0]["delta"];
    EXPECT_FALSE(delta.contains("content")) << events[i];
    reasoning += delta["reasoning_content"].get<std::string>();
  }
  for (size_t i = 4; i <= 5; ++i) {
    const json delta = json::parse(events[i])["choices"][0]["delta"];
    EXPECT_FALSE(delta.contains("reasoning_content")) << events[i];
    answer += delta["content"].get<std::string>();
  }
  ExpectBuiltinWords(reasoning, 5);
  ExpectBuiltinWords(answer, 3);
  const json usage = json::parse(events[7]);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], 8);  // reasoning + answer, as vLLM counts
  EXPECT_EQ(events[8], "[DONE]");

  // Without stream_options.include_usage no usage chunk, as OpenAI, vLLM and llama.cpp do.
  const std::string plain = ChatBody(3, true);
  EXPECT_EQ(SseEvents(Fetch(base_ + "/v1/chat/completions", &plain).body).size(), events.size() - 1);

  // Not streaming: the message carries reasoning_content beside the content.
  const std::string whole = ChatBody(3, false);
  const json j = json::parse(Fetch(base_ + "/v1/chat/completions", &whole).body);
  ExpectBuiltinWords(j["choices"][0]["message"]["reasoning_content"].get<std::string>(), 5);
  ExpectBuiltinWords(j["choices"][0]["message"]["content"].get<std::string>(), 3);
  EXPECT_EQ(j["usage"]["completion_tokens"], 8);
}

TEST_F(SimulatorTest, SameSeedSameTextDifferentSeedDifferentText) {
  const std::string body = ChatBody(20, false);
  const auto content = [&](const std::string& base) {
    return json::parse(Fetch(base + "/v1/chat/completions", &body).body)["choices"][0]["message"]
                      ["content"]
                          .get<std::string>();
  };
  const std::string first = content(base_);
  EXPECT_EQ(content(base_), first);  // the request counter does not feed the RNG

  SimulatorOptions same = FastOptions();
  Simulator sim_same(same);
  EXPECT_EQ(content("http://127.0.0.1:" + std::to_string(sim_same.Start())), first);

  SimulatorOptions other = FastOptions();
  other.seed = 43;
  Simulator sim_other(other);
  EXPECT_NE(content("http://127.0.0.1:" + std::to_string(sim_other.Start())), first);
}

TEST_F(SimulatorTest, FirstContentChunkNotBeforeTtft) {
  SimulatorOptions o = FastOptions();
  o.ttft_ms = 150;
  StartSim(o);
  const std::string body = ChatBody(2, true);
  const Reply r = Fetch(base_ + "/v1/chat/completions", &body);
  ASSERT_EQ(r.status, 200);
  // The role chunk comes first; find when the first content event's bytes arrived.
  const size_t role_end = r.body.find("\n\n");
  const size_t content_end = r.body.find("\n\n", role_end + 2);
  ASSERT_NE(content_end, std::string::npos);
  Clock::time_point first_content{};
  for (const auto& [when, size] : r.arrivals) {
    if (size >= content_end + 2) {
      first_content = when;
      break;
    }
  }
  EXPECT_GE(first_content - r.sent, std::chrono::milliseconds(150));
}

TEST_F(SimulatorTest, NonStreamingWaitsForTheWholeModelledTime) {
  SimulatorOptions o = FastOptions();
  o.ttft_ms = 0;
  o.ttft_per_input_token_ms = 10;  // 3 input tokens -> 30 ms
  o.itl_ms = 20;                   // 4 more tokens -> 80 ms
  StartSim(o);
  const std::string body = ChatBody(5, false, false, "the end of");
  const Clock::time_point start = Clock::now();
  const Reply r = Fetch(base_ + "/v1/chat/completions", &body);
  ASSERT_EQ(r.status, 200);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(110));
}

TEST_F(SimulatorTest, ErrorsAreJson) {
  const Reply missing = Fetch(base_ + "/nope");
  EXPECT_EQ(missing.status, 404);
  const json e404 = json::parse(missing.body);
  EXPECT_EQ(e404["error"]["type"], "NotFoundError");
  EXPECT_EQ(e404["error"]["code"], 404);

  const std::string bad = "{not json";
  const Reply malformed = Fetch(base_ + "/v1/chat/completions", &bad);
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(json::parse(malformed.body)["error"]["code"], 400);

  const std::string zero = ChatBody(0, false);
  EXPECT_EQ(Fetch(base_ + "/v1/chat/completions", &zero).status, 400);
  const std::string no_messages = json{{"max_tokens", 3}}.dump();
  EXPECT_EQ(Fetch(base_ + "/v1/chat/completions", &no_messages).status, 400);
  json min_over_max = json::parse(ChatBody(2, false));
  min_over_max["min_tokens"] = 3;
  const std::string min_body = min_over_max.dump();
  EXPECT_EQ(Fetch(base_ + "/v1/chat/completions", &min_body).status, 400);

  const Reply wrong_method = Fetch(base_ + "/v1/chat/completions");  // GET
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(json::parse(wrong_method.body)["error"]["code"], 405);
}

TEST_F(SimulatorTest, ClientDisconnectMidStreamThenServerStillServes) {
  SimulatorOptions o = FastOptions();
  o.itl_ms = 5;
  StartSim(o);
  const std::string body = ChatBody(1000, true);  // ~5 s if it were not cut short
  for (int i = 0; i < 5; ++i) {
    const Reply cut = Fetch(base_ + "/v1/chat/completions", &body, /*abort_after_bytes=*/400);
    EXPECT_EQ(cut.code, CURLE_WRITE_ERROR);
  }
  EXPECT_EQ(Fetch(base_ + "/health").status, 200);
  const std::string small = ChatBody(3, true);
  const std::vector<std::string> events = SseEvents(Fetch(base_ + "/v1/chat/completions", &small).body);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), "[DONE]");
}

// Runs `bodies` concurrently through one curl multi handle; returns the replies.
std::vector<Reply> RunConcurrent(const std::string& url, const std::vector<std::string>& bodies,
                                 std::atomic<int>* started = nullptr, int* peak_open = nullptr) {
  std::vector<Reply> replies(bodies.size());
  std::vector<CURL*> easies;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(bodies.size()));
  for (size_t i = 0; i < bodies.size(); ++i) {
    CURL* easy = MakeEasy(url, &bodies[i], &replies[i], JsonHeaders());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &replies[i]);
    curl_multi_add_handle(multi, easy);
    easies.push_back(easy);
  }
  int running = 1;
  int done = 0;
  while (running > 0) {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Reply* reply = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &reply);
      reply->code = msg->data.result;
      Finish(msg->easy_handle, *reply);
      ++done;
    }
    if (started != nullptr || peak_open != nullptr) {
      int open = 0;
      for (const Reply& r : replies) open += !r.body.empty();
      if (started != nullptr) started->store(open);
      // Streams that have their first bytes but have not finished are held by the server now.
      if (peak_open != nullptr) *peak_open = std::max(*peak_open, open - done);
    }
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  for (CURL* easy : easies) {
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
  }
  curl_multi_cleanup(multi);
  return replies;
}

TEST_F(SimulatorTest, ManyConcurrentStreamsAllComplete) {
  int streams = 2000;
  if (const char* env = std::getenv("BENCH_SIM_TEST_STREAMS")) streams = std::atoi(env);
  SimulatorOptions o = FastOptions();
  o.threads = 1;
  o.ttft_ms = 300;  // long enough that every stream is connected before the first finishes
  o.itl_ms = 20;
  StartSim(o);
  std::vector<std::string> bodies;
  for (int i = 0; i < streams; ++i) {
    bodies.push_back(ChatBody(4, true, true, "request number " + std::to_string(i)));
  }
  int peak_open = 0;
  const Clock::time_point start = Clock::now();
  const std::vector<Reply> replies =
      RunConcurrent(base_ + "/v1/chat/completions", bodies, nullptr, &peak_open);
  const auto took = std::chrono::duration<double>(Clock::now() - start).count();
  int ok = 0;
  for (const Reply& r : replies) {
    const std::vector<std::string> events = SseEvents(r.body);
    ok += r.code == CURLE_OK && r.status == 200 && events.size() == 8 && events.back() == "[DONE]";
  }
  EXPECT_EQ(ok, streams);
  std::cout << "[ simulator ] " << streams << " concurrent streams on one thread: " << ok
            << " complete, peak " << peak_open << " open at once, " << took << " s\n";
}

TEST_F(SimulatorTest, StopWhileStreamsInFlightReturns) {
  SimulatorOptions o = FastOptions();
  o.itl_ms = 50;
  StartSim(o);
  std::vector<std::string> bodies(20, ChatBody(10000, true));
  std::atomic<int> started{0};
  std::vector<Reply> replies;
  std::thread client([&] {
    replies = RunConcurrent(base_ + "/v1/chat/completions", bodies, &started);
  });
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(30);
  while (started.load() < 20 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(started.load(), 20);
  sim_->Stop();
  sim_->Stop();  // idempotent
  sim_->Wait();  // returns at once after Stop
  client.join();  // every stream saw its connection close
  for (const Reply& r : replies) EXPECT_NE(r.code, CURLE_OK);
}

TEST(SimulatorStartTest, BusyPortThrowsOneLineError) {
  SimulatorOptions o = FastOptions();
  Simulator first(o);
  o.port = first.Start();
  Simulator second(o);
  try {
    second.Start();
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": Address already in use");
  }
}

TEST(SimulatorStartTest, StopWithoutStartAndWait) {
  Simulator sim(FastOptions());
  sim.Stop();
  sim.Wait();
}

}  // namespace
}  // namespace bench
