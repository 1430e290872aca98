#include "app/command_flags.h"

#include <utility>

#include "app/cli_helpers.h"
#include "dataset/inputs.h"
#include "sim/faults.h"

namespace bench {
namespace {

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
  bench: error: bench.yaml:14: endpoint.type: 'dynamic_grpc' is not supported yet (...)
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

}  // namespace

CLI::App* AddReportCommand(CLI::App& app, ReportConfig& r, ReportFlags& f) {
  CLI::App* report = app.add_subcommand("report", "Recompute metrics from an existing profile export");
  report->footer(kReportExamples);
  report->add_option("--profile-export,-f", r.profile_export, "profile_export.json to read")
      ->required()->check(CLI::ExistingFile);
  report->add_option("--tokenizer", r.tokenizer, "tokenizer.json path, directory, hub id, or 'builtin' (Mistral-7B)");
  report->add_option("--endpoint-type", r.endpoint_type, "Override the endpoint type of the export");
  report->add_flag("--streaming", f.streaming, "Treat the export as streaming");
  report->add_option("-g,--goodput", r.goodput_raw, "SLOs metric:value")->expected(1, -1);
  report->add_option("--artifact-dir", r.artifact_dir, "Where to write the results (default: beside FILE)");
  report->add_flag("--generate-plots", r.generate_plots,
                   "Also write <artifact dir>/plots/report.html (see bench profile --help)");
  report->add_flag("-v,--verbose", r.verbose, "Verbose logging");
  report->add_flag("-q,--quiet", r.quiet, "Print only the table on stdout");
  report->add_option("--fail-if", f.fail_if, "CI gate, repeatable (see bench profile --help)");
  return report;
}

CLI::App* AddCompareCommand(CLI::App& app, CompareConfig& k, CompareFlags& f) {
  CLI::App* compare = app.add_subcommand("compare", "Compare a baseline run with candidate runs");
  compare->footer(kCompareExamples);
  compare->add_option("runs", f.inputs,
                      "BASELINE CANDIDATE...: artifact directories or *_genai_perf.json files")
      ->required()->expected(2, -1);
  compare->add_option("--max-regression", f.max_regression,
                      "Exit 6 when a metric gets worse by more than this, significantly (e.g. 5%)");
  compare->add_option("--metrics", f.metrics,
                      "Only these metrics (comma-separated JSON keys, error_rate; default: all)");
  compare->add_flag("--generate-plots", k.generate_plots,
                    "Write percentile curves of every run (TTFT, ITL, latency, tokens/s per user) to "
                    "--plots-dir/report.html");
  compare->add_option("--plots-dir", k.plots_dir, "Where --generate-plots writes")->capture_default_str();
  compare->add_flag("-v,--verbose", k.verbose, "Verbose logging");
  compare->add_flag("-q,--quiet", k.quiet, "Print only the table on stdout");
  return compare;
}

CLI::App* AddSimulatorCommand(CLI::App& app, SimulatorConfig& s) {
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
  return simulator;
}

CLI::App* AddTokenizeCommand(CLI::App& app, TokenizeConfig& t) {
  CLI::App* tokenize = app.add_subcommand("tokenize", "Print token counts and ids of texts");
  tokenize->footer(kTokenizeExamples);
  tokenize->add_option("--tokenizer", t.tokenizer,
                       "Hugging Face model id, tokenizer.json path or directory, or 'builtin'")->required();
  tokenize->add_option("--tokenizer-revision", t.tokenizer_revision, "Hugging Face revision")
      ->capture_default_str();
  tokenize->add_flag("--add-special-tokens", t.add_special_tokens, "Apply the post-processor (e.g. BOS)");
  tokenize->add_option("--jsonl", t.jsonl, "File with one JSON string per line ('-' = stdin)");
  tokenize->add_option("--text", t.text, "One text to tokenize");
  return tokenize;
}

CLI::App* AddCalibrateCommand(CLI::App& app, CalibrateConfig& c) {
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
  return calibrate;
}

CLI::App* AddTemplateCommand(CLI::App& app, TemplateConfig& tc) {
  CLI::App* create_template =
      app.add_subcommand("create-template", "Write a YAML config with every key at its default (see bench config)");
  create_template->footer(kCreateTemplateExamples);
  create_template->add_option("-f,--file", tc.file, "File to create (never overwritten)")->capture_default_str();
  create_template->add_flag("-v,--verbose", tc.verbose, "Write a comment above each key");
  return create_template;
}

CLI::App* AddConfigCommand(CLI::App& app, ConfigFlags& f) {
  CLI::App* config = app.add_subcommand("config", "Run profile, analyze or process-export-files from a YAML config");
  config->footer(kConfigExamples);
  config->add_option("-f,--file", f.file, "YAML config (bench create-template writes one)")->required();
  config->add_flag("--override-config", f.override_config, "Let the flags that follow override the file");
  config->allow_extras();  // the rest are profile/analyze flags, parsed with the file's flags
  return config;
}

CLI::App* AddProcessCommand(CLI::App& app, ProcessConfig& pe, std::vector<std::string>& fail_if) {
  CLI::App* process =
      app.add_subcommand("process-export-files", "Merge runs made separately (e.g. one per client machine) into one report");
  process->footer(kProcessExamples);
  AddProcessOptions(process, pe, fail_if);
  return process;
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

std::string FinishReport(ReportConfig& r, const ReportFlags& f) {
  if (f.streaming) r.streaming = true;
  return ValidateReport(r, f.fail_if);
}

std::string FinishCompare(CompareConfig& k, const CompareFlags& f) {
  k.baseline = f.inputs.front();
  k.candidates.assign(f.inputs.begin() + 1, f.inputs.end());
  k.metrics = SplitComma(f.metrics);
  if (!f.max_regression.empty()) {
    k.max_regression = ParsePercent(f.max_regression);
    if (!k.max_regression) return "--max-regression '" + f.max_regression + "': expected a percentage such as 5%";
  }
  return "";
}

std::string FinishTokenize(TokenizeConfig& t, const CLI::App& tokenize) { return ValidateTokenize(t, tokenize); }

std::string FinishProcess(ProcessConfig& pe, const std::vector<std::string>& fail_if) {
  if (pe.profile_export_file.find('/') != std::string::npos) {
    return "--profile-export-file: must be a file name without directories (use --artifact-dir)";
  }
  return ParseGates(fail_if, pe.fail_if);
}

}  // namespace bench
