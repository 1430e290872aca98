// The simulator's NIM-like /v1/version and /v1/metadata bodies.

#include "sim/nim_metadata.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bench {
namespace {

using nlohmann::json;

TEST(SimNimMetadata, VersionHasReleaseAndApi) {
  const json body = json::parse(SimNimVersionBody());
  EXPECT_EQ(body["release"], BENCH_VERSION);
  EXPECT_EQ(body["api"], BENCH_VERSION);
  EXPECT_EQ(body.size(), 2u);
}

TEST(SimNimMetadata, MetadataNamesTheProfile) {
  const json body = json::parse(SimNimMetadataBody("sim-fp8-tp2-pp1"));
  EXPECT_EQ(body["version"], BENCH_VERSION);
  EXPECT_EQ(body["profile_name"], "sim-fp8-tp2-pp1");
  EXPECT_TRUE(body["modelInfo"].is_array());
  EXPECT_TRUE(body["assetInfo"].is_array());
  const std::string id = body["profile_id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  // Stable per name, different between names: two runs of one profile record one id.
  EXPECT_EQ(json::parse(SimNimMetadataBody("sim-fp8-tp2-pp1"))["profile_id"], id);
  EXPECT_NE(json::parse(SimNimMetadataBody("sim-bf16-tp1-pp1"))["profile_id"], id);
}

}  // namespace
}  // namespace bench
