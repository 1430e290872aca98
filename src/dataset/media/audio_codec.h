#pragma once
// Synthetic audio and the two audio formats GenAI-Perf sends (WAV, MP3). GenAI-Perf writes
// Gaussian noise (sigma 0.3, clipped to [-1, 1]) through soundfile; bench writes the same
// signal itself as PCM WAV and through Debian's libmp3lame (which libsndfile uses for MP3).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

class RandomStream;

/// The audio formats bench encodes and reads.
enum class AudioFormat { kWav, kMp3 };

/// "wav" / "mp3": the `format` of an input_audio part.
const char* AudioFormatName(AudioFormat format);

/// Interleaved integer PCM samples, each within the signed range of `depth` bits.
struct PcmAudio {
  int sample_rate = 16000;  // Hz
  int depth = 16;           // 8, 16, 24 or 32
  int channels = 1;
  std::vector<int32_t> samples;
};

/// GenAI-Perf's noise: int(seconds * rate) frames of N(0, 0.3) clipped to [-1, 1], scaled by
/// 2^(depth-1) - 1.
PcmAudio SynthNoise(double seconds, int sample_rate, int depth, int channels, RandomStream& rng);

/// A canonical 44-byte-header PCM WAV file (8-bit samples stored unsigned, as WAV requires).
std::string EncodeWav(const PcmAudio& audio);

/// An MP3 (MPEG-1/2 layer III) file from libmp3lame at its defaults; "" with `error` set when
/// the library refuses (an unsupported sample rate).
std::string EncodeMp3(const PcmAudio& audio, std::string& error);

/// The sample rates (Hz) MP3 allows, as GenAI-Perf lists them.
bool Mp3SampleRateAllowed(int hz);

/// What an audio file holds, read from its headers.
struct AudioInfo {
  AudioFormat format = AudioFormat::kWav;
  int sample_rate = 0;
  int channels = 0;
  int depth = 0;        // WAV only (0 for MP3)
  int64_t frames = 0;   // WAV: sample frames; MP3: MPEG frames
};

/// Reads a WAV (RIFF/WAVE with fmt and data chunks, PCM) or an MP3 (an optional ID3v2 tag, then
/// consecutive valid layer III frame headers); nullopt with `error` set for anything else.
std::optional<AudioInfo> InspectAudio(std::string_view bytes, std::string& error);

}  // namespace bench
