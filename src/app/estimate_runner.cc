#include "app/estimate_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>

#include "estimate/config_locator.h"
#include "estimate/estimate_report.h"
#include "estimate/model_config.h"
#include "util/rich_table.h"

namespace bench {

std::optional<double> ParseGpuMemory(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !(value > 0)) return std::nullopt;
  std::string unit(end);
  for (char& ch : unit) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (unit.empty() || unit == "gb" || unit == "g") return value * 1e9;
  if (unit == "gib") return value * 1073741824.0;
  return std::nullopt;
}

std::string ValidateEstimate(const EstimateConfig& c) {
  for (const std::string& name : c.precisions) {
    if (!FindPrecision(name)) return fmt::format("--precision '{}': unknown (valid: {})", name, PrecisionNames());
  }
  if (!FindPrecision(c.kv_precision)) {
    return fmt::format("--kv-precision '{}': unknown (valid: {})", c.kv_precision, PrecisionNames());
  }
  if (c.context < 1) return "--context: must be at least 1";
  if (c.batch < 1) return "--batch: must be at least 1";
  if (c.tensor_parallel < 1) return "--tensor-parallel: must be at least 1";
  if (!(c.overhead_percent >= 0)) return "--overhead: must be a percentage of at least 0";
  if (!c.gpu_memory.empty() && !ParseGpuMemory(c.gpu_memory)) {
    return fmt::format("--gpu-memory '{}': expected a size such as 80, 80GB or 80GiB", c.gpu_memory);
  }
  return "";
}

EstimateOptions EstimateOptionsOf(const EstimateConfig& c) {
  EstimateOptions o;
  o.context = c.context;
  o.batch = c.batch;
  o.kv_precision = *FindPrecision(c.kv_precision);
  o.overhead = c.overhead_percent / 100.0;
  o.tensor_parallel = c.tensor_parallel;
  if (!c.gpu_memory.empty()) o.gpu_memory_bytes = ParseGpuMemory(c.gpu_memory);
  for (const std::string& name : c.precisions) o.precisions.push_back(*FindPrecision(name));
  return o;
}

int RunEstimate(const EstimateConfig& config, std::ostream& out) {
  const ConfigLocation location = LocateModelConfig(config.model, config.revision);
  if (!location.error.empty()) {
    spdlog::error("--model {}", location.error);
    return kExitInput;
  }
  const ModelConfigResult model = ReadModelConfig(location.path);
  if (!model.ok()) {
    spdlog::error("{}", model.error);
    return kExitInput;
  }
  const MemoryEstimate estimate = EstimateMemory(model.config, EstimateOptionsOf(config));
  if (config.json) {
    out << EstimateJson(estimate).dump(2) << '\n';
  } else {
    out << FormatEstimate(estimate, DetectConsoleWidth());
  }
  return kExitOk;
}

}  // namespace bench
