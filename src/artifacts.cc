#include "bench/artifacts.h"

#include <algorithm>

#include <fmt/format.h>

#include "bench/python_json.h"

namespace bench {

std::string ArtifactDirName(const std::vector<std::string>& models, const std::string& endpoint_type,
                            const std::string& backend, const std::string& stimulus) {
  std::string model = models.empty() ? std::string("model") : models.front();
  std::replace(model.begin(), model.end(), '/', '_');
  if (models.size() > 1) model += "_multi";
  const std::string kind = (endpoint_type.empty() || endpoint_type == "kserve")
                               ? "triton-" + (backend.empty() ? std::string("tensorrtllm") : backend)
                               : "openai-" + endpoint_type;
  std::string name = model + "-" + kind;
  if (!stimulus.empty()) name += "-" + stimulus;
  return name;
}

std::string RunDirName(const ProfileConfig& c) {
  std::string stimulus;
  if (c.sweep_point) {
    stimulus = c.sweep_point->parameter + c.sweep_point->value;
  } else if (c.fixed_schedule) {
    stimulus = "fixed_schedule";
  } else if (c.session_concurrency) {
    stimulus = fmt::format("session_concurrency{}", *c.session_concurrency);
  } else if (c.payload_input && !c.concurrency_given && !c.request_rate) {
    // Reference §4.1: a payload trace without a load flag gets no stimulus in the name.
  } else if (c.request_rate) {
    stimulus = "request_rate" + PythonFloatRepr(*c.request_rate);
  } else {
    stimulus = fmt::format("concurrency{}", c.concurrency);
  }
  std::string name = ArtifactDirName(c.models, c.endpoint_type, "", stimulus);
  // GenAI-Perf names a run by its stimulus only, so a shell loop over --isl overwrites each
  // point with the next; --workload-suffix appends the typed workload flags (docs/sweeps.md).
  if (!c.workload_suffix) return name;
  const std::string swept = c.sweep_point ? c.sweep_point->parameter : "";
  auto with_sd = [](std::string tag, bool sd_given, int sd) {
    return sd_given ? tag + fmt::format("sd{}", sd) : tag;
  };
  if (!c.task.empty()) name += "-" + c.task;
  if ((c.isl_given || c.isl_stddev_given) && swept != "input_sequence_length") {
    name += "-" + with_sd(fmt::format("isl{}", c.synthetic_input_tokens_mean), c.isl_stddev_given,
                          c.synthetic_input_tokens_stddev);
  }
  if ((c.osl_given || c.osl_stddev_given) && c.output_tokens_mean) {
    name += "-" + with_sd(fmt::format("osl{}", *c.output_tokens_mean), c.osl_stddev_given, c.output_tokens_stddev);
  }
  if (c.num_dataset_entries_given && swept != "num_dataset_entries") {
    name += fmt::format("-entries{}", c.num_dataset_entries);
  }
  if (c.random_seed_given) name += fmt::format("-seed{}", c.random_seed);
  if (c.burstiness != 1.0) name += "-burstiness" + PythonFloatRepr(c.burstiness);
  return name;
}

std::string GenAiPerfFileName(const std::string& profile_export_file, const std::string& ext) {
  const auto dot = profile_export_file.rfind('.');
  const std::string stem = dot == std::string::npos ? profile_export_file : profile_export_file.substr(0, dot);
  return stem + "_genai_perf." + ext;
}

std::string BenchFileName(const std::string& profile_export_file) {
  const auto dot = profile_export_file.rfind('.');
  const std::string stem = dot == std::string::npos ? profile_export_file : profile_export_file.substr(0, dot);
  return stem + "_bench.json";
}

}  // namespace bench
