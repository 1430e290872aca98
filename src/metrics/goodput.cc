#include "metrics/goodput.h"

#include <algorithm>

#include "metrics/metric_registry.h"

namespace bench {

namespace {

// Where each goodput metric's value is in a RequestSample, in GenAI-Perf's order (time
// metrics first); the registry says which classes accept it and whether it is a time.
struct MetricRef {
  const char* name;
  std::optional<double> RequestSample::*field;
};

constexpr MetricRef kGoodputMetrics[] = {
    {"time_to_first_token", &RequestSample::time_to_first_token},
    {"time_to_second_token", &RequestSample::time_to_second_token},
    {"inter_token_latency", &RequestSample::inter_token_latency},
    {"request_latency", &RequestSample::request_latency},
    {"image_latency", &RequestSample::image_latency},
    {"output_token_throughput_per_user", &RequestSample::output_token_throughput_per_user},
    {"image_throughput", &RequestSample::image_throughput},
};

// GenAI-Perf takes the valid names from the metrics class of the parser in use.
bool ValidFor(const std::string& name, MetricFamily family) {
  const MetricInfo* m = FindMetric(name);
  return m != nullptr && m->goodput && InClass(*m, family);
}

// Time metrics must not exceed their limit; throughputs must reach it.
bool IsTime(const MetricRef& m) { return FindMetric(m.name)->time; }

const MetricRef* Find(const std::string& name) {
  for (const auto& m : kGoodputMetrics) {
    if (name == m.name) return &m;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> ValidGoodputMetrics(MetricFamily family) {
  std::vector<std::string> names;
  for (const auto& m : kGoodputMetrics) {
    if (ValidFor(m.name, family)) names.emplace_back(m.name);
  }
  return names;
}

double ComputeGoodput(std::span<const GoodputConstraint> constraints, MetricFamily family,
                      std::span<const RequestSample> requests, double benchmark_duration_s) {
  struct Limit {
    const MetricRef* metric;
    double limit;
  };
  std::vector<Limit> limits;
  for (const GoodputConstraint& c : constraints) {
    if (!ValidFor(c.name, family)) return kInvalidGoodput;
    const MetricRef* m = Find(c.name);
    // ms -> ns exactly as GenAI-Perf (value * 1e6), so boundary cases compare the same.
    const double limit = IsTime(*m) ? c.value * 1e6 : c.value;
    const auto same = std::find_if(limits.begin(), limits.end(),
                                   [&](const Limit& l) { return l.metric == m; });
    if (same != limits.end()) {
      same->limit = limit;
    } else {
      limits.push_back({m, limit});
    }
  }
  size_t good = 0;
  for (const RequestSample& r : requests) {
    const bool ok = std::all_of(limits.begin(), limits.end(), [&](const Limit& l) {
      const std::optional<double>& v = r.*(l.metric->field);
      if (!v) return false;
      return IsTime(*l.metric) ? *v <= l.limit : *v >= l.limit;
    });
    if (ok) ++good;
  }
  return static_cast<double>(good) / benchmark_duration_s;
}

}  // namespace bench
