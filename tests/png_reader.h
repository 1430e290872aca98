#pragma once
// A PNG decoder just large enough for the rendering test: 8-bit RGB or RGBA, not interlaced
// (what Chromium's --screenshot writes). Test-only code.

#include <cstdint>
#include <string>
#include <vector>

namespace bench::test {

struct Image {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3, alpha dropped
  std::string error;         // empty when decoded

  /// 0xRRGGBB of pixel (x, y).
  uint32_t At(uint32_t x, uint32_t y) const;
};

/// Decodes `png` (the file's bytes).
Image DecodePng(const std::string& png);

/// Encodes an 8-bit RGB image, every row with filter `filter` (0..4): for testing the decoder.
std::string EncodePng(uint32_t width, uint32_t height, const std::vector<uint8_t>& rgb, uint8_t filter);

}  // namespace bench::test
