#include "telemetry/prometheus.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>

namespace bench {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsLabelStart(char c) { return IsNameStart(c) && c != ':'; }
bool IsLabelChar(char c) { return IsNameChar(c) && c != ':'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// A cursor over one line; every parse step either advances or reports why it could not.
struct Cursor {
  std::string_view s;
  size_t at = 0;
  bool done() const { return at >= s.size(); }
  char peek() const { return done() ? '\0' : s[at]; }
  void SkipBlanks() {
    while (!done() && IsBlank(s[at])) ++at;
  }
  std::string_view Word() {
    const size_t start = at;
    while (!done() && !IsBlank(s[at])) ++at;
    return s.substr(start, at - start);
  }
};

// A Go-style float as Prometheus accepts it: decimal or exponent notation with an optional
// sign, or NaN / ±Inf / ±Infinity in any case. Hex floats and digit separators are refused.
std::optional<double> ParseValue(std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::string_view body = token;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (EqualsIgnoreCase(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (body.empty()) return std::nullopt;
  for (char c : body) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
  }
  // from_chars takes no leading '+', and a second sign after ours must not slip through.
  if (body[0] == '+' || body[0] == '-') return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec != std::errc() || end != body.data() + body.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<int64_t> ParseTimestamp(std::string_view token) {
  if (token.empty()) return std::nullopt;
  if (token[0] == '+') token.remove_prefix(1);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

// A double-quoted string starting at the cursor; `\\`, `\"` and `\n` are unescaped (label
// values), other escapes are kept as written, as Prometheus' own parser does for HELP text.
std::optional<std::string> QuotedString(Cursor& c, std::string& error) {
  if (c.peek() != '"') {
    error = "expected '\"'";
    return std::nullopt;
  }
  ++c.at;
  std::string out;
  while (!c.done()) {
    const char ch = c.s[c.at++];
    if (ch == '"') return out;
    if (ch != '\\') {
      out.push_back(ch);
      continue;
    }
    if (c.done()) break;
    const char next = c.s[c.at++];
    if (next == 'n') {
      out.push_back('\n');
    } else if (next == '\\' || next == '"') {
      out.push_back(next);
    } else {
      out.push_back('\\');
      out.push_back(next);
    }
  }
  error = "unterminated quoted string";
  return std::nullopt;
}

std::string_view Identifier(Cursor& c, bool (*start)(char), bool (*rest)(char)) {
  const size_t begin = c.at;
  if (c.done() || !start(c.peek())) return {};
  ++c.at;
  while (!c.done() && rest(c.peek())) ++c.at;
  return c.s.substr(begin, c.at - begin);
}

// HELP text unescapes only `\\` and `\n`.
std::string UnescapeHelp(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
      out.push_back(text[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<MetricType> TypeFromWord(std::string_view word) {
  if (word == "counter") return MetricType::kCounter;
  if (word == "gauge") return MetricType::kGauge;
  if (word == "histogram") return MetricType::kHistogram;
  if (word == "summary") return MetricType::kSummary;
  if (word == "untyped" || word == "unknown") return MetricType::kUntyped;
  if (word == "info" || word == "stateset" || word == "gaugehistogram") return MetricType::kOther;
  return std::nullopt;
}

// The label list after '{' up to and including '}'. A lone quoted string is the metric name
// (the quoted-name syntax for names outside [a-zA-Z_:]).
bool ParseLabels(Cursor& c, PromSample& sample, std::string& error) {
  ++c.at;  // '{'
  for (;;) {
    c.SkipBlanks();
    if (c.peek() == '}') {
      ++c.at;
      return true;
    }
    std::string name;
    bool quoted = false;
    if (c.peek() == '"') {
      auto q = QuotedString(c, error);
      if (!q) return false;
      name = std::move(*q);
      quoted = true;
    } else {
      const std::string_view id = Identifier(c, IsLabelStart, IsLabelChar);
      if (id.empty()) {
        error = "expected a label name";
        return false;
      }
      name = std::string(id);
    }
    c.SkipBlanks();
    if (quoted && (c.peek() == ',' || c.peek() == '}')) {
      if (!sample.name.empty()) {
        error = "a second metric name inside '{}'";
        return false;
      }
      sample.name = std::move(name);
    } else {
      if (c.peek() != '=') {
        error = fmt::format("expected '=' after label '{}'", name);
        return false;
      }
      ++c.at;
      c.SkipBlanks();
      auto value = QuotedString(c, error);
      if (!value) return false;
      for (const PromLabel& l : sample.labels) {
        if (l.name == name) {
          error = fmt::format("duplicate label '{}'", name);
          return false;
        }
      }
      sample.labels.push_back({std::move(name), std::move(*value)});
      c.SkipBlanks();
    }
    if (c.peek() == ',') {
      ++c.at;
      continue;
    }
    if (c.peek() != '}') {
      error = c.done() ? "unterminated label list" : "expected ',' or '}' in the label list";
      return false;
    }
  }
}

class Parser {
 public:
  MetricsPage Run(std::string_view text) {
    size_t line_no = 0;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      Line(line, line_no);
      if (end == text.size()) break;
      start = end + 1;
    }
    for (PromSample& s : page_.samples) s.family = FamilyOfName(s.name);
    return std::move(page_);
  }

 private:
  void Fail(size_t line_no, std::string message) {
    ++page_.error_count;
    if (page_.errors.size() < MetricsPage::kMaxKeptErrors) page_.errors.push_back({line_no, std::move(message)});
  }

  int Family(std::string_view name) {
    const auto it = index_.find(std::string(name));
    if (it != index_.end()) return it->second;
    page_.families.push_back({std::string(name), MetricType::kUntyped, {}});
    const int i = static_cast<int>(page_.families.size() - 1);
    index_.emplace(std::string(name), i);
    return i;
  }

  void Line(std::string_view line, size_t line_no) {
    Cursor c{line};
    c.SkipBlanks();
    if (c.done()) return;
    if (c.peek() == '#') {
      Comment(c, line_no);
      return;
    }
    std::string error;
    if (!Sample(c, error)) Fail(line_no, std::move(error));
  }

  void Comment(Cursor& c, size_t line_no) {
    ++c.at;
    c.SkipBlanks();
    const std::string_view keyword = c.Word();
    if (keyword != "HELP" && keyword != "TYPE") return;  // any other comment
    c.SkipBlanks();
    const std::string_view name = c.Word();
    if (name.empty()) {
      Fail(line_no, fmt::format("# {} without a metric name", keyword));
      return;
    }
    c.SkipBlanks();
    const std::string_view rest = c.s.substr(c.at);
    if (keyword == "HELP") {
      page_.families[Family(name)].help = UnescapeHelp(rest);
      return;
    }
    std::string_view word = rest;
    while (!word.empty() && IsBlank(word.back())) word.remove_suffix(1);
    const std::optional<MetricType> type = TypeFromWord(word);
    if (!type) {
      Fail(line_no, fmt::format("# TYPE {}: unknown type '{}'", name, word));
      return;
    }
    const int f = Family(name);
    if (typed_.size() <= static_cast<size_t>(f)) typed_.resize(f + 1, false);
    if (typed_[f]) {
      Fail(line_no, fmt::format("a second # TYPE line for {}", name));
      return;
    }
    typed_[f] = true;
    page_.families[f].type = *type;
  }

  bool Sample(Cursor& c, std::string& error) {
    PromSample sample;
    if (c.peek() != '{') {
      const std::string_view name = Identifier(c, IsNameStart, IsNameChar);
      if (name.empty()) {
        error = "expected a metric name";
        return false;
      }
      sample.name = std::string(name);
      const size_t after_name = c.at;
      c.SkipBlanks();
      if (c.peek() != '{') c.at = after_name;  // the blanks belong before the value
    }
    if (c.peek() == '{' && !ParseLabels(c, sample, error)) return false;
    if (sample.name.empty()) {
      error = "a sample without a metric name";
      return false;
    }
    const size_t before = c.at;
    c.SkipBlanks();
    if (c.at == before && !c.done()) {
      error = "expected a blank before the value";
      return false;
    }
    const std::string_view value_token = c.Word();
    const std::optional<double> value = ParseValue(value_token);
    if (!value) {
      error = value_token.empty() ? "a sample without a value" : fmt::format("invalid value '{}'", value_token);
      return false;
    }
    sample.value = *value;
    c.SkipBlanks();
    if (!c.done() && c.peek() != '#') {
      const std::string_view ts_token = c.Word();
      const std::optional<int64_t> ts = ParseTimestamp(ts_token);
      if (!ts) {
        error = fmt::format("invalid timestamp '{}'", ts_token);
        return false;
      }
      sample.timestamp_ms = ts;
      c.SkipBlanks();
    }
    // An OpenMetrics exemplar (`# {...} value`) may follow; bench has no use for it.
    if (!c.done() && c.peek() != '#') {
      error = "unexpected text after the sample";
      return false;
    }
    page_.samples.push_back(std::move(sample));
    return true;
  }

  // The family a sample name belongs to: itself, or the histogram/summary/counter whose
  // suffixed series it is.
  int FamilyOfName(const std::string& name) const {
    if (const auto it = index_.find(name); it != index_.end()) return it->second;
    struct Suffix {
      std::string_view text;
      bool histogram, summary, counter;
    };
    static constexpr Suffix kSuffixes[] = {{"_bucket", true, false, false}, {"_count", true, true, false},
                                           {"_sum", true, true, false},     {"_total", false, false, true},
                                           {"_created", true, true, true}};
    for (const Suffix& s : kSuffixes) {
      if (name.size() <= s.text.size() || name.compare(name.size() - s.text.size(), s.text.size(), s.text) != 0) {
        continue;
      }
      const auto it = index_.find(name.substr(0, name.size() - s.text.size()));
      if (it == index_.end()) continue;
      const MetricType t = page_.families[it->second].type;
      if ((s.histogram && t == MetricType::kHistogram) || (s.summary && t == MetricType::kSummary) ||
          (s.counter && t == MetricType::kCounter)) {
        return it->second;
      }
    }
    return -1;
  }

  MetricsPage page_;
  std::unordered_map<std::string, int> index_;
  std::vector<bool> typed_;
};

}  // namespace

MetricsPage ParsePrometheusText(std::string_view text) { return Parser().Run(text); }

std::optional<std::string_view> LabelValue(const PromSample& sample, std::string_view name) {
  for (const PromLabel& l : sample.labels) {
    if (l.name == name) return std::string_view(l.value);
  }
  return std::nullopt;
}

MetricType TypeOf(const MetricsPage& page, const PromSample& sample) {
  if (sample.family < 0 || static_cast<size_t>(sample.family) >= page.families.size()) return MetricType::kUntyped;
  return page.families[sample.family].type;
}

}  // namespace bench
