// End to end against the simulator: `bench profile --endpoint-type embeddings | rankings` (NIM
// and TEI) writes GenAI-Perf's run directory, table, CSV and JSON (reference §4), sends the
// bodies of §3.3, and refuses bad inputs with one line before sending anything.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> RetrievalProfile(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--sim-ttft-ms", "2", "--request-count", "8",
                                   "--concurrency", "2", "--synthetic-input-tokens-mean", "16",
                                   "--num-dataset-entries", "5", "--artifact-dir", artifacts.string(), "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void WriteLines(const fs::path& path, const std::vector<std::string>& texts) {
  std::ofstream out(path);
  for (const auto& t : texts) out << json{{"text", t}}.dump() << "\n";
}

// Every measured request succeeded, with one JSON answer that `check` accepts.
template <typename Check>
void ExpectAllAnswered(const fs::path& run, size_t count, Check check) {
  const json pa = test::ReadJson(run / "profile_export.json");
  const json& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), count);
  for (const json& r : requests) {
    ASSERT_FALSE(r.contains("error")) << r.dump().substr(0, 300);
    std::string body;
    for (const json& out : r["response_outputs"]) body += out["response"].get<std::string>();
    check(json::parse(r["request_inputs"]["payload"].get<std::string>()), json::parse(body));
  }
}

// The base metrics only (reference §2.2): latency, throughput and count, no token rows.
void ExpectBaseMetricsOnly(const fs::path& run, const std::string& out, const std::string& title) {
  EXPECT_NE(out.find("NVIDIA GenAI-Perf | " + title), std::string::npos) << out;
  EXPECT_NE(out.find("Request Latency (ms)"), std::string::npos) << out;
  EXPECT_NE(out.find("Request Throughput (per sec)"), std::string::npos) << out;
  EXPECT_EQ(out.find("Token"), std::string::npos) << out;
  EXPECT_EQ(out.find("Sequence Length"), std::string::npos) << out;
  const std::string csv = test::ReadFile(run / "profile_export_genai_perf.csv");
  EXPECT_EQ(csv.rfind("Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1\r\nRequest Latency (ms),", 0), 0u) << csv;
  EXPECT_NE(csv.find("\r\n\r\nMetric,Value\r\nRequest Throughput (per sec),"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Request Count (count),8.00\r\n"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("Token"), std::string::npos) << csv;
  const json doc = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(doc["request_count"]["avg"], 8.0);
  EXPECT_GT(doc["request_latency"]["p99"].get<double>(), 0.0);
  EXPECT_GT(doc["request_throughput"]["avg"].get<double>(), 0.0);
  for (const char* absent : {"time_to_first_token", "inter_token_latency", "output_sequence_length",
                             "input_sequence_length", "output_token_throughput"}) {
    EXPECT_FALSE(doc.contains(absent)) << absent;
  }
}

TEST(RetrievalRunTest, EmbeddingsRunAsGenAiPerf) {
  test::TempDir dir;
  const auto r = test::RunBench(RetrievalProfile(dir.path(), {"--endpoint-type", "embeddings", "--batch-size-text", "3",
                                                     "--extra-inputs", "input_type:query", "--extra-inputs",
                                                     "truncate:END", "--goodput", "request_latency:60000"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-embeddings-concurrency2";
  ASSERT_TRUE(fs::is_directory(run)) << r.out;
  ExpectBaseMetricsOnly(run, r.out, "Embeddings Metrics");
  EXPECT_NE(r.out.find("Request Goodput (per sec)"), std::string::npos) << r.out;
  const json inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 5u);
  const json& body = inputs["data"][0]["payload"][0];
  EXPECT_EQ(body["model"], "bench-sim");
  EXPECT_EQ(body["input"].size(), 3u);
  EXPECT_EQ(body["input_type"], "query");
  EXPECT_EQ(body["truncate"], "END");
  ExpectAllAnswered(run, 8, [](const json& sent, const json& answer) {
    ASSERT_EQ(answer["data"].size(), sent["input"].size());
    EXPECT_EQ(answer["data"][0]["embedding"].size(), 1024u);
    EXPECT_EQ(answer["object"], "list");
  });
  const json doc = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(doc["request_goodput"]["avg"], doc["request_throughput"]["avg"]);  // every request within 60 s
  EXPECT_EQ(doc["input_config"]["endpoint"]["output_format"], "openai_embeddings");
  EXPECT_EQ(doc["input_config"]["endpoint"]["custom"], "v1/embeddings");
  EXPECT_EQ(doc["input_config"]["input"]["batch_size"], 3);
}

TEST(RetrievalRunTest, NimRankingsFromSyntheticQueriesAndPassages) {
  test::TempDir dir;
  const auto r = test::RunBench(RetrievalProfile(dir.path(), {"--endpoint-type", "rankings", "--input-file",
                                                     "synthetic:queries,passages", "--batch-size", "4",
                                                     "--fail-if", "p99(request_latency) > 60s"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-rankings-concurrency2";
  ExpectBaseMetricsOnly(run, r.out, "Rankings Metrics");
  const json body = test::ReadJson(run / "inputs.json")["data"][0]["payload"][0];
  EXPECT_TRUE(body["query"]["text"].is_string());
  EXPECT_EQ(body["passages"].size(), 4u);
  ExpectAllAnswered(run, 8, [](const json& sent, const json& answer) {
    ASSERT_EQ(answer["rankings"].size(), sent["passages"].size());
    EXPECT_TRUE(answer["rankings"][0].contains("logit"));
  });
  const json doc = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(doc["input_config"]["input"]["synthetic_files"], (json{"queries", "passages"}));
  EXPECT_EQ(doc["input_config"]["input"]["file"], "synthetic:queries,passages");
  EXPECT_EQ(doc["input_config"]["endpoint"]["output_format"], "rankings");
}

TEST(RetrievalRunTest, TeiRerankFromADirectory) {
  test::TempDir dir;
  const fs::path data = dir.path() / "data";
  fs::create_directories(data);
  WriteLines(data / "queries.jsonl", {"first car", "shrek 2 state", "tallest tree"});
  WriteLines(data / "passages.jsonl", {"the model t", "massachusetts", "a redwood"});
  // A gate that holds for any run fails it (exit 6) after every file is written.
  const auto r = test::RunBench(RetrievalProfile(dir.path(), {"--endpoint-type", "rankings", "--input-file", data.string(),
                                                     "--extra-inputs", "rankings:tei", "--endpoint", "rerank",
                                                     "--fail-if", "avg(request_latency) > 0ms"}));
  ASSERT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("request_latency"), std::string::npos) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-rankings-concurrency2";
  ExpectBaseMetricsOnly(run, r.out, "Rankings Metrics");
  const json inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 3u);
  EXPECT_EQ(inputs["data"][1]["payload"][0].dump(), R"({"query":"shrek 2 state","texts":["massachusetts"]})");
  ExpectAllAnswered(run, 8, [](const json&, const json& answer) {
    ASSERT_TRUE(answer.is_array());
    EXPECT_TRUE(answer[0].contains("score"));
  });
}

TEST(RetrievalRunTest, BadInputsAreOneLineAndSendNothing) {
  test::TempDir dir;
  const fs::path data = dir.path() / "data";
  fs::create_directories(data);
  WriteLines(data / "queries.jsonl", {"q"});
  std::ofstream(data / "passages.jsonl") << "\n";
  const fs::path no_queries = dir.path() / "no_queries";
  fs::create_directories(no_queries);
  WriteLines(no_queries / "passages.jsonl", {"p"});
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string names;
  };
  const std::vector<Case> cases = {
      {{"--endpoint-type", "embeddings", "--streaming"}, 2, "--streaming"},
      {{"--endpoint-type", "embeddings", "--batch-size-text", "0"}, 2, "--batch-size-text"},
      {{"--endpoint-type", "embeddings", "--generate-plots"}, 2, "--generate-plots"},
      {{"--endpoint-type", "rankings"}, 2, "synthetic:queries,passages"},
      {{"--endpoint-type", "rankings", "--input-file", no_queries.string()}, 2, "queries.jsonl"},
      {{"--endpoint-type", "rankings", "--input-file", data.string()}, 4, "passages.jsonl: no prompts in file"},
      {{"--endpoint-type", "chat", "-b", "2"}, 2, "--batch-size-text"},
  };
  for (const Case& c : cases) {
    const auto r = test::RunBench(RetrievalProfile(dir.path() / "artifacts", c.args));
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
    // Nothing was sent: no run wrote an export.
    bool exported = false;
    if (fs::exists(dir.path() / "artifacts")) {
      for (const auto& e : fs::recursive_directory_iterator(dir.path() / "artifacts")) {
        exported |= e.path().filename() == "profile_export.json";
      }
    }
    EXPECT_FALSE(exported) << c.args.back();
  }
}

}  // namespace
}  // namespace bench
