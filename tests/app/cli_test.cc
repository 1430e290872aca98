#include "app/cli.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

struct CliParsed {
  Command command;
  std::string out;
  std::string err;
};

CliParsed Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "bench");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliParsed p{ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, err), "", ""};
  p.out = out.str();
  p.err = err.str();
  return p;
}

TEST(CliTest, SeedCommandParsesWithGenAiPerfMeaning) {
  auto p = Parse({"profile", "--endpoint-type", "chat", "--url", "http://localhost:8000", "--model", "M",
                  "--concurrency", "10", "--warmup-request-count", "10", "--request-count", "50",
                  "--synthetic-input-tokens-mean", "200", "--synthetic-input-tokens-stddev", "0",
                  "--output-tokens-mean", "100", "--output-tokens-stddev", "0", "--artifact-dir",
                  "/tmp/bench", "--streaming", "-v"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  const ProfileConfig& c = p.command.profile;
  EXPECT_EQ(c.models, std::vector<std::string>{"M"});
  EXPECT_EQ(c.url, "http://localhost:8000");
  EXPECT_EQ(c.endpoint, "v1/chat/completions");
  EXPECT_EQ(c.concurrency, 10);
  EXPECT_EQ(c.warmup_request_count, 10);
  EXPECT_EQ(c.request_count, 50);
  EXPECT_EQ(c.synthetic_input_tokens_mean, 200);
  ASSERT_TRUE(c.output_tokens_mean.has_value());
  EXPECT_EQ(*c.output_tokens_mean, 100);
  EXPECT_TRUE(c.streaming);
  EXPECT_TRUE(c.verbose);
  EXPECT_EQ(c.tokenizer, "M");  // GenAI-Perf: the tokenizer defaults to the model name
}

TEST(CliTest, DefaultsAndAliases) {
  auto p = Parse({"profile", "-m", "a", "b", "--concurrency", "7", "--isl", "12", "--osl", "3",
                  "--num-prompts", "4", "--num-requests", "9", "--endpoint-type", "completions"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  const ProfileConfig& c = p.command.profile;
  EXPECT_EQ(c.models, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.synthetic_input_tokens_mean, 12);
  EXPECT_EQ(*c.output_tokens_mean, 3);
  EXPECT_EQ(c.num_dataset_entries, 4);
  EXPECT_EQ(c.request_count, 9);
  EXPECT_EQ(c.endpoint, "v1/completions");

  auto d = Parse({"profile", "-m", "x", "--concurrency", "7"});
  EXPECT_EQ(d.command.profile.request_count, 14);  // max(10, 2 x concurrency)
  EXPECT_EQ(Parse({"profile", "-m", "x"}).command.profile.request_count, 10);
  EXPECT_EQ(d.command.profile.synthetic_input_tokens_mean, 550);
  EXPECT_EQ(d.command.profile.num_dataset_entries, 100);
  EXPECT_EQ(d.command.profile.endpoint_type, "chat");
}

TEST(CliTest, ZeroMeansZero) {
  auto p = Parse({"profile", "-m", "x", "--random-seed", "0", "--warmup-request-count", "0", "--isl", "0"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.random_seed, 0u);
  EXPECT_EQ(p.command.profile.synthetic_input_tokens_mean, 0);
  auto s = Parse({"profile", "-m", "x", "--random-seed", "5"});
  EXPECT_EQ(s.command.profile.random_seed, 5u);
}

TEST(CliTest, EndpointIsStrippedAndExtraInputsTyped) {
  auto p = Parse({"profile", "-m", "x", "--endpoint", " /custom/path", "--extra-inputs", "ignore_eos:true",
                  "--extra-inputs", "{\"temperature\": 0}"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.endpoint, "custom/path");
  EXPECT_EQ(p.command.profile.extra_inputs["ignore_eos"], true);
  EXPECT_EQ(p.command.profile.extra_inputs["temperature"], 0);
}

TEST(CliTest, HttpClientDefaultsToAuto) {
  EXPECT_EQ(Parse({"profile", "-m", "x"}).command.profile.http_client, "auto");
  const auto p = Parse({"profile", "-m", "x", "--http-client", "curl"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.http_client, "curl");
}

TEST(CliTest, NativeClientTakesHttps) {
  const auto p = Parse({"profile", "-m", "x", "--url", "https://h:1", "--http-client", "native"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.http_client, "native");
}

// GenAI-Perf's nargs="+" flag under both spellings; the DCGM exporter on this host by default.
TEST(CliTest, ServerMetricsUrls) {
  EXPECT_EQ(Parse({"profile", "-m", "x"}).command.profile.server_metrics_urls,
            std::vector<std::string>{"http://localhost:9400/metrics"});
  const auto p = Parse({"profile", "--server-metrics-url", "http://a:9400/metrics", "http://b:8000/metrics", "-m", "x"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.server_metrics_urls,
            (std::vector<std::string>{"http://a:9400/metrics", "http://b:8000/metrics"}));
  EXPECT_EQ(Parse({"profile", "-m", "x", "--server-metrics-urls", "http://c/metrics"}).command.profile.server_metrics_urls,
            std::vector<std::string>{"http://c/metrics"});
}

TEST(CliTest, UsageErrorsAreOneLineNamingTheFlagWithExitCode2) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"profile", "-m", "x", "--no-such-flag"}, "--no-such-flag"},
      {{"profile", "-m", "x", "--concurrency", "0"}, "--concurrency"},
      {{"profile", "-m", "x", "--concurrency", "abc"}, "--concurrency"},
      {{"profile", "-m", "x", "--request-count", "0"}, "--request-count"},
      {{"profile", "-m", "x", "--output-tokens-stddev", "5"}, "--output-tokens-stddev"},
      {{"profile", "-m", "x", "--endpoint-type", "dynamic_grpc"}, "--endpoint-type"},
      {{"profile", "-m", "x", "--extra-inputs", "a:1", "--extra-inputs", "a:2"}, "--extra-inputs"},
      {{"profile", "-m", "x", "--goodput", "ttft"}, "--goodput"},
      {{"profile", "-m", "x", "--header", "NoColon"}, "--header"},
      {{"profile", "-m", "x", "--profile-export-file", "a/b.json"}, "--profile-export-file"},
      {{"profile", "--simulator", "--url", "localhost:1"}, "--url"},
      {{"profile"}, "--model"},
      {{"profile", "-m", "x", "--input-file", "/no/such/file.jsonl"}, "--input-file"},
      {{"frobnicate"}, "frobnicate"},
      {{"profile", "-m", "x", "--request-rate", "0"}, "--request-rate"},
      {{"profile", "-m", "x", "--http-client", "h2"}, "--http-client"},
      {{"profile", "-m", "x", "--url", "https://u:p@h:1", "--http-client", "native"}, "--http-client native: credentials"},
      {{"profile", "-m", "x", "--request-rate", "-3"}, "--request-rate"},
      {{"profile", "-m", "x", "--request-rate", "5", "--request-distribution", "gamma"}, "--request-distribution"},
      {{"profile", "-m", "x", "--request-rate", "5", "--request-distribution", "poisson", "--burstiness", "0"},
       "--burstiness: must be greater than 0"},
      {{"profile", "-m", "x", "--request-rate", "5", "--burstiness", "0.5"},
       "--burstiness: requires --request-rate with --request-distribution poisson"},
      {{"profile", "-m", "x", "--burstiness", "2"}, "--burstiness: requires --request-rate"},
      {{"profile", "-m", "x", "--request-timeout", "-1"}, "--request-timeout"},
      {{"profile", "-m", "x", "-p", "0"}, "--measurement-interval"},
      {{"profile", "-m", "x", "--stability-percentage=-2"}, "--stability-percentage"},
      {{"profile", "-m", "x", "-p", "100", "--num-requests", "4"}, "--request-count"},
      {{"profile", "-m", "x", "--task", "poetry"}, "--task"},
      {{"profile", "-m", "x", "--num-prefix-prompts", "-1"}, "--num-prefix-prompts"},
      {{"profile", "-m", "x", "--num-prefix-prompts", "2", "--prefix-prompt-length", "0"}, "--prefix-prompt-length"},
  };
  for (const auto& [args, flag] : cases) {
    auto p = Parse(args);
    EXPECT_EQ(p.command.kind, Command::Kind::kExit) << args.back();
    EXPECT_EQ(p.command.exit_code, kExitUsage) << args.back();
    EXPECT_NE(p.err.find(flag), std::string::npos) << "error should name " << flag << ": " << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  }
}

TEST(CliTest, TimeWindowFlagsAndTheirShortForms) {
  const ProfileConfig c = Parse({"profile", "-m", "x", "-p", "300", "-s", "5"}).command.profile;
  EXPECT_EQ(c.measurement_interval_ms, 300);
  EXPECT_EQ(c.stability_percentage, 5.0);
  const ProfileConfig d = Parse({"profile", "-m", "x"}).command.profile;
  EXPECT_FALSE(d.measurement_interval_ms.has_value());
  EXPECT_EQ(d.stability_percentage, 999.0);
  const ProfileConfig e = Parse({"profile", "-m", "x", "--measurement-interval", "10000"}).command.profile;
  EXPECT_EQ(e.measurement_interval_ms, 10000);
}

TEST(CliTest, SessionFlagsParseAndResolveTheirDefaults) {
  auto p = Parse({"profile", "-m", "x", "--session-concurrency", "3", "--session-turns-mean", "4",
                  "--session-turns-stddev", "1", "--session-turn-delay-mean", "100", "--session-turn-delay-stddev", "5",
                  "--session-delay-ratio", "0.5"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  const ProfileConfig& c = p.command.profile;
  ASSERT_TRUE(c.session_concurrency.has_value());
  EXPECT_EQ(*c.session_concurrency, 3);
  EXPECT_EQ(c.num_sessions, 10);  // max(10, 2 x 3), like the request-count default
  EXPECT_EQ(c.session_turns_mean, 4);
  EXPECT_EQ(c.session_turns_stddev, 1);
  EXPECT_EQ(c.session_turn_delay_mean, 100);
  EXPECT_EQ(c.session_turn_delay_stddev, 5);
  EXPECT_DOUBLE_EQ(c.session_delay_ratio, 0.5);

  auto alone = Parse({"profile", "-m", "x", "--num-sessions", "7"});
  ASSERT_EQ(alone.command.kind, Command::Kind::kProfile) << alone.err;
  ASSERT_TRUE(alone.command.profile.session_concurrency.has_value());
  EXPECT_EQ(*alone.command.profile.session_concurrency, 1);  // --num-sessions alone: one session at a time
  EXPECT_EQ(alone.command.profile.num_sessions, 7);

  auto none = Parse({"profile", "-m", "x"});
  ASSERT_EQ(none.command.kind, Command::Kind::kProfile) << none.err;
  EXPECT_FALSE(none.command.profile.session_concurrency.has_value());
}

TEST(CliTest, SessionUsageErrorsAreOneLineNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--session-concurrency", "0"}, "--session-concurrency: must be at least 1"},
      {{"--session-concurrency", "-2"}, "--session-concurrency"},
      {{"--session-concurrency", "two"}, "--session-concurrency"},
      {{"--num-sessions", "0"}, "--num-sessions: must be at least 1"},
      {{"--session-concurrency", "2", "--num-sessions", "-1"}, "--num-sessions"},
      {{"--session-concurrency", "2", "--concurrency", "4"}, "--session-concurrency and --concurrency"},
      {{"--session-concurrency", "2", "--request-rate", "5"}, "--session-concurrency and --request-rate"},
      {{"--session-concurrency", "2", "--request-count", "5"}, "--request-count cannot be used with sessions"},
      {{"--session-concurrency", "2", "--benchmark-duration", "3"}, "--benchmark-duration cannot be used with sessions"},
      {{"--num-sessions", "3", "--concurrency", "4"}, "--num-sessions"},
      {{"--num-sessions", "3", "--request-rate", "4"}, "--num-sessions"},
      {{"--session-concurrency", "2", "--endpoint-type", "completions"}, "--endpoint-type completions"},
      {{"--session-concurrency", "2", "--session-turns-mean", "0"}, "--session-turns-mean"},
      {{"--session-concurrency", "2", "--session-turns-stddev", "-1"}, "--session-turns-stddev"},
      {{"--session-concurrency", "2", "--session-turn-delay-mean", "-5"}, "--session-turn-delay-mean"},
      {{"--session-concurrency", "2", "--session-turn-delay-stddev", "-5"}, "--session-turn-delay-stddev"},
      {{"--session-concurrency", "2", "--session-delay-ratio", "-0.5"}, "--session-delay-ratio"},
      {{"--session-turns-mean", "3"}, "--session-turns-mean: requires --session-concurrency"},
      {{"--session-turn-delay-mean", "30"}, "--session-turn-delay-mean: requires --session-concurrency"},
      {{"--session-delay-ratio", "2"}, "--session-delay-ratio: requires --session-concurrency"},
      {{"--session-concurrency", "2", "-p", "300"}, "--measurement-interval cannot be used with sessions"},
  };
  for (const auto& [tail, flag] : cases) {
    std::vector<std::string> args = {"profile", "-m", "x"};
    args.insert(args.end(), tail.begin(), tail.end());
    auto p = Parse(args);
    EXPECT_EQ(p.command.kind, Command::Kind::kExit) << tail.front();
    EXPECT_EQ(p.command.exit_code, kExitUsage) << tail.front();
    EXPECT_NE(p.err.find(flag), std::string::npos) << "error should name " << flag << ": " << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  }
}

TEST(CliTest, TaskPresetSetsLengthsAndTypedFlagsWin) {
  auto p = Parse({"profile", "-m", "x", "--task", "summarization"}).command.profile;
  EXPECT_EQ(p.synthetic_input_tokens_mean, 1250);
  EXPECT_EQ(p.synthetic_input_tokens_stddev, 375);
  EXPECT_EQ(p.output_tokens_mean, 200);
  EXPECT_EQ(p.output_tokens_stddev, 50);
  EXPECT_EQ(p.synthetic_input_tokens_clip, (std::pair{500, 2000}));
  auto q = Parse({"profile", "-m", "x", "--task", "chat", "--isl", "700", "--output-tokens-stddev", "0"})
               .command.profile;
  EXPECT_EQ(q.synthetic_input_tokens_mean, 700);
  EXPECT_EQ(q.synthetic_input_tokens_stddev, 25);
  EXPECT_FALSE(q.synthetic_input_tokens_clip);
  EXPECT_EQ(q.output_tokens_mean, 300);
  EXPECT_EQ(q.output_tokens_stddev, 0);
  auto r = Parse({"profile", "-m", "x", "--num-prefix-prompts", "3", "--prefix-prompt-length", "20"}).command.profile;
  EXPECT_EQ(r.num_prefix_prompts, 3);
  EXPECT_EQ(r.prefix_prompt_length, 20);
}

TEST(CliTest, HelpAndVersionExitZero) {
  auto h = Parse({"profile", "--help"});
  EXPECT_EQ(h.command.kind, Command::Kind::kExit);
  EXPECT_EQ(h.command.exit_code, 0);
  EXPECT_NE(h.out.find("Examples:"), std::string::npos);
  EXPECT_NE(h.out.find("--synthetic-input-tokens-mean"), std::string::npos);
  EXPECT_NE(h.out.find("--task"), std::string::npos);
  EXPECT_NE(h.out.find("question-answering"), std::string::npos);
  auto v = Parse({"--version"});
  EXPECT_EQ(v.command.exit_code, 0);
  EXPECT_NE(v.out.find("bench "), std::string::npos);
}

TEST(CliTest, SimulatorEventLogFlag) {
  auto s = Parse({"simulator", "--event-log", "/tmp/sends.jsonl"});
  ASSERT_EQ(s.command.kind, Command::Kind::kSimulator) << s.err;
  EXPECT_EQ(s.command.simulator.options.event_log_path, "/tmp/sends.jsonl");
  EXPECT_EQ(Parse({"simulator"}).command.simulator.options.event_log_path, "");
}

TEST(CliTest, SimulatorDefaultsToBuiltinTokenizerAndSimModel) {
  auto p = Parse({"profile", "--simulator", "--sim-ttft-ms", "5"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_EQ(p.command.profile.tokenizer, "builtin");
  EXPECT_EQ(p.command.profile.models, std::vector<std::string>{"bench-sim"});
  EXPECT_DOUBLE_EQ(p.command.profile.simulator_options.ttft_ms, 5.0);
}

TEST(CliTest, ReportAndSimulatorSubcommands) {
  auto s = Parse({"simulator", "--port", "0", "--itl-ms", "2"});
  ASSERT_EQ(s.command.kind, Command::Kind::kSimulator) << s.err;
  EXPECT_EQ(s.command.simulator.options.port, 0);
  EXPECT_DOUBLE_EQ(s.command.simulator.options.itl_ms, 2.0);
  auto r = Parse({"report", "--profile-export", "/no/such/export.json"});
  EXPECT_EQ(r.command.exit_code, kExitUsage);
  EXPECT_NE(r.err.find("--profile-export"), std::string::npos) << r.err;
}

TEST(CliTest, PerfAnalyzerOptionsAfterDashDashOfTheNimGuide) {
  auto p = Parse({"profile", "-m", "M", "--streaming", "--concurrency", "4", "--", "-v", "--max-threads=256"});
  ASSERT_EQ(p.command.kind, Command::Kind::kProfile) << p.err;
  EXPECT_TRUE(p.command.profile.verbose);
  EXPECT_EQ(p.command.profile.concurrency, 4);
  EXPECT_EQ(p.err,
            "[warning] -- --max-threads: perf_analyzer option accepted without effect: bench's worker threads are "
            "event loops with many requests each, sized automatically (--worker-threads sets them)\n");
  auto m = Parse({"analyze", "-m", "M", "--", "--measurement-interval", "800", "--request-distribution=poisson"});
  ASSERT_EQ(m.command.kind, Command::Kind::kAnalyze) << m.err;
  EXPECT_EQ(m.command.analyze.profile.measurement_interval_ms, 800);
  EXPECT_EQ(m.command.analyze.profile.request_distribution, "poisson");
  auto bad = Parse({"profile", "-m", "M", "--", "--periodic-concurrency-range", "1:4:1"});
  EXPECT_EQ(bad.command.exit_code, kExitUsage);
  EXPECT_EQ(bad.err,
            "bench: error: -- --periodic-concurrency-range: perf_analyzer option not supported by bench "
            "(docs/compatibility.md lists those it takes)\n");
}

TEST(CliTest, GenAiPerfFlagsNotImplementedYetGetOneLineNamingThem) {
  auto p = Parse({"profile", "-m", "M", "--grpc-method", "a.B/C"});
  EXPECT_EQ(p.command.kind, Command::Kind::kExit);
  EXPECT_EQ(p.command.exit_code, kExitUsage);
  EXPECT_EQ(p.err, "bench: error: --grpc-method: GenAI-Perf's flag is not supported by bench yet (gRPC endpoints)\n");
  auto s = Parse({"profile", "-m", "M", "--input-file", "synthetic:queries,passages"});
  EXPECT_EQ(s.command.exit_code, kExitUsage);
  EXPECT_EQ(s.err,
            "bench: error: --input-file synthetic:...: GenAI-Perf's synthetic file names are not supported by bench "
            "yet (give a JSONL file, payload:FILE, or no --input-file for synthetic prompts)\n");
  auto d = Parse({"profile", "-m", "M", "--input-file", "/tmp"});
  EXPECT_EQ(d.err,
            "bench: error: --input-file '/tmp': a directory of input files is not supported by bench yet (give one "
            "JSONL file)\n");
}

TEST(CliTest, WorkloadSuffixIsOptIn) {
  EXPECT_FALSE(Parse({"profile", "-m", "M", "--isl", "200"}).command.profile.workload_suffix);
  EXPECT_TRUE(Parse({"profile", "-m", "M", "--isl", "200", "--workload-suffix"}).command.profile.workload_suffix);
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// --endpoint-type embeddings | rankings: GenAI-Perf's default paths, its batch flag and aliases,
// and its synthetic file names (reference §1.2, §1.3).
TEST(CliTest, EmbeddingsAndRankingsTakeGenAiPerfsFlags) {
  auto e = Parse({"profile", "-m", "e5", "--endpoint-type", "embeddings", "--batch-size", "8"});
  ASSERT_EQ(e.command.kind, Command::Kind::kProfile) << e.err;
  EXPECT_EQ(e.command.profile.endpoint, "v1/embeddings");
  EXPECT_EQ(e.command.profile.batch_size_text, 8);
  auto b = Parse({"profile", "-m", "e5", "--endpoint-type", "embeddings", "-b", "3"});
  ASSERT_EQ(b.command.kind, Command::Kind::kProfile) << b.err;
  EXPECT_EQ(b.command.profile.batch_size_text, 3);
  auto r = Parse({"profile", "-m", "r", "--endpoint-type", "rankings", "--batch-size-text", "2", "--input-file",
                  "synthetic:queries,passages"});
  ASSERT_EQ(r.command.kind, Command::Kind::kProfile) << r.err;
  const ProfileConfig& c = r.command.profile;
  EXPECT_EQ(c.endpoint, "v1/ranking");
  EXPECT_EQ(c.synthetic_files, (std::vector<std::string>{"queries", "passages"}));
  EXPECT_TRUE(c.input_file.empty());
}

TEST(CliTest, EmbeddingsAndRankingsRefuseWhatGenAiPerfRefuses) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--endpoint-type", "embeddings", "--streaming"}, "--streaming: not supported for --endpoint-type embeddings"},
      {{"--endpoint-type", "rankings", "--input-file", "synthetic:queries,passages", "--streaming"}, "--streaming"},
      {{"--endpoint-type", "embeddings", "--generate-plots"}, "--generate-plots: not supported"},
      {{"--endpoint-type", "embeddings", "--batch-size-text", "0"}, "--batch-size-text: must be at least 1"},
      {{"--endpoint-type", "chat", "--batch-size-text", "2"}, "--batch-size-text: not supported for --endpoint-type chat"},
      {{"--endpoint-type", "rankings"}, "--endpoint-type rankings: rankings need --input-file synthetic:queries,passages"},
      {{"--endpoint-type", "rankings", "--input-file", "synthetic:queries,"}, "an empty synthetic file name"},
      {{"--endpoint-type", "embeddings", "--session-concurrency", "2"}, "--session-concurrency"},
      {{"--endpoint-type", "chat", "--input-file", "synthetic:queries,passages"}, "--input-file synthetic:"},
  };
  for (const auto& [tail, message] : cases) {
    std::vector<std::string> args = {"profile", "-m", "x"};
    args.insert(args.end(), tail.begin(), tail.end());
    auto p = Parse(args);
    EXPECT_EQ(p.command.kind, Command::Kind::kExit) << tail.back();
    EXPECT_EQ(p.command.exit_code, kExitUsage) << tail.back();
    EXPECT_NE(p.err.find(message), std::string::npos) << p.err;
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1) << p.err;
  }
}

}  // namespace
}  // namespace bench
