#include "report/artifacts.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/python_json.h"

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

namespace {

// `profile_export.json` -> `profile_export`: the name the other files of a run are made from.
std::string Stem(const std::string& profile_export_file) {
  return profile_export_file.substr(0, profile_export_file.rfind('.'));
}

}  // namespace

std::string GenAiPerfFileName(const std::string& profile_export_file, const std::string& ext) {
  return Stem(profile_export_file) + "_genai_perf." + ext;
}

std::string BenchFileName(const std::string& profile_export_file) { return Stem(profile_export_file) + "_bench.json"; }

}  // namespace bench
