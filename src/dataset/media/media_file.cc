#include "dataset/media/media_file.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dataset/media/audio_codec.h"
#include "dataset/media/image_codec.h"
#include "util/base64.h"
#include "util/jsonl.h"

namespace bench {
namespace {

enum class Location { kUrl, kFile, kBadUrl };

// GenAI-Perf's rule (urllib's urlparse): a URL has both a scheme and a host; only one of the two
// is an error; neither is a local path.
Location Locate(const std::string& value) {
  const auto colon = value.find(':');
  const bool has_scheme = colon != std::string::npos && colon > 0 &&
                          value.find_first_of("/\\") > colon &&
                          std::isalpha(static_cast<unsigned char>(value[0]));
  const auto slashes = value.find("//");
  const bool has_host = slashes != std::string::npos && (slashes == 0 || (has_scheme && slashes == colon + 1)) &&
                        value.size() > slashes + 2 && value[slashes + 2] != '/';
  if (has_scheme && has_host) return Location::kUrl;
  if (has_scheme || has_host) return Location::kBadUrl;
  return Location::kFile;
}

bool ReadWhole(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(buffer).str();
  return true;
}

}  // namespace

std::string ImageItemOf(const std::string& value, std::string& error) {
  switch (Locate(value)) {
    case Location::kUrl:
      return value;
    case Location::kBadUrl:
      error = fmt::format("image '{}': a URL needs both a scheme and a host", value);
      return {};
    case Location::kFile:
      break;
  }
  std::string bytes;
  if (!ReadWhole(value, bytes)) {
    error = fmt::format("image '{}': cannot open file", value);
    return {};
  }
  std::string why;
  const auto decoded = DecodeImage(bytes, why);
  if (!decoded) {
    error = fmt::format("image '{}': unsupported or invalid image ({}); PNG and JPEG are supported", value, why);
    return {};
  }
  return fmt::format("data:image/{};base64,{}", ImageFormatName(decoded->format), Base64Encode(bytes));
}

AudioItem AudioItemOf(const std::string& value, std::string& error) {
  AudioItem item;
  switch (Locate(value)) {
    case Location::kUrl:
      item.url = value;
      return item;
    case Location::kBadUrl:
      error = fmt::format("audio '{}': a URL needs both a scheme and a host", value);
      return item;
    case Location::kFile:
      break;
  }
  std::string bytes;
  if (!ReadWhole(value, bytes)) {
    error = fmt::format("audio '{}': cannot open file", value);
    return item;
  }
  std::string why;
  const auto info = InspectAudio(bytes, why);
  if (!info) {
    error = fmt::format("audio '{}': unsupported or invalid audio ({}); WAV and MP3 are supported", value, why);
    return item;
  }
  item.format = AudioFormatName(info->format);
  item.base64 = Base64Encode(bytes);
  return item;
}

MediaFileRead ReadMediaInputFile(const std::string& path) {
  MediaFileRead out;
  const JsonlRead read = ForEachJsonlLine(path, [&](int, const std::string& line) -> std::string {
    const auto row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) return "not a JSON object";
    const auto text = row.find("text");
    const auto text_input = row.find("text_input");
    if (text != row.end() && text_input != row.end()) return "both 'text' and 'text_input' are given; use one";
    const auto prompt = text != row.end() ? text : text_input;
    if (prompt != row.end() && !prompt->is_null()) {
      if (!prompt->is_string()) return fmt::format("'{}' must be a string", text != row.end() ? "text" : "text_input");
      out.content.texts.push_back(Strip(prompt->get<std::string>()));
    }
    std::string error;
    if (const auto image = row.find("image"); image != row.end() && !image->is_null()) {
      if (!image->is_string()) return "'image' must be a string (a path or a URL)";
      out.content.images.push_back(ImageItemOf(Strip(image->get<std::string>()), error));
      if (!error.empty()) return error;
    }
    if (const auto audio = row.find("audio"); audio != row.end() && !audio->is_null()) {
      if (!audio->is_string()) return "'audio' must be a string (a path or a URL)";
      out.content.audios.push_back(AudioItemOf(Strip(audio->get<std::string>()), error));
      if (!error.empty()) return error;
    }
    return "";
  });
  if (!read.opened) {
    out.error = fmt::format("--input-file {}: cannot open file", path);
  } else if (!read.error.empty()) {
    out.error = "--input-file " + read.error;
  } else if (out.content.texts.empty() && out.content.images.empty() && out.content.audios.empty()) {
    out.error = fmt::format("--input-file {}: no 'text', 'image' or 'audio' in any line", path);
  }
  return out;
}

}  // namespace bench
