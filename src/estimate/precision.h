#pragma once
// Number formats a model's weights (or its KV cache) can be stored in, and what each costs per
// value including the scales block formats carry.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// One storage format.
struct Precision {
  std::string name;          // as typed: "fp16", "fp8_e4m3", "nvfp4", ...
  int element_bits = 16;     // bits of one value
  int block_size = 0;        // values sharing one scale (0: per-tensor/per-channel scales, not counted)
  int scale_bits = 0;        // bits of that scale
  bool quantized = false;    // below 16 bits: applied to the decoder's linear weights only
  std::string note;          // what the format is, for the table's legend and docs
  /// Bits stored per value, scales included: element_bits + scale_bits / block_size.
  double BitsPerValue() const;
};

/// Every format, in table order (widest first).
const std::vector<Precision>& AllPrecisions();

/// The format named `name` (case-insensitive; '-' or '_'; "fp8" means fp8_e4m3), or nullopt.
std::optional<Precision> FindPrecision(std::string_view name);

/// "fp32, tf32, fp16, ..." for error messages.
std::string PrecisionNames();

}  // namespace bench
