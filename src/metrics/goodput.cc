#include "metrics/goodput.h"

#include <algorithm>

namespace bench {

namespace {

struct MetricRef {
  const char* name;
  std::optional<double> RequestSample::*field;
  bool is_time;  // time: value <= limit; throughput: value >= limit
};

constexpr MetricRef kMetrics[] = {
    {"time_to_first_token", &RequestSample::time_to_first_token, true},
    {"time_to_second_token", &RequestSample::time_to_second_token, true},
    {"inter_token_latency", &RequestSample::inter_token_latency, true},
    {"request_latency", &RequestSample::request_latency, true},
    {"image_latency", &RequestSample::image_latency, true},
    {"output_token_throughput_per_user", &RequestSample::output_token_throughput_per_user, false},
    {"image_throughput", &RequestSample::image_throughput, false},
};

// GenAI-Perf takes the valid names from the metrics class of the parser in use.
bool ValidFor(const std::string& name, MetricFamily family) {
  switch (family) {
    case MetricFamily::kBase:
      return name == "request_latency";
    case MetricFamily::kLlm:
      return name == "time_to_first_token" || name == "time_to_second_token" ||
             name == "inter_token_latency" || name == "request_latency" ||
             name == "output_token_throughput_per_user";
    case MetricFamily::kImageRetrieval:
      return name == "request_latency" || name == "image_latency" || name == "image_throughput";
  }
  return false;
}

const MetricRef* Find(const std::string& name) {
  for (const auto& m : kMetrics) {
    if (name == m.name) return &m;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> ValidGoodputMetrics(MetricFamily family) {
  std::vector<std::string> names;
  for (const auto& m : kMetrics) {
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
    const double limit = m->is_time ? c.value * 1e6 : c.value;
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
      return l.metric->is_time ? *v <= l.limit : *v >= l.limit;
    });
    if (ok) ++good;
  }
  return static_cast<double>(good) / benchmark_duration_s;
}

}  // namespace bench
