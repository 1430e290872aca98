#include "record/profile_export_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "util/json_escape.h"

namespace bench {

namespace {

template <class Integer>
void WriteInt(ByteBuffer& out, Integer v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append({buf, static_cast<size_t>(r.ptr - buf)});
}

void WriteDouble(ByteBuffer& out, double v) {
  // nlohmann prints the shortest round-trip form with a ".0" for integral values (2.0), which
  // is what rapidjson's Writer::Double prints too.
  out += nlohmann::json(v).dump();
}

void WriteValue(ByteBuffer& out, const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, it.key());
        out.push_back(':');
        WriteValue(out, it.value());
      }
      out.push_back('}');
      break;
    }
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(',');
        first = false;
        WriteValue(out, e);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::string:
      AppendJsonString(out, v.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      WriteInt(out, v.get<int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      WriteInt(out, v.get<uint64_t>());
      break;
    case nlohmann::json::value_t::number_float:
      WriteDouble(out, v.get<double>());
      break;
    default:  // null, discarded, binary
      out += "null";
  }
}

void WriteIntArray(ByteBuffer& out, std::span<const int64_t> values) {
  out.push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    WriteInt(out, values[i]);
  }
  out.push_back(']');
}

}  // namespace

ProfileExportWriter::ProfileExportWriter(std::ostream& out, bool request_per_line)
    : out_(out), request_per_line_(request_per_line) {
  out_ << "{\"experiments\":[";
}

void ProfileExportWriter::Flush() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

void ProfileExportWriter::BeginExperiment(const std::string& mode, double value) {
  if (any_experiment_) buf_.push_back(',');
  any_experiment_ = true;
  any_request_ = false;
  buf_ += "{\"experiment\":{\"mode\":";
  AppendJsonString(buf_, mode);
  buf_ += ",\"value\":";
  // PA writes the concurrency as an integer and the request rate as a double.
  if (mode == "concurrency" && std::isfinite(value)) {
    WriteInt(buf_, static_cast<int64_t>(value));
  } else {
    WriteDouble(buf_, value);
  }
  buf_ += "},\"requests\":[";
  Flush();
}

void ProfileExportWriter::WriteRequest(const RequestRecord& request) {
  // One request is built in memory and written at once: per-escape stream calls cost more
  // than the escaping.
  if (any_request_) buf_.push_back(',');
  any_request_ = true;
  if (request_per_line_) buf_.push_back('\n');
  buf_ += "{\"timestamp\":";
  WriteInt(buf_, request.timestamp_ns);
  buf_ += ",\"request_inputs\":";
  WriteValue(buf_, request.request_inputs.is_object() ? request.request_inputs : nlohmann::json::object());
  buf_ += ",\"response_timestamps\":";
  WriteIntArray(buf_, request.response_timestamps);
  buf_ += ",\"response_outputs\":[";
  const ResponseOutputs& outputs = request.response_outputs;
  if (outputs.compact()) {
    // Every read's object opens the same way: its key is escaped once per request.
    ByteBuffer open;
    open.push_back('{');
    AppendJsonString(open, outputs.Key());
    open.push_back(':');
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (i > 0) buf_.push_back(',');
      buf_ += open.view();
      AppendJsonString(buf_, outputs.Text(i));
      buf_.push_back('}');
    }
  } else {
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (i > 0) buf_.push_back(',');
      WriteValue(buf_, outputs.Json(i));
    }
  }
  buf_.push_back(']');
  if (request.error) {
    buf_ += ",\"error\":{\"kind\":";
    AppendJsonString(buf_, ErrorKindName(request.error->kind));
    buf_ += ",\"status\":";
    WriteInt(buf_, request.error->http_status);
    buf_ += ",\"message\":";
    AppendJsonString(buf_, request.error->message);
    buf_.push_back('}');
  }
  if (request.intended_timestamp_ns) {
    buf_ += ",\"intended_timestamp\":";
    WriteInt(buf_, *request.intended_timestamp_ns);
  }
  if (request.handoff_timestamp_ns) {
    buf_ += ",\"handoff_timestamp\":";
    WriteInt(buf_, *request.handoff_timestamp_ns);
  }
  if (!request.request_id.empty()) {
    buf_ += ",\"request_id\":";
    AppendJsonString(buf_, request.request_id);
  }
  buf_.push_back('}');
  // Requests are written a MiB at a time: a write of one ~20 KB request costs the kernel
  // three times as much per byte (partial pages, one call each) as a MiB does.
  if (buf_.size() >= kFlushBytes) Flush();
}

void ProfileExportWriter::EndExperiment(std::span<const int64_t> window_boundaries) {
  if (request_per_line_) buf_.push_back('\n');
  buf_ += "],\"window_boundaries\":";
  WriteIntArray(buf_, window_boundaries);
  buf_.push_back('}');
  Flush();
}

void ProfileExportWriter::Finish(const std::string& version, const std::string& service_kind,
                                 const std::string& endpoint) {
  buf_ += "],\"version\":";
  AppendJsonString(buf_, version);
  buf_ += ",\"service_kind\":";
  AppendJsonString(buf_, service_kind);
  buf_ += ",\"endpoint\":";
  AppendJsonString(buf_, endpoint);
  buf_.push_back('}');
  Flush();
  out_.flush();
}

void WriteProfileExport(const ProfileExport& profile, std::ostream& out) {
  ProfileExportWriter writer(out);
  for (const Experiment& e : profile.experiments) {
    writer.BeginExperiment(e.mode, e.value);
    for (const RequestRecord& r : e.requests) writer.WriteRequest(r);
    writer.EndExperiment(e.window_boundaries);
  }
  writer.Finish(profile.version, profile.service_kind, profile.endpoint);
}

}  // namespace bench
