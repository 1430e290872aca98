#include "dataset/media/audio_codec.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <lame/lame.h>

#include "util/random_stream.h"

namespace bench {
namespace {

void PutLe(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint32_t GetLe(std::string_view b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | uint8_t(b[at + size_t(i)]);
  return v;
}

std::optional<AudioInfo> InspectWav(std::string_view b, std::string& error) {
  if (b.size() < 12 || b.substr(8, 4) != "WAVE") {
    error = "RIFF file that is not WAVE";
    return std::nullopt;
  }
  AudioInfo info;
  info.format = AudioFormat::kWav;
  bool have_fmt = false;
  for (size_t at = 12; at + 8 <= b.size();) {
    const std::string_view id = b.substr(at, 4);
    const uint32_t size = GetLe(b, at + 4, 4);
    const size_t body = at + 8;
    if (id == "fmt ") {
      if (size < 16 || body + 16 > b.size()) break;
      const uint32_t tag = GetLe(b, body, 2);
      if (tag != 1 && tag != 0xfffe) {
        error = "WAV data is not PCM (format tag " + std::to_string(tag) + ")";
        return std::nullopt;
      }
      info.channels = static_cast<int>(GetLe(b, body + 2, 2));
      info.sample_rate = static_cast<int>(GetLe(b, body + 4, 4));
      info.depth = static_cast<int>(GetLe(b, body + 14, 2));
      have_fmt = info.channels > 0 && info.sample_rate > 0 && info.depth > 0;
    } else if (id == "data") {
      if (!have_fmt) break;
      if (body + size > b.size()) {
        error = "WAV data chunk runs past the end of the file (truncated)";
        return std::nullopt;
      }
      info.frames = static_cast<int64_t>(size / uint32_t(info.channels * ((info.depth + 7) / 8)));
      return info;
    }
    at = body + size + (size & 1);  // chunks are padded to even sizes
  }
  error = "WAV file without a valid fmt chunk followed by a data chunk";
  return std::nullopt;
}

// MPEG audio layer III frame header fields (ISO 11172-3 / 13818-3).
struct Mp3Frame {
  int sample_rate = 0;
  int channels = 0;
  size_t length = 0;
};

std::optional<Mp3Frame> ReadMp3Frame(std::string_view b, size_t at) {
  if (at + 4 > b.size()) return std::nullopt;
  const uint8_t h1 = uint8_t(b[at + 1]);
  const uint8_t h2 = uint8_t(b[at + 2]);
  const uint8_t h3 = uint8_t(b[at + 3]);
  if (uint8_t(b[at]) != 0xff || (h1 & 0xe0) != 0xe0) return std::nullopt;
  const int version = (h1 >> 3) & 3;  // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
  const int layer = (h1 >> 1) & 3;    // 1: layer III
  const int bitrate_index = h2 >> 4;
  const int rate_index = (h2 >> 2) & 3;
  if (version == 1 || layer != 1 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3) {
    return std::nullopt;
  }
  static constexpr std::array<int, 15> kMpeg1 = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
  static constexpr std::array<int, 15> kMpeg2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
  static constexpr std::array<int, 3> kRates = {44100, 48000, 32000};
  const int divisor = version == 3 ? 1 : version == 2 ? 2 : 4;
  Mp3Frame f;
  f.sample_rate = kRates[size_t(rate_index)] / divisor;
  f.channels = (h3 >> 6) == 3 ? 1 : 2;
  const int kbps = version == 3 ? kMpeg1[size_t(bitrate_index)] : kMpeg2[size_t(bitrate_index)];
  const int per_frame = version == 3 ? 144 : 72;
  f.length = size_t(per_frame * kbps * 1000 / f.sample_rate + ((h2 >> 1) & 1));
  return f;
}

std::optional<AudioInfo> InspectMp3(std::string_view b, std::string& error) {
  size_t at = 0;
  if (b.size() >= 10 && b.substr(0, 3) == "ID3") {  // ID3v2: a synchsafe size after the header
    const size_t size = (size_t(b[6] & 0x7f) << 21) | (size_t(b[7] & 0x7f) << 14) | (size_t(b[8] & 0x7f) << 7) |
                        size_t(b[9] & 0x7f);
    at = 10 + size + ((uint8_t(b[5]) & 0x10) ? 10 : 0);
  }
  AudioInfo info;
  info.format = AudioFormat::kMp3;
  while (at < b.size()) {
    if (b.size() - at == 128 && b.substr(at, 3) == "TAG") break;  // ID3v1 at the end
    const auto frame = ReadMp3Frame(b, at);
    if (!frame || at + frame->length > b.size()) {
      error = info.frames == 0 ? "not a WAV or MP3 file"
                               : "corrupt MP3 frame at byte " + std::to_string(at);
      return std::nullopt;
    }
    if (info.frames == 0) {
      info.sample_rate = frame->sample_rate;
      info.channels = frame->channels;
    }
    ++info.frames;
    at += frame->length;
  }
  if (info.frames == 0) {
    error = "MP3 file without audio frames";
    return std::nullopt;
  }
  return info;
}

}  // namespace

const char* AudioFormatName(AudioFormat format) { return format == AudioFormat::kWav ? "wav" : "mp3"; }

bool Mp3SampleRateAllowed(int hz) {
  static constexpr std::array<int, 9> kRates = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  return std::find(kRates.begin(), kRates.end(), hz) != kRates.end();
}

PcmAudio SynthNoise(double seconds, int sample_rate, int depth, int channels, RandomStream& rng) {
  PcmAudio audio;
  audio.sample_rate = sample_rate;
  audio.depth = depth;
  audio.channels = channels;
  const auto frames = static_cast<size_t>(seconds * sample_rate);
  const double full_scale = static_cast<double>((int64_t{1} << (depth - 1)) - 1);
  audio.samples.resize(frames * size_t(channels));
  for (int32_t& s : audio.samples) {
    s = static_cast<int32_t>(std::clamp(rng.Gauss(0.0, 0.3), -1.0, 1.0) * full_scale);
  }
  return audio;
}

std::string EncodeWav(const PcmAudio& audio) {
  const int bytes_per_sample = audio.depth / 8;
  const auto data_size = static_cast<uint32_t>(audio.samples.size() * size_t(bytes_per_sample));
  std::string out;
  out.reserve(44 + data_size);
  out += "RIFF";
  PutLe(out, 36 + data_size, 4);
  out += "WAVEfmt ";
  PutLe(out, 16, 4);
  PutLe(out, 1, 2);  // PCM
  PutLe(out, uint32_t(audio.channels), 2);
  PutLe(out, uint32_t(audio.sample_rate), 4);
  PutLe(out, uint32_t(audio.sample_rate * audio.channels * bytes_per_sample), 4);
  PutLe(out, uint32_t(audio.channels * bytes_per_sample), 2);
  PutLe(out, uint32_t(audio.depth), 2);
  out += "data";
  PutLe(out, data_size, 4);
  for (const int32_t s : audio.samples) {
    if (audio.depth == 8) {
      out += static_cast<char>(s + 128);  // WAV's 8-bit PCM is unsigned
    } else {
      PutLe(out, static_cast<uint32_t>(s), bytes_per_sample);
    }
  }
  return out;
}

std::string EncodeMp3(const PcmAudio& audio, std::string& error) {
  if (!Mp3SampleRateAllowed(audio.sample_rate)) {
    error = "MP3 does not allow a sample rate of " + std::to_string(audio.sample_rate) + " Hz";
    return {};
  }
  lame_global_flags* lame = lame_init();
  if (lame == nullptr) {
    error = "libmp3lame could not start";
    return {};
  }
  lame_set_in_samplerate(lame, audio.sample_rate);
  lame_set_out_samplerate(lame, audio.sample_rate);
  lame_set_num_channels(lame, audio.channels);
  lame_set_mode(lame, audio.channels == 1 ? MONO : JOINT_STEREO);
  lame_set_bWriteVbrTag(lame, 0);  // no Xing frame: every frame is audio
  if (lame_init_params(lame) < 0) {
    lame_close(lame);
    error = "libmp3lame refused the parameters";
    return {};
  }
  // lame takes full-scale 32-bit integers.
  std::vector<int> pcm(audio.samples.size());
  const int shift = 32 - audio.depth;
  for (size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<int>(uint32_t(audio.samples[i]) << shift);
  const int frames = static_cast<int>(audio.samples.size() / size_t(audio.channels));
  std::string out(size_t(frames) * 5 / 4 + 7200 + 7200, '\0');  // lame's documented worst case, plus the flush
  auto* buffer = reinterpret_cast<unsigned char*>(out.data());
  int n = lame_encode_buffer_interleaved_int(lame, pcm.data(), frames, buffer, static_cast<int>(out.size()));
  int flushed = n >= 0 ? lame_encode_flush(lame, buffer + n, static_cast<int>(out.size()) - n) : -1;
  lame_close(lame);
  if (n < 0 || flushed < 0) {
    error = "libmp3lame failed to encode (" + std::to_string(std::min(n, flushed)) + ")";
    return {};
  }
  out.resize(size_t(n + flushed));
  return out;
}

std::optional<AudioInfo> InspectAudio(std::string_view bytes, std::string& error) {
  if (bytes.size() >= 4 && bytes.substr(0, 4) == "RIFF") return InspectWav(bytes, error);
  return InspectMp3(bytes, error);
}

}  // namespace bench
