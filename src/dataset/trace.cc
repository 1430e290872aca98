#include "dataset/trace.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "util/jsonl.h"

namespace bench {
namespace {

// Reads one line's fields; returns "field 'NAME': problem" or "".
class LineReader {
 public:
  explicit LineReader(const nlohmann::ordered_json& row) : row_(row) {}

  // An integer in [min, max] (a float such as 1.0 is not accepted: PA needs integer times).
  std::string Integer(const char* name, int64_t min, int64_t max, std::optional<int64_t>& out) const {
    if (!row_.contains(name)) return "";
    const auto& v = row_[name];
    if (!v.is_number_integer()) return fmt::format("field '{}': expected an integer", name);
    const bool too_big = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(max);
    const int64_t n = too_big ? max : v.get<int64_t>();
    if (too_big || n < min || n > max) {
      return max == std::numeric_limits<int64_t>::max()
                 ? fmt::format("field '{}': expected an integer >= {}", name, min)
                 : fmt::format("field '{}': expected an integer in [{}, {}]", name, min, max);
    }
    out = n;
    return "";
  }

 private:
  const nlohmann::ordered_json& row_;
};

std::optional<int> Narrow(const std::optional<int64_t>& v) {
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

// Parses one non-empty line; returns "field '...': ..." (or a line-level problem) or "".
std::string ParseLine(const std::string& line, bool require_timestamp, TraceEntry& e) {
  const auto row = nlohmann::ordered_json::parse(line, nullptr, false);
  if (row.is_discarded() || !row.is_object()) return "not a JSON object";
  const LineReader r(row);
  constexpr int64_t kMaxInt = std::numeric_limits<int>::max();
  constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
  std::optional<int64_t> input_length, output_length;
  if (auto err = r.Integer("timestamp", 0, kMaxI64, e.timestamp_ms); !err.empty()) return err;
  if (auto err = r.Integer("input_length", 0, kMaxInt, input_length); !err.empty()) return err;
  if (auto err = r.Integer("output_length", 1, kMaxInt, output_length); !err.empty()) return err;
  if (auto err = r.Integer("delay", 0, kMaxI64, e.delay_ms); !err.empty()) return err;
  e.input_length = Narrow(input_length);
  e.output_length = Narrow(output_length);
  if (require_timestamp && !e.timestamp_ms) {
    return "field 'timestamp': required with --fixed-schedule (integer milliseconds from the start)";
  }
  if (row.contains("hash_ids")) {
    const auto& ids = row["hash_ids"];
    if (!ids.is_array()) return "field 'hash_ids': expected a list of integers";
    for (const auto& id : ids) {
      if (!id.is_number_integer()) return "field 'hash_ids': expected a list of integers";
      e.hash_ids.push_back(id.is_number_unsigned() ? static_cast<int64_t>(id.get<uint64_t>()) : id.get<int64_t>());
    }
  }
  const bool has_text = row.contains("text");
  const bool has_text_input = row.contains("text_input");
  if (has_text && has_text_input) return "field 'text_input': both 'text' and 'text_input' are given; use one";
  if (has_text || has_text_input) {
    const char* name = has_text ? "text" : "text_input";
    if (!row[name].is_string()) return fmt::format("field '{}': expected a string", name);
    e.text = Strip(row[name].get<std::string>());
    if (e.input_length) {
      return fmt::format("field 'input_length': given together with '{}'; use one prompt source", name);
    }
  }
  if (!e.text && !e.input_length) {
    return "field 'input_length': missing (each line needs 'input_length', 'text' or 'text_input')";
  }
  if (!e.hash_ids.empty()) {
    if (!e.input_length) return "field 'hash_ids': requires 'input_length'";
    const int64_t last = *e.input_length - int64_t{kTraceBlockTokens} * static_cast<int64_t>(e.hash_ids.size() - 1);
    if (last <= 0 || last > kTraceBlockTokens) {
      return fmt::format(
          "field 'hash_ids': {} blocks of {} tokens do not fit input_length {} (the last block would have {} "
          "tokens; it must have 1..{})",
          e.hash_ids.size(), kTraceBlockTokens, *e.input_length, last, kTraceBlockTokens);
    }
  }
  if (row.contains("session_id")) {
    const auto& v = row["session_id"];
    if (!v.is_string() && !v.is_number_integer()) return "field 'session_id': expected a string or an integer";
    e.session_id = v;
  }
  if (row.contains("priority")) {
    if (!row["priority"].is_number_integer()) return "field 'priority': expected an integer";
    e.priority = row["priority"];
  }
  static const char* const kKnown[] = {"timestamp", "input_length", "output_length", "delay", "hash_ids",
                                       "text",      "text_input",   "session_id",    "priority"};
  for (const auto& [key, value] : row.items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) e.extra[key] = value;
  }
  return "";
}

}  // namespace

Parsed<std::vector<TraceEntry>> ReadTraceFile(const std::string& path, bool require_timestamps) {
  Parsed<std::vector<TraceEntry>> out;
  const JsonlRead read = ForEachJsonlLine(path, [&](int line_no, const std::string& line) -> std::string {
    TraceEntry entry;
    entry.line = line_no;
    if (std::string err = ParseLine(line, require_timestamps, entry); !err.empty()) return err;
    if (require_timestamps && !out.value.empty() && *entry.timestamp_ms < *out.value.back().timestamp_ms) {
      return fmt::format("field 'timestamp': {} is earlier than line {}'s {} (a trace must be in time order)",
                         *entry.timestamp_ms, out.value.back().line, *out.value.back().timestamp_ms);
    }
    out.value.push_back(std::move(entry));
    return "";
  });
  if (!read.opened) {
    out.error = fmt::format("--input-file payload:{}: cannot open file", path);
  } else if (!read.error.empty()) {
    out.error = read.error;
  } else if (out.value.empty()) {
    out.error = fmt::format("--input-file payload:{}: no requests in file", path);
  }
  return out;
}

std::vector<int> TraceBlockSizes(const TraceEntry& entry) {
  std::vector<int> sizes;
  if (entry.hash_ids.empty() || !entry.input_length) return sizes;
  sizes.assign(entry.hash_ids.size(), kTraceBlockTokens);
  sizes.back() = *entry.input_length - kTraceBlockTokens * static_cast<int>(entry.hash_ids.size() - 1);
  return sizes;
}

std::vector<std::string> TracePrompts(const std::vector<TraceEntry>& entries,
                                      SyntheticPromptGenerator& generator, const Tokenizer& tokenizer,
                                      size_t& inexact) {
  // Pass 1: every distinct block (hash id, size) and every plain input_length prompt, in file
  // order, so one GenerateAll call draws the random starts in a fixed order and runs in parallel.
  std::map<std::pair<int64_t, int>, size_t> block_index;
  std::vector<PromptSpec> specs;
  std::vector<size_t> plain_index(entries.size(), 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    const TraceEntry& e = entries[i];
    if (e.text) continue;
    if (e.hash_ids.empty()) {
      plain_index[i] = specs.size();
      specs.push_back(PromptSpec{*e.input_length, {}, 0});
      continue;
    }
    const std::vector<int> sizes = TraceBlockSizes(e);
    for (size_t b = 0; b < sizes.size(); ++b) {
      if (block_index.emplace(std::pair{e.hash_ids[b], sizes[b]}, specs.size()).second) {
        specs.push_back(PromptSpec{sizes[b], {}, 0});
      }
    }
  }
  const size_t inexact_before = generator.inexact_count();
  std::vector<std::string> texts = generator.GenerateAll(specs);
  inexact += generator.inexact_count() - inexact_before;

  // Pass 2: assemble. A block decodes without a leading space, so " " joins blocks the way a
  // decoded run of tokens would read; the whole prompt is counted to confirm it is exact.
  std::vector<std::string> prompts;
  prompts.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const TraceEntry& e = entries[i];
    if (e.text) {
      prompts.push_back(*e.text);
    } else if (e.hash_ids.empty()) {
      prompts.push_back(texts[plain_index[i]]);
    } else {
      const std::vector<int> sizes = TraceBlockSizes(e);
      std::string prompt;
      for (size_t b = 0; b < sizes.size(); ++b) {
        if (b > 0) prompt += ' ';
        prompt += texts[block_index.at({e.hash_ids[b], sizes[b]})];
      }
      if (tokenizer.CountTokens(prompt) != static_cast<size_t>(*e.input_length)) ++inexact;
      prompts.push_back(std::move(prompt));
    }
  }
  return prompts;
}

}  // namespace bench
