#include "report/gate.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metrics/metric_registry.h"
#include "report/bench_json_exporter.h"

namespace bench {
namespace {

// The keys a gate can read: GenAI-Perf's metrics in *_genai_perf.json (bench's own figures
// live in *_bench.json, which gates read only for error_rate).
bool IsGateMetric(const std::string& name) {
  const MetricInfo* m = FindMetric(name);
  return m != nullptr && !m->bench_only;
}

std::string KnownGateMetrics() {
  std::string names;
  for (const MetricInfo& m : Metrics()) {
    if (m.bench_only) continue;
    if (!names.empty()) names += ", ";
    names += m.key;
  }
  return names;
}

class Cursor {
 public:
  explicit Cursor(const std::string& s) : s_(s) {}
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  size_t pos() const { return pos_; }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string Identifier() {
    const size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  std::optional<double> Number() {
    const char* begin = s_.c_str() + pos_;
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || !std::isfinite(v)) return std::nullopt;
    pos_ += static_cast<size_t>(end - begin);
    return v;
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;
};

bool IsStat(const std::string& s) {
  if (s == "avg" || s == "min" || s == "max" || s == "std") return true;
  if (s.size() < 2 || s.size() > 3 || s[0] != 'p') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int n = std::atoi(s.c_str() + 1);
  return n >= 1 && n <= 99 && s[1] != '0';
}

// Milliseconds per unit of a time gate (metric values are stored in ms).
double MsPerUnit(const std::string& unit) {
  if (unit == "s") return 1000.0;
  if (unit == "us") return 0.001;
  return 1.0;
}

bool Holds(double value, GateOp op, double threshold) {
  switch (op) {
    case GateOp::kLess: return value < threshold;
    case GateOp::kLessEqual: return value <= threshold;
    case GateOp::kGreater: return value > threshold;
    case GateOp::kGreaterEqual: return value >= threshold;
    case GateOp::kEqual: return value == threshold;
    case GateOp::kNotEqual: return value != threshold;
  }
  return false;
}

std::string Subject(const Gate& g) {
  return g.metric == "error_rate" ? g.metric : fmt::format("{}({})", g.stat, g.metric);
}

std::string WithUnit(double v, const std::string& unit) {
  if (unit.empty()) return fmt::format("{:.6g}", v);
  if (unit == "%") return fmt::format("{:.6g}%", v);
  return fmt::format("{:.6g} {}", v, unit);
}

GateResult Unmeasured(const Gate& g, const std::string& why) {
  GateResult r;
  r.failed = true;
  r.message = fmt::format("{}: {} (the gate '{}' cannot pass without it)", Subject(g), why, g.text);
  return r;
}

}  // namespace

const char* GateOpText(GateOp op) {
  switch (op) {
    case GateOp::kLess: return "<";
    case GateOp::kLessEqual: return "<=";
    case GateOp::kGreater: return ">";
    case GateOp::kGreaterEqual: return ">=";
    case GateOp::kEqual: return "==";
    case GateOp::kNotEqual: return "!=";
  }
  return "?";
}

GateParse ParseGate(const std::string& expr, const std::string& flag) {
  GateParse out;
  const auto fail = [&](size_t pos, const std::string& what) {
    out.error = fmt::format("{} '{}': at position {}: {}", flag, expr, pos + 1, what);
    return out;
  };
  Gate g;
  g.text = expr;
  Cursor c(expr);
  c.SkipSpace();
  const size_t name_pos = c.pos();
  size_t metric_pos = name_pos;
  std::string name = c.Identifier();
  if (name.empty()) return fail(name_pos, "expected a statistic such as p99(...) or a metric name");
  c.SkipSpace();
  if (c.Consume('(')) {
    if (!IsStat(name)) return fail(name_pos, fmt::format("unknown statistic '{}' (use avg, min, max, std or p1..p99)", name));
    g.stat = name;
    c.SkipSpace();
    metric_pos = c.pos();
    g.metric = c.Identifier();
    if (g.metric.empty()) return fail(metric_pos, "expected a metric name, e.g. time_to_first_token");
    c.SkipSpace();
    if (!c.Consume(')')) return fail(c.pos(), "expected ')'");
    c.SkipSpace();
  } else {
    g.stat = "avg";
    g.metric = name;
  }
  const size_t op_pos = c.pos();
  const char a = c.Peek(), b = c.Peek(1);
  if (a == '<' && b == '=') g.op = GateOp::kLessEqual;
  else if (a == '>' && b == '=') g.op = GateOp::kGreaterEqual;
  else if (a == '=' && b == '=') g.op = GateOp::kEqual;
  else if (a == '!' && b == '=') g.op = GateOp::kNotEqual;
  else if (a == '<') g.op = GateOp::kLess;
  else if (a == '>') g.op = GateOp::kGreater;
  else return fail(op_pos, "expected a comparison: <, <=, >, >=, == or !=");
  c.Consume(a);
  if (b == '=') c.Consume('=');
  c.SkipSpace();
  const size_t number_pos = c.pos();
  const auto number = c.Number();
  if (!number) return fail(number_pos, "expected a number");
  g.threshold = *number;
  c.SkipSpace();
  const size_t unit_pos = c.pos();
  if (c.Consume('%')) {
    g.unit = "%";
  } else {
    g.unit = c.Identifier();
    if (!g.unit.empty() && g.unit != "ms" && g.unit != "s" && g.unit != "us") {
      return fail(unit_pos, fmt::format("unknown unit '{}' (use ms, s, us, % or none)", g.unit));
    }
  }
  c.SkipSpace();
  if (!c.AtEnd()) return fail(c.pos(), "unexpected text after the threshold");
  if (g.metric == "error_rate" && g.stat != "avg") {
    return fail(name_pos, "error_rate is one number per run: write 'error_rate > 1%'");
  }
  if (g.unit == "%" && g.metric != "error_rate") {
    return fail(unit_pos, "'%' applies to error_rate only");
  }
  if (g.metric == "error_rate" && !g.unit.empty() && g.unit != "%") {
    return fail(unit_pos, "error_rate takes '%' or a plain fraction");
  }
  // Checked last, so a malformed expression is told as such first; a gate on a metric that
  // cannot exist would only fail after the whole run.
  if (g.metric != "error_rate" && !IsGateMetric(g.metric)) {
    return fail(metric_pos, fmt::format("unknown metric '{}' (use {} or error_rate)", g.metric, KnownGateMetrics()));
  }
  out.gate = std::move(g);
  return out;
}

GateResult EvaluateGate(const Gate& gate, const nlohmann::json& doc) {
  double measured = 0;
  std::string shown_unit = gate.unit;
  if (gate.metric == "error_rate") {
    double total = 0, failed = 0;
    const auto errors = doc.value("/bench/errors"_json_pointer, nlohmann::json());
    if (errors.is_object()) {
      total = errors.value("total_requests", 0.0);
      failed = errors.value("failed_requests", 0.0);
    }
    measured = total > 0 ? failed / total : 0.0;
    if (gate.unit == "%") measured *= 100.0;
  } else {
    if (!doc.contains(gate.metric) || !doc[gate.metric].is_object() || gate.metric == "input_config") {
      return Unmeasured(gate, "this run has no such metric (streaming-only metrics need --streaming)");
    }
    const nlohmann::json& m = doc[gate.metric];
    if (!m.contains(gate.stat) || !m[gate.stat].is_number()) {
      return Unmeasured(gate, fmt::format("this run has no '{}' statistic for it", gate.stat));
    }
    measured = m[gate.stat].get<double>();
    if (std::isnan(measured)) return Unmeasured(gate, fmt::format("its '{}' is NaN", gate.stat));
    const std::string metric_unit = m.value("unit", "");
    const bool time_gate = gate.unit == "ms" || gate.unit == "s" || gate.unit == "us";
    if (time_gate) {
      if (metric_unit != "ms") {
        return Unmeasured(gate, fmt::format("'{}' is a time unit but the metric is in '{}'", gate.unit, metric_unit));
      }
      measured /= MsPerUnit(gate.unit);
    } else if (metric_unit == "ms") {
      shown_unit = "ms";  // a plain number against a time metric means ms, the JSON's unit
    }
  }
  GateResult r;
  r.measured = measured;
  r.failed = Holds(measured, gate.op, gate.threshold);
  r.value = fmt::format("{} = {}", Subject(gate), WithUnit(measured, shown_unit));
  r.condition = fmt::format("{} {}", GateOpText(gate.op), WithUnit(gate.threshold, shown_unit));
  r.message = r.value + " " + r.condition;
  return r;
}

bool CheckGates(const std::vector<Gate>& gates, const nlohmann::ordered_json& run_document) {
  if (gates.empty()) return true;
  const nlohmann::json doc = run_document;
  bool passed = true;
  for (const Gate& gate : gates) {
    const GateResult r = EvaluateGate(gate, doc);
    if (r.failed) {
      spdlog::error("gate failed: {}", r.message);
      passed = false;
    } else {
      spdlog::info("gate passed: {} (fails when {})", r.value, r.condition);
    }
  }
  return passed;
}

}  // namespace bench
