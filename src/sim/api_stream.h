#pragma once
// The simulator's answers for the generation APIs that are not OpenAI chat or completions
// (Triton's generate extension, TGI's generate, OpenAI's Responses API): one object per request
// that writes its stream's events and its whole-body answer. SimResponseFormatter (sim/openai)
// hands these requests to it, so the connection drives every API with the same timing model.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

struct SimRequest;

/// How an answer ended: what the last chunk's event and the closing events report.
struct SimStreamEnd {
  std::string_view finish_reason;  // "length" or "stop"
  int prompt_tokens = 0;
  int completion_tokens = 0;
};

/// One request's events and body in one API's framing.
class SimApiStream {
 public:
  virtual ~SimApiStream() = default;
  /// Events that leave with the response head, before the first token (may be none).
  virtual std::vector<std::string> OpeningEvents() = 0;
  /// The event carrying `text` (one chunk of the answer); `end` is set on the last chunk (TGI
  /// puts the whole answer and its details on the last token's event).
  virtual std::string ContentEvent(std::string_view text, const SimStreamEnd* end) = 0;
  /// Events after the last chunk.
  virtual std::vector<std::string> ClosingEvents(const SimStreamEnd& end) = 0;
  /// The non-streaming answer.
  virtual std::string FullResponse(std::string_view text, const SimStreamEnd& end) = 0;
};

/// The stream object for `request`'s endpoint, or null for OpenAI chat and completions.
/// `id` is the connection's unique request id.
std::unique_ptr<SimApiStream> MakeSimApiStream(const SimRequest& request, std::string_view id, int64_t created);

/// What the three APIs' request parsers share: the body's `bench_fault` and the request's seed
/// (options.seed mixed with a hash of the body), as for OpenAI requests. Returns the error.
std::string FinishSimApiRequest(const nlohmann::json& doc, std::string_view body, uint64_t options_seed,
                                SimRequest& request);

/// An integer field that may also be a one-element list (Triton's tensors in JSON); nullopt
/// when absent or null; `error` set for anything else or a value below 0.
std::optional<int> SimApiIntField(const nlohmann::json& obj, const char* name, std::string& error);
/// A boolean field (or a one-element list of one), false when absent.
bool SimApiBoolField(const nlohmann::json& obj, const char* name, std::string& error);

}  // namespace bench
