#include "kserve/infer_response.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(InferResponseTest, TextResponseRoundTrips) {
  inference::ModelInferResponse r;
  MakeTextResponse("m", "id-1", " dogs", true, r);
  EXPECT_EQ(r.model_name(), "m");
  EXPECT_EQ(r.id(), "id-1");
  EXPECT_EQ(TextOutput(r), " dogs");
  EXPECT_TRUE(IsFinalResponse(r));
  MakeTextResponse("m", "id-1", "I", false, r);
  EXPECT_FALSE(IsFinalResponse(r));
  MakeTextResponse("m", "id-1", "I", std::nullopt, r);
  EXPECT_FALSE(IsFinalResponse(r));
}

TEST(InferResponseTest, TypedContentsAndOtherOutputs) {
  inference::ModelInferResponse r;
  auto* other = r.add_outputs();
  other->set_name("cum_log_probs");
  auto* text = r.add_outputs();
  text->set_name("text_output");
  text->mutable_contents()->add_bytes_contents("a");
  text->mutable_contents()->add_bytes_contents("b");
  EXPECT_EQ(TextOutput(r), "ab");
}

TEST(InferResponseTest, EmptyFinalResponseHasEmptyTextAndAMissingOutputIsNoText) {
  inference::ModelInferResponse r;
  (*r.mutable_parameters())["triton_final_response"].set_bool_param(true);
  EXPECT_EQ(TextOutput(r), "");
  EXPECT_TRUE(IsFinalResponse(r));
  r.add_outputs()->set_name("output_ids");
  EXPECT_FALSE(TextOutput(r).has_value());
}

}  // namespace
}  // namespace bench
