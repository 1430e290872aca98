#include "app/profile_flags.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "app/cli_helpers.h"
#include "app/kserve_flags.h"
#include "app/media_flags.h"
#include "app/sweep.h"
#include "app/task_presets.h"
#include "app/text_batch_flags.h"
#include "dataset/endpoint_bodies.h"
#include "dataset/inputs.h"
#include "dataset/media/media_inputs.h"
#include "dataset/retrieval_inputs.h"
#include "plots/report.h"
#include "util/http_options.h"

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
  const bool directory_taken = IsTextBatchEndpoint(c.endpoint_type) && std::filesystem::is_directory(c.input_file);
  if (!c.payload_input && !directory_taken && std::filesystem::is_directory(c.input_file)) {
    return fmt::format("--input-file '{}': a directory of input files is not supported by bench yet "
                       "(give one JSONL file)", c.input_file);
  }
  if (!c.input_file.empty() && !directory_taken && !std::filesystem::is_regular_file(c.input_file)) {
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

// The model, endpoint type and path.
std::string ValidateEndpoint(ProfileConfig& c) {
  if (c.models.empty() && !c.simulator) {
    // Triton's generate path is v2/models/{model}/generate: without a model there is no URL.
    if (c.endpoint_type == "generate" && c.endpoint.empty()) {
      return "--model: required with --endpoint-type generate (the URL path is v2/models/<model>/generate)";
    }
    return "--model: required (the model name sent in each request)";
  }
  if (c.models.empty()) c.models = {c.simulator_options.model};
  if (c.endpoint_type != "chat" && c.endpoint_type != "completions" && !IsTextBatchEndpoint(c.endpoint_type) &&
      !IsMediaEndpoint(c.endpoint_type) && !HasEndpointBody(c.endpoint_type) && c.endpoint_type != "kserve") {
    return fmt::format("--endpoint-type: '{}' is not supported yet (supported: chat, completions, embeddings, "
                       "rankings, multimodal, vision, image_retrieval, nvclip, generate, huggingface_generate, "
                       "responses, kserve)",
                       c.endpoint_type);
  }
  if (std::string e = ValidateTextBatchInputs(c); !e.empty()) return e;
  if (c.generate_plots) {
    // GenAI-Perf rejects the flag for embeddings, rankings, image retrieval and NV-CLIP.
    const std::optional<ResponseFormat> format = ResponseFormatFromName(c.endpoint_type);
    if (format && !PlotsSupported(*format)) {
      return fmt::format("--generate-plots: not supported for --endpoint-type {} (no tokens to plot)",
                         c.endpoint_type);
    }
  }
  if (c.endpoint_type == "kserve") {
    // gRPC methods, no URL path (app/kserve_flags).
  } else if (c.endpoint.empty() && IsMediaEndpoint(c.endpoint_type)) {
    c.endpoint = MediaEndpointPath(c.endpoint_type);
  } else if (c.endpoint.empty()) {
    c.endpoint = c.endpoint_type == "embeddings" ? "v1/embeddings"
                 : c.endpoint_type == "rankings" ? "v1/ranking"
                                                 : DefaultEndpointPath(c.endpoint_type, c.models.front(), c.streaming);
  } else {
    c.endpoint = StripEndpoint(c.endpoint);
  }
  return "";
}

// Load numbers and mode; the request count default.
std::string ValidateLoad(ProfileConfig& c, const CLI::App& app) {
  if (c.concurrency < 1) return "--concurrency: must be at least 1";
  if (c.request_count_given && c.request_count < 1) return "--request-count: must be at least 1";
  if (c.request_rate && !(*c.request_rate > 0)) return "--request-rate: must be greater than 0";
  if (c.request_timeout_s < 0) return "--request-timeout: must be 0 (none) or more seconds";
  if (!(c.stall_warning_s >= 0.1)) return "--stall-warning: must be at least 0.1 seconds";
  if (c.http_client == "native") {
    const size_t start = c.url.find("://") == std::string::npos ? 0 : c.url.find("://") + 3;
    if (c.url.substr(start, c.url.find_first_of("/?#", start) - start).find('@') != std::string::npos) {
      return "--http-client native: credentials in the URL need libcurl (--http-client curl or auto)";
    }
  }
  if (std::string e = ValidateLoadMode(c, app); !e.empty()) return e;
  if (std::string e = ValidateSessions(c, app); !e.empty()) return e;
  if (!c.request_count_given) {
    c.request_count = (c.request_rate && !c.concurrency_given) ? 10 : std::max(10, 2 * c.concurrency);
  }
  if (c.warmup_request_count < 0) return "--warmup-request-count: must be 0 or more";
  return "";
}

// The --task preset and the synthetic lengths.
std::string ValidateLengths(ProfileConfig& c, const CLI::App& app) {
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
  return "";
}

// Output names, the target, headers, key, TLS, extra inputs, goodput and the tokenizer.
std::string ValidateRequestsAndOutput(ProfileConfig& c, const CLI::App& app) {
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

// Validation that CLI11 cannot express; returns a one-line error or "".
std::string ValidateProfile(ProfileConfig& c, const CLI::App& app) {
  if (std::string e = ValidateKserve(c, app); !e.empty()) return e;
  if (std::string e = ValidateEndpoint(c); !e.empty()) return e;
  if (std::string e = ValidateLoad(c, app); !e.empty()) return e;
  if (std::string e = ValidateLengths(c, app); !e.empty()) return e;
  if (std::string e = ValidateMedia(c, app); !e.empty()) return e;
  return ValidateRequestsAndOutput(c, app);
}

// The server and how to talk to it.
void AddEndpointOptions(CLI::App* app, ProfileConfig& p) {
  app->add_option("-m,--model", p.models, "Model name(s) sent in each request")->expected(1, -1);
  app->add_option("--model-selection-strategy", p.model_selection_strategy,
                  "How a model is picked per dataset entry with several -m")
      ->check(CLI::IsMember({"round_robin", "random"}))->capture_default_str();
  app->add_option("-u,--url", p.url, "Server: host:port or http(s)://host:port")->capture_default_str();
  app->add_option("--endpoint-type", p.endpoint_type,
                  "API flavour: chat | completions | embeddings | rankings | multimodal | vision | "
                  "image_retrieval | nvclip | generate (Triton) | huggingface_generate (TGI) | responses | "
                  "kserve (Triton gRPC)")
      ->capture_default_str();
  AddKserveOptions(app, p);
  app->add_option("--endpoint", p.endpoint, "URL path (default per --endpoint-type: v1/chat/completions, v1/completions, "
                  "v1/embeddings, v1/ranking, v2/models/<model>/generate[_stream], generate[_stream], v1/responses)");
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
}

// How the load is applied and measured.
void AddLoadOptions(CLI::App* app, ProfileConfig& p, ProfileFlags& f) {
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
  app->add_option("--local-address", p.local_addresses,
                  "Numeric local address new connections are spread over (repeatable): each has ~28k ports "
                  "toward one server. Default: the kernel's pick; 127.0.0.x as needed for a loopback server");
  app->add_option("--interrupt-grace", p.interrupt_grace_s,
                  "After Ctrl-C/SIGTERM, seconds in-flight requests may still finish before they are "
                  "cancelled (a second Ctrl-C exits at once)")
      ->capture_default_str()->check(CLI::Range(0.0, 3600.0));
  app->add_option("--http-client", p.http_client,
                  "HTTP client: native (bench's own HTTP/1.1 client, the fast path), curl (libcurl), or "
                  "auto (native for http:// and https:// without a proxy variable or URL credentials, else curl)")
      ->check(CLI::IsMember({"auto", "native", "curl"}))->capture_default_str();
  app->add_option("--request-id-prefix", p.request_id_prefix,
                  "Each request is sent with X-Request-Id: <prefix><n> (default: bench-<random>-); "
                  "-H X-Request-Id:... overrides");
}

// What is sent: prompts, lengths, input files, SLOs.
void AddInputOptions(CLI::App* app, ProfileConfig& p) {
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
                  "JSONL prompts, one {\"text\": ...} per line; or payload:FILE, a Mooncake-style trace; rankings: "
                  "a DIR holding queries.jsonl and passages.jsonl, or synthetic:queries,passages");
  app->add_option("-g,--goodput", p.goodput_raw, "SLOs metric:value, e.g. time_to_first_token:200")
      ->expected(1, -1);
}

// What is written and printed, the tokenizer, gates and the built-in simulator.
void AddOutputOptions(CLI::App* app, ProfileConfig& p, ProfileFlags& f) {
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
  app->add_flag("--use-server-token-count", p.use_server_token_count,
                "OSL and ISL from the server's usage (asks for stream_options.include_usage when streaming); "
                "the tokenizer's counts and the difference are reported beside them (bench addition, as AIPerf)");
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

}  // namespace

void AddProfileOptions(CLI::App* app, ProfileConfig& p, ProfileFlags& f) {
  AddEndpointOptions(app, p);
  AddMediaOptions(app, p);
  AddLoadOptions(app, p, f);
  AddInputOptions(app, p);
  AddTextBatchOptions(app, p);
  AddOutputOptions(app, p, f);
}

void AddSweepOptions(CLI::App* app, SweepFlags& s) {
  app->add_option("--sweep-type", s.type,
                  "Parameter to sweep: concurrency | request_rate | input_sequence_length | num_dataset_entries "
                  "| batch_size")
      ->capture_default_str();
  app->add_option("--sweep-list", s.list, "Comma-separated values to sweep, e.g. 1,2,4,8");
  app->add_option("--sweep-range", s.range,
                  "min:max (powers of two; every integer for num_dataset_entries) or min:max:step (linear)");
}

CLI::App* AddProfileCommand(CLI::App& app, ProfileConfig& p, ProfileFlags& f) {
  CLI::App* profile = app.add_subcommand("profile", "Run one benchmark and write its artifacts");
  profile->footer(std::string(kProfileExamples) +
                  "\nTask presets (--task; --isl/--osl/--*-stddev typed explicitly win):\n" + TaskPresetTable());
  profile->set_version_flag("--version", std::string("bench ") + BENCH_VERSION);
  AddProfileOptions(profile, p, f);
  return profile;
}

CLI::App* AddAnalyzeCommand(CLI::App& app, AnalyzeConfig& a, ProfileFlags& f, SweepFlags& s) {
  CLI::App* analyze = app.add_subcommand("analyze", "Sweep one parameter: one profile run per value, plus a summary");
  analyze->footer(kAnalyzeExamples);
  analyze->set_version_flag("--version", std::string("bench ") + BENCH_VERSION);
  AddSweepOptions(analyze, s);
  AddProfileOptions(analyze, a.profile, f);
  return analyze;
}

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
      return "--sweep-type batch_size: not supported yet (GenAI-Perf rejects this sweep too; run profile once per "
             "--batch-size-text)";
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

}  // namespace bench
