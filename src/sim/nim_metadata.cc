#include "sim/nim_metadata.h"

#include <fmt/format.h>

#include <cstdint>

#include <nlohmann/json.hpp>

namespace bench {
namespace {

// FNV-1a, 64 bits: stable across runs and builds (std::hash is not), so two runs against the
// same simulated profile record the same id.
uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (const unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string SimNimVersionBody() {
  return nlohmann::ordered_json{{"release", BENCH_VERSION}, {"api", BENCH_VERSION}}.dump();
}

std::string SimNimMetadataBody(std::string_view profile_name) {
  const nlohmann::ordered_json body = {{"version", BENCH_VERSION},
                                       {"modelInfo", nlohmann::json::array()},
                                       {"assetInfo", nlohmann::json::array()},
                                       {"profile_id", fmt::format("{:016x}", Fnv1a(profile_name))},
                                       {"profile_name", std::string(profile_name)}};
  return body.dump();
}

}  // namespace bench
