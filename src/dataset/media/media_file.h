#pragma once
// --input-file lines for the media endpoint types (multimodal/vision, image_retrieval, nvclip):
// `text` or `text_input`, `image` and `audio`, read as GenAI-Perf's FileInputRetriever reads
// them (reference §3.4): a URL (scheme and host) passes through; a local file becomes a data URL
// of its own bytes. GenAI-Perf reads no `audio` field; bench reads it the same way and sends a
// file as an input_audio part, a URL as vLLM's audio_url part.

#include <string>
#include <vector>

namespace bench {

/// One audio item of a request: base64 data and its format, or a URL.
struct AudioItem {
  std::string format;  // "wav" | "mp3" (empty for a URL)
  std::string base64;  // the file's bytes
  std::string url;     // set instead of the two above for an http(s) URL
};

/// What an input file holds, each kind in file order (GenAI-Perf keeps separate lists).
struct MediaFileContent {
  std::vector<std::string> texts;   // stripped prompts
  std::vector<std::string> images;  // data:image/<fmt>;base64,... or the URL as given
  std::vector<AudioItem> audios;
};

/// Reads `path`. A missing or unreadable image/audio file, a file that is not PNG/JPEG (image)
/// or WAV/MP3 (audio), or a half URL is an error naming FILE:LINE and the field's value.
struct MediaFileRead {
  MediaFileContent content;
  std::string error;  // "" when every line was read
};
MediaFileRead ReadMediaInputFile(const std::string& path);

/// An `image` value: the URL as given, or the data URL of the local PNG/JPEG file; "" with
/// `error` set otherwise.
std::string ImageItemOf(const std::string& value, std::string& error);

/// An `audio` value: the URL, or the base64 and format of the local WAV/MP3 file.
AudioItem AudioItemOf(const std::string& value, std::string& error);

}  // namespace bench
