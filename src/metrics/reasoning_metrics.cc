#include "metrics/reasoning_metrics.h"

#include <algorithm>
#include <functional>
#include <string_view>

#include "util/statistics.h"
#include "record/reads_search.h"

namespace bench {
namespace {

// Splitting parses every event once more; it is done only for a request that may hold
// reasoning or when the server's usage is wanted, so plain runs pay one substring search.
// string_view::find stopped at every quote (an SSE chunk has one every ~6 bytes): 84 k
// instructions per 100-chunk request, 6 % of a run; Boyer-Moore-Horspool 17 k; 16 positions a
// step (util/substring_search) less again.
// A live run's body check noted the key on its walk; a record read from a file is searched.
bool MayHoldReasoning(const RequestRecord& r) { return ReadsContain(r, kReasoningKey); }

double Ns(int64_t from, int64_t to) { return static_cast<double>(to - from); }

}  // namespace

struct ReasoningAccumulator::State {
  ResponseFormat format;
  const Tokenizer* tokenizer;
  ReasoningMetrics m;
  // Per-request answer-row values gathered before the first reasoning request is seen: a run
  // whose requests never reason shows none of these rows.
  std::vector<double> answer_ttft_pending, answer_tokens_pending;

  size_t Count(const std::string& text) const {
    return tokenizer == nullptr || text.empty() ? 0 : tokenizer->CountTokens(text);
  }

  void AddSplit(const RequestRecord& r, const ReasoningSplit& split, size_t reasoning_tokens, size_t answer_tokens,
                size_t all_tokens) {
    const int64_t t0 = r.timestamp_ns;
    if (split.first_reasoning) {
      if (m.requests_with_reasoning++ == 0) {
        // The first reasoning request: the rows start, with every earlier request in them.
        m.time_to_first_answer_token = std::move(answer_ttft_pending);
        m.answer_token_count = std::move(answer_tokens_pending);
        m.reasoning_token_count.assign(m.answer_token_count.size(), 0.0);
      }
      m.time_to_first_reasoning_token.push_back(Ns(t0, *split.first_reasoning));
    }
    const bool rows = m.requests_with_reasoning > 0;
    std::vector<double>& ttfa = rows ? m.time_to_first_answer_token : answer_ttft_pending;
    std::vector<double>& answers = rows ? m.answer_token_count : answer_tokens_pending;
    if (split.first_answer) ttfa.push_back(Ns(t0, *split.first_answer));
    answers.push_back(static_cast<double>(answer_tokens));
    if (rows) m.reasoning_token_count.push_back(static_cast<double>(reasoning_tokens));
    if (split.first_output && split.last_output && *split.last_output > *split.first_output && all_tokens > 1) {
      m.inter_token_latency_with_reasoning.push_back(
          RoundHalfEven(Ns(*split.first_output, *split.last_output) / static_cast<double>(all_tokens - 1)));
    }
  }
};

ReasoningAccumulator::ReasoningAccumulator(ResponseFormat format, const Tokenizer* tokenizer,
                                           bool use_server_token_count)
    : state_(std::make_unique<State>()) {
  state_->format = format;
  state_->tokenizer = tokenizer;
  state_->m.use_server_token_count = use_server_token_count;
}

ReasoningAccumulator::~ReasoningAccumulator() = default;

RowTokens ReasoningAccumulator::Add(const RequestRecord& r, const ProcessedResponses& kept, size_t isl,
                                    size_t osl) {
  State& st = *state_;
  ReasoningMetrics& m = st.m;
  ++m.requests_counted;
  RowTokens row{isl, osl, osl};
  const bool server = m.use_server_token_count;
  const bool openai = st.format == ResponseFormat::kOpenAiChat || st.format == ResponseFormat::kOpenAiCompletions ||
                      st.format == ResponseFormat::kOpenAiMultimodal;
  if (!openai || (!server && !MayHoldReasoning(r))) {
    // No reasoning (nor usage: only OpenAI bodies carry one): the answer is GenAI-Perf's text,
    // its chunks the kept responses.
    if (server) ++m.requests_without_usage;
    m.chunk_tokens += static_cast<double>(osl);
    m.chunks += kept.timestamps.size();
    ReasoningSplit plain;
    plain.first_answer = plain.first_output = kept.timestamps.front();
    plain.last_output = kept.timestamps.back();
    st.AddSplit(r, plain, 0, osl, osl);
    return row;
  }
  const ReasoningSplit split = SplitReasoning(st.format, r.response_outputs, r.response_timestamps);
  const size_t reasoning_tokens = st.Count(split.reasoning);
  size_t answer_tokens = osl;
  size_t all_tokens = reasoning_tokens + answer_tokens;
  const bool has_usage = split.usage && split.usage->completion_tokens;
  if (server && has_usage) {
    const size_t completion = static_cast<size_t>(std::max<int64_t>(*split.usage->completion_tokens, 0));
    m.server_osl.push_back(static_cast<double>(completion));
    m.tokenizer_osl.push_back(static_cast<double>(all_tokens));
    // The server's reasoning count when it gives one, else the tokenizer's.
    const size_t server_reasoning = split.usage->reasoning_tokens
                                        ? static_cast<size_t>(std::max<int64_t>(*split.usage->reasoning_tokens, 0))
                                        : reasoning_tokens;
    answer_tokens = completion > server_reasoning ? completion - server_reasoning : 0;
    all_tokens = completion;
    row.osl = completion;
    row.itl_tokens = answer_tokens;
    ++m.chunk_tokens_from_usage;
    if (split.usage->prompt_tokens) {
      row.isl = static_cast<size_t>(std::max<int64_t>(*split.usage->prompt_tokens, 0));
      m.server_isl.push_back(static_cast<double>(row.isl));
      m.tokenizer_isl.push_back(static_cast<double>(isl));
    }
  } else if (server) {
    ++m.requests_without_usage;
  }
  m.chunk_tokens += static_cast<double>(all_tokens);
  m.chunks += split.output_reads;
  st.AddSplit(r, split, reasoning_tokens, answer_tokens, all_tokens);
  return row;
}

ReasoningMetrics ReasoningAccumulator::Finish() { return std::move(state_->m); }

}  // namespace bench
