// The storage formats: bits per value with their block scales, and name lookup.

#include "estimate/precision.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(Precision, BitsIncludeBlockScales) {
  EXPECT_EQ(FindPrecision("fp32")->BitsPerValue(), 32);
  EXPECT_EQ(FindPrecision("tf32")->BitsPerValue(), 32);  // a math mode; stored as fp32
  EXPECT_EQ(FindPrecision("bf16")->BitsPerValue(), 16);
  EXPECT_EQ(FindPrecision("fp8_e5m2")->BitsPerValue(), 8);
  EXPECT_EQ(FindPrecision("int8")->BitsPerValue(), 8);
  EXPECT_EQ(FindPrecision("int4")->BitsPerValue(), 4.125);  // + fp16 scale per 128
  EXPECT_EQ(FindPrecision("nvfp4")->BitsPerValue(), 4.5);   // + fp8 scale per 16
}

TEST(Precision, NamesAreForgiving) {
  EXPECT_EQ(FindPrecision("FP8")->name, "fp8_e4m3");
  EXPECT_EQ(FindPrecision("fp8-e5m2")->name, "fp8_e5m2");
  EXPECT_EQ(FindPrecision("NVFP4")->name, "nvfp4");
  EXPECT_FALSE(FindPrecision("fp6"));
  EXPECT_FALSE(FindPrecision(""));
}

TEST(Precision, QuantizedMeansBelowSixteenBits) {
  for (const Precision& p : AllPrecisions()) EXPECT_EQ(p.quantized, p.element_bits < 16) << p.name;
  EXPECT_EQ(PrecisionNames(), "fp32, tf32, fp16, bf16, fp8_e4m3, fp8_e5m2, int8, int4, nvfp4");
}

}  // namespace
}  // namespace bench
