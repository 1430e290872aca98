#include "metrics/profile_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

#include "util/statistics.h"

namespace bench {

// Named, not anonymous: MetricsAccumulator::State holds these, and a class with linkage may not
// hold a type without (g++'s -Wsubobject-linkage once this file sits in a unity batch).
namespace profile_metrics_detail {

using Json = nlohmann::json;

// Strings mapped to token counts, bounded: a million distinct prompts must not all stay in
// memory.
class CountCache {
 public:
  std::optional<size_t> Find(const std::string& key) const {
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& key, size_t n) {
    if (map_.size() >= kMaxEntries) map_.clear();
    map_.emplace(key, n);
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  std::unordered_map<std::string, size_t> map_;
};

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
    if (const std::optional<size_t> n = texts_.Find(text)) return *n;
    const size_t n = tokenizer_->CountTokens(text);
    texts_.Put(text, n);
    return n;
  }

  // The input tokens of a request payload (a JSON body string), remembered per payload so that
  // a payload sent again is neither parsed nor hashed as a prompt text once more.
  CountCache& payloads() { return payloads_; }

 private:
  const Tokenizer* tokenizer_;
  CountCache texts_;
  CountCache payloads_;
};

// Session lists plus the span GenAI-Perf's _postprocess_session_metrics needs.
struct SessionAccumulator {
  MetricLists lists;
  int64_t first_request = std::numeric_limits<int64_t>::max();
  int64_t last_response = std::numeric_limits<int64_t>::min();
  size_t requests = 0;
  double output_tokens = 0;
};

}  // namespace profile_metrics_detail

namespace {

using Json = nlohmann::json;
using profile_metrics_detail::SessionAccumulator;
using profile_metrics_detail::TokenCounter;

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
    case ResponseFormat::kOpenAiResponses: {
      // `input` as a string, or as messages whose contents are joined with spaces, as for chat.
      const auto it = payload.find("input");
      if (it == payload.end()) return {};
      if (it->is_string()) return it->get<std::string>();
      if (!it->is_array()) return {};
      std::string out;
      bool first = true;
      for (const Json& msg : *it) {
        if (!first) out += ' ';
        first = false;
        if (msg.is_object() && msg.contains("content")) out += ContentText(msg["content"]);
      }
      return out;
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
  // The ISL of an OpenAI-style request depends on its payload string alone, and payloads
  // repeat (a dataset's entries are sent again and again): counted once per distinct payload,
  // without parsing it each time.
  if (format != ResponseFormat::kTriton && inputs.is_object()) {
    const auto p = inputs.find("payload");
    if (p != inputs.end() && p->is_string()) {
      const std::string& payload = p->get_ref<const std::string&>();
      if (const std::optional<size_t> n = counter.payloads().Find(payload)) return *n;
      const size_t n = counter.Count(InputText(format, inputs));
      counter.payloads().Put(payload, n);
      return n;
    }
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


// (max last response - min request) in seconds over requests that kept a response; -inf when
// there is none, which makes the throughputs -0.0 exactly like GenAI-Perf's float("inf") start.
double DurationSeconds(std::optional<int64_t> min_req, std::optional<int64_t> max_res) {
  if (!min_req) return -std::numeric_limits<double>::infinity();
  return static_cast<double>(*max_res - *min_req) / 1e9;
}

}  // namespace

struct MetricsAccumulator::State {
  State(ResponseFormat f, const Tokenizer* tokenizer, bool server_counts)
      : format(f), counter(tokenizer), reasoning(f, tokenizer, server_counts) {}
  ResponseFormat format;
  MetricFamily family = MetricFamily::kLlm;
  TokenCounter counter;
  ReasoningAccumulator reasoning;
  MetricsOptions options;
  ExperimentMetrics m;
  std::optional<int64_t> min_req, max_res;
  std::map<std::string, SessionAccumulator> sessions;
  std::map<std::string, size_t> errors_by_kind;
  std::vector<RequestSample> samples;  // only with goodput constraints
  RequestObserver* observer = nullptr;
  size_t successful = 0;               // requests without a bench error
  double total_osl = 0;
  std::string joined;

  void AddError(const RequestError& error) {
    ++m.errors.failed_requests;
    const std::string kind = ErrorKindName(error.kind);
    ++errors_by_kind[kind];
    const std::string line = kind + ": " + error.message;
    auto& first = m.errors.first_messages;
    if (first.size() < 5 && std::find(first.begin(), first.end(), line) == first.end()) first.push_back(line);
  }

  void AddSchedule(const RequestRecord& r, const ProcessedResponses* kept) {
    if (!r.intended_timestamp_ns) return;
    const int64_t intended = *r.intended_timestamp_ns;
    m.schedule_lag.push_back(static_cast<double>(r.timestamp_ns - intended));
    if (kept == nullptr || kept->timestamps.empty()) return;
    m.time_to_first_token_from_intended.push_back(static_cast<double>(kept->timestamps.front() - intended));
    m.request_latency_from_intended.push_back(static_cast<double>(kept->timestamps.back() - intended));
  }

  void AddLlm(const RequestRecord& r) {
    // A failed request (bench's typed error) is reported in ErrorSummary and kept out of every
    // metric, request throughput included: partial streams would shorten latencies and failures
    // are not served requests (docs/compatibility.md).
    const ProcessedResponses pr = PreprocessRecord(format, r);
    if (observer != nullptr) observer->Observe({r, &pr});
    AddSchedule(r, &pr);
    m.failed_responses += pr.failed;
    // A request without a kept response is skipped everywhere but request_throughput.
    if (pr.timestamps.empty()) return;
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
    size_t osl_count = 0;
    if (format == ResponseFormat::kTritonCApi) {
      osl_count = pr.output_id_count;
    } else {
      // The joined text is tokenized once: not the sum of per-chunk counts.
      joined.clear();
      for (const std::string& t : pr.texts) joined += t;
      osl_count = counter.CountUncached(joined);
    }
    // Reasoning figures, and the server's counts instead with --use-server-token-count.
    const RowTokens row = reasoning.Add(r, pr, InputTokens(format, r.request_inputs, counter), osl_count);
    osl_count = row.osl;
    const double isl = static_cast<double>(row.isl);
    const double osl = static_cast<double>(osl_count);
    if (pr.timestamps.size() > 1 && row.itl_tokens > 1) {
      // Python round(): half to even, on the correctly rounded quotient.
      const double itl = RoundHalfEven(static_cast<double>(latency - ttft) /
                                       static_cast<double>(row.itl_tokens - 1));
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
    append(m.lists);
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
    if (!options.goodput.empty()) samples.push_back(s);
  }

  // ProfileDataParser / ImageRetrievalProfileDataParser: every exported response counts.
  void AddBase(const RequestRecord& r) {
    if (observer != nullptr) observer->Observe({r, nullptr});
    AddSchedule(r, nullptr);
    if (r.response_timestamps.empty()) return;
    const int64_t t0 = r.timestamp_ns;
    const int64_t last = r.response_timestamps.back();
    min_req = min_req ? std::min(*min_req, t0) : t0;
    max_res = max_res ? std::max(*max_res, last) : last;
    MetricLists& l = m.lists;
    RequestSample s;
    const double latency_ns = static_cast<double>(last - t0);
    s.request_latency = latency_ns;
    l.request_latency.push_back(latency_ns);
    if (family == MetricFamily::kImageRetrieval) {
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
    if (!options.goodput.empty()) samples.push_back(s);
  }
};

MetricsAccumulator::MetricsAccumulator(ResponseFormat format, const Tokenizer* tokenizer,
                                       const MetricsOptions& options)
    : state_(std::make_unique<State>(format, tokenizer, options.use_server_token_count)) {
  state_->options = options;
  state_->family = FamilyOf(format);
  state_->m.format = format;
}

MetricsAccumulator::~MetricsAccumulator() = default;

void MetricsAccumulator::SetObserver(RequestObserver* observer) { state_->observer = observer; }

void MetricsAccumulator::Add(const RequestRecord& request) {
  State& st = *state_;
  ++st.m.errors.total_requests;
  if (request.error) {
    st.AddError(*request.error);
    if (st.observer != nullptr) st.observer->Observe({request, nullptr});
    // Still in the schedule lag: a request that failed also left late (or on time).
    st.AddSchedule(request, nullptr);
    return;
  }
  ++st.successful;
  if (st.family == MetricFamily::kLlm) {
    st.AddLlm(request);
  } else {
    st.AddBase(request);
  }
}

ExperimentMetrics MetricsAccumulator::Finish() {
  State& st = *state_;
  ExperimentMetrics m = std::move(st.m);
  MetricLists& l = m.lists;
  m.errors.counts_by_kind.assign(st.errors_by_kind.begin(), st.errors_by_kind.end());
  m.benchmark_duration_s = DurationSeconds(st.min_req, st.max_res);
  l.benchmark_duration_s = m.benchmark_duration_s;
  l.request_throughput = static_cast<double>(st.successful) / m.benchmark_duration_s;
  if (st.family == MetricFamily::kLlm) l.output_token_throughput = st.total_osl / m.benchmark_duration_s;
  l.request_count = static_cast<double>(l.request_latency.size());
  m.reasoning = st.reasoning.Finish();
  for (auto& [id, acc] : st.sessions) {
    const double span_s = static_cast<double>(acc.last_response - acc.first_request) / 1e9;
    acc.lists.benchmark_duration_s = span_s;
    acc.lists.request_throughput = static_cast<double>(acc.requests) / span_s;
    acc.lists.output_token_throughput = acc.output_tokens / span_s;
    acc.lists.request_count = static_cast<double>(acc.lists.request_latency.size());
    m.sessions.emplace(id, std::move(acc.lists));
  }
  if (!st.options.goodput.empty()) {
    m.lists.request_goodput = ComputeGoodput(st.options.goodput, st.family, st.samples, m.benchmark_duration_s);
  }
  return m;
}

FormatInference ResolveResponseFormat(const ProfileExport& profile,
                                      const std::string& endpoint_type) {
  if (!endpoint_type.empty()) {
    FormatInference r;
    r.format = ResponseFormatFromName(endpoint_type);
    if (!r.format) r.error = "unknown endpoint type '" + endpoint_type + "'";
    return r;
  }
  const Json* inputs = nullptr;
  Json first_output;  // the first request's first output, the one object built for this peek
  const Json* output = nullptr;
  if (!profile.experiments.empty() && !profile.experiments[0].requests.empty()) {
    const RequestRecord& first = profile.experiments[0].requests[0];
    inputs = &first.request_inputs;
    if (!first.response_outputs.empty()) {
      first_output = first.response_outputs.Output(0);
      output = &first_output;
    }
  }
  return InferResponseFormat(profile.service_kind, profile.endpoint, inputs, output);
}

ExperimentMetrics ComputeExperimentMetrics(const ProfileExport& profile,
                                           const Experiment& experiment,
                                           const Tokenizer* tokenizer,
                                           const MetricsOptions& options,
                                           RequestObserver* observer) {
  ExperimentMetrics m;
  try {
    const FormatInference inferred = ResolveResponseFormat(profile, options.endpoint_type);
    if (!inferred.format) {
      m.error = inferred.error;
      return m;
    }
    if (NeedsTokenizer(*inferred.format) && tokenizer == nullptr) {
      m.error = std::string("a tokenizer is required for ") + ResponseFormatName(*inferred.format);
      return m;
    }
    MetricsAccumulator accumulator(*inferred.format, tokenizer, options);
    accumulator.SetObserver(observer);
    for (const RequestRecord& r : experiment.requests) accumulator.Add(r);
    m = accumulator.Finish();
  } catch (const std::exception& e) {
    // A tokenizer or allocation failure ends this computation, not the program.
    m = ExperimentMetrics{};
    m.error = std::string("computing metrics failed: ") + e.what();
  }
  return m;
}

bool InferStreaming(const ProfileExport& data) {
  for (const auto& experiment : data.experiments) {
    for (const auto& request : experiment.requests) {
      const auto& inputs = request.request_inputs;
      if (inputs.contains("payload") && inputs["payload"].is_string()) {
        const auto body = nlohmann::json::parse(inputs["payload"].get<std::string>(), nullptr, false);
        return body.is_object() && body.value("stream", false) == true;
      }
      if (inputs.contains("stream")) {
        const auto& s = inputs["stream"];
        return s == true || (s.is_array() && !s.empty() && s[0] == true);
      }
      return data.service_kind == "triton";  // PA always streams over gRPC for Triton
    }
  }
  return false;
}

}  // namespace bench
