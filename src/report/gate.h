#pragma once
// CI gates (`--fail-if EXPR`, a bench addition): a threshold on one statistic of one metric of
// profile_export_genai_perf.json, checked after the run (or offline by `bench report`).
//
//   EXPR   := [STAT "(" METRIC ")" | METRIC] OP NUMBER [UNIT]
//   STAT   := avg | min | max | std | p1 .. p99        (a bare METRIC means avg)
//   METRIC := any metric key of the JSON, or error_rate (failed / all requests)
//   OP     := < | <= | > | >= | == | !=
//   UNIT   := ms | s | us  (time metrics, stored in ms)  |  %  (error_rate)  |  none

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

enum class GateOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

/// One parsed --fail-if expression: the run fails when `stat(metric) op threshold` holds.
struct Gate {
  std::string text;    // as typed, for messages
  std::string stat;    // "avg", "p99", ...
  std::string metric;  // JSON key or "error_rate"
  GateOp op = GateOp::kGreater;
  double threshold = 0;  // as typed, in `unit`
  std::string unit;      // "", "ms", "s", "us" or "%"
};

/// A gate or a one-line error naming the flag and the character position.
struct GateParse {
  std::optional<Gate> gate;
  std::string error;
};

/// Parses one --fail-if expression.
GateParse ParseGate(const std::string& expr, const std::string& flag = "--fail-if");

/// The outcome of one gate against one run.
struct GateResult {
  bool failed = false;
  std::optional<double> measured;  // in the gate's unit; unset when the run lacks the value
  std::string message;             // "p99(time_to_first_token) = 612.4 ms > 500 ms" or why unmeasured
  std::string value;               // "p99(time_to_first_token) = 612.4 ms" (empty when unmeasured)
  std::string condition;           // "> 500 ms"
};

/// Evaluates `gate` against a profile_export_genai_perf.json document with its *_bench.json
/// under "bench" (ReadRunJson; error_rate reads "bench"."errors"). A value the run does not
/// have (no streaming, no such statistic, a unit that does not fit) fails the gate: a CI check
/// that cannot be measured must not pass silently.
GateResult EvaluateGate(const Gate& gate, const nlohmann::json& genai_perf_json);

/// Evaluates every gate against a run's document (ResultsSummary::document, or ReadRunJson of
/// saved files), logging "gate failed: ..." as an error for each failure and "gate passed: ..."
/// at info level; true when all pass.
bool CheckGates(const std::vector<Gate>& gates, const nlohmann::ordered_json& run_document);

/// "<" etc.
const char* GateOpText(GateOp op);

}  // namespace bench
