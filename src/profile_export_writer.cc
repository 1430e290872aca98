#include "bench/profile_export_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bench {

namespace {

// What follows the backslash for the escapes of two bytes; 0 for bytes written as they are,
// and for the other control characters (\u00XX).
constexpr std::array<char, 256> kShortEscape = [] {
  std::array<char, 256> t{};
  t['"'] = '"';
  t['\\'] = '\\';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  return t;
}();

// Escapes like rapidjson's Writer: quote, backslash and control characters; every other byte,
// including invalid UTF-8 from a read that split a character, is passed through unchanged.
// An SSE chunk holds an escaped quote every few bytes, so a branch or an append per escape cost
// more than the copying: the usual strings (two-byte escapes at most) are written through a
// pointer without a branch per byte, and only a rarer control character takes the slow loop.
void WriteString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto* in = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const size_t old = out.size();
  out.resize(old + 2 * n + 2);  // the bound when every byte takes a two-byte escape
  char* d = out.data() + old;
  *d++ = '"';
  size_t i = 0;
  for (; i < n; ++i) {
    const unsigned char c = in[i];
    const char e = kShortEscape[c];
    if (e == 0 && c < 0x20) break;  // \u00XX: finished below
    // A backslash, overwritten by the byte itself when it needs no escape.
    const size_t escaped = e != 0;
    d[0] = '\\';
    d[escaped] = escaped ? e : static_cast<char>(c);
    d += 1 + escaped;
  }
  if (i < n) {
    const size_t done = static_cast<size_t>(d - out.data());
    out.resize(done + 6 * (n - i) + 1);
    d = out.data() + done;
    for (; i < n; ++i) {
      const unsigned char c = in[i];
      if (const char e = kShortEscape[c]; e != 0) {
        *d++ = '\\';
        *d++ = e;
      } else if (c < 0x20) {
        *d++ = '\\';
        *d++ = 'u';
        *d++ = '0';
        *d++ = '0';
        *d++ = kHex[c >> 4];
        *d++ = kHex[c & 0xF];
      } else {
        *d++ = static_cast<char>(c);
      }
    }
  }
  *d++ = '"';
  out.resize(static_cast<size_t>(d - out.data()));
}

void WriteInt(std::string& out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

void WriteDouble(std::string& out, double v) {
  // nlohmann prints the shortest round-trip form with a ".0" for integral values (2.0), which
  // is what rapidjson's Writer::Double prints too.
  out += nlohmann::json(v).dump();
}

void WriteValue(std::string& out, const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        WriteString(out, it.key());
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
      WriteString(out, v.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      WriteInt(out, v.get<int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.get<uint64_t>());
      out.append(buf, static_cast<size_t>(r.ptr - buf));
      break;
    }
    case nlohmann::json::value_t::number_float:
      WriteDouble(out, v.get<double>());
      break;
    default:  // null, discarded, binary
      out += "null";
  }
}

void WriteIntArray(std::string& out, std::span<const int64_t> values) {
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
  WriteString(buf_, mode);
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
  for (size_t i = 0; i < request.response_outputs.size(); ++i) {
    if (i > 0) buf_.push_back(',');
    WriteValue(buf_, request.response_outputs[i]);
  }
  buf_.push_back(']');
  if (request.error) {
    buf_ += ",\"error\":{\"kind\":";
    WriteString(buf_, ErrorKindName(request.error->kind));
    buf_ += ",\"status\":";
    WriteInt(buf_, request.error->http_status);
    buf_ += ",\"message\":";
    WriteString(buf_, request.error->message);
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
    WriteString(buf_, request.request_id);
  }
  buf_.push_back('}');
  Flush();
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
  WriteString(buf_, version);
  buf_ += ",\"service_kind\":";
  WriteString(buf_, service_kind);
  buf_ += ",\"endpoint\":";
  WriteString(buf_, endpoint);
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
