#include "app/run_dir.h"

#include <fmt/format.h>

#include "report/artifacts.h"
#include "util/python_json.h"

namespace bench {

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
  std::string name = ArtifactDirName(c.models, c.endpoint_type, c.backend, stimulus);
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

}  // namespace bench
