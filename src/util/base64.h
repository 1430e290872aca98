#pragma once
// Standard base64 (RFC 4648 §4, with '=' padding): what data: URLs and OpenAI's input_audio
// carry. Encoding for the request bodies bench builds; strict decoding for the simulator, which
// rejects a malformed image or audio payload as a real server does.

#include <optional>
#include <string>
#include <string_view>

namespace bench {

/// `bytes` as padded base64, no line breaks.
std::string Base64Encode(std::string_view bytes);

/// The bytes of padded base64 `text`, or nullopt when it is not canonical base64 (a character
/// outside the alphabet, a length that is not a multiple of 4, padding anywhere but the end).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace bench
