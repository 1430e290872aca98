// Fuzzes the Prometheus text parser (ParsePrometheusText) with what a /metrics page may hold.
// Properties: it never crashes; it keeps at most kMaxKeptErrors messages but counts every bad
// line; and what it accepted survives a round trip: the samples written back in canonical text
// form parse to the same names, labels, values and timestamps, without errors.
//
// Input layout (seeds in corpus/prometheus_fuzz): the page bytes.

#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "telemetry/prometheus.h"
#include "fuzz_util.h"

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.17g}", v);
}

bool Same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bench::fuzz::AsText(data, size);
  const bench::MetricsPage page = bench::ParsePrometheusText(text);
  if (page.errors.size() > bench::MetricsPage::kMaxKeptErrors || page.errors.size() > page.error_count) {
    __builtin_trap();
  }
  std::string canonical;
  for (const bench::PromSample& s : page.samples) {
    // Quoted-name form for every sample: any name the parser accepted fits in it.
    canonical += "{\"" + Escape(s.name) + "\"";
    for (const bench::PromLabel& l : s.labels) canonical += ",\"" + Escape(l.name) + "\"=\"" + Escape(l.value) + "\"";
    canonical += "} " + Value(s.value);
    if (s.timestamp_ms) canonical += fmt::format(" {}", *s.timestamp_ms);
    canonical += "\n";
  }
  const bench::MetricsPage again = bench::ParsePrometheusText(canonical);
  if (again.error_count != 0 || again.samples.size() != page.samples.size()) __builtin_trap();
  for (size_t i = 0; i < page.samples.size(); ++i) {
    const bench::PromSample& a = page.samples[i];
    const bench::PromSample& b = again.samples[i];
    if (a.name != b.name || a.timestamp_ms != b.timestamp_ms || !Same(a.value, b.value) ||
        a.labels.size() != b.labels.size()) {
      __builtin_trap();
    }
    for (size_t k = 0; k < a.labels.size(); ++k) {
      if (a.labels[k].name != b.labels[k].name || a.labels[k].value != b.labels[k].value) __builtin_trap();
    }
  }
  return 0;
}
