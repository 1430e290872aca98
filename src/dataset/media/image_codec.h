#pragma once
// Synthetic images and the two image formats GenAI-Perf sends (PNG, JPEG), through Debian's
// libpng and libjpeg-turbo. GenAI-Perf resizes one of four bundled photographs; bench draws its
// own picture instead (smooth gradients with seeded rectangles), so no image file ships with it
// and the same seed gives the same bytes on every machine.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

class RandomStream;

/// An 8-bit RGB picture, rows top to bottom.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3
};

/// The image formats bench encodes and reads.
enum class ImageFormat { kPng, kJpeg };

/// "png" / "jpeg".
const char* ImageFormatName(ImageFormat format);

/// A deterministic picture of `width` x `height` (both >= 1) drawn from `rng`.
RgbImage DrawImage(int width, int height, RandomStream& rng);

/// The encoded file bytes of `image` (PNG: lossless, 8-bit RGB; JPEG: quality 75, libjpeg's
/// default and PIL's).
std::string EncodeImage(const RgbImage& image, ImageFormat format);

/// What a decoded image file is.
struct DecodedImage {
  ImageFormat format = ImageFormat::kPng;
  int width = 0;
  int height = 0;
};

/// Decodes a whole PNG or JPEG file (the format is told by its signature, not a file name, as
/// PIL does); nullopt with `error` set for any other bytes or a corrupt file.
std::optional<DecodedImage> DecodeImage(std::string_view bytes, std::string& error);

}  // namespace bench
