#pragma once
// What the synthetic images and audio of a multimodal, image_retrieval or nvclip run look like:
// GenAI-Perf's Image Input / Audio Input flags (reference §1.2), validated by the CLI.

#include <string>
#include <vector>

namespace bench {

/// --image-* and --batch-size-image. Images are made only when both means are > 0.
struct ImageOptions {
  int width_mean = 0;
  int width_stddev = 0;
  int height_mean = 0;
  int height_stddev = 0;
  std::string format = "png";  // png | jpeg
  int batch_size = 1;          // images per request
  bool enabled() const { return width_mean > 0 && height_mean > 0; }
};

/// --audio-* and --batch-size-audio. Audio is made only when the mean length is > 0.
struct AudioOptions {
  double length_mean = 0;    // seconds
  double length_stddev = 0;  // seconds
  std::string format = "wav";  // wav | mp3
  std::vector<double> sample_rates_khz{16};
  std::vector<int> depths{16};  // bits per sample: 8, 16, 24 or 32
  int num_channels = 1;         // 1 or 2
  int batch_size = 1;           // clips per request
  bool enabled() const { return length_mean > 0; }
};

/// Both, as carried from the configuration to the dataset.
struct MediaOptions {
  ImageOptions image;
  AudioOptions audio;
};

}  // namespace bench
