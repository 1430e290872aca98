#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "app/config_file.h"
#include "app/foreign_args.h"
#include "report/gate.h"
#include "util/http_options.h"
#include "dataset/inputs.h"
#include "plots/report.h"
#include "app/sweep.h"
#include "app/task_presets.h"

namespace bench {
namespace {

constexpr const char* kProfileExamples = R"(
Examples:
  # Try it without a GPU: benchmark the built-in simulator
  bench profile --simulator --streaming --concurrency 10 --isl 200 --osl 100

  # A GenAI-Perf command line, with `genai-perf` replaced by `bench`
  bench profile --endpoint-type chat --url http://localhost:8000 --model M \
      --concurrency 10 --warmup-request-count 10 --request-count 50 \
      --synthetic-input-tokens-mean 200 --output-tokens-mean 100 \
      --artifact-dir /tmp/bench --streaming --tokenizer ./tokenizer.json

  # Prompts from a file, extra body fields, an API key header
  bench profile -m M -u localhost:8000 --input-file prompts.jsonl \
      --extra-inputs ignore_eos:true --extra-inputs '{"temperature": 0.0}' \
      -H "Authorization: Bearer $KEY" --tokenizer ./tokenizer.json

  # CI gate: exit 6 (and say which gate) when p99 TTFT exceeds 500 ms or >0.1% of requests fail
  bench profile -m M -u localhost:8000 --streaming --concurrency 8 --quiet \
      --fail-if "p99(time_to_first_token) > 500ms" --fail-if "error_rate > 0.1%"

  # Plots: <run dir>/plots/report.html, one self-contained page (open it offline in a browser)
  bench profile --simulator --streaming --concurrency 4 --request-count 40 --generate-plots

  # Shell loop: each point gets its own artifact directory (...-concurrency<N>; typed --isl,
  # --osl, --num-dataset-entries, --random-seed, --task add -isl<N> etc.; see docs/sweeps.md)
  for c in 1 2 4 8; do bench profile -m M --concurrency $c --quiet; done

Gates (--fail-if, repeatable): [STAT(]METRIC[)] OP NUMBER[UNIT], STAT one of avg min max std
p1..p99 (default avg), METRIC a key of profile_export_genai_perf.json or error_rate, OP one of
< <= > >= == !=, UNIT ms s us (time metrics), % (error_rate) or none. See docs/ci-gates.md.
Exit codes: 0 ok, 1 no request succeeded, 2 usage, 3 server unreachable, 4 bad input,
5 cannot write artifacts, 6 a --fail-if gate failed, 130 interrupted.
)";

constexpr const char* kAnalyzeExamples = R"(
Sweeps (GenAI-Perf's documented semantics; every profile flag applies to each point):
  --sweep-list a,b,c       exactly these values, in this order
  --sweep-range min:max:step   min, min+step, ... up to max (linear; also for concurrency)
  --sweep-range min:max    the powers of two from min to max (num_dataset_entries: every integer)
  neither                  the type's default: concurrency 1:1024, request_rate 16:8192,
                           input_sequence_length 100:1000, num_dataset_entries 100:1000

Examples:
  # Try it on the built-in simulator: concurrency 1, 2, 4, 8
  bench analyze --simulator --streaming --sweep-type concurrency --sweep-range 1:8 --request-count 40

  # A GenAI-Perf analyze command line, with `genai-perf` replaced by `bench`
  bench analyze -m M -u localhost:8000 --endpoint-type chat --streaming \
      --sweep-type input_sequence_length --sweep-list 100,150,200,400 --osl 100

  # Resumable: rerunning the same command skips the points already measured
  bench analyze -m M -u localhost:8000 --streaming --sweep-type request_rate \
      --sweep-range 2:10:2 --request-count 100 --enable-checkpointing

Each point is a full profile run in <artifact-dir>/<model>-openai-<type>-<sweep_type><value>/;
<artifact-dir>/analyze_export_genai_perf.csv and a summary table (stdout) cover all points.
Exit codes as for profile; 130 when interrupted (the finished points stay in the checkpoint).
)";

constexpr const char* kCompareExamples = R"(
Examples:
  # Two artifact directories (bench's or GenAI-Perf's), or *_genai_perf.json files
  bench compare artifacts/base/M-openai-chat-concurrency8 artifacts/new/M-openai-chat-concurrency8

  # Percentile curves of both runs in compare/report.html (GenAI-Perf's ./compare directory)
  bench compare base/ new/ --generate-plots

  # CI: exit 6 when the candidate is significantly worse by more than 5% on any metric
  bench compare base/ new/ --max-regression 5% --metrics time_to_first_token,request_latency

With per-request data on both sides (profile_export.json beside the JSON), p is a two-sided
Mann-Whitney U test and the interval a bootstrap 95% CI of median(candidate) - median(baseline);
a regression counts when p < 0.05. Without it, the point estimates decide. See docs/compare.md.
)";

constexpr const char* kTokenizeExamples = R"(
Examples:
  bench tokenize --tokenizer mistralai/Mistral-7B-v0.1 --text "How long is this prompt?"
  bench tokenize --tokenizer ./tokenizer.json --add-special-tokens --jsonl prompts.jsonl
Each output line is {"count": N, "ids": [...]}; with --jsonl, one per input line (a JSON string).
)";

constexpr const char* kSimulatorExamples = R"(
Examples:
  bench simulator --port 8000                              # vLLM-like: TTFT 20 ms, ITL 5 ms
  bench simulator --ttft-ms 50 --itl-ms 10 --event-log sends.jsonl   # paced, with a send log
  bench simulator --ttft-ms 0 --itl-ms 0 --threads 2       # as fast as it can (client ceilings)
  bench simulator --fault-rate http_500=0.05 --fault-rate stall:5=0.01   # misbehave sometimes
Then, from another shell: bench profile -m bench-sim --url localhost:8000 --streaming --concurrency 8
One request can ask for a fault itself: header "X-Bench-Fault: reset_before_headers" (docs/simulator.md).
)";

constexpr const char* kCreateTemplateExamples = R"(
Examples:
  bench create-template                       # writes genai_perf_config.yaml
  bench create-template -f my.yaml -v         # with a comment above every key
  bench config -f my.yaml                     # then run it (docs/config.md)
)";

constexpr const char* kCalibrateExamples = R"(
Examples:
  bench calibrate                        # 3 s of 100-token streams at concurrency 64
  bench calibrate --osl 1000 --concurrency 256 --worker-threads 2
Prints requests/s, SSE events/s, client CPU per 1,000 requests, event-loop pass times and
timer oversleep for this host, and the request rate one worker thread can drive safely.
)";

constexpr const char* kConfigExamples = R"(
Examples:
  bench create-template -f bench.yaml -v      # every key at its default, with comments
  bench config -f bench.yaml                  # runs profile (analyze with an analyze: section,
                                              # process-export-files with process.input_path)
  bench config -f bench.yaml --override-config --concurrency 8 --simulator

A key left at the template's value is the same as leaving it out. Flags other than -v, -q and
--no-progress need --override-config, and then win over the file. Errors name the key, e.g.
  bench: error: bench.yaml:14: endpoint.type: 'kserve' is not supported yet (...)
Exit codes: 4 when the file cannot be read or is not YAML; 2 for an unknown key or a bad value;
otherwise those of the subcommand the file runs. See docs/config.md.
)";

constexpr const char* kProcessExamples = R"(
Examples:
  # Runs made at the same time from two client machines, copied side by side:
  #   runs/host-a/profile_export.json  runs/host-a/profile_export_genai_perf.json
  #   runs/host-b/profile_export.json  runs/host-b/profile_export_genai_perf.json
  bench process-export-files -d runs --artifact-dir merged

Per-request metrics (latencies, TTFT, ITL, lengths, goodput) are recomputed over all runs'
requests. Request and output token throughput divide by the span from the first send to the
last response of all runs; GenAI-Perf's sum of the runs' throughputs is printed beside it.
See docs/compatibility.md ("process-export-files").
)";

constexpr const char* kReportExamples = R"(
Examples:
  bench report --profile-export artifacts/M-openai-chat-concurrency10/profile_export.json
  bench report --profile-export pa_export.json --tokenizer ./tokenizer.json --goodput time_to_first_token:200
  # Plots from an existing export (beside it: plots/report.html)
  bench report -f artifacts/M-openai-chat-concurrency10/profile_export.json --generate-plots
  # Re-check CI gates offline (exit 6 when one fails)
  bench report -f artifacts/M-openai-chat-concurrency10/profile_export.json --quiet \
      --fail-if "p99(request_latency) > 2s"
)";

// Parses every --fail-if expression; returns the first one-line error or "".
std::string ParseGates(const std::vector<std::string>& raw, std::vector<Gate>& gates) {
  for (const std::string& expr : raw) {
    GateParse parsed = ParseGate(expr);
    if (!parsed.gate) return parsed.error;
    gates.push_back(std::move(*parsed.gate));
  }
  return "";
}

// "5%" or "5" -> 0.05; nullopt when not a non-negative percentage.
std::optional<double> ParsePercent(std::string text) {
  if (!text.empty() && text.back() == '%') text.pop_back();
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !(v >= 0)) return std::nullopt;
    return v / 100.0;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> SplitComma(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      const size_t comma = std::min(item.find(',', start), item.size());
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

void AddSimulatorTimingOptions(CLI::App* app, SimulatorOptions& o, const std::string& prefix) {
  app->add_option("--" + prefix + "ttft-ms", o.ttft_ms, "Simulated base time to first token (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "ttft-per-input-token-ms", o.ttft_per_input_token_ms,
                  "Simulated prefill cost per input token (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "itl-ms", o.itl_ms, "Simulated base inter-token latency (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "itl-per-stream-ms", o.itl_per_stream_ms,
                  "Simulated ITL added per concurrently decoding stream (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "tokens-per-chunk", o.tokens_per_chunk, "Tokens per SSE chunk")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--" + prefix + "jitter", o.jitter, "Relative jitter on every simulated delay (0..1)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app->add_option("--" + prefix + "default-max-tokens", o.default_max_tokens,
                  "Output tokens when a request sends no max_tokens")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--" + prefix + "eos-probability", o.eos_probability,
                  "Per-token chance of an early end once min_tokens are out (ignored with ignore_eos)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app->add_option("--" + prefix + "seed", o.seed, "Simulator random seed")->capture_default_str();
  // Parsed as each value arrives so a bad spec is a one-line usage error naming the flag.
  app->add_option_function<std::vector<std::string>>(
         "--" + prefix + "fault-rate",
         [&o, flag = "--" + prefix + "fault-rate"](const std::vector<std::string>& specs) {
           o.faults.rates.clear();
           for (const std::string& spec : specs) {
             if (std::string error = AddSimFaultRate(o.faults, spec); !error.empty()) {
               throw CLI::ValidationError(flag, error);
             }
           }
         },
         "Inject a simulator fault into this share of requests, NAME[:ARG]=RATE (repeatable; "
         "see docs/simulator.md), e.g. http_500=0.1 stall:5=0.01")
      ->expected(1, -1)->take_all();
}

std::string StripEndpoint(std::string e) {
  const auto first = e.find_first_not_of(" /");
  return first == std::string::npos ? std::string() : e.substr(first);
}

// true/false for --fixed-schedule's optional value (a bare flag is true). GenAI-Perf's
// `type=bool` makes any value true, "false" included; here "false" really turns it off.
std::optional<bool> ParseBool(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (v.empty() || v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// --input-file payload:FILE, --fixed-schedule, --schedule-speedup, --benchmark-duration, --drain:
// which load mode the run uses and which combinations conflict.
std::string ValidateLoadMode(ProfileConfig& c, const CLI::App& app) {
  if (c.input_file.rfind("payload:", 0) == 0) {
    c.payload_input = true;
    c.input_file = c.input_file.substr(8);
  }
  if (c.input_file.rfind("synthetic:", 0) == 0) {
    return "--input-file synthetic:...: GenAI-Perf's synthetic file names are not supported by bench yet "
           "(give a JSONL file, payload:FILE, or no --input-file for synthetic prompts)";
  }
  if (!c.payload_input && std::filesystem::is_directory(c.input_file)) {
    return fmt::format("--input-file '{}': a directory of input files is not supported by bench yet "
                       "(give one JSONL file)", c.input_file);
  }
  if (!c.input_file.empty() && !std::filesystem::is_regular_file(c.input_file)) {
    return fmt::format("--input-file '{}{}': no such file", c.payload_input ? "payload:" : "", c.input_file);
  }
  if (app.count("--fixed-schedule") > 0) {
    const auto& values = app.get_option("--fixed-schedule")->results();
    const std::string value = values.empty() ? "" : values.back();
    const std::optional<bool> on = ParseBool(value);
    if (!on) return fmt::format("--fixed-schedule: expected true or false (or no value), got '{}'", value);
    c.fixed_schedule = *on;
  }
  const bool duration = c.benchmark_duration_s.has_value();
  if (c.fixed_schedule) {
    if (c.request_rate) return "--fixed-schedule and --request-rate cannot be combined (pick one load mode)";
    if (c.concurrency_given) return "--fixed-schedule and --concurrency cannot be combined (pick one load mode)";
    if (c.request_count_given) {
      return "--request-count cannot be used with --fixed-schedule (the trace sets it: lines minus warm-up)";
    }
    if (duration) return "--benchmark-duration cannot be used with --fixed-schedule (the trace sets the length)";
    if (c.measurement_interval_ms) {
      return "--measurement-interval cannot be used with --fixed-schedule (the trace sets the length)";
    }
    if (!c.payload_input) return "--fixed-schedule: requires --input-file payload:FILE (a trace with timestamps)";
  }
  if (app.count("--burstiness") > 0) {
    if (!(c.burstiness > 0)) return "--burstiness: must be greater than 0";
    if (!c.request_rate || c.request_distribution != "poisson") {
      return "--burstiness: requires --request-rate with --request-distribution poisson";
    }
  }
  if (app.count("--schedule-speedup") > 0) {
    if (!(c.schedule_speedup > 0)) return "--schedule-speedup: must be greater than 0";
    if (!c.fixed_schedule) return "--schedule-speedup: requires --fixed-schedule";
  }
  if (duration) {
    if (!(*c.benchmark_duration_s > 0)) return "--benchmark-duration: must be greater than 0 seconds";
    if (c.request_count_given) {
      return "--benchmark-duration and --request-count cannot be combined (one decides when the run ends)";
    }
  }
  if (app.count("--drain") > 0 && !duration) return "--drain: requires --benchmark-duration";
  // GenAI-Perf's mutually exclusive group {--measurement-interval, --request-count}; the
  // duration is bench's third way to end a run.
  if (c.measurement_interval_ms) {
    if (*c.measurement_interval_ms <= 0) return "--measurement-interval: must be greater than 0 ms";
    if (c.request_count_given) {
      return "--measurement-interval and --request-count cannot be combined (one decides when the run ends)";
    }
    if (duration) {
      return "--measurement-interval and --benchmark-duration cannot be combined (one decides when the run ends)";
    }
  }
  if (!(c.stability_percentage > 0)) return "--stability-percentage: must be greater than 0";
  return "";
}

// The Session group (reference §1.2): multi-turn chat sessions instead of independent requests.
// --num-sessions alone implies --session-concurrency 1; --session-concurrency alone with
// synthetic prompts runs max(10, 2 x N) sessions (the analogue of the request-count default).
std::string ValidateSessions(ProfileConfig& c, const CLI::App& app) {
  const bool concurrency_typed = app.count("--session-concurrency") > 0;
  c.num_sessions_given = app.count("--num-sessions") > 0;
  if (c.num_sessions_given && c.num_sessions < 1) return "--num-sessions: must be at least 1";
  if (!concurrency_typed && c.num_sessions_given) {
    // GenAI-Perf generates the sessions either way; running them one at a time is what the
    // default concurrency of 1 means for independent requests.
    if (c.concurrency_given || c.request_rate || c.fixed_schedule) {
      return "--num-sessions: runs multi-turn sessions; use --session-concurrency instead of --concurrency, "
             "--request-rate or --fixed-schedule";
    }
    c.session_concurrency = 1;
  }
  if (!c.session_concurrency) {
    for (const char* flag : {"--session-turns-mean", "--session-turns-stddev", "--session-turn-delay-mean",
                             "--session-turn-delay-stddev", "--session-delay-ratio"}) {
      if (app.count(flag) > 0) return fmt::format("{}: requires --session-concurrency or --num-sessions", flag);
    }
    return "";
  }
  if (*c.session_concurrency < 1) return "--session-concurrency: must be at least 1";
  if (c.concurrency_given) return "--session-concurrency and --concurrency cannot be combined (pick one load mode)";
  if (c.request_rate) return "--session-concurrency and --request-rate cannot be combined (pick one load mode)";
  if (c.fixed_schedule) return "--session-concurrency and --fixed-schedule cannot be combined (pick one load mode)";
  if (c.request_count_given) {
    return "--request-count cannot be used with sessions (the sessions set it: every turn of every session)";
  }
  if (c.benchmark_duration_s) return "--benchmark-duration cannot be used with sessions (every session runs to its end)";
  if (c.measurement_interval_ms) {
    return "--measurement-interval cannot be used with sessions (every session runs to its end)";
  }
  if (c.endpoint_type != "chat") {
    return fmt::format("--endpoint-type {}: sessions need chat (a turn carries the history as chat messages)",
                       c.endpoint_type);
  }
  if (!c.input_file.empty() && !c.payload_input) {
    return "--input-file: sessions take synthetic prompts or a payload:FILE trace (session_id, delay)";
  }
  if (c.payload_input && c.num_sessions_given) {
    return "--num-sessions: cannot be used with --input-file payload:FILE (its session_id fields define the sessions)";
  }
  if (c.session_turns_mean < 1) return "--session-turns-mean: must be at least 1";
  if (c.session_turns_stddev < 0) return "--session-turns-stddev: must be 0 or more";
  if (c.session_turn_delay_mean < 0) return "--session-turn-delay-mean: must be 0 or more (ms)";
  if (c.session_turn_delay_stddev < 0) return "--session-turn-delay-stddev: must be 0 or more (ms)";
  if (!(c.session_delay_ratio >= 0)) return "--session-delay-ratio: must be 0 or more";
  if (!c.num_sessions_given && !c.payload_input) c.num_sessions = std::max(10, 2 * *c.session_concurrency);
  return "";
}

// Validation that CLI11 cannot express; returns a one-line error or "".
std::string ValidateProfile(ProfileConfig& c, const CLI::App& app) {
  if (c.models.empty() && !c.simulator) return "--model: required (the model name sent in each request)";
  if (c.models.empty()) c.models = {c.simulator_options.model};
  if (c.endpoint_type != "chat" && c.endpoint_type != "completions") {
    return fmt::format(
        "--endpoint-type: '{}' is not supported yet (supported: chat, completions)", c.endpoint_type);
  }
  if (c.generate_plots) {
    // Dead while only chat and completions are accepted; GenAI-Perf rejects the flag for
    // embeddings, rankings, image retrieval and NV-CLIP, and so will bench once it sends them.
    const std::optional<ResponseFormat> format = ResponseFormatFromName(c.endpoint_type);
    if (format && !PlotsSupported(*format)) {
      return fmt::format("--generate-plots: not supported for --endpoint-type {} (no tokens to plot)",
                         c.endpoint_type);
    }
  }
  if (c.endpoint.empty()) {
    c.endpoint = c.endpoint_type == "chat" ? "v1/chat/completions" : "v1/completions";
  } else {
    c.endpoint = StripEndpoint(c.endpoint);
  }
  if (c.concurrency < 1) return "--concurrency: must be at least 1";
  if (c.request_count_given && c.request_count < 1) return "--request-count: must be at least 1";
  if (c.request_rate && !(*c.request_rate > 0)) return "--request-rate: must be greater than 0";
  if (c.request_timeout_s < 0) return "--request-timeout: must be 0 (none) or more seconds";
  if (!(c.stall_warning_s >= 0.1)) return "--stall-warning: must be at least 0.1 seconds";
  if (c.http_client == "native" && c.url.rfind("https://", 0) == 0) {
    return "--http-client native: speaks plain http:// only (https:// needs --http-client curl or auto)";
  }
  if (std::string e = ValidateLoadMode(c, app); !e.empty()) return e;
  if (std::string e = ValidateSessions(c, app); !e.empty()) return e;
  if (!c.request_count_given) {
    c.request_count = (c.request_rate && !c.concurrency_given) ? 10 : std::max(10, 2 * c.concurrency);
  }
  if (c.warmup_request_count < 0) return "--warmup-request-count: must be 0 or more";
  if (!c.task.empty()) {
    const TaskPreset* preset = FindTaskPreset(c.task);
    if (preset == nullptr) {
      return fmt::format("--task: '{}' is not a known task (known: {})", c.task, TaskPresetNames());
    }
    ApplyTaskPreset(*preset,
                    ExplicitLengthFlags{app.count("--synthetic-input-tokens-mean") > 0,
                                        app.count("--synthetic-input-tokens-stddev") > 0,
                                        app.count("--output-tokens-mean") > 0,
                                        app.count("--output-tokens-stddev") > 0},
                    c);
  }
  if (c.num_prefix_prompts < 0) return "--num-prefix-prompts: must be 0 or more";
  if (c.num_prefix_prompts > 0 && c.prefix_prompt_length < 1) {
    return "--prefix-prompt-length: must be at least 1";
  }
  if (c.synthetic_input_tokens_mean < 0) return "--synthetic-input-tokens-mean: must be 0 or more";
  if (c.synthetic_input_tokens_stddev < 0) return "--synthetic-input-tokens-stddev: must be 0 or more";
  if (c.output_tokens_mean && *c.output_tokens_mean < 1) return "--output-tokens-mean: must be at least 1";
  if (c.output_tokens_stddev < 0) return "--output-tokens-stddev: must be 0 or more";
  if (c.output_tokens_stddev > 0 && !c.output_tokens_mean) {
    return "--output-tokens-stddev: requires --output-tokens-mean";
  }
  if (c.num_dataset_entries < 1) return "--num-dataset-entries: must be at least 1";
  if (c.profile_export_file.find('/') != std::string::npos) {
    return "--profile-export-file: must be a file name without directories (use --artifact-dir)";
  }
  if (c.simulator && app.count("--url") > 0) return "--simulator and --url cannot be combined";
  if (c.worker_threads < 0) return "--worker-threads: must be 0 (automatic) or more";
  for (const auto& h : c.headers) {
    if (h.find(':') == std::string::npos) return fmt::format("--header '{}': expected 'Name: value'", h);
  }
  if (!c.api_key.empty() && std::any_of(c.headers.begin(), c.headers.end(), IsAuthorizationHeader)) {
    return "--api-key and -H 'Authorization: ...' cannot be combined (give the key once)";
  }
  const ApiKey key = ResolveApiKey(c.api_key, c.headers, [](const char* name) { return std::getenv(name); });
  c.api_key = key.value;
  c.api_key_source = key.source;
  if (!c.tls.ca_cert.empty() && !std::filesystem::is_regular_file(c.tls.ca_cert)) {
    return fmt::format("--ca-cert '{}': no such file", c.tls.ca_cert);
  }
  auto extra = ParseExtraInputs(c.extra_inputs_raw);
  if (!extra.ok()) return extra.error;
  c.extra_inputs = std::move(extra.value);
  auto goodput = ParseGoodput(c.goodput_raw);
  if (!goodput.ok()) return goodput.error;
  c.goodput = std::move(goodput.value);
  c.url_given = app.count("--url") > 0;
  if (c.tokenizer.empty() && c.simulator) c.tokenizer = "builtin";
  if (c.tokenizer.empty()) c.tokenizer = c.models.front();
  return "";
}

// Values CLI11 fills that FinishProfile turns into ProfileConfig fields.
struct ProfileFlags {
  std::vector<std::string> fixed_schedule;  // read back in ValidateLoadMode through results()
  std::string drain = "wait";
  std::vector<std::string> fail_if;
};

// Every profile flag, on `profile` and on `analyze` (which runs one profile per sweep point).
void AddProfileOptions(CLI::App* app, ProfileConfig& p, ProfileFlags& f) {
  app->add_option("-m,--model", p.models, "Model name(s) sent in each request")->expected(1, -1);
  app->add_option("--model-selection-strategy", p.model_selection_strategy,
                  "How a model is picked per dataset entry with several -m")
      ->check(CLI::IsMember({"round_robin", "random"}))->capture_default_str();
  app->add_option("-u,--url", p.url, "Server: host:port or http(s)://host:port")->capture_default_str();
  app->add_option("--endpoint-type", p.endpoint_type, "API flavour: chat | completions")
      ->capture_default_str();
  app->add_option("--endpoint", p.endpoint, "URL path (default: v1/chat/completions or v1/completions)");
  app->add_flag("--streaming", p.streaming, "Request streamed (SSE) responses");
  app->add_option("-H,--header", p.headers, "Extra HTTP header 'Name: value' (repeatable)");
  app->add_option("--api-key", p.api_key,
                  "API key sent as 'Authorization: Bearer KEY' (default: $OPENAI_API_KEY, then $NGC_API_KEY; never logged)");
  app->add_option("--ca-cert", p.tls.ca_cert, "PEM file of CA certificates trusted for https:// (default: system store)");
  app->add_flag("--insecure", p.tls.insecure, "Do not verify the server's TLS certificate (prints a warning)");
  app->add_option("--server-metrics-url,--server-metrics-urls", p.server_metrics_urls,
                  "Prometheus /metrics URL(s) scraped during the run: DCGM exporter GPU telemetry and the LLM "
                  "server's own metrics")
      ->expected(1, -1)->capture_default_str();
  app->add_option("--concurrency", p.concurrency, "Requests kept in flight (closed loop)")
      ->capture_default_str();
  app->add_option("--request-rate", p.request_rate,
                  "Open loop: send requests/s on a fixed schedule (with --concurrency: at most that many in flight)");
  app->add_option("--request-distribution", p.request_distribution,
                  "Arrival schedule for --request-rate: constant | poisson")
      ->check(CLI::IsMember({"constant", "poisson"}))->capture_default_str();
  app->add_option("--burstiness", p.burstiness,
                  "--request-distribution poisson: gamma-distributed gaps of this shape, same mean rate "
                  "(< 1 burstier, > 1 more even, 1 = Poisson; as vLLM's --burstiness)")
      ->capture_default_str();
  app->add_option("--fixed-schedule", f.fixed_schedule, "Trace replay: send each line of --input-file payload:FILE at its "
                  "'timestamp' (ms from the start); a bare flag or true/false")
      ->expected(0, 1);
  app->add_option("--schedule-speedup", p.schedule_speedup,
                  "--fixed-schedule: replay this many times faster (timestamps / X; > 0)")
      ->capture_default_str();
  app->add_option("--benchmark-duration", p.benchmark_duration_s,
                  "Send requests for this many seconds (closed loop or --request-rate) instead of a count");
  app->add_option("--drain", f.drain,
                  "At the --benchmark-duration deadline: wait (in-flight requests finish) | cancel")
      ->check(CLI::IsMember({"wait", "cancel"}))->capture_default_str();
  app->add_option("--session-concurrency", p.session_concurrency,
                  "Multi-turn chat sessions: this many in flight, each turn sent after the previous reply plus its delay");
  app->add_option("--num-sessions", p.num_sessions,
                  "Synthetic sessions (default with --session-concurrency N: max(10, 2 x N); alone: --session-concurrency 1)");
  app->add_option("--session-turns-mean", p.session_turns_mean, "Mean turns per synthetic session")
      ->capture_default_str();
  app->add_option("--session-turns-stddev", p.session_turns_stddev, "Stddev of the turns per session")
      ->capture_default_str();
  app->add_option("--session-turn-delay-mean", p.session_turn_delay_mean,
                  "Mean delay in ms between a reply and the session's next turn")->capture_default_str();
  app->add_option("--session-turn-delay-stddev", p.session_turn_delay_stddev, "Stddev of the turn delay (ms)")
      ->capture_default_str();
  app->add_option("--session-delay-ratio", p.session_delay_ratio,
                  "Multiplies every turn delay (synthetic, or a payload trace's 'delay')")->capture_default_str();
  app->add_option("--request-timeout", p.request_timeout_s,
                  "Per-request timeout in seconds (0 = none); a timed-out request keeps its partial stream");
  app->add_option("--stall-warning", p.stall_warning_s,
                  "Warn on stderr when no in-flight request has received a byte for this many seconds, and again "
                  "every as many seconds while it lasts")->capture_default_str();
  app->add_option("-p,--measurement-interval", p.measurement_interval_ms,
                  "perf_analyzer's time windows: measure in windows of 1.2 x this many ms until the last 3 are "
                  "stable (--stability-percentage) or 10 are done, instead of a request count");
  app->add_option("-s,--stability-percentage", p.stability_percentage,
                  "--measurement-interval: the last 3 windows are stable when max/min of their throughput and of "
                  "their average latency are within this many percent")
      ->capture_default_str();
  app->add_option("--request-count,--num-requests", p.request_count,
                  "Measured requests (default: max(10, 2 x concurrency))");
  app->add_option("--warmup-request-count,--num-warmup-requests", p.warmup_request_count,
                  "Requests sent first at the same load and excluded from the results")
      ->capture_default_str();
  app->add_option("--worker-threads", p.worker_threads,
                  "Client event-loop threads (0 = automatic)")->capture_default_str();
  app->add_option("--interrupt-grace", p.interrupt_grace_s,
                  "After Ctrl-C/SIGTERM, seconds in-flight requests may still finish before they are "
                  "cancelled (a second Ctrl-C exits at once)")
      ->capture_default_str()->check(CLI::Range(0.0, 3600.0));
  app->add_option("--http-client", p.http_client,
                  "HTTP client: native (bench's own HTTP/1.1 client, the fast path), curl (libcurl), or "
                  "auto (native for plain http:// without a proxy variable, else curl)")
      ->check(CLI::IsMember({"auto", "native", "curl"}))->capture_default_str();
  app->add_option("--request-id-prefix", p.request_id_prefix,
                  "Each request is sent with X-Request-Id: <prefix><n> (default: bench-<random>-); "
                  "-H X-Request-Id:... overrides");
  app->add_option("--synthetic-input-tokens-mean,--isl", p.synthetic_input_tokens_mean,
                  "Mean synthetic prompt length in tokens")->capture_default_str();
  app->add_option("--synthetic-input-tokens-stddev", p.synthetic_input_tokens_stddev,
                  "Stddev of the synthetic prompt length")->capture_default_str();
  app->add_option("--output-tokens-mean,--osl", p.output_tokens_mean,
                  "Mean output length, sent as max_tokens (default: not sent)");
  app->add_option("--output-tokens-stddev", p.output_tokens_stddev,
                  "Stddev of max_tokens (requires --output-tokens-mean)")->capture_default_str();
  app->add_option("--num-dataset-entries,--num-prompts", p.num_dataset_entries,
                  "Distinct synthetic prompts, cycled in order")->capture_default_str();
  app->add_option("--num-prefix-prompts", p.num_prefix_prompts,
                  "Pool of synthetic prefixes; each prompt becomes prefix + ' ' + prompt")
      ->capture_default_str();
  app->add_option("--prefix-prompt-length", p.prefix_prompt_length,
                  "Tokens per prefix prompt (the whole prompt has exactly prefix + ISL tokens)")
      ->capture_default_str();
  app->add_option("--task", p.task,
                  "Preset ISL/OSL for a task: " + TaskPresetNames() + " (table below)");
  app->add_option("--random-seed", p.random_seed, "Seed for prompts and sampling")->capture_default_str();
  app->add_option("--extra-inputs", p.extra_inputs_raw,
                  "Extra body field name:value or a JSON object (repeatable)");
  app->add_option("--input-file", p.input_file,
                  "JSONL prompts, one {\"text\": ...} per line; or payload:FILE, a Mooncake-style trace");
  app->add_option("-g,--goodput", p.goodput_raw, "SLOs metric:value, e.g. time_to_first_token:200")
      ->expected(1, -1);
  app->add_option("--artifact-dir", p.artifact_dir, "Base artifact directory")->capture_default_str();
  app->add_option("--profile-export-file", p.profile_export_file, "Raw export file name")
      ->capture_default_str();
  app->add_flag("--workload-suffix", p.workload_suffix,
                "Name the run directory also by the workload flags typed (-isl200-osl100, -entries30, -seed7, ...), "
                "so a shell loop over them keeps every point (default: GenAI-Perf's <model>-<kind>-<stimulus>)");
  app->add_flag("--generate-plots", p.generate_plots,
                "Write <run dir>/plots/report.html: TTFT and latency box plots, ISL x OSL heatmap, TTFT vs ISL, "
                "token-to-token latency vs position, request timeline (self-contained HTML + one SVG per plot)");
  app->add_flag("--enable-checkpointing", p.enable_checkpointing,
            "analyze: record each finished sweep point and skip it when the same command is rerun "
            "(profile accepts the flag, as GenAI-Perf does)");
  app->add_option("--checkpoint-dir", p.checkpoint_dir,
              "Where checkpoint.json lives (default: <artifact-dir>/checkpoint)");
  app->add_option("--tokenizer", p.tokenizer,
                  "Hugging Face model id (local cache, then download), a tokenizer.json path or a "
              "directory holding one, or 'builtin' (embedded Mistral-7B; also the fallback when nothing "
              "resolves) (default: the model name)");
  app->add_option("--tokenizer-revision", p.tokenizer_revision, "Hugging Face revision")
      ->capture_default_str();
  app->add_flag("--tokenizer-trust-remote-code", p.tokenizer_trust_remote_code,
                "Accepted for compatibility (no remote code is ever run)");
  app->add_flag("-v,--verbose", p.verbose, "Verbose logging");
  app->add_flag("-q,--quiet", p.quiet, "Print only the table on stdout (warnings and errors still go to stderr)");
  app->add_flag("--no-progress", p.no_progress,
                "No live progress line on stderr (drawn only when stderr is a terminal)");
  app->add_option("--fail-if", f.fail_if,
                  "CI gate, repeatable: exit 6 when e.g. \"p99(time_to_first_token) > 500ms\" holds");
  app->add_flag("--simulator", p.simulator,
                "Start the built-in simulator on 127.0.0.1 and benchmark it");
  AddSimulatorTimingOptions(app, p.simulator_options, "sim-");
}

// analyze's own flags.
struct SweepFlags {
  std::string type = "concurrency";
  std::optional<std::string> list;
  std::optional<std::string> range;
};

void AddSweepOptions(CLI::App* app, SweepFlags& s) {
  app->add_option("--sweep-type", s.type,
                  "Parameter to sweep: concurrency | request_rate | input_sequence_length | num_dataset_entries "
                  "| batch_size")
      ->capture_default_str();
  app->add_option("--sweep-list", s.list, "Comma-separated values to sweep, e.g. 1,2,4,8");
  app->add_option("--sweep-range", s.range,
                  "min:max (powers of two; every integer for num_dataset_entries) or min:max:step (linear)");
}

void AddProcessOptions(CLI::App* app, ProcessConfig& c, std::vector<std::string>& fail_if) {
  app->add_option("-d,--input-directory", c.input_dir, "Directory with one subdirectory per run")
      ->required()->check(CLI::ExistingDirectory);
  app->add_option("--artifact-dir", c.artifact_dir, "Base directory of the merged run")->capture_default_str();
  app->add_option("--profile-export-file", c.profile_export_file, "Merged export file name")->capture_default_str();
  app->add_option("--tokenizer", c.tokenizer, "Tokenizer for the token counts (default: the first run's)");
  app->add_flag("-v,--verbose", c.verbose, "Verbose logging");
  app->add_flag("-q,--quiet", c.quiet, "Print only the table on stdout");
  app->add_option("--fail-if", fail_if, "CI gate, repeatable (see bench profile --help)");
  // GenAI-Perf's parser gives this subcommand every output flag; these two do nothing here.
  app->add_flag("--enable-checkpointing")->description("Accepted for compatibility; no effect here");
  app->add_option("--checkpoint-dir")->description("Accepted for compatibility; no effect here")->expected(1);
}

// What CLI11 knows only after parsing (which flags were typed), then validation and gates.
std::string FinishProfile(ProfileConfig& p, const ProfileFlags& f, const CLI::App& app) {
  p.request_count_given = app.count("--request-count") > 0;
  p.concurrency_given = app.count("--concurrency") > 0;
  p.isl_given = app.count("--synthetic-input-tokens-mean") > 0;
  p.isl_stddev_given = app.count("--synthetic-input-tokens-stddev") > 0;
  p.osl_given = app.count("--output-tokens-mean") > 0;
  p.osl_stddev_given = app.count("--output-tokens-stddev") > 0;
  p.num_dataset_entries_given = app.count("--num-dataset-entries") > 0;
  p.random_seed_given = app.count("--random-seed") > 0;
  p.drain_cancel = f.drain == "cancel";
  if (std::string error = ValidateProfile(p, app); !error.empty()) return error;
  return ParseGates(f.fail_if, p.fail_if);
}

// The sweep plan, and the profile flags that make no sense with the swept parameter.
std::string ValidateAnalyze(AnalyzeConfig& a, const std::string& type, const std::optional<std::string>& list,
                            const std::optional<std::string>& range) {
  SweepPlanResult plan = ParseSweepPlan(type, list, range);
  if (!plan.error.empty()) return plan.error;
  a.sweep = std::move(plan.plan);
  const ProfileConfig& p = a.profile;
  if (p.session_concurrency) {
    return fmt::format("--sweep-type {}: sessions (--session-concurrency, --num-sessions) are not supported by analyze yet",
                       type);
  }
  switch (a.sweep.type) {
    case SweepType::kBatchSize:
      return "--sweep-type batch_size: not supported yet (bench has no --batch-size: chat sends one prompt per "
             "request; GenAI-Perf rejects this sweep too)";
    case SweepType::kConcurrency:
    case SweepType::kRequestRate:
      if (p.fixed_schedule) {
        return fmt::format("--sweep-type {}: cannot be combined with --fixed-schedule (the trace sets the schedule)",
                           type);
      }
      if (a.sweep.type == SweepType::kConcurrency && p.request_rate) {
        return "--sweep-type concurrency: cannot be combined with --request-rate (sweep request_rate, or drop it)";
      }
      break;
    case SweepType::kInputSequenceLength:
    case SweepType::kNumDatasetEntries:
      if (!p.input_file.empty()) {
        return fmt::format("--sweep-type {}: needs synthetic prompts (drop --input-file)", type);
      }
      break;
  }
  return "";
}

std::string ValidateTokenize(TokenizeConfig& c, const CLI::App& app) {
  const bool jsonl = app.count("--jsonl") > 0;
  if (jsonl && c.text) return "--jsonl and --text cannot be combined (give exactly one)";
  if (!jsonl && !c.text) return "--jsonl or --text: one is required";
  return "";
}

std::string ValidateReport(ReportConfig& c, const std::vector<std::string>& fail_if) {
  if (std::string e = ParseGates(fail_if, c.fail_if); !e.empty()) return e;
  auto goodput = ParseGoodput(c.goodput_raw);
  if (!goodput.ok()) return goodput.error;
  c.goodput = std::move(goodput.value);
  return "";
}

// CLI11 messages can span lines; the contract is one line.
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// Flags that change only what is printed: GenAI-Perf lets -v through without --override-config.
bool IsOutputOnlyFlag(const std::string& arg) {
  return arg == "-v" || arg == "--verbose" || arg == "-q" || arg == "--quiet" || arg == "--no-progress";
}

// Which of the file's flags the typed arguments set, found with the same options the real
// parse uses, so an alias (--isl) replaces the key its flag sets (input.synthetic_tokens.mean).
std::set<std::string> TypedFlags(ConfigSubcommand subcommand, const std::vector<std::string>& typed,
                                 const std::vector<ConfigArg>& from_file) {
  CLI::App app;
  app.allow_extras();
  ProfileConfig profile;
  ProfileFlags profile_flags;
  SweepFlags sweep_flags;
  ProcessConfig process;
  std::vector<std::string> fail_if;
  if (subcommand == ConfigSubcommand::kProcessExportFiles) {
    AddProcessOptions(&app, process, fail_if);
  } else {
    AddProfileOptions(&app, profile, profile_flags);
    if (subcommand == ConfigSubcommand::kAnalyze) AddSweepOptions(&app, sweep_flags);
  }
  std::vector<std::string> reversed(typed.rbegin(), typed.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::Error&) {
    // Counts are taken before any check runs; the real parse reports the error.
  }
  std::set<std::string> flags;
  for (const ConfigArg& arg : from_file) {
    for (const std::string& flag : arg.owned_flags) {
      const CLI::Option* option = app.get_option_no_throw(flag);
      if (option != nullptr && option->count() > 0) flags.insert(flag);
    }
  }
  return flags;
}

// Where `flag` occurs in `text` as a whole flag (not as the start of a longer one).
size_t FindFlag(const std::string& text, const std::string& flag) {
  auto part_of_flag = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
  for (size_t at = text.find(flag); at != std::string::npos; at = text.find(flag, at + 1)) {
    const bool starts = at == 0 || !part_of_flag(text[at - 1]);
    const size_t end = at + flag.size();
    if (starts && (end == text.size() || !part_of_flag(text[end]))) return at;
  }
  return std::string::npos;
}

// A usage error about a flag the file set, told as the key that set it:
// "bench: error: FILE:LINE: key.path: message".
std::string AttributeToKey(const std::string& message, const std::vector<ConfigArg>& from_file,
                           const std::vector<std::string>& typed, const std::set<std::string>& overridden,
                           const std::string& file, ConfigSubcommand subcommand) {
  const std::string prefix = "bench: error: ";
  if (message.rfind(prefix, 0) != 0) return message;
  std::string body = message.substr(prefix.size());
  while (!body.empty() && body.back() == '\n') body.pop_back();
  size_t first = std::string::npos;
  const ConfigArg* arg = nullptr;
  for (const ConfigArg& a : from_file) {
    if (const size_t at = FindFlag(body, a.flag); at < first) {
      first = at;
      arg = &a;
    }
  }
  std::string where, flag;
  if (arg != nullptr) {
    where = fmt::format("{}:{}: {}", file, arg->line, arg->key_path);
    flag = arg->flag;
  } else {
    // A flag the file left out, such as the required model: name its key, without a line.
    for (size_t at = body.find("--"); at != std::string::npos; at = body.find("--", at + 2)) {
      size_t end = at + 2;
      while (end < body.size() && (std::isalnum(static_cast<unsigned char>(body[end])) || body[end] == '-')) ++end;
      const std::string token = body.substr(at, end - at);
      const bool was_typed = overridden.count(token) > 0 || std::any_of(typed.begin(), typed.end(), [&](const std::string& t) {
        return t == token || t.rfind(token + "=", 0) == 0;
      });
      const std::string path = KeyPathOfFlag(token);
      if (!path.empty() && !was_typed) {
        where = fmt::format("{}: {}", file, path);
        flag = token;
        break;
      }
    }
  }
  if (where.empty()) return message;
  if (body.rfind(flag + ": ", 0) == 0) {
    body = body.substr(flag.size() + 2);
  } else if (body.rfind(flag + " '", 0) == 0) {  // "--goodput 'x:y': ..." quotes the value it means
    body = body.substr(flag.size() + 1);
  } else if (const std::string convert = "Could not convert: " + flag + " = "; body.rfind(convert, 0) == 0) {
    const size_t end = body.find(" (see bench");
    body = fmt::format("'{}' is not a valid value for {}", body.substr(convert.size(), end - convert.size()), flag) +
           (end == std::string::npos ? "" : body.substr(end));
  } else if (body.find("not expected") != std::string::npos) {
    body = subcommand == ConfigSubcommand::kProcessExportFiles
               ? fmt::format("not used by process-export-files, which takes the runs' recorded settings ({})", flag)
               : fmt::format("not used by {} ({})", ConfigSubcommandName(subcommand), flag);
  }
  return prefix + where + ": " + body + "\n";
}

// `bench config -f FILE [--override-config] [flags]`: the file becomes the flags it stands for,
// then the command line is parsed again, so every check is the one a typed flag gets.
Command FromConfigFile(const std::string& file, bool override_config, const std::vector<std::string>& typed,
                       std::ostream& out, std::ostream& err) {
  Command stop;
  stop.kind = Command::Kind::kExit;
  const ConfigFileResult read = ReadConfigFile(file);
  if (!read.error.empty()) {
    err << "bench: error: " << read.error << "\n";
    stop.exit_code = read.exit_code;
    return stop;
  }
  if (!override_config) {
    for (const std::string& arg : typed) {
      if (arg.rfind('-', 0) == 0 && !IsOutputOnlyFlag(arg)) {
        err << "bench: error: " << arg
            << ": flags after the config file need --override-config (then they win over the file)\n";
        stop.exit_code = kExitUsage;
        return stop;
      }
    }
  }
  const std::set<std::string> overridden = TypedFlags(read.subcommand, typed, read.args);
  std::vector<ConfigArg> from_file;
  for (const ConfigArg& arg : read.args) {
    if (std::none_of(arg.owned_flags.begin(), arg.owned_flags.end(),
                     [&](const std::string& f) { return overridden.count(f) > 0; })) {
      from_file.push_back(arg);
    }
  }
  std::vector<std::string> args = {"bench", ConfigSubcommandName(read.subcommand)};
  for (std::string& a : ConfigArgv(from_file)) args.push_back(std::move(a));
  args.insert(args.end(), typed.begin(), typed.end());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream nested_err;
  Command cmd = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, nested_err);
  std::string message = nested_err.str();
  if (cmd.kind == Command::Kind::kExit && cmd.exit_code == kExitUsage) {
    message = AttributeToKey(message, from_file, typed, overridden, file, read.subcommand);
  }
  err << message;
  return cmd;
}

bool IsSubcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(name)) return true;
  }
  return false;
}

}  // namespace

Command ParseCommandLine(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Command cmd;
  std::vector<std::string> report_fail_if;
  ProfileFlags profile_flags, analyze_flags;
  std::string max_regression;
  std::vector<std::string> compare_metrics, compare_inputs;
  CLI::App app{"bench: benchmark OpenAI-compatible LLM inference servers (GenAI-Perf compatible)", "bench"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("bench ") + BENCH_VERSION);

  // --- profile -------------------------------------------------------------------------
  ProfileConfig& p = cmd.profile;
  CLI::App* profile = app.add_subcommand("profile", "Run one benchmark and write its artifacts");
  profile->footer(std::string(kProfileExamples) +
                  "\nTask presets (--task; --isl/--osl/--*-stddev typed explicitly win):\n" + TaskPresetTable());
  profile->set_version_flag("--version", std::string("bench ") + BENCH_VERSION);
  AddProfileOptions(profile, p, profile_flags);

  // --- analyze -------------------------------------------------------------------------
  AnalyzeConfig& a = cmd.analyze;
  CLI::App* analyze = app.add_subcommand("analyze", "Sweep one parameter: one profile run per value, plus a summary");
  analyze->footer(kAnalyzeExamples);
  analyze->set_version_flag("--version", std::string("bench ") + BENCH_VERSION);
  SweepFlags sweep_flags;
  AddSweepOptions(analyze, sweep_flags);
  AddProfileOptions(analyze, a.profile, analyze_flags);

  // --- report --------------------------------------------------------------------------
  ReportConfig& r = cmd.report;
  CLI::App* report = app.add_subcommand("report", "Recompute metrics from an existing profile export");
  report->footer(kReportExamples);
  report->add_option("--profile-export,-f", r.profile_export, "profile_export.json to read")
      ->required()->check(CLI::ExistingFile);
  report->add_option("--tokenizer", r.tokenizer, "tokenizer.json path, directory, hub id, or 'builtin' (Mistral-7B)");
  report->add_option("--endpoint-type", r.endpoint_type, "Override the endpoint type of the export");
  bool report_streaming = false;
  report->add_flag("--streaming", report_streaming, "Treat the export as streaming");
  report->add_option("-g,--goodput", r.goodput_raw, "SLOs metric:value")->expected(1, -1);
  report->add_option("--artifact-dir", r.artifact_dir, "Where to write the results (default: beside FILE)");
  report->add_flag("--generate-plots", r.generate_plots,
                   "Also write <artifact dir>/plots/report.html (see bench profile --help)");
  report->add_flag("-v,--verbose", r.verbose, "Verbose logging");
  report->add_flag("-q,--quiet", r.quiet, "Print only the table on stdout");
  report->add_option("--fail-if", report_fail_if, "CI gate, repeatable (see bench profile --help)");

  // --- compare -------------------------------------------------------------------------
  CompareConfig& k = cmd.compare;
  CLI::App* compare = app.add_subcommand("compare", "Compare a baseline run with candidate runs");
  compare->footer(kCompareExamples);
  compare->add_option("runs", compare_inputs,
                      "BASELINE CANDIDATE...: artifact directories or *_genai_perf.json files")
      ->required()->expected(2, -1);
  compare->add_option("--max-regression", max_regression,
                      "Exit 6 when a metric gets worse by more than this, significantly (e.g. 5%)");
  compare->add_option("--metrics", compare_metrics,
                      "Only these metrics (comma-separated JSON keys, error_rate; default: all)");
  compare->add_flag("--generate-plots", k.generate_plots,
                    "Write percentile curves of every run (TTFT, ITL, latency, tokens/s per user) to "
                    "--plots-dir/report.html");
  compare->add_option("--plots-dir", k.plots_dir, "Where --generate-plots writes")->capture_default_str();
  compare->add_flag("-v,--verbose", k.verbose, "Verbose logging");
  compare->add_flag("-q,--quiet", k.quiet, "Print only the table on stdout");

  // --- simulator -----------------------------------------------------------------------
  SimulatorConfig& s = cmd.simulator;
  CLI::App* simulator = app.add_subcommand("simulator", "Serve a simulated OpenAI-compatible LLM");
  simulator->footer(kSimulatorExamples);
  simulator->add_option("--host", s.options.host, "Address to listen on")->capture_default_str();
  simulator->add_option("--port", s.options.port, "Port (0 = any free port)")->capture_default_str();
  simulator->add_option("--model-name", s.options.model, "Model name in /v1/models")->capture_default_str();
  simulator->add_option("--threads", s.options.threads, "Event-loop threads")
      ->capture_default_str()->check(CLI::PositiveNumber);
  simulator->add_option("--event-log", s.options.event_log_path,
                        "Write a JSONL send log to FILE: per request, its X-Request-Id, when it was "
                        "received and when each SSE event was written (monotonic ns; "
                        "docs/simulator.md)");
  simulator->add_flag("-v,--verbose", s.verbose, "Verbose logging");
  AddSimulatorTimingOptions(simulator, s.options, "");

  // --- tokenize ------------------------------------------------------------------------
  TokenizeConfig& t = cmd.tokenize;
  CLI::App* tokenize = app.add_subcommand("tokenize", "Print token counts and ids of texts");
  tokenize->footer(kTokenizeExamples);
  tokenize->add_option("--tokenizer", t.tokenizer,
                       "Hugging Face model id, tokenizer.json path or directory, or 'builtin'")->required();
  tokenize->add_option("--tokenizer-revision", t.tokenizer_revision, "Hugging Face revision")
      ->capture_default_str();
  tokenize->add_flag("--add-special-tokens", t.add_special_tokens, "Apply the post-processor (e.g. BOS)");
  tokenize->add_option("--jsonl", t.jsonl, "File with one JSON string per line ('-' = stdin)");
  tokenize->add_option("--text", t.text, "One text to tokenize");

  // --- calibrate -----------------------------------------------------------------------
  CalibrateConfig& c = cmd.calibrate;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate", "Measure this host's client ceiling and timer jitter against the in-process simulator");
  calibrate->footer(kCalibrateExamples);
  calibrate->add_option("--duration", c.duration_s, "Seconds of measured load")
      ->capture_default_str()->check(CLI::Range(0.1, 3600.0));
  calibrate->add_option("--concurrency", c.concurrency, "Streams in flight")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  calibrate->add_option("--output-tokens,--osl", c.output_tokens, "Tokens (SSE events) per stream")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  calibrate->add_option("--worker-threads", c.worker_threads, "Client event-loop threads")
      ->capture_default_str()->check(CLI::Range(1, 256));
  calibrate->add_flag("-v,--verbose", c.verbose, "Verbose logging");

  // --- create-template / config / process-export-files -----------------------------------
  TemplateConfig& tc = cmd.create_template;
  CLI::App* create_template =
      app.add_subcommand("create-template", "Write a YAML config with every key at its default (see bench config)");
  create_template->footer(kCreateTemplateExamples);
  create_template->add_option("-f,--file", tc.file, "File to create (never overwritten)")->capture_default_str();
  create_template->add_flag("-v,--verbose", tc.verbose, "Write a comment above each key");

  std::string config_file;
  bool override_config = false;
  CLI::App* config = app.add_subcommand("config", "Run profile, analyze or process-export-files from a YAML config");
  config->footer(kConfigExamples);
  config->add_option("-f,--file", config_file, "YAML config (bench create-template writes one)")->required();
  config->add_flag("--override-config", override_config, "Let the flags that follow override the file");
  config->allow_extras();  // the rest are profile/analyze flags, parsed with the file's flags

  ProcessConfig& pe = cmd.process;
  std::vector<std::string> process_fail_if;
  CLI::App* process =
      app.add_subcommand("process-export-files", "Merge runs made separately (e.g. one per client machine) into one report");
  process->footer(kProcessExamples);
  AddProcessOptions(process, pe, process_fail_if);

  if (argc > 1 && argv[1][0] != '-' && !IsSubcommand(app, argv[1])) {
    err << "bench: error: unknown command '" << argv[1]
        << "' (expected profile, analyze, report, compare, simulator, tokenize, calibrate, config, "
           "create-template or process-export-files)\n";
    cmd.exit_code = kExitUsage;
    return cmd;
  }
  // profile/analyze: GenAI-Perf flags bench lacks get one line of their own, and perf_analyzer
  // options after `--` become bench flags (foreign_args.h) before CLI11 sees the rest.
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool load_command = argc > 1 && (std::string(argv[1]) == "profile" || std::string(argv[1]) == "analyze");
  if (load_command) {
    if (std::string unsupported = UnsupportedGenAiPerfFlag(args); !unsupported.empty()) {
      err << "bench: error: " << unsupported << "\n";
      cmd.exit_code = kExitUsage;
      return cmd;
    }
    const auto dashes = std::find(args.begin(), args.end(), "--");
    if (dashes != args.end()) {
      const PassthroughResult passthrough = TranslatePerfAnalyzerArgs(std::vector<std::string>(dashes + 1, args.end()));
      if (!passthrough.error.empty()) {
        err << "bench: error: " << passthrough.error << "\n";
        cmd.exit_code = kExitUsage;
        return cmd;
      }
      for (const std::string& warning : passthrough.warnings) err << "[warning] " << warning << "\n";
      args.erase(dashes, args.end());
      args.insert(args.end(), passthrough.bench_args.begin(), passthrough.bench_args.end());
    }
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
    cmd.exit_code = kExitOk;
    return cmd;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    cmd.exit_code = kExitOk;
    return cmd;
  } catch (const CLI::CallForVersion&) {
    out << "bench " << BENCH_VERSION << "\n";
    cmd.exit_code = kExitOk;
    return cmd;
  } catch (const CLI::ParseError& e) {
    err << "bench: error: " << OneLine(e.what()) << " (see bench --help)\n";
    cmd.exit_code = kExitUsage;
    return cmd;
  }

  std::string error;
  if (profile->parsed()) {
    error = FinishProfile(p, profile_flags, *profile);
    cmd.kind = Command::Kind::kProfile;
  } else if (analyze->parsed()) {
    error = FinishProfile(a.profile, analyze_flags, *analyze);
    if (error.empty()) error = ValidateAnalyze(a, sweep_flags.type, sweep_flags.list, sweep_flags.range);
    cmd.kind = Command::Kind::kAnalyze;
  } else if (report->parsed()) {
    if (report_streaming) r.streaming = true;
    error = ValidateReport(r, report_fail_if);
    cmd.kind = Command::Kind::kReport;
  } else if (compare->parsed()) {
    k.baseline = compare_inputs.front();
    k.candidates.assign(compare_inputs.begin() + 1, compare_inputs.end());
    k.metrics = SplitComma(compare_metrics);
    if (!max_regression.empty()) {
      k.max_regression = ParsePercent(max_regression);
      if (!k.max_regression) error = "--max-regression '" + max_regression + "': expected a percentage such as 5%";
    }
    cmd.kind = Command::Kind::kCompare;
  } else if (tokenize->parsed()) {
    error = ValidateTokenize(t, *tokenize);
    cmd.kind = Command::Kind::kTokenize;
  } else if (calibrate->parsed()) {
    cmd.kind = Command::Kind::kCalibrate;
  } else if (create_template->parsed()) {
    cmd.kind = Command::Kind::kCreateTemplate;
  } else if (config->parsed()) {
    return FromConfigFile(config_file, override_config, config->remaining(), out, err);
  } else if (process->parsed()) {
    error = ParseGates(process_fail_if, pe.fail_if);
    if (pe.profile_export_file.find('/') != std::string::npos) {
      error = "--profile-export-file: must be a file name without directories (use --artifact-dir)";
    }
    cmd.kind = Command::Kind::kProcessExportFiles;
  } else {
    cmd.kind = Command::Kind::kSimulator;
  }
  if (!error.empty()) {
    err << "bench: error: " << error << "\n";
    cmd.kind = Command::Kind::kExit;
    cmd.exit_code = kExitUsage;
  }
  return cmd;
}

}  // namespace bench
