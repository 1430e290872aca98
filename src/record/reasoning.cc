#include "record/reasoning.h"

#include <algorithm>
#include <vector>

#include "record/sse.h"

namespace bench {
namespace {

using Json = nlohmann::json;

void AppendString(const Json& obj, const char* key, std::string& out) {
  const auto it = obj.find(key);
  if (it != obj.end() && it->is_string()) out += it->get_ref<const std::string&>();
}

std::optional<int64_t> IntMember(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

ServerUsage UsageOf(const Json& usage) {
  ServerUsage u;
  u.prompt_tokens = IntMember(usage, "prompt_tokens");
  u.completion_tokens = IntMember(usage, "completion_tokens");
  const auto details = usage.find("completion_tokens_details");
  if (details != usage.end() && details->is_object()) u.reasoning_tokens = IntMember(*details, "reasoning_tokens");
  return u;
}

bool IsOpenAi(ResponseFormat format) {
  return format == ResponseFormat::kOpenAiChat || format == ResponseFormat::kOpenAiCompletions ||
         format == ResponseFormat::kOpenAiMultimodal;
}

// The texts of one read (all its events), added to `split` at `timestamp`.
void AddRead(std::string_view read, int64_t timestamp, ReasoningSplit& split) {
  const std::string_view s = StripView(read);
  if (s.empty()) return;
  std::string reasoning, answer;
  auto take = [&](std::string_view payload) {
    payload = StripView(payload);
    if (payload.empty() || payload == "[DONE]") return;
    detail::ReadReasoningPayload(payload, reasoning, answer, split.usage);
  };
  if (!IsSseStart(s)) {
    take(s);
  } else {
    for (std::string_view block : SplitSseEvents(s)) {
      const SseEvent ev = ParseSseEvent(StripView(block));
      if (ev.has_data && !ev.is_error) take(ev.data());
    }
  }
  if (!reasoning.empty() && !split.first_reasoning) split.first_reasoning = timestamp;
  if (!answer.empty() && !split.first_answer) split.first_answer = timestamp;
  if (!reasoning.empty() || !answer.empty()) {
    if (!split.first_output) split.first_output = timestamp;
    split.last_output = timestamp;
    ++split.output_reads;
  }
  split.reasoning += reasoning;
  split.answer += answer;
}

}  // namespace

namespace detail {
bool ReadReasoningPayload(std::string_view payload, std::string& reasoning, std::string& answer,
                          std::optional<ServerUsage>& usage) {
  const Json data = Json::parse(payload.begin(), payload.end(), nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) return false;
  if (const auto u = data.find("usage"); u != data.end() && u->is_object()) usage = UsageOf(*u);
  const auto choices = data.find("choices");
  if (choices == data.end() || !choices->is_array() || choices->empty()) return true;
  const Json& c = (*choices)[0];
  if (!c.is_object()) return true;
  // A chat chunk carries a delta, a chat body a message, a completion its text.
  const Json* holder = nullptr;
  if (const auto d = c.find("delta"); d != c.end() && d->is_object()) holder = &*d;
  if (const auto m = c.find("message"); holder == nullptr && m != c.end() && m->is_object()) holder = &*m;
  if (holder == nullptr) {
    AppendString(c, "text", answer);
    return true;
  }
  // A server sends one of the two names; a transition build that sent both would repeat itself,
  // so `reasoning` is read only without `reasoning_content`.
  if (holder->contains("reasoning_content")) {
    AppendString(*holder, "reasoning_content", reasoning);
  } else {
    AppendString(*holder, "reasoning", reasoning);
  }
  AppendString(*holder, "content", answer);
  return true;
}
}  // namespace detail

ReasoningSplit SplitReasoning(ResponseFormat format, const ResponseOutputs& outputs,
                              std::span<const int64_t> timestamps) {
  ReasoningSplit split;
  if (!IsOpenAi(format)) return split;
  const size_t n = std::min(outputs.size(), timestamps.size());
  std::vector<std::string> reads(n);
  for (size_t i = 0; i < n; ++i) reads[i] = NormalizeNewlines(outputs.ResponseString(i));
  StitchSplinteredReads(reads);
  for (size_t i = 0; i < n; ++i) AddRead(reads[i], timestamps[i], split);
  return split;
}

}  // namespace bench
