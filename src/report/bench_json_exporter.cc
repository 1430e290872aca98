#include "report/bench_json_exporter.h"

#include <fstream>

#include "util/python_json.h"

namespace bench {

namespace fs = std::filesystem;

nlohmann::ordered_json BuildBenchJson(const ExportContext& context) {
  nlohmann::ordered_json doc = {{"json_schema_version", kBenchJsonSchemaVersion}};
  const ErrorSummary& errors = context.errors;
  if (errors.failed_requests > 0) {
    nlohmann::ordered_json by_kind = nlohmann::ordered_json::object();
    for (const auto& [kind, count] : errors.counts_by_kind) by_kind[kind] = count;
    doc["errors"] = {{"total_requests", errors.total_requests},
                     {"failed_requests", errors.failed_requests},
                     {"by_kind", std::move(by_kind)},
                     {"first_messages", errors.first_messages}};
  }
  if (context.extra.is_object()) {
    for (auto it = context.extra.begin(); it != context.extra.end(); ++it) doc[it.key()] = it.value();
  } else if (!context.extra.is_null()) {
    doc["extra"] = context.extra;
  }
  return doc;
}

void BenchJsonExporter::Export(const StatsReport&, const ExportContext& context, std::ostream& out) const {
  out << PythonJsonDumps(BuildBenchJson(context), 2);
}

fs::path BenchJsonBeside(const fs::path& genai_perf_json) {
  static const std::string kSuffix = "_genai_perf.json";
  std::string name = genai_perf_json.filename().string();
  if (name.size() >= kSuffix.size() && name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    name.resize(name.size() - kSuffix.size());
  } else if (const auto dot = name.rfind('.'); dot != std::string::npos) {
    name.resize(dot);
  }
  return genai_perf_json.parent_path() / (name + "_bench.json");
}

nlohmann::ordered_json ReadRunJson(const fs::path& genai_perf_json) {
  std::ifstream in(genai_perf_json);
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return nlohmann::ordered_json::parse("{", nullptr, false);
  std::ifstream bench_in(BenchJsonBeside(genai_perf_json));
  if (!bench_in) return doc;
  nlohmann::ordered_json bench = nlohmann::ordered_json::parse(bench_in, nullptr, false);
  if (bench.is_object()) doc["bench"] = std::move(bench);
  return doc;
}

}  // namespace bench
