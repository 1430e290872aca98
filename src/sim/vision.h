#pragma once
// The simulator's media: chat content parts a vision/audio language model accepts (text,
// image_url, input_audio, vLLM's audio_url), checked as strictly as vLLM checks them (an
// unknown part type, a missing field, undecodable base64 or bytes that are not an image/audio
// file are a 400), and what each part costs in prompt tokens.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bench {

/// Prompt tokens an image counts for (TTFT's per-input-token cost and usage.prompt_tokens):
/// 256, one 448 px tile of the InternVL/NVLM family that NIM VLMs serve.
inline constexpr size_t kSimImageTokens = 256;
/// Prompt tokens an audio clip counts for, whatever its length.
inline constexpr size_t kSimAudioTokens = 100;

/// Which kind of media a data URL or base64 payload must hold.
enum class SimMediaKind { kImage, kAudio };

/// "" when `url` is an http(s) URL (not fetched) or a data URL of base64 bytes that start like
/// a file of `kind` (PNG/JPEG; WAV/MP3); otherwise why not.
std::string CheckSimMediaUrl(std::string_view url, SimMediaKind kind);

/// Tokens of one chat content part; `error` set for a malformed part.
size_t SimContentPartTokens(const nlohmann::json& part, std::string& error);

}  // namespace bench
