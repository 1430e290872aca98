#include "report/server_comparison.h"

#include <vector>

#include "util/rich_table.h"

namespace bench {
namespace {

using Json = nlohmann::ordered_json;

// Fields of the bench file's "server" object worth a row, in the order a reader asks them.
constexpr const char* kFields[] = {"engine",          "version",           "api_version", "backend_version",
                                   "model",           "profile",           "profile_id",  "precision",
                                   "tensor_parallel", "pipeline_parallel", "dtype",       "model_path"};

const Json* ServerOf(const Json& run) {
  if (!run.is_object()) return nullptr;
  const auto bench = run.find("bench");
  if (bench == run.end() || !bench->is_object()) return nullptr;
  const auto server = bench->find("server");
  return server != bench->end() && server->is_object() ? &*server : nullptr;
}

std::string Cell(const Json* server, const char* field) {
  if (server == nullptr) return "";
  const auto it = server->find(field);
  if (it == server->end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string FormatServerComparison(const Json& baseline, const Json& candidate, int width) {
  const Json* base = ServerOf(baseline);
  const Json* cand = ServerOf(candidate);
  if (base == nullptr && cand == nullptr) return "";
  RichTable table("Server");
  table.AddColumn({"Field", Justify::kLeft, std::nullopt, true});
  table.AddColumn({"Baseline", Justify::kLeft});
  table.AddColumn({"Candidate", Justify::kLeft});
  table.AddColumn({"Diff", Justify::kLeft, std::nullopt, true});
  bool any = false;
  for (const char* field : kFields) {
    const std::string b = Cell(base, field);
    const std::string c = Cell(cand, field);
    if (b.empty() && c.empty()) continue;
    table.AddRow({field, b.empty() ? "-" : b, c.empty() ? "-" : c, b == c ? "" : "differs"});
    any = true;
  }
  if (!any) table.AddRow({"engine", base ? "unknown" : "not recorded", cand ? "unknown" : "not recorded", ""});
  return table.Render(width);
}

}  // namespace bench
