#include "util/python_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace bench {

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";

  // Shortest round-trip digits from to_chars, then CPython's float_repr_style "short" layout:
  // exponent form when the decimal exponent is < -4 or >= 16, else positional with ".0".
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  const size_t e_pos = sci.find('e');
  std::string_view mantissa = sci.substr(0, e_pos);
  const int exponent = std::stoi(std::string(sci.substr(e_pos + 1)));
  std::string sign;
  if (mantissa.front() == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  const int n = static_cast<int>(digits.size());
  const int decpt = exponent + 1;  // value = 0.<digits> * 10^decpt

  std::string out = sign;
  if (decpt <= -4 || decpt > 16) {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    out += exp_buf;
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  } else if (decpt >= n) {
    out += digits + std::string(static_cast<size_t>(decpt - n), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(decpt)) + "." +
           digits.substr(static_cast<size_t>(decpt));
  }
  return out;
}

namespace {

void AppendEscapedUnit(std::string& out, unsigned unit) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

// json.encoder.py_encode_basestring_ascii. Invalid UTF-8 bytes become U+FFFD, the closest a
// Python str (which cannot hold them) would come.
void AppendPythonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            AppendEscapedUnit(out, c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    int extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    char32_t cp = extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    bool ok = extra > 0;
    for (int k = 1; ok && k <= extra; ++k) {
      if (i + static_cast<size_t>(k) >= s.size()) {
        ok = false;
        break;
      }
      const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      const char32_t min_cp = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
      ok = cp >= min_cp && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!ok) {
      AppendEscapedUnit(out, 0xFFFD);
      ++i;
      continue;
    }
    if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      AppendEscapedUnit(out, 0xD800 | (v >> 10));
      AppendEscapedUnit(out, 0xDC00 | (v & 0x3FF));
    } else {
      AppendEscapedUnit(out, cp);
    }
    i += static_cast<size_t>(extra) + 1;
  }
  out.push_back('"');
}

// floatstr() in json/encoder.py: repr, except the three non-finite spellings.
std::string PythonJsonFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return PythonFloatRepr(value);
}

template <typename Json>
void Dump(std::string& out, const Json& value, int indent, int level) {
  const bool pretty = indent >= 0;
  auto newline = [&](int lvl) {
    out.push_back('\n');
    out.append(static_cast<size_t>(indent * lvl), ' ');
  };
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      out += "null";
      break;
    case nlohmann::json::value_t::boolean:
      out += value.template get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(value.template get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(value.template get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::number_float:
      out += PythonJsonFloat(value.template get<double>());
      break;
    case nlohmann::json::value_t::string:
      AppendPythonString(out, value.template get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::binary:
      out += "null";  // not representable in Python's json; never produced by bench
      break;
    case nlohmann::json::value_t::array: {
      if (value.empty()) {
        out += "[]";
        break;
      }
      out.push_back('[');
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += pretty ? "," : ", ";
        first = false;
        if (pretty) newline(level + 1);
        Dump(out, item, indent, level + 1);
      }
      if (pretty) newline(level);
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      if (value.empty()) {
        out += "{}";
        break;
      }
      out.push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += pretty ? "," : ", ";
        first = false;
        if (pretty) newline(level + 1);
        AppendPythonString(out, it.key());
        out += ": ";
        Dump(out, it.value(), indent, level + 1);
      }
      if (pretty) newline(level);
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string PythonJsonDumps(const nlohmann::ordered_json& value, int indent) {
  std::string out;
  Dump(out, value, indent, 0);
  return out;
}

std::string PythonJsonDumps(const nlohmann::json& value, int indent) {
  std::string out;
  Dump(out, value, indent, 0);
  return out;
}

}  // namespace bench
