#include "telemetry/server_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

namespace bench {
namespace {

using K = ServerMetricKind;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// How a sample name feeds a definition.
enum class Role { kValue, kDenominator, kBucket, kSum, kCount };
struct Match {
  size_t def;
  Role role;
};

const std::unordered_map<std::string, std::vector<Match>>& MatchesByName() {
  static const std::unordered_map<std::string, std::vector<Match>> index = [] {
    std::unordered_map<std::string, std::vector<Match>> m;
    const auto& defs = ServerMetricDefs();
    for (size_t i = 0; i < defs.size(); ++i) {
      const std::string series = defs[i].series;
      if (defs[i].kind == K::kHistogram) {
        m[series + "_bucket"].push_back({i, Role::kBucket});
        m[series + "_sum"].push_back({i, Role::kSum});
        m[series + "_count"].push_back({i, Role::kCount});
      } else {
        m[series].push_back({i, Role::kValue});
        if (defs[i].kind == K::kRatio) m[defs[i].denominator].push_back({i, Role::kDenominator});
      }
    }
    return m;
  }();
  return index;
}

std::string DefKey(size_t def, std::string_view part) { return fmt::format("{}|{}", def, part); }

double Number(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// "time_to_first_token" -> "Time To First Token".
std::string Title(std::string_view key) {
  std::string out;
  bool start = true;
  for (char c : key) {
    if (c == '_') {
      out.push_back(' ');
      start = true;
      continue;
    }
    out.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    start = false;
  }
  return out;
}

}  // namespace

const std::vector<ServerMetricDef>& ServerMetricDefs() {
  // Gauges in "%" are averaged over label sets (one per engine or model), the rest summed.
  static const std::vector<ServerMetricDef> defs = {
      // vLLM (V0 and V1 names; newer releases renamed the KV-cache and prefix-cache series).
      {"vllm", "requests_running", K::kGauge, "vllm:num_requests_running", nullptr, "requests", 1},
      {"vllm", "requests_waiting", K::kGauge, "vllm:num_requests_waiting", nullptr, "requests", 1},
      {"vllm", "kv_cache_usage", K::kGauge, "vllm:kv_cache_usage_perc", nullptr, "%", 100},
      {"vllm", "kv_cache_usage", K::kGauge, "vllm:gpu_cache_usage_perc", nullptr, "%", 100},
      {"vllm", "prefix_cache_hit_rate", K::kRatio, "vllm:prefix_cache_hits_total", "vllm:prefix_cache_queries_total", "%", 100},
      {"vllm", "prefix_cache_hit_rate", K::kRatio, "vllm:gpu_prefix_cache_hits_total", "vllm:gpu_prefix_cache_queries_total", "%", 100},
      {"vllm", "prompt_tokens", K::kCounter, "vllm:prompt_tokens_total", nullptr, "tokens", 1},
      {"vllm", "generation_tokens", K::kCounter, "vllm:generation_tokens_total", nullptr, "tokens", 1},
      {"vllm", "requests_finished", K::kCounter, "vllm:request_success_total", nullptr, "requests", 1},
      {"vllm", "time_to_first_token", K::kHistogram, "vllm:time_to_first_token_seconds", nullptr, "ms", 1000},
      {"vllm", "time_per_output_token", K::kHistogram, "vllm:time_per_output_token_seconds", nullptr, "ms", 1000},
      {"vllm", "inter_token_latency", K::kHistogram, "vllm:inter_token_latency_seconds", nullptr, "ms", 1000},
      {"vllm", "request_latency", K::kHistogram, "vllm:e2e_request_latency_seconds", nullptr, "ms", 1000},
      {"vllm", "queue_time", K::kHistogram, "vllm:request_queue_time_seconds", nullptr, "ms", 1000},
      {"vllm", "prefill_time", K::kHistogram, "vllm:request_prefill_time_seconds", nullptr, "ms", 1000},
      {"vllm", "decode_time", K::kHistogram, "vllm:request_decode_time_seconds", nullptr, "ms", 1000},
      // SGLang.
      {"sglang", "requests_running", K::kGauge, "sglang:num_running_reqs", nullptr, "requests", 1},
      {"sglang", "requests_waiting", K::kGauge, "sglang:num_queue_reqs", nullptr, "requests", 1},
      {"sglang", "kv_cache_usage", K::kGauge, "sglang:token_usage", nullptr, "%", 100},
      {"sglang", "prefix_cache_hit_rate", K::kGauge, "sglang:cache_hit_rate", nullptr, "%", 100},
      {"sglang", "prompt_tokens", K::kCounter, "sglang:prompt_tokens_total", nullptr, "tokens", 1},
      {"sglang", "generation_tokens", K::kCounter, "sglang:generation_tokens_total", nullptr, "tokens", 1},
      {"sglang", "time_to_first_token", K::kHistogram, "sglang:time_to_first_token_seconds", nullptr, "ms", 1000},
      {"sglang", "inter_token_latency", K::kHistogram, "sglang:inter_token_latency_seconds", nullptr, "ms", 1000},
      {"sglang", "time_per_output_token", K::kHistogram, "sglang:time_per_output_token_seconds", nullptr, "ms", 1000},
      {"sglang", "request_latency", K::kHistogram, "sglang:e2e_request_latency_seconds", nullptr, "ms", 1000},
      {"sglang", "queue_time", K::kHistogram, "sglang:queue_time_seconds", nullptr, "ms", 1000},
      // Hugging Face TGI.
      {"tgi", "requests_running", K::kGauge, "tgi_batch_current_size", nullptr, "requests", 1},
      {"tgi", "requests_waiting", K::kGauge, "tgi_queue_size", nullptr, "requests", 1},
      {"tgi", "requests_finished", K::kCounter, "tgi_request_success", nullptr, "requests", 1},
      {"tgi", "queue_time", K::kHistogram, "tgi_request_queue_duration", nullptr, "ms", 1000},
      {"tgi", "time_per_output_token", K::kHistogram, "tgi_request_mean_time_per_token_duration", nullptr, "ms", 1000},
      {"tgi", "inference_time", K::kHistogram, "tgi_request_inference_duration", nullptr, "ms", 1000},
      {"tgi", "prefill_time", K::kHistogram, "tgi_batch_inference_duration", nullptr, "ms", 1000, "method", "prefill"},
      {"tgi", "decode_time", K::kHistogram, "tgi_batch_inference_duration", nullptr, "ms", 1000, "method", "decode"},
      // llama.cpp (llama-server --metrics): its counters of tokens and of the seconds spent on
      // them give the server's own prefill and per-token decode times.
      {"llamacpp", "requests_running", K::kGauge, "llamacpp:requests_processing", nullptr, "requests", 1},
      {"llamacpp", "requests_waiting", K::kGauge, "llamacpp:requests_deferred", nullptr, "requests", 1},
      {"llamacpp", "kv_cache_usage", K::kGauge, "llamacpp:kv_cache_usage_ratio", nullptr, "%", 100},
      {"llamacpp", "prompt_tokens", K::kCounter, "llamacpp:prompt_tokens_total", nullptr, "tokens", 1},
      {"llamacpp", "generation_tokens", K::kCounter, "llamacpp:tokens_predicted_total", nullptr, "tokens", 1},
      {"llamacpp", "cached_prompt_tokens", K::kCounter, "llamacpp:prompt_tokens_cached_total", nullptr, "tokens", 1},
      {"llamacpp", "decode_calls", K::kCounter, "llamacpp:n_decode_total", nullptr, "calls", 1},
      {"llamacpp", "busy_slots_per_decode", K::kGauge, "llamacpp:n_busy_slots_per_decode", nullptr, "slots", 1},
      {"llamacpp", "prefill_time_per_token", K::kRatio, "llamacpp:prompt_seconds_total", "llamacpp:prompt_tokens_total", "ms", 1000},
      {"llamacpp", "time_per_output_token", K::kRatio, "llamacpp:tokens_predicted_seconds_total", "llamacpp:tokens_predicted_total", "ms", 1000},
      // Triton (and TensorRT-LLM behind it).
      {"triton", "requests_waiting", K::kGauge, "nv_inference_pending_request_count", nullptr, "requests", 1},
      {"triton", "requests_running", K::kGauge, "nv_trt_llm_request_metrics", nullptr, "requests", 1, "request_type", "active"},
      {"triton", "kv_cache_usage", K::kGauge, "nv_trt_llm_kv_cache_block_metrics", nullptr, "%", 100, "kv_cache_block_type", "fraction"},
      {"triton", "requests_finished", K::kCounter, "nv_inference_request_success", nullptr, "requests", 1},
      {"triton", "queue_time", K::kRatio, "nv_inference_queue_duration_us", "nv_inference_request_success", "ms", 1e-3},
      // The DCGM exporter's energy counter (mJ since boot), summed over the GPUs of the page:
      // the energy of the measured phase and, as its rate, the average power.
      {"dcgm", "energy", K::kCounter, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", nullptr, "J", 1e-3},
  };
  return defs;
}

size_t ServerMetricsSeries::KeyIndex(const std::string& key) {
  const auto it = std::find(keys_.begin(), keys_.end(), key);
  if (it != keys_.end()) return static_cast<size_t>(it - keys_.begin());
  keys_.push_back(key);
  return keys_.size() - 1;
}

void ServerMetricsSeries::AddPage(const MetricsPage& page, int64_t time_ns) {
  const auto& defs = ServerMetricDefs();
  const auto& index = MatchesByName();
  std::map<std::string, double> sums;
  std::vector<double> gauge_sum(defs.size(), 0);
  std::vector<int> gauge_n(defs.size(), 0);
  bool any = false;
  for (const PromSample& sample : page.samples) {
    const auto it = index.find(sample.name);
    if (it == index.end()) continue;
    for (const Match& m : it->second) {
      const ServerMetricDef& def = defs[m.def];
      if (def.label && LabelValue(sample, def.label) != std::string_view(def.label_value)) continue;
      if (std::isnan(sample.value)) continue;
      any = true;
      if (std::find(servers_.begin(), servers_.end(), def.server) == servers_.end()) servers_.push_back(def.server);
      switch (m.role) {
        case Role::kValue:
          if (def.kind == K::kGauge) {
            gauge_sum[m.def] += sample.value;
            ++gauge_n[m.def];
          } else {
            sums[DefKey(m.def, "value")] += sample.value;
          }
          break;
        case Role::kDenominator:
          sums[DefKey(m.def, "den")] += sample.value;
          break;
        case Role::kBucket:
          if (const auto le = LabelValue(sample, "le")) sums[DefKey(m.def, "le=" + std::string(*le))] += sample.value;
          break;
        case Role::kSum:
          sums[DefKey(m.def, "sum")] += sample.value;
          break;
        case Role::kCount:
          sums[DefKey(m.def, "count")] += sample.value;
          break;
      }
    }
  }
  ++scrapes_;
  if (!any) return;
  std::vector<double> gauges(defs.size(), kNaN);
  for (size_t i = 0; i < defs.size(); ++i) {
    if (gauge_n[i] == 0) continue;
    gauges[i] = std::string_view(defs[i].unit) == "%" ? gauge_sum[i] / gauge_n[i] : gauge_sum[i];
  }
  gauges_.emplace_back(time_ns, std::move(gauges));

  Snapshot snapshot{time_ns, std::vector<double>(keys_.size(), kNaN)};
  for (const auto& [key, value] : sums) {
    const size_t i = KeyIndex(key);
    if (snapshot.values.size() <= i) snapshot.values.resize(i + 1, kNaN);
    snapshot.values[i] = value;
  }
  if ((scrapes_ - 1) % stride_ == 0) snapshots_.push_back(snapshot);
  last_ = std::move(snapshot);
  if (snapshots_.size() > kMaxSnapshots) {
    // Kept scrapes sit at multiples of the stride; keeping every other one doubles it.
    std::vector<Snapshot> kept;
    for (size_t i = 0; i < snapshots_.size(); i += 2) kept.push_back(std::move(snapshots_[i]));
    snapshots_ = std::move(kept);
    stride_ *= 2;
  }
}

std::vector<std::string> ServerMetricsSeries::Servers() const { return servers_; }

double HistogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets) {
  if (buckets.size() < 2 || !std::isinf(buckets.back().first)) return kNaN;
  const double total = buckets.back().second;
  if (!(total > 0)) return kNaN;
  double rank = q * total;
  size_t b = 0;
  while (b < buckets.size() && buckets[b].second < rank) ++b;
  if (b >= buckets.size() - 1) return buckets[buckets.size() - 2].first;
  if (b == 0 && buckets[0].first <= 0) return buckets[0].first;
  const double lower = b == 0 ? 0 : buckets[b - 1].first;
  const double before = b == 0 ? 0 : buckets[b - 1].second;
  const double in_bucket = buckets[b].second - before;
  if (!(in_bucket > 0)) return lower;
  rank -= before;
  return lower + (buckets[b].first - lower) * (rank / in_bucket);
}

// Kept whole: one case per metric kind, all reading the same two bracketing scrapes through the
// same `increase` rule (counter resets included); split apart, each case would need them passed.
nlohmann::ordered_json ServerMetricsSeries::Summary(int64_t start_ns, int64_t end_ns) const {
  if (snapshots_.empty()) return nullptr;
  std::vector<const Snapshot*> all;
  for (const Snapshot& s : snapshots_) all.push_back(&s);
  if (last_.time_ns > snapshots_.back().time_ns) all.push_back(&last_);
  // The scrapes bracketing the phase: the last at or before its start, the first at or after
  // its end (or the outermost ones).
  size_t first = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]->time_ns <= start_ns) first = i;
  }
  size_t last = all.size() - 1;
  for (size_t i = all.size(); i-- > first;) {
    if (all[i]->time_ns >= end_ns) last = i;
  }
  const Snapshot& a = *all[first];
  const Snapshot& b = *all[last];
  const double span_s = static_cast<double>(b.time_ns - a.time_ns) / 1e9;
  auto value = [&](const Snapshot& s, size_t def, std::string_view part) {
    const auto it = std::find(keys_.begin(), keys_.end(), DefKey(def, part));
    if (it == keys_.end()) return kNaN;
    const size_t i = static_cast<size_t>(it - keys_.begin());
    return i < s.values.size() ? s.values[i] : kNaN;
  };
  // A counter that went down was reset (a server restart): its value since then is the increase.
  auto increase = [&](size_t def, std::string_view part) {
    const double from = value(a, def, part);
    const double to = value(b, def, part);
    if (std::isnan(to)) return kNaN;
    if (std::isnan(from)) return to;
    return to >= from ? to - from : to;
  };

  const auto& defs = ServerMetricDefs();
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (size_t d = 0; d < defs.size(); ++d) {
    const ServerMetricDef& def = defs[d];
    if (metrics.contains(def.key) && metrics[def.key]["server"] == def.server) continue;  // older name
    nlohmann::ordered_json m = {{"server", def.server}, {"source", def.series}, {"unit", def.unit}};
    switch (def.kind) {
      case K::kGauge: {
        std::vector<double> values;
        for (const auto& [t, gauges] : gauges_) {
          if (t >= a.time_ns && t <= b.time_ns && !std::isnan(gauges[d])) values.push_back(gauges[d] * def.scale);
        }
        if (values.empty()) continue;
        double sum = 0;
        for (double v : values) sum += v;
        m["avg"] = sum / static_cast<double>(values.size());
        m["max"] = *std::max_element(values.begin(), values.end());
        m["samples"] = values.size();
        break;
      }
      case K::kCounter: {
        const double inc = increase(d, "value");
        if (std::isnan(inc)) continue;
        m["increase"] = inc * def.scale;
        if (span_s > 0) m["rate_per_s"] = inc * def.scale / span_s;
        break;
      }
      case K::kRatio: {
        const double num = increase(d, "value");
        const double den = increase(d, "den");
        if (std::isnan(num) || std::isnan(den)) continue;
        m["denominator"] = def.denominator;
        m["numerator_increase"] = num;
        m["denominator_increase"] = den;
        if (den > 0) m["value"] = num / den * def.scale;
        break;
      }
      case K::kHistogram: {
        const double count = increase(d, "count");
        if (std::isnan(count)) continue;
        m["count"] = count;
        if (count > 0) {
          std::vector<std::pair<double, double>> buckets;
          for (const std::string& key : keys_) {
            const std::string prefix = DefKey(d, "le=");
            if (key.rfind(prefix, 0) != 0) continue;
            const std::string le = key.substr(prefix.size());
            buckets.emplace_back(Number(le), increase(d, "le=" + le));
          }
          std::sort(buckets.begin(), buckets.end());
          if (const double sum = increase(d, "sum"); !std::isnan(sum)) m["avg"] = sum / count * def.scale;
          for (const auto& [name, q] : {std::pair{"p50", 0.5}, std::pair{"p90", 0.9}, std::pair{"p99", 0.99}}) {
            const double v = HistogramQuantile(q, buckets);
            if (!std::isnan(v)) m[name] = v * def.scale;
          }
        }
        break;
      }
    }
    metrics[def.key] = std::move(m);
  }
  return {{"servers", servers_}, {"scrapes", scrapes_}, {"span_s", span_s}, {"metrics", std::move(metrics)}};
}

std::vector<std::pair<std::string, std::string>> ServerMetricRows(const nlohmann::ordered_json& summary) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (!summary.is_object() || !summary.contains("metrics")) return rows;
  for (const auto& [key, m] : summary["metrics"].items()) {
    const std::string label =
        fmt::format("Server {} ({}) [{}]", Title(key), m["unit"].get<std::string>(), m["server"].get<std::string>());
    std::string value;
    if (m.contains("increase")) {
      value = fmt::format("{:.0f}", m["increase"].get<double>());
      if (m.contains("rate_per_s")) value += fmt::format(" ({:.2f}/s)", m["rate_per_s"].get<double>());
      if (m.contains("joules_per_request")) value += fmt::format(", {:.3f} J/request", m["joules_per_request"].get<double>());
      if (m.contains("joules_per_output_token")) {
        value += fmt::format(", {:.4f} J/output token", m["joules_per_output_token"].get<double>());
      }
    } else if (m.contains("count")) {
      const double count = m["count"].get<double>();
      if (count <= 0) continue;
      for (const char* stat : {"avg", "p50", "p90", "p99"}) {
        if (m.contains(stat)) value += fmt::format("{}{} {:.2f}", value.empty() ? "" : ", ", stat, m[stat].get<double>());
      }
      value += fmt::format(" ({:.0f} requests)", count);
    } else if (m.contains("samples")) {
      value = fmt::format("avg {:.2f}, max {:.2f}", m["avg"].get<double>(), m["max"].get<double>());
    } else if (m.contains("value")) {
      value = fmt::format("{:.2f}", m["value"].get<double>());
    } else {
      continue;
    }
    rows.emplace_back(label, value);
  }
  return rows;
}

}  // namespace bench
