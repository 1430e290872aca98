#pragma once
// `bench create-template`: the YAML config with every key at bench's default, in GenAI-Perf's
// order and indentation (its BaseConfig.create_template).

#include <string>

#include "app/config.h"

namespace bench {

/// Writes ConfigTemplate to config.file, never over an existing file (exit 5 then). Returns
/// the exit code.
int WriteConfigTemplate(const TemplateConfig& config);

/// The template; `verbose` adds a comment above each key.
std::string ConfigTemplate(bool verbose);

}  // namespace bench
