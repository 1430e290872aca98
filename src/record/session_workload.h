#pragma once
// The seam between the load engine and multi-turn sessions: the engine knows when turns are
// sent and received; what a turn's body looks like (the chat history) and how a reply's text is
// read from a response stay on the other side of this interface (sessions.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bench {

/// A fixed set of sessions, each a fixed number of turns. Called from every worker thread at
/// once, so implementations must not change state.
class SessionWorkload {
 public:
  virtual ~SessionWorkload() = default;
  /// Number of sessions.
  virtual size_t SessionCount() const = 0;
  /// Turns of `session` (at least 1).
  virtual size_t TurnCount(size_t session) const = 0;
  /// Wait between the end of `turn` and the send of the next one, in ns.
  virtual int64_t DelayAfterNs(size_t session, size_t turn) const = 0;
  /// The body of `turn`, given the reply text of each earlier turn (`replies.size() == turn`).
  virtual std::string Body(size_t session, size_t turn, std::span<const std::string> replies) const = 0;
  /// The reply text of a finished turn from its raw response, one view per network read.
  virtual std::string Reply(std::span<const std::string_view> reads) const = 0;
  /// What a turn's record carries beside "payload" in request_inputs (session_id, delay).
  virtual nlohmann::json RecordInputs(size_t session, size_t turn) const = 0;
};

}  // namespace bench
