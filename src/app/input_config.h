#pragma once
// `input_config` of profile_export_genai_perf.json: the run's configuration in GenAI-Perf's
// nested layout (reference §4.4), with secrets redacted.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "app/config.h"

namespace bench {

/// "Authorization: Bearer x" -> "Authorization: <redacted>" for credential-carrying headers.
std::string RedactHeader(const std::string& header);

/// The nested input_config object for `config`.
nlohmann::ordered_json InputConfigJson(const ProfileConfig& config);

}  // namespace bench
