#pragma once
// The validated run configuration. Produced by the CLI layer (cli.cc); nothing below the CLI
// includes CLI11 — everything else reads these plain structs.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/media/media_options.h"
#include "pipeline/exit_code.h"
#include "report/gate.h"
#include "util/http_options.h"
#include "sim/simulator.h"
#include "app/sweep.h"

namespace bench {

/// `bench profile`: one benchmark run (GenAI-Perf's `genai-perf profile`).
struct ProfileConfig {
  // Endpoint
  std::vector<std::string> models;
  std::string model_selection_strategy = "round_robin";  // or "random"
  std::string url = "localhost:8000";  // host:port or http(s)://host:port[/prefix]
  bool url_given = false;
  std::string endpoint_type = "chat";  // an --endpoint-type name (profile_flags lists them)
  std::string backend = "tensorrtllm";  // kserve: tensorrtllm | vllm (--backend)
  std::string service_kind;             // --service-kind as typed ("" = not given)
  std::string endpoint;                // URL path without leading '/', e.g. v1/chat/completions
  bool streaming = false;
  std::vector<std::string> headers;    // "Name: value"
  std::string api_key;                 // resolved: --api-key, else OPENAI_API_KEY, else NGC_API_KEY
  std::string api_key_source;          // where it came from ("--api-key", an env var name) or ""
  TlsOptions tls;                      // --ca-cert, --insecure
  // Telemetry (--server-metrics-url(s)): Prometheus pages scraped during the load; GenAI-Perf's
  // default is the DCGM exporter on this host.
  std::vector<std::string> server_metrics_urls{"http://localhost:9400/metrics"};
  // Load
  int concurrency = 1;
  int request_count = 0;               // resolved: max(10, 2*concurrency) when not given
  bool request_count_given = false;
  int warmup_request_count = 0;
  int worker_threads = 0;              // 0 = automatic
  std::vector<std::string> local_addresses;  // --local-address: source addresses of connections
  std::string request_id_prefix;       // X-Request-Id = prefix + n; "" = "bench-<random>-"
  std::string http_client = "auto";    // auto | native | curl (--http-client)
  double interrupt_grace_s = 2.0;      // Ctrl-C: in-flight requests may finish this long
  bool concurrency_given = false;      // --concurrency typed (a cap in request-rate mode)
  std::optional<double> request_rate;  // open loop: requests/s (perf_analyzer --request-rate-range)
  std::string request_distribution = "constant";  // constant | poisson
  double burstiness = 1.0;  // poisson: gamma-distributed gaps of this shape (vLLM's --burstiness)
  double request_timeout_s = 0;        // per request; 0 = none
  double stall_warning_s = 10;         // warn when no in-flight request got a byte for this long
  bool fixed_schedule = false;         // trace replay: each request at its payload `timestamp`
  double schedule_speedup = 1.0;       // --fixed-schedule: timestamps are divided by this
  std::optional<double> benchmark_duration_s;  // send until this deadline instead of a count
  bool drain_cancel = false;           // --drain cancel: in-flight requests cancelled at the deadline
  // perf_analyzer's time windows (-p/--measurement-interval, ms): windows of 1.2 x T until the
  // last 3 are stable within stability_percentage % or 10 are done (measurement_windows.h).
  std::optional<int> measurement_interval_ms;
  double stability_percentage = 999;   // -s; judged only with measurement_interval_ms
  // Multi-turn sessions (reference §1.2 Session): set = session mode, this many sessions in
  // flight (--num-sessions alone implies 1).
  std::optional<int> session_concurrency;
  // Input
  int synthetic_input_tokens_mean = 550;
  int synthetic_input_tokens_stddev = 0;
  std::optional<int> output_tokens_mean;
  int output_tokens_stddev = 0;
  int num_dataset_entries = 100;
  int num_prefix_prompts = 0;          // pool of synthetic prefixes; 0 = no prefix
  int prefix_prompt_length = 100;      // tokens per prefix prompt
  int num_sessions = 0;                // synthetic sessions; resolved to max(10, 2 x session concurrency) when not given
  bool num_sessions_given = false;
  int session_turns_mean = 1;          // turns per session: max(1, round(gauss(mean, stddev)))
  int session_turns_stddev = 0;
  int session_turn_delay_mean = 0;     // ms after each turn but the last: max(0, round(gauss(mean, stddev)))
  int session_turn_delay_stddev = 0;
  double session_delay_ratio = 1.0;    // multiplies every delay (synthetic and a trace's `delay`)
  std::string task;                    // --task preset name ("" = none), see task_presets.h
  // Set by a --task preset for a length whose mean and stddev both come from it: sampled
  // lengths are clamped to [first, second].
  std::optional<std::pair<int, int>> synthetic_input_tokens_clip;
  std::optional<std::pair<int, int>> output_tokens_clip;
  uint64_t random_seed = 0;
  nlohmann::ordered_json extra_inputs = nlohmann::ordered_json::object();
  std::vector<std::string> extra_inputs_raw;  // as typed, for input_config
  std::string input_file;
  bool payload_input = false;          // --input-file payload:FILE (input_file holds FILE)
  int batch_size_text = 1;             // --batch-size-text: texts per request (embeddings, rankings)
  std::vector<std::string> synthetic_files;  // --input-file synthetic:a,b (input_file then empty)
  MediaOptions media;                  // --image-*, --audio-*, --batch-size-image/-audio
  std::vector<std::pair<std::string, double>> goodput;
  std::vector<std::string> goodput_raw;
  // Output
  std::string artifact_dir = "artifacts";
  std::string profile_export_file = "profile_export.json";
  bool generate_plots = false;        // <run dir>/plots/report.html (plot_report.h)
  bool enable_checkpointing = false;  // analyze: resume a sweep; profile accepts it as GenAI-Perf does
  std::string checkpoint_dir;         // empty = <artifact_dir>/checkpoint
  // --workload-suffix: the run directory also names the typed workload flags below
  // (artifacts.h), so a shell loop over one of them never overwrites an earlier point.
  // Off by default: the directory is GenAI-Perf's `<model>-<kind>-<stimulus>`.
  bool workload_suffix = false;
  bool isl_given = false;                  // --synthetic-input-tokens-mean / --isl
  bool isl_stddev_given = false;           // --synthetic-input-tokens-stddev
  bool osl_given = false;                  // --output-tokens-mean / --osl
  bool osl_stddev_given = false;           // --output-tokens-stddev
  bool num_dataset_entries_given = false;  // --num-dataset-entries / --num-prompts
  bool random_seed_given = false;          // --random-seed
  // Set by `bench analyze` for each point: the swept parameter and its value, which replace
  // the stimulus in the directory name as GenAI-Perf's analyze does (`...-num_dataset_entries150`).
  std::optional<SweepPoint> sweep_point;
  // Tokenizer
  std::string tokenizer;  // empty = model name (GenAI-Perf) or "builtin" with --simulator
  std::string tokenizer_revision = "main";
  bool use_server_token_count = false;  // OSL/ISL from the server's usage (bench addition)
  bool tokenizer_trust_remote_code = false;
  // Other
  bool verbose = false;
  bool quiet = false;        // only the table on stdout; warnings and errors still on stderr
  bool no_progress = false;  // no live progress line (it is drawn only when stderr is a terminal)
  std::vector<Gate> fail_if; // CI gates checked after the run (exit 6 when one fails)
  bool simulator = false;  // start the built-in simulator in-process and benchmark it
  SimulatorOptions simulator_options;
};

/// `bench analyze`: one profile run per value of a swept parameter (GenAI-Perf's analyze).
struct AnalyzeConfig {
  ProfileConfig profile;  // every profile flag; the swept parameter is set per point
  SweepPlan sweep;
};

/// The measured-request default when --request-count is not typed: max(10, 2 x concurrency),
/// or 10 for an uncapped --request-rate run (reference §1.2). Analyze re-resolves it per point.
inline int DefaultRequestCount(const ProfileConfig& c) {
  return (c.request_rate && !c.concurrency_given) ? 10 : std::max(10, 2 * c.concurrency);
}

/// `bench report`: recompute metrics from an existing profile export.
struct ReportConfig {
  std::string profile_export;  // path to profile_export.json
  std::string tokenizer;       // empty = "builtin" unless the export says otherwise
  std::string endpoint_type;   // empty = inferred from the export
  std::optional<bool> streaming;  // unset = inferred from the export's payloads
  std::vector<std::pair<std::string, double>> goodput;
  std::vector<std::string> goodput_raw;
  std::string artifact_dir;    // empty = the export's directory
  bool generate_plots = false; // <artifact_dir>/plots/report.html
  bool verbose = false;
  bool quiet = false;
  std::vector<Gate> fail_if;   // CI gates re-checked offline
};

/// `bench compare`: baseline vs candidate runs, side by side with significance.
struct CompareConfig {
  std::string baseline;                 // artifact directory or *_genai_perf.json
  std::vector<std::string> candidates;  // one or more, each compared with the baseline
  std::optional<double> max_regression; // fraction (5% -> 0.05); exit 6 beyond it when significant
  std::vector<std::string> metrics;     // empty = every metric both runs have
  bool generate_plots = false;          // percentile curves of every run in plots_dir/report.html
  std::string plots_dir = "compare";    // GenAI-Perf's compare wrote its plots to ./compare
  bool verbose = false;
  bool quiet = false;
};

/// `bench tokenize`: token counts and ids of texts, for checking lengths (and for tests).
struct TokenizeConfig {
  std::string tokenizer;         // any LoadTokenizer spec
  std::string tokenizer_revision = "main";
  bool add_special_tokens = false;
  std::string jsonl;             // one JSON string per line; exactly one of jsonl / text
  std::optional<std::string> text;
};

/// `bench calibrate`: this host's client ceiling and timer jitter, against the in-process
/// simulator at zero latency.
struct CalibrateConfig {
  double duration_s = 3.0;  // measured load phase
  int concurrency = 64;
  int output_tokens = 100;  // SSE content events per stream
  int worker_threads = 1;
  bool verbose = false;
};

/// `bench create-template`: write a YAML config with every key at its default.
struct TemplateConfig {
  std::string file = "genai_perf_config.yaml";  // GenAI-Perf's default name
  bool verbose = false;                         // a comment above each key
};

/// `bench process-export-files`: one report from several runs (e.g. one per client machine).
struct ProcessConfig {
  std::string input_dir;  // one subdirectory per run: X.json + X_genai_perf.json
  std::string artifact_dir = "artifacts";
  std::string profile_export_file = "profile_export.json";
  std::string tokenizer;  // empty = the one the first run recorded
  bool verbose = false;
  bool quiet = false;
  std::vector<Gate> fail_if;
};

/// `bench simulator`: serve the simulator until interrupted.
struct SimulatorConfig {
  SimulatorOptions options;
  bool verbose = false;
};

/// `bench estimate`: GPU memory and precision sizing from a model's config.json (docs/estimate.md).
struct EstimateConfig {
  std::string model;                    // config.json, a directory holding it, or a Hugging Face model id
  std::string revision = "main";        // Hugging Face revision for a model id
  std::vector<std::string> precisions;  // weight precisions to show; empty = all
  std::string kv_precision = "fp16";
  int64_t context = 4096;               // tokens per sequence held in the KV cache
  int64_t batch = 32;                   // sequences in flight
  double overhead_percent = 10;         // of weights + KV cache
  int tensor_parallel = 1;
  std::string gpu_memory;               // per GPU: "80", "80GB", "80GiB"; empty = no fit check
  bool json = false;
};

}  // namespace bench
