#include "dataset/sessions.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace bench {
namespace {

// Python's round() on a float: half to even (std::nearbyint in the default rounding mode).
int64_t RoundHalfEven(double v) { return static_cast<int64_t>(std::nearbyint(v)); }

}  // namespace

nlohmann::ordered_json DelayJson(double ms) {
  if (ms == std::floor(ms) && std::fabs(ms) < 9e15) return static_cast<int64_t>(ms);
  return ms;
}

std::string SeededUuid(RandomStream& rng) {
  uint64_t hi = rng.Bits();
  uint64_t lo = rng.Bits();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                   // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);   // variant 10xx
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
                     lo & 0xFFFFFFFFFFFFULL);
}

std::vector<SessionSpec> PlanSyntheticSessions(const SessionShapeOptions& options, RandomStream& rng) {
  std::vector<SessionSpec> sessions;
  size_t entry = 0;
  for (int s = 0; s < options.num_sessions; ++s) {
    SessionSpec spec;
    spec.id = SeededUuid(rng);
    const int64_t turns =
        std::max<int64_t>(1, RoundHalfEven(rng.Gauss(options.turns_mean, options.turns_stddev)));
    for (int64_t t = 0; t < turns; ++t) {
      spec.entries.push_back(entry++);
      if (t + 1 == turns) {
        spec.delay_ms.emplace_back(std::nullopt);
        break;
      }
      const int64_t delay = std::max<int64_t>(0, RoundHalfEven(rng.Gauss(options.delay_mean_ms, options.delay_stddev_ms)));
      spec.delay_ms.emplace_back(static_cast<double>(delay) * options.delay_ratio);
    }
    sessions.push_back(std::move(spec));
  }
  return sessions;
}

std::vector<SessionSpec> PlanTraceSessions(const std::vector<nlohmann::ordered_json>& session_ids,
                                           const std::vector<std::optional<int64_t>>& delay_ms, double ratio) {
  std::vector<SessionSpec> sessions;
  std::map<std::string, size_t> index;  // session_id (dumped, so 7 and "7" differ) -> session
  for (size_t i = 0; i < session_ids.size(); ++i) {
    const nlohmann::ordered_json& id = session_ids[i];
    size_t at = sessions.size();
    if (!id.is_null()) {
      const auto [it, added] = index.emplace(id.dump(), sessions.size());
      at = it->second;
      if (!added) {
        sessions[at].entries.push_back(i);
        sessions[at].delay_ms.push_back(delay_ms[i] ? std::optional<double>(static_cast<double>(*delay_ms[i]) * ratio)
                                                    : std::nullopt);
        continue;
      }
    }
    SessionSpec spec;
    spec.id = id;
    spec.entries.push_back(i);
    spec.delay_ms.push_back(delay_ms[i] ? std::optional<double>(static_cast<double>(*delay_ms[i]) * ratio)
                                        : std::nullopt);
    sessions.push_back(std::move(spec));
  }
  return sessions;
}

nlohmann::ordered_json ChatHistoryBody(const nlohmann::ordered_json& turn_body,
                                       std::span<const nlohmann::ordered_json> earlier,
                                       std::span<const std::string> replies) {
  nlohmann::ordered_json body = turn_body;
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  for (size_t k = 0; k < earlier.size(); ++k) {
    const auto m = earlier[k].find("messages");
    if (m != earlier[k].end() && m->is_array()) {
      for (const auto& message : *m) messages.push_back(message);
    }
    messages.push_back(nlohmann::ordered_json{{"role", "assistant"}, {"content", k < replies.size() ? replies[k] : ""}});
  }
  const auto own = turn_body.find("messages");
  if (own != turn_body.end() && own->is_array()) {
    for (const auto& message : *own) messages.push_back(message);
  }
  body["messages"] = std::move(messages);
  return body;
}

std::string ReplyText(ResponseFormat format, std::span<const std::string_view> reads) {
  ResponseOutputs outputs("response");
  size_t bytes = 0;
  for (std::string_view read : reads) bytes += read.size();
  outputs.Reserve(reads.size(), bytes);
  for (std::string_view read : reads) outputs.AddText(read);
  const std::vector<int64_t> timestamps(reads.size(), 0);
  const ProcessedResponses processed = PreprocessResponses(format, outputs, timestamps, RawResponses::kDrop);
  std::string text;
  for (const std::string& t : processed.texts) text += t;
  return text;
}

int64_t ChatSessionWorkload::DelayAfterNs(size_t session, size_t turn) const {
  const std::optional<double>& ms = sessions_[session].delay_ms[turn];
  return ms ? std::max<int64_t>(0, std::llround(*ms * 1e6)) : 0;
}

std::string ChatSessionWorkload::Body(size_t session, size_t turn, std::span<const std::string> replies) const {
  const SessionSpec& spec = sessions_[session];
  std::vector<nlohmann::ordered_json> earlier;
  earlier.reserve(turn);
  for (size_t k = 0; k < turn; ++k) earlier.push_back(payloads_[spec.entries[k]]);
  // A reply that is not valid UTF-8 is sent with U+FFFD rather than throwing on a worker thread.
  return ChatHistoryBody(payloads_[spec.entries[turn]], earlier, replies.first(std::min(replies.size(), turn)))
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::json ChatSessionWorkload::RecordInputs(size_t session, size_t turn) const {
  const SessionSpec& spec = sessions_[session];
  nlohmann::json inputs = nlohmann::json::object();
  if (!spec.id.is_null()) inputs["session_id"] = nlohmann::json::parse(spec.id.dump());
  if (spec.delay_ms[turn]) inputs["delay"] = nlohmann::json::parse(DelayJson(*spec.delay_ms[turn]).dump());
  return inputs;
}

}  // namespace bench
