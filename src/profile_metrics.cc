#include "bench/profile_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "bench/statistics.h"

namespace bench {

namespace {

using Json = nlohmann::json;

// Token counts of prompts are cached per string: prompts repeat (multi-turn histories, fixed
// datasets) and tokenizing dominates the metrics stage of a large run. Output texts are
// counted uncached: they are mostly unique and caching them would hold every answer in memory.
class TokenCounter {
 public:
  explicit TokenCounter(const Tokenizer* tokenizer) : tokenizer_(tokenizer) {}

  size_t CountUncached(const std::string& text) const {
    return tokenizer_ == nullptr ? 0 : tokenizer_->CountTokens(text);
  }

  size_t Count(const std::string& text) {
    if (tokenizer_ == nullptr) return 0;
    const auto it = cache_.find(text);
    if (it != cache_.end()) return it->second;
    const size_t n = tokenizer_->CountTokens(text);
    cache_.emplace(text, n);
    return n;
  }

 private:
  const Tokenizer* tokenizer_;
  std::unordered_map<std::string, size_t> cache_;
};

std::string JoinStrings(const Json& list, const char* sep) {
  std::string out;
  bool first = true;
  for (const Json& e : list) {
    if (!first) out += sep;
    first = false;
    if (e.is_string()) out += e.get_ref<const std::string&>();
  }
  return out;
}

// " ".join(text parts) of a multimodal content list.
std::string JoinTextParts(const Json& content) {
  std::string out;
  bool first = true;
  for (const Json& part : content) {
    if (!part.is_object() || part.value("type", "") != "text") continue;
    if (!first) out += ' ';
    first = false;
    const auto it = part.find("text");
    if (it != part.end() && it->is_string()) out += it->get_ref<const std::string&>();
  }
  return out;
}

// Text of a message's content; list content (parts) gives its text parts.
std::string ContentText(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  if (content.is_array()) return JoinTextParts(content);
  return {};
}

// A string, or the strings of a list joined with spaces (GenAI-Perf's " ".join(list); a plain
// string is used as is instead of being split into characters).
std::string StringOrJoined(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) return JoinStrings(v, " ");
  return {};
}

// The text GenAI-Perf tokenizes for the ISL (reference §2.5).
std::string InputText(ResponseFormat format, const Json& inputs) {
  if (!inputs.is_object()) return {};
  if (format == ResponseFormat::kTriton) {
    const auto it = inputs.find("text_input");
    return it == inputs.end() ? std::string() : StringOrJoined(*it);
  }
  const auto p = inputs.find("payload");
  if (p == inputs.end() || !p->is_string()) return {};
  const Json payload = Json::parse(p->get_ref<const std::string&>(), nullptr, false);
  if (!payload.is_object()) return {};
  switch (format) {
    case ResponseFormat::kOpenAiChat: {
      // All turns' contents joined with spaces: no chat template, no roles.
      const auto m = payload.find("messages");
      if (m == payload.end() || !m->is_array()) return {};
      std::string out;
      bool first = true;
      for (const Json& msg : *m) {
        if (!first) out += ' ';
        first = false;
        if (msg.is_object() && msg.contains("content")) out += ContentText(msg["content"]);
      }
      return out;
    }
    case ResponseFormat::kOpenAiMultimodal: {
      // GenAI-Perf reads only the first message here.
      const auto m = payload.find("messages");
      if (m == payload.end() || !m->is_array() || m->empty() || !(*m)[0].is_object()) return {};
      const Json& msg = (*m)[0];
      return msg.contains("content") ? ContentText(msg["content"]) : std::string();
    }
    case ResponseFormat::kOpenAiCompletions: {
      const auto it = payload.find("prompt");
      return it == payload.end() ? std::string() : StringOrJoined(*it);
    }
    case ResponseFormat::kHuggingFaceGenerate: {
      const auto it = payload.find("inputs");
      return it == payload.end() ? std::string() : StringOrJoined(*it);
    }
    case ResponseFormat::kTritonGenerate: {
      const auto it = payload.find("text_input");
      return it == payload.end() ? std::string() : StringOrJoined(*it);
    }
    default:
      return {};
  }
}

size_t InputTokens(ResponseFormat format, const Json& inputs, TokenCounter& counter) {
  if (format == ResponseFormat::kTritonCApi) {
    // No tokenizer: the ISL is the number of input ids.
    const auto it = inputs.is_object() ? inputs.find("input_ids") : inputs.end();
    if (inputs.is_object() && it != inputs.end()) return it->is_array() ? it->size() : 1;
    return 0;
  }
  return counter.Count(InputText(format, inputs));
}

size_t ImageCount(const Json& inputs) {
  if (!inputs.is_object()) return 0;
  const auto p = inputs.find("payload");
  if (p == inputs.end() || !p->is_string()) return 0;
  const Json payload = Json::parse(p->get_ref<const std::string&>(), nullptr, false);
  if (!payload.is_object()) return 0;
  const auto in = payload.find("input");
  if (in == payload.end() || !in->is_array()) return 0;
  return static_cast<size_t>(std::count_if(in->begin(), in->end(), [](const Json& c) {
    return c.is_object() && c.value("type", "") == "image_url";
  }));
}

std::string SessionKey(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Session lists plus the span GenAI-Perf's _postprocess_session_metrics needs.
struct SessionAccumulator {
  MetricLists lists;
  int64_t first_request = std::numeric_limits<int64_t>::max();
  int64_t last_response = std::numeric_limits<int64_t>::min();
  size_t requests = 0;
  double output_tokens = 0;
};

// Requests without a bench error: GenAI-Perf's len(requests), which has no notion of failure.
size_t SuccessfulRequestCount(const Experiment& experiment) {
  return static_cast<size_t>(std::count_if(experiment.requests.begin(), experiment.requests.end(),
                                           [](const RequestRecord& r) { return !r.error; }));
}

void SummarizeErrors(const Experiment& experiment, ErrorSummary& summary) {
  summary.total_requests = experiment.requests.size();
  std::map<std::string, size_t> by_kind;
  for (const RequestRecord& r : experiment.requests) {
    if (!r.error) continue;
    ++summary.failed_requests;
    const std::string kind = ErrorKindName(r.error->kind);
    ++by_kind[kind];
    const std::string line = kind + ": " + r.error->message;
    if (summary.first_messages.size() < 5 &&
        std::find(summary.first_messages.begin(), summary.first_messages.end(), line) ==
            summary.first_messages.end()) {
      summary.first_messages.push_back(line);
    }
  }
  summary.counts_by_kind.assign(by_kind.begin(), by_kind.end());
}

// (max last response - min request) in seconds over requests that kept a response; -inf when
// there is none, which makes the throughputs -0.0 exactly like GenAI-Perf's float("inf") start.
double DurationSeconds(std::optional<int64_t> min_req, std::optional<int64_t> max_res) {
  if (!min_req) return -std::numeric_limits<double>::infinity();
  return static_cast<double>(*max_res - *min_req) / 1e9;
}

void ComputeLlm(const Experiment& experiment, ResponseFormat format, TokenCounter& counter,
                ExperimentMetrics& m, std::vector<RequestSample>& samples) {
  MetricLists& l = m.lists;
  std::optional<int64_t> min_req, max_res;
  std::map<std::string, SessionAccumulator> sessions;
  double total_osl = 0;
  std::string joined;
  for (const RequestRecord& r : experiment.requests) {
    // A failed request (bench's typed error) is reported in ErrorSummary and kept out of every
    // metric, request throughput included: partial streams would shorten latencies and failures
    // are not served requests (docs/compatibility.md).
    if (r.error) continue;
    const ProcessedResponses pr =
        PreprocessResponses(format, r.response_outputs, r.response_timestamps);
    m.failed_responses += pr.failed;
    // A request without a kept response is skipped everywhere but request_throughput.
    if (pr.timestamps.empty()) continue;
    const int64_t t0 = r.timestamp_ns;
    const int64_t first = pr.timestamps.front();
    const int64_t last = pr.timestamps.back();
    min_req = min_req ? std::min(*min_req, t0) : t0;
    max_res = max_res ? std::max(*max_res, last) : last;

    RequestSample s;
    const int64_t latency = last - t0;
    const int64_t ttft = first - t0;
    s.request_latency = static_cast<double>(latency);
    s.time_to_first_token = static_cast<double>(ttft);
    if (pr.timestamps.size() > 1) {
      s.time_to_second_token = static_cast<double>(pr.timestamps[1] - first);
    }
    const double isl = static_cast<double>(InputTokens(format, r.request_inputs, counter));
    size_t osl_count = 0;
    if (format == ResponseFormat::kTritonCApi) {
      osl_count = pr.output_id_count;
    } else {
      // The joined text is tokenized once: not the sum of per-chunk counts.
      joined.clear();
      for (const std::string& t : pr.texts) joined += t;
      osl_count = counter.CountUncached(joined);
    }
    const double osl = static_cast<double>(osl_count);
    if (pr.timestamps.size() > 1 && osl_count > 1) {
      // Python round(): half to even, on the correctly rounded quotient.
      const double itl = RoundHalfEven(static_cast<double>(latency - ttft) /
                                       static_cast<double>(osl_count - 1));
      s.inter_token_latency = itl;
      // From the rounded ITL, as GenAI-Perf. ITL 0 (identical timestamps) would divide by zero.
      if (itl != 0) s.output_token_throughput_per_user = 1 / (itl / 1e9);
    }

    auto append = [&](MetricLists& target) {
      target.request_latency.push_back(*s.request_latency);
      target.time_to_first_token.push_back(*s.time_to_first_token);
      if (s.time_to_second_token) target.time_to_second_token.push_back(*s.time_to_second_token);
      if (s.inter_token_latency) target.inter_token_latency.push_back(*s.inter_token_latency);
      if (s.output_token_throughput_per_user) {
        target.output_token_throughput_per_user.push_back(*s.output_token_throughput_per_user);
      }
      target.output_sequence_length.push_back(osl);
      target.input_sequence_length.push_back(isl);
    };
    append(l);
    total_osl += osl;

    if (r.request_inputs.is_object()) {
      const auto sid = r.request_inputs.find("session_id");
      if (sid != r.request_inputs.end()) {
        SessionAccumulator& acc = sessions[SessionKey(*sid)];
        append(acc.lists);
        acc.first_request = std::min(acc.first_request, t0);
        acc.last_response = std::max(acc.last_response, last);
        ++acc.requests;
        acc.output_tokens += osl;
      }
    }
    samples.push_back(s);
  }

  m.benchmark_duration_s = DurationSeconds(min_req, max_res);
  l.benchmark_duration_s = m.benchmark_duration_s;
  l.request_throughput = static_cast<double>(SuccessfulRequestCount(experiment)) / m.benchmark_duration_s;
  l.output_token_throughput = total_osl / m.benchmark_duration_s;
  l.request_count = static_cast<double>(l.request_latency.size());

  for (auto& [id, acc] : sessions) {
    const double span_s = static_cast<double>(acc.last_response - acc.first_request) / 1e9;
    acc.lists.benchmark_duration_s = span_s;
    acc.lists.request_throughput = static_cast<double>(acc.requests) / span_s;
    acc.lists.output_token_throughput = acc.output_tokens / span_s;
    acc.lists.request_count = static_cast<double>(acc.lists.request_latency.size());
    m.sessions.emplace(id, std::move(acc.lists));
  }
}

// ProfileDataParser / ImageRetrievalProfileDataParser: every exported response counts.
void ComputeBase(const Experiment& experiment, bool image_retrieval, ExperimentMetrics& m,
                 std::vector<RequestSample>& samples) {
  MetricLists& l = m.lists;
  std::optional<int64_t> min_req, max_res;
  for (const RequestRecord& r : experiment.requests) {
    if (r.error || r.response_timestamps.empty()) continue;
    const int64_t t0 = r.timestamp_ns;
    const int64_t last = r.response_timestamps.back();
    min_req = min_req ? std::min(*min_req, t0) : t0;
    max_res = max_res ? std::max(*max_res, last) : last;
    RequestSample s;
    const double latency_ns = static_cast<double>(last - t0);
    s.request_latency = latency_ns;
    l.request_latency.push_back(latency_ns);
    if (image_retrieval) {
      // A request without images has no per-image values (GenAI-Perf divides by zero).
      const size_t images = ImageCount(r.request_inputs);
      if (images > 0) {
        const double n = static_cast<double>(images);
        s.image_throughput = n / (latency_ns / 1e9);
        s.image_latency = latency_ns / n;
        l.image_throughput.push_back(*s.image_throughput);
        l.image_latency.push_back(*s.image_latency);
      }
    }
    samples.push_back(s);
  }
  m.benchmark_duration_s = DurationSeconds(min_req, max_res);
  l.benchmark_duration_s = m.benchmark_duration_s;
  l.request_throughput = static_cast<double>(SuccessfulRequestCount(experiment)) / m.benchmark_duration_s;
  l.request_count = static_cast<double>(l.request_latency.size());
}

}  // namespace

FormatInference ResolveResponseFormat(const ProfileExport& profile,
                                      const std::string& endpoint_type) {
  if (!endpoint_type.empty()) {
    FormatInference r;
    r.format = ResponseFormatFromName(endpoint_type);
    if (!r.format) r.error = "unknown endpoint type '" + endpoint_type + "'";
    return r;
  }
  const Json* inputs = nullptr;
  const Json* output = nullptr;
  if (!profile.experiments.empty() && !profile.experiments[0].requests.empty()) {
    const RequestRecord& first = profile.experiments[0].requests[0];
    inputs = &first.request_inputs;
    if (!first.response_outputs.empty()) output = &first.response_outputs[0];
  }
  return InferResponseFormat(profile.service_kind, profile.endpoint, inputs, output);
}

ExperimentMetrics ComputeExperimentMetrics(const ProfileExport& profile,
                                           const Experiment& experiment,
                                           const Tokenizer* tokenizer,
                                           const MetricsOptions& options) {
  ExperimentMetrics m;
  try {
    const FormatInference inferred = ResolveResponseFormat(profile, options.endpoint_type);
    if (!inferred.format) {
      m.error = inferred.error;
      return m;
    }
    m.format = *inferred.format;
    if (NeedsTokenizer(m.format) && tokenizer == nullptr) {
      m.error = std::string("a tokenizer is required for ") + ResponseFormatName(m.format);
      return m;
    }
    SummarizeErrors(experiment, m.errors);
    std::vector<RequestSample> samples;
    samples.reserve(experiment.requests.size());
    const MetricFamily family = FamilyOf(m.format);
    if (family == MetricFamily::kLlm) {
      TokenCounter counter(tokenizer);
      ComputeLlm(experiment, m.format, counter, m, samples);
    } else {
      ComputeBase(experiment, family == MetricFamily::kImageRetrieval, m, samples);
    }
    if (!options.goodput.empty()) {
      m.lists.request_goodput =
          ComputeGoodput(options.goodput, family, samples, m.benchmark_duration_s);
    }
  } catch (const std::exception& e) {
    // A tokenizer or allocation failure ends this computation, not the program.
    m = ExperimentMetrics{};
    m.error = std::string("computing metrics failed: ") + e.what();
  }
  return m;
}

}  // namespace bench
