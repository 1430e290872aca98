#pragma once
// Multi-turn chat sessions (reference §3.5): which dataset entries form each session and how
// long to wait between turns (synthetic plans or a payload trace's session_id/delay fields),
// seeded uuid-format session ids, and the chat body of a turn carrying the real history.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/random_stream.h"
#include "record/response_parser.h"
#include "record/session_workload.h"

namespace bench {

/// One session: its turns are dataset entries, sent in order, each after the previous one's
/// reply plus that turn's delay.
struct SessionSpec {
  nlohmann::ordered_json id;                    // request_inputs.session_id of every turn; null = none
  std::vector<size_t> entries;                  // dataset entry of each turn
  std::vector<std::optional<double>> delay_ms;  // per turn: the wait after it (ratio applied); nullopt = none
};

/// The synthetic session flags.
struct SessionShapeOptions {
  int num_sessions = 0;
  int turns_mean = 1;
  int turns_stddev = 0;
  int delay_mean_ms = 0;
  int delay_stddev_ms = 0;
  double delay_ratio = 1.0;
};

/// Synthetic sessions (GenAI-Perf's sampling rules): turns max(1, round(gauss(mean, stddev))),
/// a delay of max(0, round(gauss(mean, stddev))) ms after every turn but the last (times the
/// ratio), a SeededUuid id each. Turn entries are numbered consecutively from 0.
std::vector<SessionSpec> PlanSyntheticSessions(const SessionShapeOptions& options, RandomStream& rng);

/// Sessions of a payload trace: lines grouped by `session_id` in order of first appearance,
/// turns in file order; a line without a session_id is a one-turn session of its own (no id
/// recorded). `delay_ms[i]` (× ratio) is the wait after line i.
std::vector<SessionSpec> PlanTraceSessions(const std::vector<nlohmann::ordered_json>& session_ids,
                                           const std::vector<std::optional<int64_t>>& delay_ms, double ratio);

/// A uuid4-format id ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") from `rng`: reproducible for a
/// seed, where GenAI-Perf's uuid.uuid4() is not.
std::string SeededUuid(RandomStream& rng);

/// A delay as PA metadata (inputs.json, request_inputs): an integer number of ms when it is
/// one, else the float.
nlohmann::ordered_json DelayJson(double ms);

/// The chat body of turn k: `turn_body` (a chat body of its own user message(s)) with
/// `messages` replaced by every earlier turn's messages, each followed by its assistant reply,
/// then its own. `earlier.size()` must equal `replies.size()`.
nlohmann::ordered_json ChatHistoryBody(const nlohmann::ordered_json& turn_body,
                                       std::span<const nlohmann::ordered_json> earlier,
                                       std::span<const std::string> replies);

/// The assistant text of one response given as its raw reads (SSE stream or JSON body), by
/// GenAI-Perf's response pre-processing and text extraction (response_parser.h).
std::string ReplyText(ResponseFormat format, std::span<const std::string_view> reads);

/// SessionWorkload over a dataset of chat bodies (one per turn entry).
class ChatSessionWorkload : public SessionWorkload {
 public:
  /// Keeps references to `sessions` and `payloads`: they must outlive the workload.
  ChatSessionWorkload(const std::vector<SessionSpec>& sessions, const std::vector<nlohmann::ordered_json>& payloads,
                      ResponseFormat format)
      : sessions_(sessions), payloads_(payloads), format_(format) {}
  size_t SessionCount() const override { return sessions_.size(); }
  size_t TurnCount(size_t session) const override { return sessions_[session].entries.size(); }
  int64_t DelayAfterNs(size_t session, size_t turn) const override;
  std::string Body(size_t session, size_t turn, std::span<const std::string> replies) const override;
  std::string Reply(std::span<const std::string_view> reads) const override { return ReplyText(format_, reads); }
  nlohmann::json RecordInputs(size_t session, size_t turn) const override;

 private:
  const std::vector<SessionSpec>& sessions_;
  const std::vector<nlohmann::ordered_json>& payloads_;
  ResponseFormat format_;
};

}  // namespace bench
