#include "app/config_file.h"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include "app/config.h"

namespace bench {
namespace {

// How a key's YAML value becomes flags.
enum class Kind {
  kValue,        // one scalar -> --flag=VALUE
  kSwitch,       // a boolean -> the bare flag when true
  kValues,       // a scalar, a comma-separated string or a list -> --flag=V for each
  kRepeated,     // a scalar or a list, never split at commas -> --flag=V for each
  kStimulus,     // perf_analyzer.stimulus: {concurrency: N} | {request_rate: R} | fixed_schedule
  kExtraInputs,  // input.extra: a mapping (one JSON object) or "name:value" strings
  kGoodput,      // input.goodput: a mapping {metric: value} or "metric:value" strings
  kSweep,        // analyze: {TYPE: {start, stop[, step]}} or {TYPE: [values]}
  kInputPath,    // process.input_path
  kIgnored,      // meaningful only to perf_analyzer; accepted with any value
  kDefaultOnly,  // a GenAI-Perf key bench has no flag for yet: only its default is accepted
  kMeasurementMode,  // perf_analyzer.measurement.mode: request_count | interval
  kMeasurementNum,   // perf_analyzer.measurement.num: --request-count or --measurement-interval, by the mode
};

struct Key {
  std::string path;
  Kind kind;
  std::string flag;          // "" for kIgnored / kDefaultOnly
  std::string default_text;  // the value create-template writes ("" = empty)
  std::string comment;       // written above the key by create-template -v
  bool in_template = true;
};

// "20.0" rather than fmt's "20": floats read as floats in the template, as Python writes them.
std::string Float(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.1f}", v);
  return fmt::format("{}", v);
}

std::string Bool(bool v) { return v ? "true" : "false"; }

// The table. Defaults come from the config structs, so the template cannot drift from the CLI;
// the rows without a flag hold GenAI-Perf's defaults (config_defaults.py).
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
      {"endpoint.backend", Kind::kDefaultOnly, "", "tensorrtllm",
       "Triton backend of GenAI-Perf's kserve endpoint type; bench speaks the OpenAI API only,\n"
       "so only the default is accepted."},
      {"endpoint.custom", Kind::kValue, "--endpoint", d.endpoint,
       "URL path when it differs from the endpoint type's (--endpoint), e.g. v1/chat/completions."},
      {"endpoint.type", Kind::kValue, "--endpoint-type", d.endpoint_type,
       "API flavour: chat or completions (--endpoint-type). GenAI-Perf's default is kserve."},
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

      {"input.batch_size", Kind::kDefaultOnly, "", "1",
       "Texts per request (embeddings, rankings); bench sends one prompt per request."},
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
      {"input.audio.batch_size", Kind::kDefaultOnly, "", "1", "Audio input (multimodal); not supported by bench yet."},
      {"input.audio.format", Kind::kDefaultOnly, "", "wav", ""},
      {"input.audio.depths", Kind::kDefaultOnly, "", "16", ""},
      {"input.audio.sample_rates", Kind::kDefaultOnly, "", "16", ""},
      {"input.audio.num_channels", Kind::kDefaultOnly, "", "1", ""},
      {"input.audio.length.mean", Kind::kDefaultOnly, "", "0", ""},
      {"input.audio.length.stddev", Kind::kDefaultOnly, "", "0", ""},
      {"input.image.batch_size", Kind::kDefaultOnly, "", "1", "Image input (image retrieval, multimodal); not supported by bench yet."},
      {"input.image.format", Kind::kDefaultOnly, "", "png", ""},
      {"input.image.width.mean", Kind::kDefaultOnly, "", "0", ""},
      {"input.image.width.stddev", Kind::kDefaultOnly, "", "0", ""},
      {"input.image.height.mean", Kind::kDefaultOnly, "", "0", ""},
      {"input.image.height.stddev", Kind::kDefaultOnly, "", "0", ""},
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
      {"bench.sim.ttft_ms", Kind::kValue, "--sim-ttft-ms", Float(s.ttft_ms), "Simulator timing (--sim-* flags, docs/simulator.md)."},
      {"bench.sim.ttft_per_input_token_ms", Kind::kValue, "--sim-ttft-per-input-token-ms", Float(s.ttft_per_input_token_ms), ""},
      {"bench.sim.itl_ms", Kind::kValue, "--sim-itl-ms", Float(s.itl_ms), ""},
      {"bench.sim.itl_per_stream_ms", Kind::kValue, "--sim-itl-per-stream-ms", Float(s.itl_per_stream_ms), ""},
      {"bench.sim.tokens_per_chunk", Kind::kValue, "--sim-tokens-per-chunk", std::to_string(s.tokens_per_chunk), ""},
      {"bench.sim.jitter", Kind::kValue, "--sim-jitter", Float(s.jitter), ""},
      {"bench.sim.default_max_tokens", Kind::kValue, "--sim-default-max-tokens", std::to_string(s.default_max_tokens), ""},
      {"bench.sim.eos_probability", Kind::kValue, "--sim-eos-probability", Float(s.eos_probability), ""},
      {"bench.sim.seed", Kind::kValue, "--sim-seed", std::to_string(s.seed), ""},
      {"bench.sim.fault_rate", Kind::kRepeated, "--sim-fault-rate", "",
       "Injected faults, a list of NAME[:ARG]=RATE (--sim-fault-rate)."},
  };
}

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

// GenAI-Perf accepts these spellings too.
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

// The names directly under a section ("" = the top level), in table order.
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

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::optional<bool> ParseYamlBool(const std::string& text) {
  const std::string v = Lower(text);
  if (v == "true" || v == "yes" || v == "on" || v == "y") return true;
  if (v == "false" || v == "no" || v == "off" || v == "n") return false;
  return std::nullopt;
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// A plain scalar equal to what the template writes: same text, same number, or same boolean.
bool SameAsDefault(const std::string& text, const std::string& default_text) {
  if (text == default_text) return true;
  const auto a = ParseNumber(text), b = ParseNumber(default_text);
  if (a && b) return *a == *b;
  const auto x = ParseYamlBool(text), y = ParseYamlBool(default_text);
  return x && y && *x == *y;
}

const char* ShapeName(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "a value";
}

// A failure while reading the file's keys: always a usage error (exit 2), like a bad flag.
struct KeyError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  void Top(const YAML::Node& root) {
    if (root.IsNull()) return;
    if (!root.IsMap()) Fail(root, "", fmt::format("expected a mapping of sections at the top, got {}", ShapeName(root)));
    Walk(root, "");
    Measurement();
  }

  ConfigSubcommand subcommand() const {
    return analyze_ ? ConfigSubcommand::kAnalyze : process_ ? ConfigSubcommand::kProcessExportFiles : ConfigSubcommand::kProfile;
  }
  std::vector<ConfigArg>& args() { return args_; }

 private:
  [[noreturn]] void Fail(const YAML::Node& at, const std::string& path, const std::string& what) const {
    const int line = at.Mark().is_null() ? 0 : at.Mark().line + 1;
    std::string where = source_;
    if (line > 0) where += fmt::format(":{}", line);
    throw KeyError{path.empty() ? fmt::format("{}: {}", where, what) : fmt::format("{}: {}: {}", where, path, what)};
  }

  void Walk(const YAML::Node& map, const std::string& section) {
    std::map<std::string, int> seen;
    for (const auto& entry : map) {
      const YAML::Node& key_node = entry.first;
      if (!key_node.IsScalar()) Fail(key_node, section, "keys must be plain names");
      const std::string name = key_node.Scalar();
      const std::string path = CanonicalPath(section.empty() ? name : section + "." + name);
      const int line = key_node.Mark().line + 1;
      if (const auto [it, fresh] = seen.emplace(path, line); !fresh) {
        Fail(key_node, path, fmt::format("given twice (first on line {})", it->second));
      }
      if (const Key* key = FindKey(path)) {
        Leaf(*key, key_node, entry.second);
      } else if (IsSection(path)) {
        if (entry.second.IsNull()) continue;
        if (!entry.second.IsMap()) Fail(key_node, path, fmt::format("expected a mapping of keys, got {}", ShapeName(entry.second)));
        Walk(entry.second, path);
      } else {
        std::string known;
        for (const std::string& child : ChildNames(section)) known += (known.empty() ? "" : ", ") + child;
        Fail(key_node, path, fmt::format("unknown key (known{}: {})", section.empty() ? "" : " in " + section, known));
      }
    }
  }

  void Add(const YAML::Node& at, const std::string& path, const std::string& flag, std::vector<std::string> values,
           std::vector<std::string> owned = {}) {
    if (owned.empty()) owned = {flag};
    args_.push_back({path, at.Mark().line + 1, flag, std::move(values), std::move(owned)});
  }

  std::string Scalar(const YAML::Node& at, const std::string& path, const YAML::Node& value) const {
    if (!value.IsScalar()) Fail(at, path, fmt::format("expected a single value, got {}", ShapeName(value)));
    return value.Scalar();
  }

  // Scalars of a list (or of one scalar); `split` also splits strings at commas.
  std::vector<std::string> List(const YAML::Node& at, const std::string& path, const YAML::Node& value, bool split) const {
    std::vector<std::string> items;
    auto add = [&](const std::string& text) {
      if (!split) {
        items.push_back(text);
        return;
      }
      std::stringstream in(text);
      for (std::string part; std::getline(in, part, ',');) {
        const auto first = part.find_first_not_of(" \t");
        const auto last = part.find_last_not_of(" \t");
        if (first != std::string::npos) items.push_back(part.substr(first, last - first + 1));
      }
    };
    if (value.IsScalar()) {
      add(value.Scalar());
    } else if (value.IsSequence()) {
      for (const auto& item : value) {
        if (!item.IsScalar()) Fail(item, path, fmt::format("expected a list of values, got {} in it", ShapeName(item)));
        add(item.Scalar());
      }
    } else {
      Fail(at, path, fmt::format("expected a value or a list, got {}", ShapeName(value)));
    }
    return items;
  }

  void Leaf(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (value.IsNull() && key.kind != Kind::kStimulus) return;  // empty = not set
    switch (key.kind) {
      case Kind::kValue: {
        const std::string text = Scalar(at, key.path, value);
        if (!SameAsDefault(text, key.default_text)) Add(at, key.path, key.flag, {text});
        return;
      }
      case Kind::kSwitch: {
        const auto on = ParseYamlBool(Scalar(at, key.path, value));
        if (!on) Fail(at, key.path, fmt::format("expected true or false, got '{}'", value.Scalar()));
        if (*on) Add(at, key.path, key.flag, {});
        return;
      }
      case Kind::kValues:
      case Kind::kRepeated: {
        std::vector<std::string> items = List(at, key.path, value, key.kind == Kind::kValues);
        // The default alone (GenAI-Perf's template writes it) sets nothing.
        const bool is_default = items.size() == 1 && !key.default_text.empty() && SameAsDefault(items[0], key.default_text);
        if (!items.empty() && !is_default) Add(at, key.path, key.flag, std::move(items));
        return;
      }
      case Kind::kIgnored:
        return;
      case Kind::kDefaultOnly: {
        if ((value.IsSequence() || value.IsMap()) && value.size() == 0) return;
        const YAML::Node one = value.IsSequence() && value.size() == 1 ? value[0] : value;
        if (one.IsScalar() && (one.Scalar().empty() || SameAsDefault(one.Scalar(), key.default_text))) return;
        const std::string shown = one.IsScalar() ? "'" + one.Scalar() + "'" : std::string(ShapeName(value));
        Fail(at, key.path,
             key.default_text.empty()
                 ? fmt::format("{} is not supported by bench yet (leave it empty)", shown)
                 : fmt::format("{} is not supported by bench yet (only the default, {})", shown, key.default_text));
      }
      case Kind::kStimulus:
        return Stimulus(key, at, value);
      case Kind::kExtraInputs:
        return ExtraInputs(key, at, value);
      case Kind::kGoodput:
        return Goodput(key, at, value);
      case Kind::kSweep:
        return Sweep(key, at, value);
      case Kind::kInputPath:
        Add(at, key.path, key.flag, {Scalar(at, key.path, value)});
        process_ = true;
        return;
      case Kind::kMeasurementMode: {
        const std::string mode = Scalar(at, key.path, value);
        if (mode != "request_count" && mode != "interval") {
          Fail(at, key.path, fmt::format("expected request_count or interval, got '{}'", mode));
        }
        interval_ = mode == "interval";
        mode_at_ = at;
        return;
      }
      case Kind::kMeasurementNum:
        num_ = Scalar(at, key.path, value);
        num_at_ = at;
        return;
    }
  }

  // The measurement block once both keys are read (in either order): the num is a request
  // count or, in interval mode, the window in ms (GenAI-Perf infers 10000 when it is empty).
  void Measurement() {
    const std::vector<std::string> owned = {"--request-count", "--measurement-interval"};
    const std::string path = "perf_analyzer.measurement.num";
    if (interval_) {
      Add(num_ ? num_at_ : mode_at_, path, "--measurement-interval", {num_ ? *num_ : "10000"}, owned);
    } else if (num_) {
      Add(num_at_, path, "--request-count", {*num_}, owned);
    }
  }

  void Stimulus(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    // A stimulus typed after --override-config replaces the file's whole stimulus.
    const std::vector<std::string> owned = {"--concurrency", "--request-rate", "--fixed-schedule",
                                            "--session-concurrency"};
    if (value.IsNull()) return;
    if (value.IsScalar()) {  // GenAI-Perf's string form: {name: None}
      const std::string name = value.Scalar();
      if (name == "fixed_schedule") return Add(at, key.path + ".fixed_schedule", "--fixed-schedule", {}, owned);
      if (name == "concurrency") return;
      Fail(at, key.path, fmt::format("'{}' needs a value, e.g. {{{}: 10}}", name, name));
    }
    if (!value.IsMap()) Fail(at, key.path, fmt::format("expected a mapping such as {{concurrency: 4}}, got {}", ShapeName(value)));
    if (value.size() == 1 && value.begin()->first.Scalar() == "concurrency" && value.begin()->second.IsScalar() &&
        SameAsDefault(value.begin()->second.Scalar(), std::to_string(ProfileConfig().concurrency))) {
      return;  // the template's default
    }
    for (const auto& entry : value) {
      const std::string name = entry.first.Scalar();
      const std::string path = key.path + "." + name;
      const YAML::Node& v = entry.second;
      if (name == "concurrency") {
        Add(entry.first, path, "--concurrency", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "request_rate") {
        Add(entry.first, path, "--request-rate", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "fixed_schedule") {
        Add(entry.first, path, "--fixed-schedule", {v.IsNull() ? "true" : Scalar(entry.first, path, v)}, owned);
      } else if (name == "session_concurrency") {
        Add(entry.first, path, "--session-concurrency", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "session_request_rate") {
        Fail(entry.first, path, "session_request_rate is not supported by bench yet (use session_concurrency)");
      } else {
        Fail(entry.first, path,
             "unknown stimulus (known: concurrency, request_rate, fixed_schedule, session_concurrency)");
      }
    }
  }

  // YAML's core schema for plain scalars; quoted scalars stay strings.
  static nlohmann::ordered_json ToJson(const YAML::Node& node) {
    if (node.IsMap()) {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = ToJson(entry.second);
      return object;
    }
    if (node.IsSequence()) {
      nlohmann::ordered_json array = nlohmann::ordered_json::array();
      for (const auto& item : node) array.push_back(ToJson(item));
      return array;
    }
    if (node.IsNull()) return nullptr;
    const std::string text = node.Scalar();
    if (node.Tag() == "!") return text;
    const std::string lower = Lower(text);
    if (lower == "true") return true;
    if (lower == "false") return false;
    const auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
    if (parsed.is_number()) return parsed;
    return text;
  }

  void ExtraInputs(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (value.IsMap()) {
      if (value.size() > 0) Add(at, key.path, key.flag, {ToJson(value).dump()});
      return;
    }
    std::vector<std::string> items = List(at, key.path, value, /*split=*/false);
    if (!items.empty()) Add(at, key.path, key.flag, std::move(items));
  }

  void Goodput(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    std::vector<std::string> items;
    if (value.IsMap()) {
      for (const auto& entry : value) {
        const std::string path = key.path + "." + entry.first.Scalar();
        items.push_back(entry.first.Scalar() + ":" + Scalar(entry.first, path, entry.second));
      }
    } else {
      items = List(at, key.path, value, /*split=*/false);
    }
    if (!items.empty()) Add(at, key.path, key.flag, std::move(items));
  }

  void Sweep(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (!value.IsMap()) Fail(at, key.path, fmt::format("expected a mapping such as {{concurrency: {{start: 1, stop: 64}}}}, got {}", ShapeName(value)));
    if (value.size() == 0) return;
    if (value.size() > 1) Fail(at, key.path, "bench sweeps one parameter at a time (give one key)");
    const auto entry = *value.begin();
    std::string type = entry.first.Scalar();
    const std::string path = key.path + "." + type;
    if (type == "runtime_batch_size") type = "batch_size";  // GenAI-Perf's config name for it
    const std::vector<std::string> owned = {"--sweep-type", "--sweep-list", "--sweep-range"};
    Add(entry.first, path, "--sweep-type", {type}, owned);
    analyze_ = true;
    const YAML::Node& spec = entry.second;
    if (spec.IsNull()) return;  // the type's default range
    if (spec.IsSequence()) {
      std::string list;
      for (const std::string& item : List(entry.first, path, spec, /*split=*/false)) list += (list.empty() ? "" : ",") + item;
      Add(entry.first, path, "--sweep-list", {list}, owned);
      return;
    }
    if (!spec.IsMap()) Fail(entry.first, path, fmt::format("expected {{start: A, stop: B[, step: C]}} or a list, got {}", ShapeName(spec)));
    std::map<std::string, std::string> bounds;
    for (const auto& bound : spec) {
      const std::string name = bound.first.Scalar();
      if (name != "start" && name != "stop" && name != "step") Fail(bound.first, path + "." + name, "unknown key (known: start, stop, step)");
      bounds[name] = Scalar(bound.first, path + "." + name, bound.second);
    }
    if (bounds.empty()) return;
    if (!bounds.count("start") || !bounds.count("stop")) {
      Fail(entry.first, path, "give both start and stop (or neither, for the default range)");
    }
    std::string range = bounds["start"] + ":" + bounds["stop"];
    if (bounds.count("step")) range += ":" + bounds["step"];
    Add(entry.first, path, "--sweep-range", {range}, owned);
  }

  std::string source_;
  std::vector<ConfigArg> args_;
  bool interval_ = false;             // perf_analyzer.measurement.mode: interval
  YAML::Node mode_at_;
  std::optional<std::string> num_;    // perf_analyzer.measurement.num, when given
  YAML::Node num_at_;
  bool analyze_ = false;
  bool process_ = false;
};

// ---- template ----

struct Section {
  std::string name;
  std::vector<const Key*> keys;
  std::vector<Section> children;
};

Section& Child(Section& parent, const std::string& name) {
  for (Section& child : parent.children) {
    if (child.name == name) return child;
  }
  parent.children.push_back({name, {}, {}});
  return parent.children.back();
}

Section BuildTree() {
  Section root;
  for (const Key& key : Keys()) {
    if (key.kind == Kind::kSweep) {  // written as a section holding only its comment
      Child(root, key.path);
      continue;
    }
    Section* at = &root;
    std::string rest = key.path;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) at = &Child(*at, rest.substr(0, dot));
    if (key.in_template) at->keys.push_back(&key);
  }
  return root;
}

// Plain scalars stay plain; anything YAML would read differently is double-quoted.
std::string YamlValue(const std::string& text) {
  if (text.empty()) return "";
  const bool plain = text.find(": ") == std::string::npos && text.find(" #") == std::string::npos &&
                     std::string("[]{}&*!|>'\"%@`#,?-").find(text.front()) == std::string::npos;
  return plain ? text : nlohmann::json(text).dump();
}

void CommentLines(const std::string& comment, const std::string& indent, std::string& out) {
  std::stringstream in(comment);
  for (std::string line; std::getline(in, line);) out += indent + "# " + line + "\n";
}

// GenAI-Perf's BaseConfig.create_template: header, the section's keys, a blank line, then the
// subsections, each level two spaces deeper (the top level too).
void Render(const Section& section, int level, const std::string& path, bool verbose, std::string& out) {
  const std::string indent(static_cast<size_t>(2 * level + 2), ' ');
  if (level > 0) out += std::string(static_cast<size_t>(2 * level), ' ') + section.name + ":\n";
  if (const auto it = SectionComments().find(path); it != SectionComments().end()) CommentLines(it->second, indent, out);
  for (const Key* key : section.keys) {
    const bool commented = verbose && !key->comment.empty();
    if (commented) CommentLines(key->comment, indent, out);
    const std::string value = key->kind == Kind::kStimulus ? key->default_text : YamlValue(key->default_text);
    out += indent + key->path.substr(key->path.rfind('.') + 1) + ":" + (value.empty() ? "" : " " + value) + "\n";
    if (commented) out += "\n";
  }
  out += "\n";
  for (const Section& child : section.children) {
    Render(child, level + 1, path.empty() ? child.name : path + "." + child.name, verbose, out);
  }
}

}  // namespace

std::string ConfigSubcommandName(ConfigSubcommand subcommand) {
  switch (subcommand) {
    case ConfigSubcommand::kProfile: return "profile";
    case ConfigSubcommand::kAnalyze: return "analyze";
    case ConfigSubcommand::kProcessExportFiles: return "process-export-files";
  }
  return "profile";
}

ConfigFileResult ParseConfigText(const std::string& text, const std::string& source_name) {
  ConfigFileResult result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // A syntax error is a broken input file (exit 4); yaml-cpp's mark is 0-based.
    result.error = e.mark.is_null() ? fmt::format("{}: invalid YAML: {}", source_name, e.msg)
                                    : fmt::format("{}:{}:{}: invalid YAML: {}", source_name, e.mark.line + 1,
                                                  e.mark.column + 1, e.msg);
    result.exit_code = kExitInput;
    return result;
  }
  Reader reader(source_name);
  try {
    reader.Top(root);
  } catch (const KeyError& e) {
    result.error = e.message;
    result.exit_code = kExitUsage;
    return result;
  } catch (const YAML::Exception& e) {
    result.error = fmt::format("{}: {}", source_name, e.msg);
    result.exit_code = kExitUsage;
    return result;
  }
  result.subcommand = reader.subcommand();
  result.args = std::move(reader.args());
  const bool analyze = std::any_of(result.args.begin(), result.args.end(), [](const ConfigArg& a) { return a.flag == "--sweep-type"; });
  const bool process = std::any_of(result.args.begin(), result.args.end(), [](const ConfigArg& a) { return a.flag == "--input-directory"; });
  if (analyze && process) {
    result.error = fmt::format("{}: analyze and process.input_path cannot be combined (one subcommand per file)", source_name);
    result.exit_code = kExitUsage;
  }
  return result;
}

ConfigFileResult ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigFileResult result;
    std::error_code ec;
    result.error = std::filesystem::exists(path, ec) ? fmt::format("{}: cannot read the file", path)
                                                     : fmt::format("{}: no such file", path);
    result.exit_code = kExitInput;
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfigText(text.str(), path);
}

std::vector<std::string> ConfigArgv(const std::vector<ConfigArg>& args) {
  std::vector<std::string> argv;
  for (const ConfigArg& arg : args) {
    // --flag=VALUE keeps values that start with '-' (a negative number) from reading as flags.
    if (arg.values.empty()) argv.push_back(arg.flag);
    for (const std::string& value : arg.values) argv.push_back(arg.flag + "=" + value);
  }
  return argv;
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

int WriteConfigTemplate(const TemplateConfig& config) {
  // Never overwrite: the file may be a config someone edited (GenAI-Perf opens it with "x" too).
  std::FILE* f = std::fopen(config.file.c_str(), "wx");
  if (f == nullptr) {
    std::error_code ec;
    if (std::filesystem::exists(config.file, ec)) {
      spdlog::error("{}: already exists; it is not overwritten (choose another name with -f)", config.file);
    } else {
      spdlog::error("cannot write {}", config.file);
    }
    return kExitOutput;
  }
  const std::string text = ConfigTemplate(config.verbose);
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) {
    spdlog::error("cannot write {}", config.file);
    return kExitOutput;
  }
  spdlog::info("wrote {}: edit it, then run bench config -f {}", config.file, config.file);
  return kExitOk;
}

std::string ConfigTemplate(bool verbose) {
  std::string out;
  if (verbose) {
    out += "# bench config -f THIS_FILE runs it: profile, analyze (an analyze section) or\n"
           "# process-export-files (process.input_path). A key at the value written here is the same as\n"
           "# leaving it out. Flags typed after --override-config win over the file. docs/config.md\n\n";
  }
  Render(BuildTree(), 0, "", verbose, out);
  return out;
}

}  // namespace bench
