#include "record/profile_export_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

#if defined(__x86_64__)
// For each mask of the bytes of an 8-byte block that need a two-byte escape, the shuffle that
// spreads the block out: a backslash (source byte 8) before each such byte.
struct EscapeShuffle {
  std::array<std::array<uint8_t, 16>, 256> control{};
  std::array<uint8_t, 256> length{};  // 8 + escapes (no popcnt instruction before SSE4.2)
};
constexpr EscapeShuffle kEscapeShuffle = [] {
  EscapeShuffle t;
  for (int mask = 0; mask < 256; ++mask) {
    size_t o = 0;
    for (uint8_t j = 0; j < 8; ++j) {
      if (mask & (1 << j)) t.control[mask][o++] = 8;
      t.control[mask][o++] = j;
    }
    t.length[mask] = static_cast<uint8_t>(o);
    while (o < 16) t.control[mask][o++] = 0x80;  // zero
  }
  return t;
}();

// WriteString's usual case 8 bytes at a time, without a branch per escape (an SSE chunk has
// one every ~6 bytes, and mispredicted branches were most of the cost): the escape letters
// are put in place, one shuffle spreads the block out with its backslashes, and one 16-byte
// store writes it (the caller leaves 16 bytes of room past the worst case). Returns how many
// bytes of `in` were written; it stops before a block holding a control character without a
// two-byte escape, and before the last 1-7 bytes.
__attribute__((target("ssse3"))) size_t EscapeBlocksSsse3(const unsigned char* in, size_t n, char*& d) {
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  const __m128i below_16 = _mm_set1_epi8(0x0F);
  // Letters of the control characters with a two-byte escape, by low nibble (\b \t \n \f \r).
  const __m128i letters = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 'b', 't', 'n', 0, 'f', 'r', 0, 0);
  const __m128i backslash_at_8 = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0, 0, 0, 0, 0);
  const __m128i zero = _mm_setzero_si128();
  const auto mask_of = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
  size_t i = 0;
  // 16 bytes a step: the tests are made once for both halves (half the instructions per byte of
  // the 8-byte loop below, which takes the rest and any block with a \u00XX control).
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, below_16), below_16);
    const __m128i letter = _mm_shuffle_epi8(letters, v);
    const __m128i short_control = _mm_andnot_si128(_mm_cmpeq_epi8(letter, zero), low);
    if (mask_of(_mm_andnot_si128(short_control, control)) != 0) break;
    const __m128i source = _mm_or_si128(_mm_andnot_si128(short_control, v), _mm_and_si128(short_control, letter));
    const unsigned mask =
        mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control));
    // Each half in bytes 0-7 with the backslash in byte 8, as the 8-byte loop has it.
    const __m128i low_half = _mm_or_si128(_mm_move_epi64(source), backslash_at_8);
    const __m128i high_half = _mm_or_si128(_mm_move_epi64(_mm_srli_si128(source, 8)), backslash_at_8);
    const unsigned low_mask = mask & 0xFFu;
    const unsigned high_mask = mask >> 8;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d),
                     _mm_shuffle_epi8(low_half, _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                    kEscapeShuffle.control[low_mask].data()))));
    d += kEscapeShuffle.length[low_mask];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d),
                     _mm_shuffle_epi8(high_half, _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                                     kEscapeShuffle.control[high_mask].data()))));
    d += kEscapeShuffle.length[high_mask];
  }
  for (; i + 8 <= n; i += 8) {
    const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + i));  // high half 0
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
    const __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(v, below_16), below_16);  // v <= 0x0F
    const __m128i letter = _mm_shuffle_epi8(letters, v);  // letters[v & 15] for v < 0x80
    const __m128i short_control = _mm_andnot_si128(_mm_cmpeq_epi8(letter, zero), low);
    if ((mask_of(_mm_andnot_si128(short_control, control)) & 0xFFu) != 0) break;  // \u00XX
    const __m128i source = _mm_or_si128(
        _mm_or_si128(_mm_andnot_si128(short_control, v), _mm_and_si128(short_control, letter)), backslash_at_8);
    const unsigned mask =
        mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control)) & 0xFFu;
    const __m128i spread = _mm_shuffle_epi8(
        source, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kEscapeShuffle.control[mask].data())));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), spread);
    d += kEscapeShuffle.length[mask];
  }
  return i;
}
#endif

// Escapes like rapidjson's Writer: quote, backslash and control characters; every other byte,
// including invalid UTF-8 from a read that split a character, is passed through unchanged.
// An SSE chunk holds an escaped quote every few bytes, so a branch or an append per escape cost
// more than the copying: the usual strings (two-byte escapes at most) are written through a
// pointer without a branch per byte, and only a rarer control character takes the slow loop.
void WriteString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto* in = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  // Escaped into a scratch buffer that only grows, then appended: resizing `out` to the worst
  // case zero-filled twice the string's length for every string (2.5 % of a whole run).
  thread_local std::vector<char> scratch;
  // The bound when every byte takes a two-byte escape, and room for a 16-byte store past it.
  const size_t bound = 2 * n + 2 + 16;
  if (scratch.size() < bound) scratch.resize(std::max(bound, 2 * scratch.size()));
  char* start = scratch.data();
  char* d = start;
  *d++ = '"';
  size_t i = 0;
#if defined(__x86_64__)
  static const bool ssse3 = __builtin_cpu_supports("ssse3");
  if (ssse3) i = EscapeBlocksSsse3(in, n, d);
#endif
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
  if (i < n) {  // a control character written \u00XX: six bytes at most for each one left
    const size_t done = static_cast<size_t>(d - start);
    if (scratch.size() < done + 6 * (n - i) + 1) scratch.resize(done + 6 * (n - i) + 1);
    start = scratch.data();
    d = start + done;
  }
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
  *d++ = '"';
  out.append(start, static_cast<size_t>(d - start));
}

template <class Integer>
void WriteInt(std::string& out, Integer v) {
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
