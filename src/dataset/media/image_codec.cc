#include "dataset/media/image_codec.h"

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <cstdio>
#include <cstring>

#include <jpeglib.h>
#include <png.h>

#include "util/random_stream.h"

namespace bench {
namespace {

// libjpeg reports errors by calling error_exit, which must not return. It longjmps back to the
// setjmp in the function that called libjpeg; those functions keep only trivially destructible
// locals between setjmp and the library calls, so the jump skips no destructor.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void JpegErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void JpegSilence(j_common_ptr, int) {}  // warnings (e.g. extraneous bytes) are not errors here

// Returns false with `err->message` set when libjpeg failed.
bool CompressJpeg(const RgbImage& image, unsigned char** out, unsigned long* out_size, JpegError* err) {
  jpeg_compress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = JpegErrorExit;
  if (setjmp(err->jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, out_size);
  cinfo.image_width = static_cast<JDIMENSION>(image.width);
  cinfo.image_height = static_cast<JDIMENSION>(image.height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 75, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  const int stride = image.width * 3;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.pixels.data() + size_t(cinfo.next_scanline) * size_t(stride));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

// Decodes every scanline into `row` (one row's worth of bytes, reused) so a corrupt body is
// found, not only a corrupt header.
bool DecompressJpeg(const unsigned char* data, unsigned long size, unsigned char* row, size_t row_capacity,
                    int* width, int* height, JpegError* err) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = JpegErrorExit;
  err->mgr.emit_message = JpegSilence;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, size);
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  *width = static_cast<int>(cinfo.output_width);
  *height = static_cast<int>(cinfo.output_height);
  if (size_t(cinfo.output_width) * size_t(cinfo.output_components) > row_capacity) {
    std::snprintf(err->message, sizeof err->message, "image too wide (%u pixels)", cinfo.output_width);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[1] = {row};
    jpeg_read_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

constexpr unsigned char kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

bool IsPng(std::string_view b) { return b.size() >= 8 && std::memcmp(b.data(), kPngSignature, 8) == 0; }
bool IsJpeg(std::string_view b) {
  return b.size() >= 3 && uint8_t(b[0]) == 0xff && uint8_t(b[1]) == 0xd8 && uint8_t(b[2]) == 0xff;
}

std::optional<DecodedImage> DecodePng(std::string_view bytes, std::string& error) {
  // libpng's simplified API reports errors in the struct; no longjmp reaches this frame.
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    error = image.message;
    return std::nullopt;
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
    error = image.message;
    png_image_free(&image);
    return std::nullopt;
  }
  return DecodedImage{ImageFormat::kPng, static_cast<int>(image.width), static_cast<int>(image.height)};
}

}  // namespace

const char* ImageFormatName(ImageFormat format) { return format == ImageFormat::kPng ? "png" : "jpeg"; }

RgbImage DrawImage(int width, int height, RandomStream& rng) {
  RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.resize(size_t(width) * size_t(height) * 3);
  // A diagonal two-colour gradient, then a few flat rectangles: enough structure that JPEG and
  // PNG sizes behave like a picture's, not like noise (incompressible) or a blank (tiny).
  uint8_t from[3];
  uint8_t to[3];
  for (int c = 0; c < 3; ++c) {
    from[c] = static_cast<uint8_t>(rng.Below(256));
    to[c] = static_cast<uint8_t>(rng.Below(256));
  }
  const double span = std::max(1, width + height - 2);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double t = (x + y) / span;
      uint8_t* p = &image.pixels[(size_t(y) * size_t(width) + size_t(x)) * 3];
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>(from[c] + (to[c] - from[c]) * t);
    }
  }
  const int rectangles = 3 + static_cast<int>(rng.Below(4));
  for (int r = 0; r < rectangles; ++r) {
    const int x0 = static_cast<int>(rng.Below(uint64_t(width)));
    const int y0 = static_cast<int>(rng.Below(uint64_t(height)));
    const int x1 = x0 + 1 + static_cast<int>(rng.Below(uint64_t(width - x0)));
    const int y1 = y0 + 1 + static_cast<int>(rng.Below(uint64_t(height - y0)));
    uint8_t colour[3];
    for (auto& c : colour) c = static_cast<uint8_t>(rng.Below(256));
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) {
        std::memcpy(&image.pixels[(size_t(y) * size_t(width) + size_t(x)) * 3], colour, 3);
      }
    }
  }
  return image;
}

std::string EncodeImage(const RgbImage& image, ImageFormat format) {
  if (format == ImageFormat::kPng) {
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(image.width);
    png.height = static_cast<png_uint_32>(image.height);
    png.format = PNG_FORMAT_RGB;
    png_alloc_size_t size = 0;
    // The first call measures, the second writes.
    if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), 0, nullptr)) return {};
    std::string out(size, '\0');
    if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.pixels.data(), 0, nullptr)) return {};
    out.resize(size);
    return out;
  }
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  JpegError err;
  const bool ok = CompressJpeg(image, &buffer, &size, &err);
  std::string out = ok ? std::string(reinterpret_cast<const char*>(buffer), size) : std::string();
  std::free(buffer);
  return out;
}

std::optional<DecodedImage> DecodeImage(std::string_view bytes, std::string& error) {
  if (IsPng(bytes)) return DecodePng(bytes, error);
  if (!IsJpeg(bytes)) {
    error = "not a PNG or JPEG file";
    return std::nullopt;
  }
  // JPEG's largest width is 65500; three bytes a pixel.
  std::vector<unsigned char> row(65536 * 3);
  int width = 0;
  int height = 0;
  JpegError err;
  if (!DecompressJpeg(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), row.data(), row.size(),
                      &width, &height, &err)) {
    error = err.message;
    return std::nullopt;
  }
  return DecodedImage{ImageFormat::kJpeg, width, height};
}

}  // namespace bench
