#include "app/config_keys.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "app/config.h"

namespace bench {
namespace {

// "20.0" rather than fmt's "20": floats read as floats in the template, as Python writes them.
std::string Float(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.1f}", v);
  return fmt::format("{}", v);
}

std::string Bool(bool v) { return v ? "true" : "false"; }

// Kept whole: the table, one row per key, reads best as one list. Defaults come from the config
// structs, so the template cannot drift from the CLI; the rows without a flag hold GenAI-Perf's
// defaults (config_defaults.py).
std::vector<Key> BuildKeys() {
  const ProfileConfig d;
  const SimulatorOptions& s = d.simulator_options;
  return {
      {"model_names", Kind::kValues, "--model", "",
       "Model name(s) sent in each request: a name, a comma-separated list or a YAML list (--model).\n"
       "May stay empty with bench.simulator: true (the simulator's bench-sim)."},
      {"analyze", Kind::kSweep, "--sweep-type", "", ""},

      {"endpoint.model_selection_strategy", Kind::kValue, "--model-selection-strategy", d.model_selection_strategy,
       "With several models: round_robin (entry i gets model i mod n) or random (--model-selection-strategy)."},
      {"endpoint.backend", Kind::kValue, "--backend", d.backend,
       "Triton backend the kserve input tensors are shaped for: tensorrtllm or vllm (--backend)."},
      {"endpoint.custom", Kind::kValue, "--endpoint", d.endpoint,
       "URL path when it differs from the endpoint type's (--endpoint), e.g. v1/chat/completions."},
      {"endpoint.type", Kind::kValue, "--endpoint-type", d.endpoint_type,
       "API flavour: chat, completions or kserve (Triton gRPC) (--endpoint-type). GenAI-Perf's default is kserve."},
      {"endpoint.streaming", Kind::kSwitch, "--streaming", Bool(d.streaming),
       "Ask for SSE streaming; needed for TTFT, TTST and ITL (--streaming)."},
      {"endpoint.server_metrics_urls", Kind::kValues, "--server-metrics-url", "http://localhost:9400/metrics",
       "Prometheus pages scraped during the run (--server-metrics-url): DCGM exporter GPU telemetry\n"
       "and LLM servers' own metrics (vLLM, SGLang, TGI, llama.cpp, Triton)."},
      {"endpoint.url", Kind::kValue, "--url", d.url,
       "Server: host:port or http(s)://host:port (--url). Leave at the default with bench.simulator."},
      {"endpoint.grpc_method", Kind::kDefaultOnly, "", "",
       "gRPC method of GenAI-Perf's dynamic_grpc endpoint type; not supported by bench."},

      {"perf_analyzer.path", Kind::kIgnored, "", "perf_analyzer",
       "perf_analyzer binary; bench generates the load itself and ignores this key."},
      {"perf_analyzer.verbose", Kind::kIgnored, "", "false",
       "perf_analyzer's own verbose output; ignored by bench (use -v)."},
      {"perf_analyzer.stimulus", Kind::kStimulus, "", fmt::format("{{concurrency: {}}}", d.concurrency),
       "The load: {concurrency: N} (--concurrency), {request_rate: R} (--request-rate; with\n"
       "concurrency too, at most that many in flight), fixed_schedule (--fixed-schedule) or\n"
       "{session_concurrency: N} (--session-concurrency: multi-turn sessions)."},
      {"perf_analyzer.stability_percentage", Kind::kValue, "--stability-percentage", "999",
       "Interval mode: the last 3 windows are stable when max/min of their throughput and average\n"
       "latency are within this many percent (--stability-percentage)."},
      {"perf_analyzer.warmup_request_count", Kind::kValue, "--warmup-request-count",
       std::to_string(d.warmup_request_count), "Requests sent first and left out of the results (--warmup-request-count)."},
      {"perf_analyzer.measurement_interval", Kind::kValue, "--measurement-interval", "", "", /*in_template=*/false},
      {"perf_analyzer.measurement.mode", Kind::kMeasurementMode, "", "request_count",
       "request_count: a fixed number of measured requests; interval: perf_analyzer's time windows\n"
       "of 1.2 x num ms until the last 3 are stable (bench.benchmark_duration runs for a time instead)."},
      {"perf_analyzer.measurement.num", Kind::kMeasurementNum, "--request-count", "",
       "request_count: measured requests (--request-count); empty: max(10, 2 x concurrency).\n"
       "interval: the window in ms (--measurement-interval); empty: 10000."},

      {"input.batch_size", Kind::kValue, "--batch-size-text", "1",
       "Texts per request (embeddings: inputs; rankings: passages per query); chat sends one."},
      {"input.extra", Kind::kExtraInputs, "--extra-inputs", "",
       "Extra fields for every request body, as a mapping, e.g. {ignore_eos: true, temperature: 0}\n"
       "(--extra-inputs)."},
      {"input.goodput", Kind::kGoodput, "--goodput", "",
       "SLOs for goodput, as a mapping of metric to ms (or tokens/s for\n"
       "output_token_throughput_per_user), e.g. {time_to_first_token: 200} (--goodput)."},
      {"input.header", Kind::kRepeated, "--header", "", "HTTP headers, a list of 'Name: value' (--header)."},
      {"input.file", Kind::kValue, "--input-file", d.input_file,
       "Prompts: a JSONL file of {\"text\": ...}, or payload:FILE for a trace (--input-file); empty: synthetic."},
      {"input.num_dataset_entries", Kind::kValue, "--num-dataset-entries", std::to_string(d.num_dataset_entries),
       "Distinct synthetic prompts, cycled in order (--num-dataset-entries)."},
      {"input.random_seed", Kind::kValue, "--random-seed", std::to_string(d.random_seed),
       "Seed for prompts and sampling (--random-seed)."},
      {"input.audio.batch_size", Kind::kValue, "--batch-size-audio", "1",
       "Audio input (multimodal): clips per request (--batch-size-audio); a mean length of 0 sends none."},
      {"input.audio.format", Kind::kValue, "--audio-format", "wav", "wav or mp3 (--audio-format)."},
      {"input.audio.depths", Kind::kValues, "--audio-depths", "16", "Bit depths picked per clip (--audio-depths)."},
      {"input.audio.sample_rates", Kind::kValues, "--audio-sample-rates", "16",
       "Sample rates in kHz picked per clip (--audio-sample-rates)."},
      {"input.audio.num_channels", Kind::kValue, "--audio-num-channels", "1", "1 or 2 (--audio-num-channels)."},
      {"input.audio.length.mean", Kind::kValue, "--audio-length-mean", "0", "Seconds (--audio-length-mean)."},
      {"input.audio.length.stddev", Kind::kValue, "--audio-length-stddev", "0", "(--audio-length-stddev)"},
      {"input.image.batch_size", Kind::kValue, "--batch-size-image", "1",
       "Image input (multimodal, image_retrieval, nvclip): images per request (--batch-size-image)."},
      {"input.image.format", Kind::kValue, "--image-format", "png", "png or jpeg (--image-format)."},
      {"input.image.width.mean", Kind::kValue, "--image-width-mean", "0",
       "Pixels; 0 sends no synthetic images (--image-width-mean)."},
      {"input.image.width.stddev", Kind::kValue, "--image-width-stddev", "0", "(--image-width-stddev)"},
      {"input.image.height.mean", Kind::kValue, "--image-height-mean", "0", "(--image-height-mean)"},
      {"input.image.height.stddev", Kind::kValue, "--image-height-stddev", "0", "(--image-height-stddev)"},
      {"input.output_tokens.mean", Kind::kValue, "--output-tokens-mean", "",
       "Mean output length, sent as max_tokens (--output-tokens-mean); empty: not sent."},
      {"input.output_tokens.deterministic", Kind::kDefaultOnly, "", "false",
       "min_tokens = max_tokens for Triton backends; not supported for OpenAI endpoints."},
      {"input.output_tokens.stddev", Kind::kValue, "--output-tokens-stddev", std::to_string(d.output_tokens_stddev),
       "Stddev of max_tokens (--output-tokens-stddev)."},
      {"input.synthetic_tokens.mean", Kind::kValue, "--synthetic-input-tokens-mean",
       std::to_string(d.synthetic_input_tokens_mean), "Synthetic prompt length in tokens (--synthetic-input-tokens-mean)."},
      {"input.synthetic_tokens.stddev", Kind::kValue, "--synthetic-input-tokens-stddev",
       std::to_string(d.synthetic_input_tokens_stddev), "Stddev of the prompt length (--synthetic-input-tokens-stddev)."},
      {"input.prefix_prompt.num", Kind::kValue, "--num-prefix-prompts", std::to_string(d.num_prefix_prompts),
       "Pool of synthetic prefixes put before each prompt; 0 = none (--num-prefix-prompts)."},
      {"input.prefix_prompt.length", Kind::kValue, "--prefix-prompt-length", std::to_string(d.prefix_prompt_length),
       "Tokens per prefix (--prefix-prompt-length)."},
      {"input.sessions.num", Kind::kValue, "--num-sessions", std::to_string(d.num_sessions),
       "Synthetic multi-turn chat sessions (--num-sessions); 0 = none, or max(10, 2 x N) with a\n"
       "session_concurrency stimulus. Alone it implies session_concurrency 1."},
      {"input.sessions.turns.mean", Kind::kValue, "--session-turns-mean", std::to_string(d.session_turns_mean),
       "Mean turns per session (--session-turns-mean)."},
      {"input.sessions.turns.stddev", Kind::kValue, "--session-turns-stddev", std::to_string(d.session_turns_stddev),
       "Stddev of the turns per session (--session-turns-stddev)."},
      {"input.sessions.turn_delay.mean", Kind::kValue, "--session-turn-delay-mean",
       std::to_string(d.session_turn_delay_mean), "Mean ms between a reply and the next turn (--session-turn-delay-mean)."},
      {"input.sessions.turn_delay.ratio", Kind::kValue, "--session-delay-ratio", Float(d.session_delay_ratio),
       "Multiplies every turn delay, synthetic or a trace's (--session-delay-ratio)."},
      {"input.sessions.turn_delay.stddev", Kind::kValue, "--session-turn-delay-stddev",
       std::to_string(d.session_turn_delay_stddev), "Stddev of the turn delay in ms (--session-turn-delay-stddev)."},

      {"output.artifact_directory", Kind::kValue, "--artifact-dir", d.artifact_dir,
       "Base directory; each run gets its own subdirectory in it (--artifact-dir)."},
      {"output.checkpoint_directory", Kind::kValue, "--checkpoint-dir", d.checkpoint_dir,
       "analyze checkpoints (--checkpoint-dir); empty: <artifact_directory>/checkpoint."},
      {"output.profile_export_file", Kind::kValue, "--profile-export-file", d.profile_export_file,
       "Raw export file name; <stem>_genai_perf.json/.csv follow it (--profile-export-file)."},
      {"output.generate_plots", Kind::kSwitch, "--generate-plots", Bool(d.generate_plots),
       "Write plots/report.html, one self-contained page of charts (--generate-plots)."},
      {"output.enable_checkpointing", Kind::kSwitch, "--enable-checkpointing", Bool(d.enable_checkpointing),
       "analyze: skip the points a previous run of the same sweep finished (--enable-checkpointing)."},

      {"tokenizer.name", Kind::kValue, "--tokenizer", d.tokenizer,
       "Hugging Face id, tokenizer.json or its directory, or builtin (--tokenizer); empty: the model name."},
      {"tokenizer.revision", Kind::kValue, "--tokenizer-revision", d.tokenizer_revision,
       "Hugging Face revision (--tokenizer-revision)."},
      {"tokenizer.trust_remote_code", Kind::kSwitch, "--tokenizer-trust-remote-code",
       Bool(d.tokenizer_trust_remote_code), "Accepted for compatibility; bench never runs remote code."},

      {"process.input_path", Kind::kInputPath, "--input-directory", "", "", /*in_template=*/false},

      // bench additions: the flags GenAI-Perf has no key for. A file with this section is bench-only.
      {"bench.simulator", Kind::kSwitch, "--simulator", Bool(d.simulator),
       "Start the built-in simulator on 127.0.0.1 and benchmark it (--simulator)."},
      {"bench.task", Kind::kValue, "--task", d.task, "ISL/OSL preset such as chat or summarization (--task)."},
      {"bench.request_distribution", Kind::kValue, "--request-distribution", d.request_distribution,
       "Arrivals of a request_rate stimulus: constant or poisson (--request-distribution)."},
      {"bench.burstiness", Kind::kValue, "--burstiness", "1.0",
       "Poisson arrivals: gamma-distributed gaps of this shape, same mean rate; < 1 burstier,\n"
       "> 1 more even (--burstiness)."},
      {"bench.benchmark_duration", Kind::kValue, "--benchmark-duration", "",
       "Seconds to send for instead of a request count (--benchmark-duration)."},
      {"bench.drain", Kind::kValue, "--drain", "wait",
       "At the benchmark_duration deadline: wait for or cancel in-flight requests (--drain)."},
      {"bench.request_timeout", Kind::kValue, "--request-timeout", Float(d.request_timeout_s),
       "Per-request timeout in seconds; 0 = none (--request-timeout)."},
      {"bench.stall_warning", Kind::kValue, "--stall-warning", Float(d.stall_warning_s),
       "Warn when no in-flight request has received a byte for this many seconds (--stall-warning)."},
      {"bench.schedule_speedup", Kind::kValue, "--schedule-speedup", Float(d.schedule_speedup),
       "Replay a fixed_schedule trace this many times faster (--schedule-speedup)."},
      {"bench.worker_threads", Kind::kValue, "--worker-threads", std::to_string(d.worker_threads),
       "Client event-loop threads; 0 = automatic (--worker-threads)."},
      {"bench.local_addresses", Kind::kRepeated, "--local-address", "",
       "Local addresses connections are spread over; default: the kernel's pick (--local-address)."},
      {"bench.interrupt_grace", Kind::kValue, "--interrupt-grace", Float(d.interrupt_grace_s),
       "Seconds in-flight requests may finish after Ctrl-C (--interrupt-grace)."},
      {"bench.http_client", Kind::kValue, "--http-client", d.http_client,
       "HTTP client: auto | native | curl (--http-client)."},
      {"bench.request_id_prefix", Kind::kValue, "--request-id-prefix", d.request_id_prefix,
       "X-Request-Id prefix; empty: bench-<random>- (--request-id-prefix)."},
      {"bench.ca_cert", Kind::kValue, "--ca-cert", d.tls.ca_cert,
       "PEM file of CA certificates for https:// (--ca-cert). API keys are never read from this file:\n"
       "use OPENAI_API_KEY or --api-key."},
      {"bench.insecure", Kind::kSwitch, "--insecure", Bool(d.tls.insecure),
       "Do not verify the server's TLS certificate (--insecure)."},
      {"bench.workload_suffix", Kind::kSwitch, "--workload-suffix", Bool(d.workload_suffix),
       "Also name the run directory by the workload flags set (-isl200-osl100 ...), so runs that differ\n"
       "only in them keep separate directories (--workload-suffix)."},
      {"bench.fail_if", Kind::kRepeated, "--fail-if", "",
       "CI gates, a list such as ['p99(time_to_first_token) > 500ms'] (--fail-if)."},
      {"bench.quiet", Kind::kSwitch, "--quiet", "false", "Print only the table (--quiet)."},
      {"bench.no_progress", Kind::kSwitch, "--no-progress", Bool(d.no_progress), "No live progress line (--no-progress)."},
      {"bench.use_server_token_count", Kind::kSwitch, "--use-server-token-count", Bool(d.use_server_token_count),
       "OSL and ISL from the server's usage, the tokenizer's beside them (--use-server-token-count)."},
      {"bench.sim.ttft_ms", Kind::kValue, "--sim-ttft-ms", Float(s.ttft_ms), "Simulator timing (--sim-* flags, docs/simulator.md)."},
      {"bench.sim.ttft_per_input_token_ms", Kind::kValue, "--sim-ttft-per-input-token-ms", Float(s.ttft_per_input_token_ms), ""},
      {"bench.sim.itl_ms", Kind::kValue, "--sim-itl-ms", Float(s.itl_ms), ""},
      {"bench.sim.itl_per_stream_ms", Kind::kValue, "--sim-itl-per-stream-ms", Float(s.itl_per_stream_ms), ""},
      {"bench.sim.tokens_per_chunk", Kind::kValue, "--sim-tokens-per-chunk", std::to_string(s.tokens_per_chunk), ""},
      {"bench.sim.reasoning_tokens", Kind::kValue, "--sim-reasoning-tokens", std::to_string(s.reasoning_tokens), ""},
      {"bench.sim.jitter", Kind::kValue, "--sim-jitter", Float(s.jitter), ""},
      {"bench.sim.default_max_tokens", Kind::kValue, "--sim-default-max-tokens", std::to_string(s.default_max_tokens), ""},
      {"bench.sim.eos_probability", Kind::kValue, "--sim-eos-probability", Float(s.eos_probability), ""},
      {"bench.sim.seed", Kind::kValue, "--sim-seed", std::to_string(s.seed), ""},
      {"bench.sim.fault_rate", Kind::kRepeated, "--sim-fault-rate", "",
       "Injected faults, a list of NAME[:ARG]=RATE (--sim-fault-rate)."},
  };
}

}  // namespace

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = BuildKeys();
  return keys;
}

// Comments of sections that hold no key in the template (GenAI-Perf shows them in both modes).
const std::map<std::string, std::string>& SectionComments() {
  static const std::map<std::string, std::string> comments = {
      {"analyze",
       "Uncomment the lines below to run analyze (a sweep; docs/sweeps.md). One parameter:\n"
       "concurrency, request_rate, input_sequence_length or num_dataset_entries,\n"
       "with start/stop[/step] or a list of values.\n"
       "  concurrency:\n"
       "    start: 1\n"
       "    stop: 1024"},
      {"process", "Uncomment the line below to run process-export-files on a directory of runs\n  input_path:"},
  };
  return comments;
}

std::string CanonicalPath(const std::string& path) {
  if (path == "model_name") return "model_names";
  if (path == "endpoint.server_metrics_url") return "endpoint.server_metrics_urls";
  return path;
}

const Key* FindKey(const std::string& path) {
  for (const Key& key : Keys()) {
    if (key.path == path) return &key;
  }
  return nullptr;
}

bool IsSection(const std::string& path) {
  const std::string prefix = path + ".";
  return std::any_of(Keys().begin(), Keys().end(), [&](const Key& k) { return k.path.rfind(prefix, 0) == 0; });
}

std::vector<std::string> ChildNames(const std::string& section) {
  const std::string prefix = section.empty() ? "" : section + ".";
  std::vector<std::string> names;
  for (const Key& key : Keys()) {
    if (key.path.rfind(prefix, 0) != 0) continue;
    const std::string rest = key.path.substr(prefix.size());
    const std::string name = rest.substr(0, rest.find('.'));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::string KeyPathOfFlag(const std::string& flag) {
  if (flag == "--concurrency") return "perf_analyzer.stimulus.concurrency";
  if (flag == "--request-rate") return "perf_analyzer.stimulus.request_rate";
  if (flag == "--fixed-schedule") return "perf_analyzer.stimulus.fixed_schedule";
  if (flag == "--session-concurrency") return "perf_analyzer.stimulus.session_concurrency";
  if (flag == "--sweep-type" || flag == "--sweep-list" || flag == "--sweep-range") return "analyze";
  if (flag == "--measurement-interval") return "perf_analyzer.measurement.num";
  for (const Key& key : Keys()) {
    if (!key.flag.empty() && key.flag == flag) return key.path;
  }
  return "";
}

}  // namespace bench
