// The YAML config file: the key table (file -> flags), its errors (key path, line, exit code),
// the template, and `bench config -f` end to end against the built-in simulator.

#include "app/config_file.h"
#include "app/config_keys.h"
#include "app/config_template.h"

#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Argv(const std::string& yaml) {
  const ConfigFileResult r = ParseConfigText(yaml, "cfg.yaml");
  EXPECT_EQ(r.error, "") << yaml;
  return ConfigArgv(r.args);
}

TEST(ConfigFileTest, TheTemplateReadsBackAsNoFlagsAtAll) {
  for (const bool verbose : {false, true}) {
    const ConfigFileResult r = ParseConfigText(ConfigTemplate(verbose), "t.yaml");
    EXPECT_EQ(r.error, "");
    EXPECT_TRUE(r.args.empty()) << ConfigArgv(r.args).front();
    EXPECT_EQ(r.subcommand, ConfigSubcommand::kProfile);
  }
}

TEST(ConfigFileTest, TheTemplateFollowsGenAiPerfsLayout) {
  const std::string t = ConfigTemplate(false);
  // Top-level keys two spaces in, sections in GenAI-Perf's order, a section's keys before its
  // subsections.
  std::vector<size_t> at;
  for (const char* section : {"\n  analyze:\n", "\n  endpoint:\n", "\n  perf_analyzer:\n", "\n  input:\n",
                              "\n  output:\n", "\n  tokenizer:\n", "\n  process:\n", "\n  bench:\n"}) {
    at.push_back(t.find(section));
    EXPECT_NE(at.back(), std::string::npos) << section;
  }
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end()));
  EXPECT_EQ(t.rfind("  model_names:\n", 0), 0u);
  EXPECT_NE(t.find("    stimulus: {concurrency: 1}\n    stability_percentage: 999\n    warmup_request_count: 0\n\n"
                   "    measurement:\n      mode: request_count\n      num:\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("    #   concurrency:\n    #     start: 1\n    #     stop: 1024\n"), std::string::npos);
  EXPECT_LT(t.find("    random_seed: 0\n"), t.find("    audio:\n"));
  EXPECT_EQ(t.find("#"), t.find("    # Uncomment") + 4);  // no per-key comments without -v
  const std::string verbose = ConfigTemplate(true);
  EXPECT_NE(verbose.find("# Synthetic prompt length in tokens (--synthetic-input-tokens-mean).\n      mean: 550\n"),
            std::string::npos);
}

// GenAI-Perf's own template (reference §5.1), block style: everything bench does not support
// is at its default, so it is accepted; the values that differ from bench's defaults become flags.
TEST(ConfigFileTest, AcceptsGenAiPerfsTemplate) {
  const std::string genai_perf = R"(  model_names:

  analyze:
    # Uncomment the lines below to enable the analyze subcommand

  endpoint:
    model_selection_strategy: round_robin
    backend: tensorrtllm
    custom: 
    type: kserve
    streaming: False
    server_metrics_urls: http://localhost:9400/metrics
    url: localhost:8001
    grpc_method: 

  perf_analyzer:
    path: perf_analyzer
    verbose: False
    stimulus: {'concurrency': 1}
    stability_percentage: 999
    warmup_request_count: 0

    measurement:
      mode: request_count
      # If left unset, the default value will be inferred based on the mode.
      num: 

  input:
    batch_size: 1
    extra: 
    goodput: 
    header: 
    file: 
    num_dataset_entries: 100
    random_seed: 0

    audio:
      batch_size: 1
      format: wav
      depths: 16
      sample_rates: 16
      num_channels: 1

      length:
        mean: 0
        stddev: 0

    image:
      batch_size: 1
      format: png

      width:
        mean: 0
        stddev: 0

      height:
        mean: 0
        stddev: 0

    output_tokens:
      mean: 
      deterministic: False
      stddev: 0

    synthetic_tokens:
      mean: 550
      stddev: 0

    prefix_prompt:
      num: 0
      length: 100

    sessions:
      num: 0

      turns:
        mean: 1
        stddev: 0

      turn_delay:
        mean: 0
        ratio: 1.0
        stddev: 0

  output:
    artifact_directory: artifacts
    checkpoint_directory: checkpoint
    profile_export_file: profile_export.json
    generate_plots: False
    enable_checkpointing: False

  tokenizer:
    name: 
    revision: main
    trust_remote_code: False

  process:
    # Uncomment the lines below to enable the process-export-files subcommand
)";
  EXPECT_EQ(Argv(genai_perf),
            (std::vector<std::string>{"--endpoint-type=kserve", "--url=localhost:8001", "--checkpoint-dir=checkpoint"}));
}

struct MappingCase {
  const char* yaml;
  std::vector<std::string> argv;
};

class ConfigMappingTest : public testing::TestWithParam<MappingCase> {};

TEST_P(ConfigMappingTest, KeysBecomeTheFlagsThatSetTheSameFields) {
  EXPECT_EQ(Argv(GetParam().yaml), GetParam().argv) << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(
    Keys, ConfigMappingTest,
    testing::Values(
        MappingCase{"model_names: a, b\n", {"--model=a", "--model=b"}},
        MappingCase{"model_name: [org/a, b]\n", {"--model=org/a", "--model=b"}},
        MappingCase{"endpoint: {type: completions, streaming: true, url: 'http://h:1'}\n",
                    {"--endpoint-type=completions", "--streaming", "--url=http://h:1"}},
        MappingCase{"endpoint: {server_metrics_urls: ['http://a:9400/metrics', 'http://b:9400/metrics']}\n",
                    {"--server-metrics-url=http://a:9400/metrics", "--server-metrics-url=http://b:9400/metrics"}},
        MappingCase{"endpoint: {server_metrics_url: 'http://a:8000/metrics, http://b:9400/metrics'}\n",
                    {"--server-metrics-url=http://a:8000/metrics", "--server-metrics-url=http://b:9400/metrics"}},
        MappingCase{"endpoint: {server_metrics_urls: http://localhost:9400/metrics}\n", {}},
        MappingCase{"perf_analyzer:\n  stimulus: {concurrency: 1}\n", {}},
        MappingCase{"perf_analyzer:\n  stimulus: {request_rate: 2.5, concurrency: 4}\n",
                    {"--request-rate=2.5", "--concurrency=4"}},
        MappingCase{"perf_analyzer:\n  stimulus: fixed_schedule\n", {"--fixed-schedule"}},
        MappingCase{"perf_analyzer:\n  stimulus: {session_concurrency: 4}\n", {"--session-concurrency=4"}},
        MappingCase{"input:\n  sessions: {num: 8, turns: {mean: 3, stddev: 1}, turn_delay: {mean: 100, ratio: 0.5, "
                    "stddev: 10}}\n",
                    {"--num-sessions=8", "--session-turns-mean=3", "--session-turns-stddev=1",
                     "--session-turn-delay-mean=100", "--session-delay-ratio=0.5", "--session-turn-delay-stddev=10"}},
        MappingCase{"perf_analyzer:\n  measurement: {mode: request_count, num: 40}\n  warmup_request_count: 5\n",
                    {"--warmup-request-count=5", "--request-count=40"}},
        // The num means milliseconds in interval mode, whichever key comes first; empty = 10000.
        MappingCase{"perf_analyzer:\n  measurement: {num: 300, mode: interval}\n  stability_percentage: 5\n",
                    {"--stability-percentage=5", "--measurement-interval=300"}},
        MappingCase{"perf_analyzer:\n  measurement: {mode: interval, num: }\n", {"--measurement-interval=10000"}},
        MappingCase{"perf_analyzer:\n  measurement: {mode: request_count, num: }\n  stability_percentage: 999\n", {}},
        MappingCase{"input:\n  extra: {ignore_eos: true, temperature: 0.5, stop: '1', n: 2}\n",
                    {R"(--extra-inputs={"ignore_eos":true,"temperature":0.5,"stop":"1","n":2})"}},
        MappingCase{"input:\n  extra: ['ignore_eos:true']\n", {"--extra-inputs=ignore_eos:true"}},
        MappingCase{"input:\n  goodput: {time_to_first_token: 200, request_latency: 1e3}\n",
                    {"--goodput=time_to_first_token:200", "--goodput=request_latency:1e3"}},
        MappingCase{"input:\n  header: ['X-A: 1', 'Accept: a, b']\n", {"--header=X-A: 1", "--header=Accept: a, b"}},
        MappingCase{"input:\n  random_seed: -1\n  synthetic_tokens: {mean: 550, stddev: 10}\n",
                    {"--random-seed=-1", "--synthetic-input-tokens-stddev=10"}},
        MappingCase{"input:\n  output_tokens: {mean: 100, stddev: 0}\n", {"--output-tokens-mean=100"}},
        MappingCase{"input:\n  batch_size: 4\n", {"--batch-size-text=4"}},
        MappingCase{"output:\n  artifact_directory: out\n  enable_checkpointing: yes\n",
                    {"--artifact-dir=out", "--enable-checkpointing"}},
        MappingCase{"tokenizer: {name: builtin, revision: main}\n", {"--tokenizer=builtin"}},
        MappingCase{"analyze:\n  num_dataset_entries: {start: 100, stop: 200, step: 50}\n",
                    {"--sweep-type=num_dataset_entries", "--sweep-range=100:200:50"}},
        MappingCase{"analyze:\n  concurrency: [1, 3, 5]\n", {"--sweep-type=concurrency", "--sweep-list=1,3,5"}},
        MappingCase{"analyze:\n  request_rate:\n", {"--sweep-type=request_rate"}},
        MappingCase{"process:\n  input_path: runs\n", {"--input-directory=runs"}},
        MappingCase{"bench: {workload_suffix: true}\n", {"--workload-suffix"}},
        MappingCase{"bench:\n  simulator: true\n  fail_if: ['avg(request_latency) > 1s']\n  sim: {ttft_ms: 1, itl_ms: 5.0}\n",
                    {"--simulator", "--fail-if=avg(request_latency) > 1s", "--sim-ttft-ms=1"}}));

TEST(ConfigFileTest, TheSectionsPresentPickTheSubcommand) {
  EXPECT_EQ(ParseConfigText("analyze:\n  concurrency:\n", "c").subcommand, ConfigSubcommand::kAnalyze);
  EXPECT_EQ(ParseConfigText("process: {input_path: x}\n", "c").subcommand, ConfigSubcommand::kProcessExportFiles);
  EXPECT_EQ(ParseConfigText("analyze:\nprocess:\n", "c").subcommand, ConfigSubcommand::kProfile);
}

TEST(ConfigFileTest, AFlagNamesTheKeyThatSetsIt) {
  EXPECT_EQ(KeyPathOfFlag("--synthetic-input-tokens-mean"), "input.synthetic_tokens.mean");
  EXPECT_EQ(KeyPathOfFlag("--concurrency"), "perf_analyzer.stimulus.concurrency");
  EXPECT_EQ(KeyPathOfFlag("--sweep-range"), "analyze");
  EXPECT_EQ(KeyPathOfFlag("--api-key"), "");
}

struct BadCase {
  const char* yaml;
  int exit_code;
  const char* message;  // the whole one-line error
};

class ConfigErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(ConfigErrorTest, NamesTheKeyPathAndLine) {
  const ConfigFileResult r = ParseConfigText(GetParam().yaml, "cfg.yaml");
  EXPECT_EQ(r.error, GetParam().message) << GetParam().yaml;
  EXPECT_EQ(r.exit_code, GetParam().exit_code);
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, ConfigErrorTest,
    testing::Values(
        BadCase{"endpoint:\n  type: chat\n  tpye: chat\n", 2,
                "cfg.yaml:3: endpoint.tpye: unknown key (known in endpoint: model_selection_strategy, backend, custom, "
                "type, streaming, server_metrics_urls, url, grpc_method)"},
        BadCase{"model: m\n", 2,
                "cfg.yaml:1: model: unknown key (known: model_names, analyze, endpoint, perf_analyzer, input, output, "
                "tokenizer, process, bench)"},
        BadCase{"input:\n  audio:\n    length:\n      avg: 1\n", 2,
                "cfg.yaml:4: input.audio.length.avg: unknown key (known in input.audio.length: mean, stddev)"},
        BadCase{"endpoint: chat\n", 2, "cfg.yaml:1: endpoint: expected a mapping of keys, got a value"},
        BadCase{"endpoint:\n  streaming: maybe\n", 2, "cfg.yaml:2: endpoint.streaming: expected true or false, got 'maybe'"},
        BadCase{"input:\n  synthetic_tokens:\n    mean: [1, 2]\n", 2,
                "cfg.yaml:3: input.synthetic_tokens.mean: expected a single value, got a list"},
        BadCase{"model_names: {a: 1}\n", 2, "cfg.yaml:1: model_names: expected a value or a list, got a mapping"},
        BadCase{"endpoint:\n  grpc_method: pkg.Svc/Run\n", 2,
                "cfg.yaml:2: endpoint.grpc_method: 'pkg.Svc/Run' is not supported by bench yet (leave it empty)"},
        BadCase{"perf_analyzer:\n  measurement:\n    mode: windows\n", 2,
                "cfg.yaml:3: perf_analyzer.measurement.mode: expected request_count or interval, got 'windows'"},
        BadCase{"perf_analyzer:\n  stimulus:\n    session_request_rate: 2\n", 2,
                "cfg.yaml:3: perf_analyzer.stimulus.session_request_rate: session_request_rate is not supported by "
                "bench yet (use session_concurrency)"},
        BadCase{"perf_analyzer:\n  stimulus: request_rate\n", 2,
                "cfg.yaml:2: perf_analyzer.stimulus: 'request_rate' needs a value, e.g. {request_rate: 10}"},
        BadCase{"analyze:\n  concurrency: {start: 1}\n", 2,
                "cfg.yaml:2: analyze.concurrency: give both start and stop (or neither, for the default range)"},
        BadCase{"analyze:\n  concurrency: {start: 1, stop: 8}\n  request_rate: {start: 1, stop: 8}\n", 2,
                "cfg.yaml:1: analyze: bench sweeps one parameter at a time (give one key)"},
        BadCase{"analyze: {concurrency: {start: 1, stop: 4}}\nprocess: {input_path: runs}\n", 2,
                "cfg.yaml: analyze and process.input_path cannot be combined (one subcommand per file)"},
        BadCase{"endpoint:\n  type: chat\n  type: completions\n", 2,
                "cfg.yaml:3: endpoint.type: given twice (first on line 2)"},
        BadCase{"- a\n- b\n", 2, "cfg.yaml:1: expected a mapping of sections at the top, got a list"},
        BadCase{"endpoint:\n  type: [chat\n", 4, "cfg.yaml:3:1: invalid YAML: end of sequence flow not found"},
        BadCase{"endpoint:\n  url: a\n   type: b\n", 4, "cfg.yaml:3:8: invalid YAML: illegal map value"}));

// ---- through the binary: exit codes and messages of `bench config` ----

fs::path WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

struct CliCase {
  const char* yaml;
  std::vector<std::string> extra_args;
  int exit_code;
  const char* stderr_line;  // with FILE for the config's path
};

class ConfigCliErrorTest : public testing::TestWithParam<CliCase> {};

TEST_P(ConfigCliErrorTest, OneLineNamingTheKeyAndTheDocumentedExitCode) {
  test::TempDir dir;
  const fs::path file = WriteFile(dir.path() / "cfg.yaml", GetParam().yaml);
  std::vector<std::string> args = {"config", "-f", file.string()};
  args.insert(args.end(), GetParam().extra_args.begin(), GetParam().extra_args.end());
  const auto r = test::RunBench(args);
  EXPECT_EQ(r.exit_code, GetParam().exit_code) << r.err;
  const std::string expected = std::regex_replace(GetParam().stderr_line, std::regex("FILE"), file.string());
  EXPECT_EQ(r.err, "bench: error: " + expected + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, ConfigCliErrorTest,
    testing::Values(
        // A value the CLI rejects, told as the key that held it.
        CliCase{"model_names: m\nperf_analyzer:\n  stimulus:\n    concurrency: many\n", {}, 2,
                "FILE:4: perf_analyzer.stimulus.concurrency: 'many' is not a valid value for --concurrency (see bench --help)"},
        CliCase{"model_names: m\nendpoint:\n  type: dynamic_grpc\n", {}, 2,
                "FILE:3: endpoint.type: 'dynamic_grpc' is not supported yet (supported: chat, completions, embeddings, "
                "rankings, multimodal, vision, image_retrieval, nvclip, generate, huggingface_generate, responses, "
                "kserve)"},
        CliCase{"model_names: m\ninput:\n  output_tokens:\n    stddev: 5\n", {}, 2,
                "FILE:4: input.output_tokens.stddev: requires --output-tokens-mean"},
        CliCase{"model_names: m\ninput:\n  goodput: {time_to_first_token: fast}\n", {}, 2,
                "FILE:3: input.goodput: 'time_to_first_token:fast': 'fast' is not a number"},
        // A required flag the file left out: the key, without a line.
        CliCase{"endpoint: {type: chat}\n", {}, 2, "FILE: model_names: required (the model name sent in each request)"},
        CliCase{"model_names: m\nanalyze:\n  concurrency: [0]\n", {}, 2,
                "FILE:3: analyze.concurrency: '0': '0' is not a whole number >= 1"},
        // Flags after the file need --override-config.
        CliCase{"model_names: m\n", {"--concurrency", "4"}, 2,
                "--concurrency: flags after the config file need --override-config (then they win over the file)"},
        // A file that cannot be read or is not YAML: exit 4.
        CliCase{"a: [\n", {}, 4, "FILE:2:1: invalid YAML: end of sequence flow not found"},
        CliCase{"model_names: m\nendpoint:\n  tpye: chat\n", {}, 2,
                "FILE:3: endpoint.tpye: unknown key (known in endpoint: model_selection_strategy, backend, custom, type, "
                "streaming, server_metrics_urls, url, grpc_method)"}));

TEST(ConfigCliTest, AMissingFileIsAnInputError) {
  const auto r = test::RunBench({"config", "-f", "/nonexistent/cfg.yaml"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, "bench: error: /nonexistent/cfg.yaml: no such file\n");
}

TEST(ConfigCliTest, CreateTemplateNeverOverwrites) {
  test::TempDir dir;
  const fs::path file = dir.path() / "t.yaml";
  auto r = test::RunBench({"create-template", "-f", file.string(), "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::ReadFile(file), ConfigTemplate(true));
  r = test::RunBench({"create-template", "-f", file.string()});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(test::ReadFile(file), ConfigTemplate(true));
}

// ---- end to end ----

// Replaces the line `from` (whole line, indentation included) in `text`.
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  text = "\n" + text;
  const size_t at = text.find("\n" + from + "\n");
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at + 1, from.size(), to);
  return text.substr(1);
}

std::string OnlyDir(const fs::path& base) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(base)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names.size(), 1u);
  return names.empty() ? "" : names.front();
}

std::vector<std::string> FileNames(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ConfigEndToEndTest, AnEditedTemplateRunsLikeTheSameProfileCommand) {
  test::TempDir dir;
  const fs::path file = dir.path() / "bench.yaml";
  ASSERT_EQ(test::RunBench({"create-template", "-f", file.string()}).exit_code, 0);
  std::string yaml = test::ReadFile(file);
  yaml = Edit(yaml, "  model_names:", "  model_names: m1");
  yaml = Edit(yaml, "    streaming: false", "    streaming: true");
  yaml = Edit(yaml, "    stimulus: {concurrency: 1}", "    stimulus: {concurrency: 3}");
  yaml = Edit(yaml, "      num:", "      num: 9");
  yaml = Edit(yaml, "      mean: 550", "      mean: 64");
  yaml = Edit(yaml, "    artifact_directory: artifacts", "    artifact_directory: " + (dir.path() / "from_yaml").string());
  yaml = Edit(yaml, "    simulator: false", "    simulator: true");
  yaml = Edit(yaml, "      itl_ms: 5.0", "      itl_ms: 1.0");
  WriteFile(file, yaml);
  const auto from_yaml = test::RunBench({"config", "-f", file.string(), "-q"});
  ASSERT_EQ(from_yaml.exit_code, 0) << from_yaml.err;
  const auto typed = test::RunBench({"profile", "-m", "m1", "--streaming", "--concurrency", "3", "--request-count", "9",
                                     "--synthetic-input-tokens-mean", "64", "--simulator", "--sim-itl-ms", "1", "-q",
                                     "--artifact-dir", (dir.path() / "typed").string()});
  ASSERT_EQ(typed.exit_code, 0) << typed.err;

  // Same directory name (GenAI-Perf's), same files, same inputs and settings.
  const std::string name = OnlyDir(dir.path() / "from_yaml");
  EXPECT_EQ(name, "m1-openai-chat-concurrency3");
  EXPECT_EQ(OnlyDir(dir.path() / "typed"), name);
  const fs::path a = dir.path() / "from_yaml" / name, b = dir.path() / "typed" / name;
  EXPECT_EQ(FileNames(a), FileNames(b));
  EXPECT_EQ(FileNames(a), (std::vector<std::string>{"inputs.json", "profile_export.json", "profile_export_bench.json",
                                                    "profile_export_genai_perf.csv", "profile_export_genai_perf.json"}));
  EXPECT_EQ(test::ReadFile(a / "inputs.json"), test::ReadFile(b / "inputs.json"));
  auto config_a = test::ReadJson(a / "profile_export_genai_perf.json")["input_config"];
  auto config_b = test::ReadJson(b / "profile_export_genai_perf.json")["input_config"];
  config_a["output"].erase("artifact_directory");
  config_b["output"].erase("artifact_directory");
  EXPECT_EQ(config_a, config_b);
  EXPECT_EQ(test::ReadJson(a / "profile_export_genai_perf.json")["request_count"]["avg"], 9.0);
  EXPECT_EQ(test::ReadJson(a / "profile_export.json")["experiments"][0]["requests"].size(), 9u);
}

TEST(ConfigEndToEndTest, OverrideConfigFlagsWinOverTheFile) {
  test::TempDir dir;
  const fs::path file = WriteFile(dir.path() / "c.yaml",
                                  "model_names: m1\n"
                                  "perf_analyzer: {stimulus: {concurrency: 4}, measurement: {num: 4}}\n"
                                  "input: {synthetic_tokens: {mean: 64}, output_tokens: {mean: 4}}\n"
                                  "output: {artifact_directory: " + (dir.path() / "out").string() + "}\n");
  // --isl is an alias: it replaces input.synthetic_tokens.mean; a typed stimulus replaces the file's.
  const auto r = test::RunBench({"config", "-f", file.string(), "--override-config", "--simulator", "--isl", "32",
                                 "--request-rate", "50", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(OnlyDir(dir.path() / "out"), "m1-openai-chat-request_rate50.0");
}

TEST(ConfigEndToEndTest, AnAnalyzeSectionRunsASweep) {
  test::TempDir dir;
  const fs::path file = WriteFile(dir.path() / "sweep.yaml",
                                  "model_names: m1\n"
                                  "analyze:\n  concurrency: [1, 2]\n"
                                  "perf_analyzer: {measurement: {num: 4}}\n"
                                  "input: {synthetic_tokens: {mean: 16}, output_tokens: {mean: 2}}\n"
                                  "output: {artifact_directory: " + (dir.path() / "out").string() + "}\n"
                                  "bench: {simulator: true, sim: {ttft_ms: 1, itl_ms: 1}}\n");
  const auto r = test::RunBench({"config", "-f", file.string(), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::ReadFile(dir.path() / "out" / "analyze_export_genai_perf.csv");
  EXPECT_NE(csv.find("m1_run_config_1"), std::string::npos) << csv;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "m1-openai-chat-concurrency2"));
}

}  // namespace
}  // namespace bench
