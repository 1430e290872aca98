#include "png_reader.h"

#include <zlib.h>

#include <array>
#include <cstdlib>
#include <cstring>

namespace bench::test {
namespace {

uint32_t Be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) | static_cast<uint8_t>(s[at + 3]);
}

void PutBe32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
}

constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";

uint8_t Paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
  return static_cast<uint8_t>(pb <= pc ? b : c);
}

}  // namespace

uint32_t Image::At(uint32_t x, uint32_t y) const {
  const size_t i = (static_cast<size_t>(y) * width + x) * 3;
  return (static_cast<uint32_t>(rgb[i]) << 16) | (static_cast<uint32_t>(rgb[i + 1]) << 8) | rgb[i + 2];
}

Image DecodePng(const std::string& png) {
  Image img;
  if (png.size() < 8 || png.compare(0, 8, kSignature, 8) != 0) {
    img.error = "not a PNG file";
    return img;
  }
  std::string idat;
  int color_type = -1;
  for (size_t at = 8; at + 12 <= png.size();) {
    const uint32_t length = Be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (at + 12 + length > png.size()) break;
    if (type == "IHDR") {
      img.width = Be32(png, at + 8);
      img.height = Be32(png, at + 12);
      const int depth = static_cast<uint8_t>(png[at + 16]);
      color_type = static_cast<uint8_t>(png[at + 17]);
      const int interlace = static_cast<uint8_t>(png[at + 20]);
      if (depth != 8 || (color_type != 2 && color_type != 6) || interlace != 0) {
        img.error = "unsupported PNG (depth " + std::to_string(depth) + ", colour type " + std::to_string(color_type) +
                    ", interlace " + std::to_string(interlace) + ")";
        return img;
      }
    } else if (type == "IDAT") {
      idat.append(png, at + 8, length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (color_type < 0 || idat.empty()) {
    img.error = "no IHDR or IDAT chunk";
    return img;
  }
  const size_t channels = color_type == 6 ? 4 : 3;
  const size_t stride = img.width * channels;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_size != raw.size()) {
    img.error = "IDAT does not inflate to the image size";
    return img;
  }
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.rgb.resize(static_cast<size_t>(img.width) * img.height * 3);
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint8_t* line = raw.data() + y * (stride + 1);
    const uint8_t filter = line[0];
    for (size_t i = 0; i < stride; ++i) {
      const int a = i >= channels ? cur[i - channels] : 0;
      const int b = prev[i];
      const int c = i >= channels ? prev[i - channels] : 0;
      const uint8_t x = line[1 + i];
      switch (filter) {
        case 0: cur[i] = x; break;
        case 1: cur[i] = static_cast<uint8_t>(x + a); break;
        case 2: cur[i] = static_cast<uint8_t>(x + b); break;
        case 3: cur[i] = static_cast<uint8_t>(x + (a + b) / 2); break;
        case 4: cur[i] = static_cast<uint8_t>(x + Paeth(a, b, c)); break;
        default:
          img.error = "bad filter type " + std::to_string(filter) + " on row " + std::to_string(y);
          return img;
      }
    }
    for (uint32_t x = 0; x < img.width; ++x) {
      std::memcpy(&img.rgb[(static_cast<size_t>(y) * img.width + x) * 3], &cur[x * channels], 3);
    }
    std::swap(prev, cur);
  }
  return img;
}

std::string EncodePng(uint32_t width, uint32_t height, const std::vector<uint8_t>& rgb, uint8_t filter) {
  const size_t stride = static_cast<size_t>(width) * 3;
  std::string raw;
  for (uint32_t y = 0; y < height; ++y) {
    raw += static_cast<char>(filter);
    for (size_t i = 0; i < stride; ++i) {
      const int x = rgb[y * stride + i];
      const int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
      const int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
      const int c = y > 0 && i >= 3 ? rgb[(y - 1) * stride + i - 3] : 0;
      int predicted = 0;
      if (filter == 1) predicted = a;
      if (filter == 2) predicted = b;
      if (filter == 3) predicted = (a + b) / 2;
      if (filter == 4) predicted = Paeth(a, b, c);
      raw += static_cast<char>(static_cast<uint8_t>(x - predicted));
    }
  }
  std::vector<uint8_t> z(compressBound(raw.size()));
  uLongf z_size = z.size();
  compress(z.data(), &z_size, reinterpret_cast<const Bytef*>(raw.data()), raw.size());
  const auto chunk = [](std::string& out, const char* type, const std::string& data) {
    PutBe32(out, static_cast<uint32_t>(data.size()));
    const std::string body = std::string(type, 4) + data;
    out += body;
    PutBe32(out, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size())));
  };
  std::string out(kSignature, 8);
  std::string ihdr;
  PutBe32(ihdr, width);
  PutBe32(ihdr, height);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  chunk(out, "IHDR", ihdr);
  chunk(out, "IDAT", std::string(reinterpret_cast<const char*>(z.data()), z_size));
  chunk(out, "IEND", "");
  return out;
}

}  // namespace bench::test
