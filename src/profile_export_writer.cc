#include "bench/profile_export_writer.h"

#include <cmath>
#include <string_view>

namespace bench {

namespace {

// Escapes like rapidjson's Writer: quote, backslash and control characters; every other byte,
// including invalid UTF-8 from a read that split a character, is passed through unchanged.
void WriteString(std::ostream& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.put('"');
  size_t run = 0;  // start of the pending unescaped run
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char buf[7];
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default:
        if (c < 0x20) {
          buf[0] = '\\';
          buf[1] = 'u';
          buf[2] = '0';
          buf[3] = '0';
          buf[4] = kHex[c >> 4];
          buf[5] = kHex[c & 0xF];
          buf[6] = '\0';
          esc = buf;
        }
    }
    if (esc == nullptr) continue;
    out.write(s.data() + run, static_cast<std::streamsize>(i - run));
    out << esc;
    run = i + 1;
  }
  out.write(s.data() + run, static_cast<std::streamsize>(s.size() - run));
  out.put('"');
}

void WriteDouble(std::ostream& out, double v) {
  // nlohmann prints the shortest round-trip form with a ".0" for integral values (2.0), which
  // is what rapidjson's Writer::Double prints too.
  out << nlohmann::json(v).dump();
}

void WriteValue(std::ostream& out, const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out.put('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.put(',');
        first = false;
        WriteString(out, it.key());
        out.put(':');
        WriteValue(out, it.value());
      }
      out.put('}');
      break;
    }
    case nlohmann::json::value_t::array: {
      out.put('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.put(',');
        first = false;
        WriteValue(out, e);
      }
      out.put(']');
      break;
    }
    case nlohmann::json::value_t::string:
      WriteString(out, v.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::boolean:
      out << (v.get<bool>() ? "true" : "false");
      break;
    case nlohmann::json::value_t::number_integer:
      out << v.get<int64_t>();
      break;
    case nlohmann::json::value_t::number_unsigned:
      out << v.get<uint64_t>();
      break;
    case nlohmann::json::value_t::number_float:
      WriteDouble(out, v.get<double>());
      break;
    default:  // null, discarded, binary
      out << "null";
  }
}

void WriteIntArray(std::ostream& out, std::span<const int64_t> values) {
  out.put('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.put(',');
    out << values[i];
  }
  out.put(']');
}

}  // namespace

ProfileExportWriter::ProfileExportWriter(std::ostream& out, bool request_per_line)
    : out_(out), request_per_line_(request_per_line) {
  out_ << "{\"experiments\":[";
}

void ProfileExportWriter::BeginExperiment(const std::string& mode, double value) {
  if (any_experiment_) out_.put(',');
  any_experiment_ = true;
  any_request_ = false;
  out_ << "{\"experiment\":{\"mode\":";
  WriteString(out_, mode);
  out_ << ",\"value\":";
  // PA writes the concurrency as an integer and the request rate as a double.
  if (mode == "concurrency" && std::isfinite(value)) {
    out_ << static_cast<int64_t>(value);
  } else {
    WriteDouble(out_, value);
  }
  out_ << "},\"requests\":[";
}

void ProfileExportWriter::WriteRequest(const RequestRecord& request) {
  if (any_request_) out_.put(',');
  any_request_ = true;
  if (request_per_line_) out_.put('\n');
  out_ << "{\"timestamp\":" << request.timestamp_ns << ",\"request_inputs\":";
  WriteValue(out_, request.request_inputs.is_object() ? request.request_inputs
                                                      : nlohmann::json::object());
  out_ << ",\"response_timestamps\":";
  WriteIntArray(out_, request.response_timestamps);
  out_ << ",\"response_outputs\":[";
  for (size_t i = 0; i < request.response_outputs.size(); ++i) {
    if (i > 0) out_.put(',');
    WriteValue(out_, request.response_outputs[i]);
  }
  out_.put(']');
  if (request.error) {
    out_ << ",\"error\":{\"kind\":";
    WriteString(out_, ErrorKindName(request.error->kind));
    out_ << ",\"status\":" << request.error->http_status << ",\"message\":";
    WriteString(out_, request.error->message);
    out_.put('}');
  }
  if (request.intended_timestamp_ns) {
    out_ << ",\"intended_timestamp\":" << *request.intended_timestamp_ns;
  }
  if (!request.request_id.empty()) {
    out_ << ",\"request_id\":";
    WriteString(out_, request.request_id);
  }
  out_.put('}');
}

void ProfileExportWriter::EndExperiment(std::span<const int64_t> window_boundaries) {
  if (request_per_line_) out_.put('\n');
  out_ << "],\"window_boundaries\":";
  WriteIntArray(out_, window_boundaries);
  out_.put('}');
}

void ProfileExportWriter::Finish(const std::string& version, const std::string& service_kind,
                                 const std::string& endpoint) {
  out_ << "],\"version\":";
  WriteString(out_, version);
  out_ << ",\"service_kind\":";
  WriteString(out_, service_kind);
  out_ << ",\"endpoint\":";
  WriteString(out_, endpoint);
  out_.put('}');
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
