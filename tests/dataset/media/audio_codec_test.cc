#include "dataset/media/audio_codec.h"

#include <cstdint>

#include <gtest/gtest.h>

#include "util/random_stream.h"

namespace bench {
namespace {

uint32_t Le(const std::string& b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | uint8_t(b[at + size_t(i)]);
  return v;
}

TEST(AudioCodecTest, WavHeaderAndLength) {
  RandomStream rng(1);
  const PcmAudio pcm = SynthNoise(0.5, 16000, 16, 2, rng);
  ASSERT_EQ(pcm.samples.size(), 8000u * 2u);  // int(0.5 * 16000) frames, two channels
  const std::string wav = EncodeWav(pcm);
  ASSERT_EQ(wav.size(), 44u + 8000u * 2u * 2u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(Le(wav, 4, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(Le(wav, 16, 4), 16u);
  EXPECT_EQ(Le(wav, 20, 2), 1u);       // PCM
  EXPECT_EQ(Le(wav, 22, 2), 2u);       // channels
  EXPECT_EQ(Le(wav, 24, 4), 16000u);   // sample rate
  EXPECT_EQ(Le(wav, 28, 4), 64000u);   // byte rate
  EXPECT_EQ(Le(wav, 32, 2), 4u);       // block align
  EXPECT_EQ(Le(wav, 34, 2), 16u);      // bits
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(Le(wav, 40, 4), 32000u);
  std::string error;
  const auto info = InspectAudio(wav, error);
  ASSERT_TRUE(info.has_value()) << error;
  EXPECT_EQ(info->format, AudioFormat::kWav);
  EXPECT_EQ(info->frames, 8000);
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(info->depth, 16);
}

TEST(AudioCodecTest, NoiseStaysWithinEachDepth) {
  for (const int depth : {8, 16, 24, 32}) {
    RandomStream rng(depth);
    const PcmAudio pcm = SynthNoise(0.1, 8000, depth, 1, rng);
    const int64_t top = (int64_t{1} << (depth - 1)) - 1;
    int64_t peak = 0;
    for (const int32_t s : pcm.samples) {
      ASSERT_LE(std::abs(int64_t{s}), top) << depth;
      peak = std::max(peak, std::abs(int64_t{s}));
    }
    EXPECT_GT(peak, top / 4) << "sigma 0.3 noise reaches well past a quarter of full scale";
    const std::string wav = EncodeWav(pcm);
    EXPECT_EQ(wav.size(), 44u + pcm.samples.size() * size_t(depth / 8)) << depth;
  }
}

TEST(AudioCodecTest, EightBitWavIsUnsigned) {
  PcmAudio pcm;
  pcm.depth = 8;
  pcm.sample_rate = 8000;
  pcm.samples = {0, -128, 127};
  const std::string wav = EncodeWav(pcm);
  EXPECT_EQ(uint8_t(wav[44]), 128);
  EXPECT_EQ(uint8_t(wav[45]), 0);
  EXPECT_EQ(uint8_t(wav[46]), 255);
}

TEST(AudioCodecTest, Mp3FramesCarryTheRateAndChannels) {
  RandomStream rng(2);
  std::string error;
  const std::string mp3 = EncodeMp3(SynthNoise(1.0, 44100, 16, 2, rng), error);
  ASSERT_FALSE(mp3.empty()) << error;
  const auto info = InspectAudio(mp3, error);
  ASSERT_TRUE(info.has_value()) << error;
  EXPECT_EQ(info->format, AudioFormat::kMp3);
  EXPECT_EQ(info->sample_rate, 44100);
  EXPECT_EQ(info->channels, 2);
  // One second at 1152 samples a frame is 39 frames, plus lame's padding frames.
  EXPECT_GE(info->frames, 39);
  EXPECT_LE(info->frames, 45);
  const std::string mono = EncodeMp3(SynthNoise(0.2, 16000, 16, 1, rng), error);
  const auto mono_info = InspectAudio(mono, error);
  ASSERT_TRUE(mono_info.has_value()) << error;
  EXPECT_EQ(mono_info->sample_rate, 16000);
  EXPECT_EQ(mono_info->channels, 1);
}

TEST(AudioCodecTest, Mp3RefusesRatesMp3DoesNotHave) {
  RandomStream rng(3);
  std::string error;
  EXPECT_TRUE(EncodeMp3(SynthNoise(0.1, 10000, 16, 1, rng), error).empty());
  EXPECT_EQ(error, "MP3 does not allow a sample rate of 10000 Hz");
  EXPECT_TRUE(Mp3SampleRateAllowed(22050));
  EXPECT_FALSE(Mp3SampleRateAllowed(96000));
}

TEST(AudioCodecTest, ForeignOrTruncatedFilesAreErrors) {
  std::string error;
  EXPECT_FALSE(InspectAudio("hello, not audio", error).has_value());
  EXPECT_EQ(error, "not a WAV or MP3 file");
  RandomStream rng(4);
  std::string wav = EncodeWav(SynthNoise(0.1, 8000, 16, 1, rng));
  wav.resize(wav.size() - 10);
  EXPECT_FALSE(InspectAudio(wav, error).has_value());
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  std::string mp3 = EncodeMp3(SynthNoise(0.5, 16000, 16, 1, rng), error);
  mp3.resize(mp3.size() - 5);
  EXPECT_FALSE(InspectAudio(mp3, error).has_value());
  EXPECT_NE(error.find("corrupt MP3 frame"), std::string::npos) << error;
}

}  // namespace
}  // namespace bench
