#include "estimate/precision.h"

#include <algorithm>
#include <cctype>

namespace bench {

double Precision::BitsPerValue() const {
  return element_bits + (block_size > 0 ? static_cast<double>(scale_bits) / block_size : 0.0);
}

const std::vector<Precision>& AllPrecisions() {
  static const std::vector<Precision> all = {
      {"fp32", 32, 0, 0, false, "IEEE single precision"},
      // TF32 is a tensor-core math mode: the weights stay fp32 in memory.
      {"tf32", 32, 0, 0, false, "fp32 storage; TF32 only rounds the tensor-core inputs to 10 mantissa bits"},
      {"fp16", 16, 0, 0, false, "IEEE half precision"},
      {"bf16", 16, 0, 0, false, "bfloat16: fp32's exponent range, 8 mantissa bits"},
      {"fp8_e4m3", 8, 0, 0, true, "FP8 with 4 exponent / 3 mantissa bits; per-tensor scales not counted"},
      {"fp8_e5m2", 8, 0, 0, true, "FP8 with 5 exponent / 2 mantissa bits; per-tensor scales not counted"},
      {"int8", 8, 0, 0, true, "8-bit integers; per-channel scales not counted"},
      {"int4", 4, 128, 16, true, "4-bit integers, one fp16 scale per group of 128 (GPTQ/AWQ-style)"},
      {"nvfp4", 4, 16, 8, true, "FP4 (e2m1), one FP8 e4m3 scale per block of 16 values"},
  };
  return all;
}

std::optional<Precision> FindPrecision(std::string_view name) {
  std::string key(name);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) {
    return ch == '-' ? '_' : static_cast<char>(std::tolower(ch));
  });
  if (key == "fp8") key = "fp8_e4m3";
  for (const Precision& p : AllPrecisions()) {
    if (p.name == key) return p;
  }
  return std::nullopt;
}

std::string PrecisionNames() {
  std::string names;
  for (const Precision& p : AllPrecisions()) names += (names.empty() ? "" : ", ") + p.name;
  return names;
}

}  // namespace bench
