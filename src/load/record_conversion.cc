#include "load/record_conversion.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "record/stream_check.h"
#include "transport/packed_body.h"
#include "util/utf8.h"

namespace bench {

RequestError Classify(const RawRecord& r) {
  if (r.cancelled) {
    return {ErrorKind::kCancelled, static_cast<int>(r.http_status),
            r.past_deadline ? "cancelled at the --benchmark-duration deadline (--drain cancel)"
                            : "cancelled: still in flight when the interrupt's grace period ended"};
  }
  if (r.too_large) {
    return {ErrorKind::kOther, static_cast<int>(r.http_status),
            fmt::format("response larger than {} MiB; cut off", kMaxResponseBytes >> 20)};
  }
  if (r.transport_error != ErrorKind::kNone) {
    const ErrorKind kind = r.transport_error;
    return {kind, kind == ErrorKind::kConnect ? 0 : static_cast<int>(r.http_status), r.transport_message};
  }
  if (r.http_status < 200 || r.http_status >= 300) {
    std::string body = r.bytes.substr(0, 200);
    std::replace(body.begin(), body.end(), '\n', ' ');
    return {ErrorKind::kHttpStatus, static_cast<int>(r.http_status),
            fmt::format("HTTP {}: {}", r.http_status, body)};
  }
  return {};
}

// Events of a successful stream whose gap to the previous event was not measured: they came
// in the same read, or in a read the same loop wake-up delivered (libcurl hands each HTTP
// chunk to its own callback, so one socket read can become several callbacks).
void CountSharedTimestamps(const RawRecord& raw, LoadResult& totals, const BodyReading* reading) {
  // The body check's walk counted each read's events when the reads cut the body between them.
  const bool counted = reading != nullptr && reading->read_events.size() == raw.read_end.size();
  bool first_event = true;
  for (size_t i = 0; i < raw.read_end.size(); ++i) {
    const size_t events = counted ? reading->read_events[i] : EventsIn(raw.Read(i));
    if (events == 0) continue;
    totals.events += events;
    const bool same_wake = i > 0 && raw.read_wake[i] == raw.read_wake[i - 1];
    totals.events_sharing_timestamp += (events - 1) + ((!first_event && same_wake) ? 1 : 0);
    first_event = false;
  }
}

nlohmann::json TritonRequestInputs(std::string_view body) {
  nlohmann::json inputs = nlohmann::json::object();
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return inputs;
  for (const auto& [name, value] : doc.items()) {
    if (name == "model") continue;
    inputs[name] = value.is_array() && value.size() == 1 ? value[0] : value;
  }
  return inputs;
}

RequestRecord ToRecord(RawRecord&& raw, const std::vector<std::string>& bodies, const SessionWorkload* sessions,
                       const EpochAnchor& anchor, bool streaming, LoadResult& totals, bool triton) {
  RequestRecord rec;
  // A request that never reached its connection (connect failure) was last seen at hand-off.
  rec.timestamp_ns = anchor.ToEpochNs(raw.send_mono_ns != 0 ? raw.send_mono_ns : raw.handoff_mono_ns);
  rec.handoff_timestamp_ns = anchor.ToEpochNs(raw.handoff_mono_ns);
  rec.request_id = raw.request_id;
  if (raw.intended_mono_ns != 0) rec.intended_timestamp_ns = anchor.ToEpochNs(raw.intended_mono_ns);
  if (raw.session >= 0 && sessions != nullptr) {
    rec.request_inputs = sessions->RecordInputs(static_cast<size_t>(raw.session), static_cast<size_t>(raw.turn));
    rec.request_inputs["payload"] = raw.body;
  } else if (triton) {
    rec.request_inputs = TritonRequestInputs(bodies[raw.entry]);
  } else {
    rec.request_inputs = nlohmann::json{{"payload", bodies[raw.entry]}};
  }
  totals.reads += raw.read_end.size();
  totals.kernel_stamped_reads += raw.kernel_stamped_reads;
  RequestError error = Classify(raw);
  // What the stream check's walk learnt for the metrics (its texts, keys), and that the body is
  // valid UTF-8.
  std::optional<BodyReading> reading;
  if (error.kind == ErrorKind::kNone && !triton) {
    // After the run, never in the write callback: one pass over the body per request.
    BodyCheck check = streaming ? CheckStream(raw.bytes, raw.read_end, reading) : CheckResponseBody(raw.bytes, false);
    if (check.error.kind != ErrorKind::kNone) {
      error = std::move(check.error);
      error.http_status = static_cast<int>(raw.http_status);
    } else if (streaming && check.missing_done) {
      ++totals.streams_without_done;
    }
    if (streaming && check.error.kind == ErrorKind::kNone) CountSharedTimestamps(raw, totals, reading ? &*reading : nullptr);
  }
  // Invalid UTF-8 would make profile_export.json invalid JSON; such a request has failed
  // (invalid_json, or an earlier transport error), so its reads are kept with U+FFFD instead.
  const bool lossy = !reading && !IsValidUtf8(raw.bytes);
  if (lossy && error.kind == ErrorKind::kNone) {
    error = {ErrorKind::kInvalidJson, static_cast<int>(raw.http_status), "response is not valid UTF-8"};
  }
  // An HTTP error body is not model output: keep it in the error message only, so it can
  // never be mistaken for generated text.
  const bool keep_outputs = error.kind != ErrorKind::kHttpStatus;
  if (keep_outputs) {
    rec.response_timestamps.reserve(raw.read_end.size());
    for (const int64_t t : raw.read_mono_ns) rec.response_timestamps.push_back(anchor.ToEpochNs(t));
    std::string key = triton ? "text_output" : "response";
    if (lossy) {
      rec.response_outputs = ResponseOutputs(std::move(key));
      rec.response_outputs.Reserve(raw.read_end.size(), raw.bytes.size());
      for (size_t i = 0; i < raw.read_end.size(); ++i) rec.response_outputs.AddText(Utf8Lossy(raw.Read(i)));
    } else {
      // The reads are the body's bytes as they came: the record takes the body, not a copy.
      rec.response_outputs = ResponseOutputs(std::move(key), std::move(raw.bytes), std::move(raw.read_end));
    }
  }
  if (error.kind != ErrorKind::kNone) {
    rec.error = std::move(error);
  } else {
    rec.json_checked = true;  // CheckResponseBody validated every event (or the body) and UTF-8
    rec.reading = std::move(reading);
  }
  return rec;
}

}  // namespace bench
