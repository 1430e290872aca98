#include "app/sweep.h"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "util/python_json.h"

namespace bench {
namespace {

struct TypeInfo {
  SweepType type;
  const char* name;
  const char* flag;
  double default_min;
  double default_max;
};

constexpr std::array<TypeInfo, 5> kTypes{{
    {SweepType::kConcurrency, "concurrency", "--concurrency", 1, 1024},
    {SweepType::kRequestRate, "request_rate", "--request-rate", 16, 8192},
    {SweepType::kInputSequenceLength, "input_sequence_length", "--synthetic-input-tokens-mean", 100, 1000},
    {SweepType::kNumDatasetEntries, "num_dataset_entries", "--num-dataset-entries", 100, 1000},
    {SweepType::kBatchSize, "batch_size", "--batch-size", 1, 128},
}};

const TypeInfo& Info(SweepType type) {
  for (const TypeInfo& info : kTypes) {
    if (info.type == type) return info;
  }
  return kTypes[0];
}

// A mistyped range must not allocate billions of points before anyone notices.
constexpr size_t kMaxPoints = 100000;

// Parses one positive value; whole numbers unless `fractions` (request rates).
std::optional<double> ParseValue(const std::string& text, bool fractions) {
  if (text.empty() || text.find_first_of(" \t") != std::string::npos) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v) || !(v > 0)) return std::nullopt;
  if (!fractions && (v != std::floor(v) || v > std::numeric_limits<int>::max())) return std::nullopt;
  return v;
}

std::string ValueKind(bool fractions) { return fractions ? "a number > 0" : "a whole number >= 1"; }

// Rates like 0.1 * 3 must not print as 0.30000000000000004.
double Tidy(double v) { return std::round(v * 1e9) / 1e9; }

std::vector<double> PowersOfTwo(double min, double max) {
  std::vector<double> out;
  double p = 1;
  while (p / 2 >= min) p /= 2;
  while (p < min) p *= 2;
  for (; p <= max && out.size() <= kMaxPoints; p *= 2) out.push_back(p);
  return out;
}

std::vector<double> Linear(double min, double max, double step) {
  std::vector<double> out;
  for (size_t k = 0; out.size() <= kMaxPoints; ++k) {
    const double v = Tidy(min + static_cast<double>(k) * step);
    if (v > max) break;
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

std::string ParseList(const std::string& list, bool fractions, std::vector<double>& values) {
  if (list.empty()) return "--sweep-list: empty (expected comma-separated values, e.g. 1,2,4)";
  std::set<double> seen;
  for (const std::string& item : Split(list, ',')) {
    const auto v = ParseValue(item, fractions);
    if (!v) return fmt::format("--sweep-list '{}': '{}' is not {}", list, item, ValueKind(fractions));
    // Two equal points would write the same artifact directory.
    if (!seen.insert(*v).second) return fmt::format("--sweep-list '{}': {} appears twice", list, item);
    values.push_back(*v);
  }
  return "";
}

std::string ParseRange(const std::string& range, SweepType type, bool fractions, std::vector<double>& values) {
  const std::vector<std::string> parts = Split(range, ':');
  if (parts.size() != 2 && parts.size() != 3) {
    return fmt::format("--sweep-range '{}': expected min:max or min:max:step", range);
  }
  std::array<double, 3> n{};
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto v = ParseValue(parts[i], fractions);
    if (!v) {
      static constexpr std::array<const char*, 3> kWhat{"min", "max", "step"};
      return fmt::format("--sweep-range '{}': {} '{}' is not {}", range, kWhat[i], parts[i], ValueKind(fractions));
    }
    n[i] = *v;
  }
  const double min = n[0], max = n[1];
  if (min > max) return fmt::format("--sweep-range '{}': min {} is greater than max {}", range, parts[0], parts[1]);
  if (parts.size() == 3) {
    values = Linear(min, max, n[2]);
  } else if (type == SweepType::kNumDatasetEntries) {
    values = Linear(min, max, 1);
  } else {
    values = PowersOfTwo(min, max);
    if (values.empty()) {
      return fmt::format("--sweep-range '{}': no power of two lies between {} and {} (give a step, min:max:step, "
                         "or --sweep-list)", range, parts[0], parts[1]);
    }
  }
  if (values.size() > kMaxPoints) {
    return fmt::format("--sweep-range '{}': more than {} points", range, kMaxPoints);
  }
  return "";
}

}  // namespace

std::string SweepTypeName(SweepType type) { return Info(type).name; }

std::optional<SweepType> ParseSweepType(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (name == info.name) return info.type;
  }
  return std::nullopt;
}

std::string SweepTypeFlag(SweepType type) { return Info(type).flag; }

SweepPlanResult ParseSweepPlan(std::string_view type, const std::optional<std::string>& list,
                               const std::optional<std::string>& range) {
  SweepPlanResult out;
  const auto parsed = ParseSweepType(type);
  if (!parsed) {
    out.error = fmt::format("--sweep-type '{}': expected one of concurrency, request_rate, input_sequence_length, "
                            "num_dataset_entries, batch_size", type);
    return out;
  }
  out.plan.type = *parsed;
  if (list && range) {
    out.error = "--sweep-list and --sweep-range cannot be combined (give one)";
    return out;
  }
  const bool fractions = *parsed == SweepType::kRequestRate;
  if (list) {
    out.error = ParseList(*list, fractions, out.plan.values);
  } else if (range) {
    out.error = ParseRange(*range, *parsed, fractions, out.plan.values);
  } else {
    const TypeInfo& info = Info(*parsed);
    out.plan.values = *parsed == SweepType::kNumDatasetEntries ? Linear(info.default_min, info.default_max, 1)
                                                               : PowersOfTwo(info.default_min, info.default_max);
  }
  return out;
}

std::string FormatSweepValue(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<long long>(value));
  return PythonFloatRepr(value);
}

}  // namespace bench
