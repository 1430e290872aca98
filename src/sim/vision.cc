#include "sim/vision.h"

#include "sim/openai.h"
#include "util/base64.h"

namespace bench {
namespace {

using nlohmann::json;

bool LooksLikeImage(std::string_view b) {
  return (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) ||
         (b.size() >= 3 && b.substr(0, 3) == "\xff\xd8\xff");
}

bool LooksLikeAudio(std::string_view b) {
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WAVE") return true;
  if (b.size() >= 3 && b.substr(0, 3) == "ID3") return true;
  return b.size() >= 2 && uint8_t(b[0]) == 0xff && (uint8_t(b[1]) & 0xe0) == 0xe0;  // an MPEG frame
}

std::string CheckBytes(std::string_view base64, SimMediaKind kind) {
  const auto bytes = Base64Decode(base64);
  if (!bytes) return "invalid base64 data";
  const bool ok = kind == SimMediaKind::kImage ? LooksLikeImage(*bytes) : LooksLikeAudio(*bytes);
  if (!ok) return kind == SimMediaKind::kImage ? "cannot identify image file" : "cannot identify audio file";
  return "";
}

const json* StringMember(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? &*it : nullptr;
}

}  // namespace

std::string CheckSimMediaUrl(std::string_view url, SimMediaKind kind) {
  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) return "";
  if (url.rfind("data:", 0) != 0) return "url must be an http(s) URL or a data URL";
  const auto comma = url.find(',');
  const std::string_view head = url.substr(0, comma);
  if (comma == std::string_view::npos || head.size() < 7 || head.substr(head.size() - 7) != ";base64") {
    return "data URL must be base64 encoded (data:<type>;base64,...)";
  }
  const std::string_view want = kind == SimMediaKind::kImage ? "data:image/" : "data:audio/";
  if (head.rfind(want, 0) != 0) return "data URL has the wrong media type for this part";
  return CheckBytes(url.substr(comma + 1), kind);
}

size_t SimContentPartTokens(const json& part, std::string& error) {
  if (!part.is_object()) {
    error = "each content part must be an object";
    return 0;
  }
  const json* type = StringMember(part, "type");
  if (type == nullptr) {
    error = "content part without a 'type'";
    return 0;
  }
  const std::string& t = type->get_ref<const std::string&>();
  const auto url_of = [&](const char* member) -> const json* {
    const auto it = part.find(member);
    return it != part.end() && it->is_object() ? StringMember(*it, "url") : nullptr;
  };
  if (t == "text") {
    const json* text = StringMember(part, "text");
    if (text == nullptr) error = "text part without a string 'text'";
    return text == nullptr ? 0 : ApproxPromptTokens(text->get_ref<const std::string&>());
  }
  if (t == "image_url" || t == "audio_url") {
    const bool image = t == "image_url";
    const json* url = url_of(image ? "image_url" : "audio_url");
    if (url == nullptr) {
      error = t + " part without " + t + ".url";
      return 0;
    }
    const std::string why = CheckSimMediaUrl(url->get_ref<const std::string&>(),
                                             image ? SimMediaKind::kImage : SimMediaKind::kAudio);
    if (!why.empty()) error = t + ": " + why;
    return image ? kSimImageTokens : kSimAudioTokens;
  }
  if (t == "input_audio") {
    const auto audio = part.find("input_audio");
    const json* data = audio != part.end() && audio->is_object() ? StringMember(*audio, "data") : nullptr;
    const json* format = audio != part.end() && audio->is_object() ? StringMember(*audio, "format") : nullptr;
    if (data == nullptr || format == nullptr) {
      error = "input_audio part needs input_audio.data and input_audio.format";
      return 0;
    }
    if (*format != "wav" && *format != "mp3") {
      error = "input_audio.format must be wav or mp3";
      return 0;
    }
    const std::string why = CheckBytes(data->get_ref<const std::string&>(), SimMediaKind::kAudio);
    if (!why.empty()) error = "input_audio: " + why;
    return kSimAudioTokens;
  }
  error = "unknown content part type '" + t + "'";
  return 0;
}

}  // namespace bench
