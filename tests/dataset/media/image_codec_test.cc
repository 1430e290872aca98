#include "dataset/media/image_codec.h"

#include <gtest/gtest.h>

#include "util/random_stream.h"

namespace bench {
namespace {

TEST(ImageCodecTest, PngAndJpegDecodeBackToTheirSize) {
  RandomStream rng(7);
  const RgbImage image = DrawImage(123, 45, rng);
  ASSERT_EQ(image.pixels.size(), 123u * 45u * 3u);
  for (const ImageFormat format : {ImageFormat::kPng, ImageFormat::kJpeg}) {
    const std::string bytes = EncodeImage(image, format);
    ASSERT_FALSE(bytes.empty()) << ImageFormatName(format);
    std::string error;
    const auto decoded = DecodeImage(bytes, error);
    ASSERT_TRUE(decoded.has_value()) << ImageFormatName(format) << ": " << error;
    EXPECT_EQ(decoded->format, format);
    EXPECT_EQ(decoded->width, 123);
    EXPECT_EQ(decoded->height, 45);
  }
}

TEST(ImageCodecTest, OnePixelImagesWork) {
  RandomStream rng(1);
  const RgbImage image = DrawImage(1, 1, rng);
  std::string error;
  const auto decoded = DecodeImage(EncodeImage(image, ImageFormat::kJpeg), error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_EQ(decoded->width, 1);
}

TEST(ImageCodecTest, TheSameSeedDrawsTheSameBytes) {
  RandomStream a(42);
  RandomStream b(42);
  RandomStream c(43);
  const std::string first = EncodeImage(DrawImage(64, 32, a), ImageFormat::kPng);
  EXPECT_EQ(first, EncodeImage(DrawImage(64, 32, b), ImageFormat::kPng));
  EXPECT_NE(first, EncodeImage(DrawImage(64, 32, c), ImageFormat::kPng));
}

TEST(ImageCodecTest, EncodedFilesStartWithTheirSignatures) {
  // The data URL's media type is taken from these bytes when a file is read back.
  RandomStream rng(3);
  const RgbImage image = DrawImage(20, 10, rng);
  EXPECT_EQ(EncodeImage(image, ImageFormat::kPng).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(EncodeImage(image, ImageFormat::kJpeg).substr(0, 3), "\xff\xd8\xff");
}

TEST(ImageCodecTest, CorruptOrForeignBytesAreErrors) {
  std::string error;
  EXPECT_FALSE(DecodeImage("GIF89a....", error).has_value());
  EXPECT_EQ(error, "not a PNG or JPEG file");
  RandomStream rng(5);
  std::string png = EncodeImage(DrawImage(50, 50, rng), ImageFormat::kPng);
  png.resize(png.size() / 2);  // truncated
  error.clear();
  EXPECT_FALSE(DecodeImage(png, error).has_value());
  EXPECT_FALSE(error.empty());
  std::string jpeg = EncodeImage(DrawImage(50, 50, rng), ImageFormat::kJpeg);
  jpeg.resize(20);
  error.clear();
  EXPECT_FALSE(DecodeImage(jpeg, error).has_value());
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace bench
