// The rendering test's PNG decoder, checked against images encoded here with every filter.

#include "png_reader.h"

#include <gtest/gtest.h>

namespace bench::test {
namespace {

TEST(PngReaderTest, DecodesEveryRowFilter) {
  // 3 x 2 pixels with distinct bytes, so a wrong predictor changes them.
  const std::vector<uint8_t> rgb = {10, 20, 30, 200, 100, 0, 255, 255, 255, 1, 2, 3, 90, 250, 7, 128, 64, 32};
  for (uint8_t filter = 0; filter <= 4; ++filter) {
    const Image img = DecodePng(EncodePng(3, 2, rgb, filter));
    ASSERT_EQ(img.error, "") << int(filter);
    EXPECT_EQ(img.width, 3u);
    EXPECT_EQ(img.height, 2u);
    EXPECT_EQ(img.rgb, rgb) << "filter " << int(filter);
    EXPECT_EQ(img.At(1, 0), 0xc86400u);
    EXPECT_EQ(img.At(2, 1), 0x804020u);
  }
}

TEST(PngReaderTest, RejectsWhatIsNotAPng) {
  EXPECT_NE(DecodePng("GIF89a").error, "");
  std::string truncated = EncodePng(1, 1, {0, 0, 0}, 0);
  truncated.resize(30);
  EXPECT_NE(DecodePng(truncated).error, "");
}

}  // namespace
}  // namespace bench::test
