#include "app/kserve_flags.h"

#include <fmt/format.h>

namespace bench {

void AddKserveOptions(CLI::App* app, ProfileConfig& p) {
  app->add_option("--backend", p.backend, "Triton backend the kserve requests are shaped for: tensorrtllm | vllm")
      ->check(CLI::IsMember({"tensorrtllm", "vllm"}))
      ->capture_default_str();
  app->add_option("--service-kind", p.service_kind,
                  "GenAI-Perf's older flag: triton = --endpoint-type kserve; openai = an OpenAI --endpoint-type")
      ->check(CLI::IsMember({"triton", "openai"}));
}

std::string ValidateKserve(ProfileConfig& c, const CLI::App& app) {
  const bool type_given = app.count("--endpoint-type") > 0;
  if (c.service_kind == "triton") {
    if (type_given && c.endpoint_type != "kserve") {
      return fmt::format("--service-kind triton: speaks --endpoint-type kserve, not {}", c.endpoint_type);
    }
    c.endpoint_type = "kserve";
  } else if (c.service_kind == "openai" && c.endpoint_type == "kserve") {
    return "--service-kind openai: needs an OpenAI --endpoint-type (chat, completions), not kserve";
  }
  if (c.endpoint_type != "kserve") {
    if (app.count("--backend") > 0) {
      return fmt::format("--backend: only for --endpoint-type kserve (Triton's backends), not {}", c.endpoint_type);
    }
    return "";
  }
  if (!c.endpoint.empty()) return "--endpoint: --endpoint-type kserve calls gRPC methods, not a URL path";
  if (c.http_client != "auto") return "--http-client: --endpoint-type kserve always speaks gRPC";
  if (c.input_file.rfind("payload:", 0) == 0) return "--input-file payload:FILE: not supported with --endpoint-type kserve yet";
  if (c.url.rfind("https://", 0) == 0) return "--url: --endpoint-type kserve speaks plain gRPC; TLS is not supported yet";
  // GenAI-Perf's default URL is Triton's gRPC port.
  if (app.count("--url") == 0) c.url = "localhost:8001";
  return "";
}

}  // namespace bench
