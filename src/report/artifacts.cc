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
