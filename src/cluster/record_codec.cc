#include "cluster/record_codec.h"

#include <nlohmann/json.hpp>

namespace bench {

void AppendRecord(const RequestRecord& record, std::string& out) {
  nlohmann::json j = nlohmann::json::object();
  j["t"] = record.timestamp_ns;
  j["in"] = record.request_inputs;
  j["rt"] = record.response_timestamps;
  j["ro"] = record.response_outputs.ToJson();
  if (record.error) {
    j["e"] = {{"k", static_cast<int>(record.error->kind)}, {"s", record.error->http_status}, {"m", record.error->message}};
  }
  if (record.intended_timestamp_ns) j["it"] = *record.intended_timestamp_ns;
  j["id"] = record.request_id;
  if (record.handoff_timestamp_ns) j["h"] = *record.handoff_timestamp_ns;
  const std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(j);
  const auto n = static_cast<uint32_t>(bytes.size());
  const char length[4] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                          static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff)};
  out.append(length, 4);
  out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

bool DecodeRecord(std::string_view bytes, RequestRecord& record, std::string& error) {
  try {
    const nlohmann::json j = nlohmann::json::from_msgpack(bytes.begin(), bytes.end());
    record.timestamp_ns = j.at("t").get<int64_t>();
    record.request_inputs = j.at("in");
    record.response_timestamps = j.at("rt").get<std::vector<int64_t>>();
    record.response_outputs = ResponseOutputs::FromJson(j.at("ro").get<std::vector<nlohmann::json>>());
    if (j.contains("e")) {
      const auto& e = j.at("e");
      const int kind = e.at("k").get<int>();
      const bool known = kind >= static_cast<int>(ErrorKind::kNone) && kind <= static_cast<int>(ErrorKind::kOther);
      record.error = RequestError{known ? static_cast<ErrorKind>(kind) : ErrorKind::kOther, e.at("s").get<int>(),
                                  e.at("m").get<std::string>()};
    }
    if (j.contains("it")) record.intended_timestamp_ns = j.at("it").get<int64_t>();
    record.request_id = j.at("id").get<std::string>();
    if (j.contains("h")) record.handoff_timestamp_ns = j.at("h").get<int64_t>();
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

}  // namespace bench
