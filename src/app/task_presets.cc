#include "app/task_presets.h"

#include <array>

#include <fmt/format.h>

namespace bench {
namespace {

// The token table of our reference guide (input / output tokens). Keep README and
// docs/compatibility.md in step when editing.
constexpr std::array kPresets = {
    TaskPreset{"translation", {150, 300}, {150, 300}},
    TaskPreset{"summarization", {500, 2000}, {100, 300}},
    TaskPreset{"question-answering", {200, 500}, {50, 200}},
    TaskPreset{"code-generation", {100, 500}, {200, 1000}},
    TaskPreset{"essay", {50, 200}, {500, 2000}},
    TaskPreset{"chat", {50, 150}, {100, 500}},
    TaskPreset{"classification", {100, 500}, {10, 50}},
    TaskPreset{"extraction", {300, 1000}, {100, 500}},
};

}  // namespace

std::span<const TaskPreset> TaskPresets() { return kPresets; }

const TaskPreset* FindTaskPreset(std::string_view name) {
  for (const TaskPreset& p : kPresets) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string TaskPresetNames() {
  std::string out;
  for (const TaskPreset& p : kPresets) {
    if (!out.empty()) out += ", ";
    out += p.name;
  }
  return out;
}

std::string TaskPresetTable() {
  std::string out;
  for (const TaskPreset& p : kPresets) {
    out += fmt::format("  {:<19} input {:>4}-{:<4} (mean {:>4}, stddev {:>3})  output {:>4}-{:<4} (mean {:>4}, stddev {:>3})\n",
                       p.name, p.input.min, p.input.max, p.input.Mean(), p.input.Stddev(), p.output.min,
                       p.output.max, p.output.Mean(), p.output.Stddev());
  }
  return out;
}

void ApplyTaskPreset(const TaskPreset& preset, const ExplicitLengthFlags& given, ProfileConfig& config) {
  if (!given.input_mean) config.synthetic_input_tokens_mean = preset.input.Mean();
  if (!given.input_stddev) config.synthetic_input_tokens_stddev = preset.input.Stddev();
  if (!given.input_mean && !given.input_stddev) {
    config.synthetic_input_tokens_clip = std::pair{preset.input.min, preset.input.max};
  }
  if (!given.output_mean) config.output_tokens_mean = preset.output.Mean();
  if (!given.output_stddev) config.output_tokens_stddev = preset.output.Stddev();
  if (!given.output_mean && !given.output_stddev) {
    config.output_tokens_clip = std::pair{preset.output.min, preset.output.max};
  }
}

}  // namespace bench
