#pragma once
// One profile run, fully decided: made and checked once from the command's configuration
// (app/plan), typed (no strings parsed again, no "was this flag typed" below it), and all the
// pipeline needs. Nothing in it knows about flags, YAML or sweeps.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/inputs.h"
#include "load/load_engine.h"
#include "load/measurement_windows.h"
#include "record/response_parser.h"
#include "report/gate.h"
#include "report/results.h"
#include "sim/simulator.h"
#include "telemetry/collector.h"

namespace bench {

struct RunPlan {
  // The server: `base_url` (http(s)://host:port[/prefix]), or an in-process simulator.
  std::string base_url;
  std::optional<SimulatorOptions> simulator;
  std::string endpoint;       // request path below the base URL, without the leading '/'
  std::string endpoint_type;  // GenAI-Perf's --endpoint-type name, for the table and files
  ResponseFormat format = ResponseFormat::kOpenAiChat;
  std::string api_key_source;  // where the API key came from, for the log (never the key)

  // How tokens are counted.
  std::string tokenizer;  // a LoadTokenizer spec
  std::string tokenizer_revision = "main";

  // What is sent and how: the dataset, and the load engine's options with everything but the
  // url, the bodies' schedule and the run's own objects (sinks, progress, windows, sessions),
  // which the pipeline adds. With sessions, `load.concurrency` is the session concurrency.
  DatasetOptions dataset;
  LoadOptions load;
  std::optional<WindowSettings> windows;  // --measurement-interval: perf_analyzer's time windows
  CollectorOptions telemetry;             // --server-metrics-url(s): pages scraped during the load
  ScheduleKind schedule = ScheduleKind::kUnknown;
  // perf_analyzer's experiment stimulus in the export: "concurrency" or "request_rate", value.
  std::string experiment_mode = "concurrency";
  double experiment_value = 1;

  // What is written.
  std::filesystem::path run_dir;  // <artifact dir>/<run directory name>
  std::string profile_export_file = "profile_export.json";
  nlohmann::ordered_json input_config = nlohmann::ordered_json::object();  // secrets redacted
  std::vector<std::pair<std::string, double>> goodput;
  bool use_server_token_count = false;  // OSL/ISL from the server's usage
  bool generate_plots = false;
  std::vector<Gate> gates;
  bool verbose = false;
  bool quiet = false;
  bool no_progress = false;
};

}  // namespace bench
