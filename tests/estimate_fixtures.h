#pragma once
// The published config.json files under tests/data/estimate/ (values as on the Hugging Face Hub).

#include <gtest/gtest.h>

#include <string>

#include "estimate/model_config.h"

namespace bench::test {

inline std::string EstimateFixture(const std::string& model) {
  return std::string(BENCH_TEST_DATA_DIR) + "/estimate/" + model + "/config.json";
}

/// The parsed fixture; a test failure when it does not parse.
inline ModelConfig LoadEstimateFixture(const std::string& model) {
  const ModelConfigResult result = ReadModelConfig(EstimateFixture(model));
  EXPECT_TRUE(result.ok()) << result.error;
  return result.config;
}

}  // namespace bench::test
