#include "app/task_presets.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(TaskPresetsTest, TableMatchesTheGuide) {
  ASSERT_EQ(TaskPresets().size(), 8u);
  const TaskPreset* s = FindTaskPreset("summarization");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->input.min, 500);
  EXPECT_EQ(s->input.max, 2000);
  EXPECT_EQ(s->input.Mean(), 1250);
  EXPECT_EQ(s->input.Stddev(), 375);
  EXPECT_EQ(s->output.Mean(), 200);
  EXPECT_EQ(s->output.Stddev(), 50);
  EXPECT_EQ(FindTaskPreset("translation")->input.Stddev(), 37);  // 150 / 4, rounded down
  EXPECT_EQ(FindTaskPreset("nope"), nullptr);
  EXPECT_EQ(TaskPresetNames(),
            "translation, summarization, question-answering, code-generation, essay, chat, "
            "classification, extraction");
  EXPECT_NE(TaskPresetTable().find("code-generation"), std::string::npos);
}

TEST(TaskPresetsTest, PresetSetsLengthsAndClipsUnlessFlagsWereTyped) {
  ProfileConfig c;
  ApplyTaskPreset(*FindTaskPreset("chat"), {}, c);
  EXPECT_EQ(c.synthetic_input_tokens_mean, 100);
  EXPECT_EQ(c.synthetic_input_tokens_stddev, 25);
  EXPECT_EQ(c.output_tokens_mean, 300);
  EXPECT_EQ(c.output_tokens_stddev, 100);
  EXPECT_EQ(c.synthetic_input_tokens_clip, (std::pair{50, 150}));
  EXPECT_EQ(c.output_tokens_clip, (std::pair{100, 500}));

  ProfileConfig d;
  d.synthetic_input_tokens_mean = 1000;
  ApplyTaskPreset(*FindTaskPreset("chat"), ExplicitLengthFlags{true, false, false, false}, d);
  EXPECT_EQ(d.synthetic_input_tokens_mean, 1000);  // typed: kept
  EXPECT_EQ(d.synthetic_input_tokens_stddev, 25);
  EXPECT_FALSE(d.synthetic_input_tokens_clip);  // a typed mean may lie outside the range
  EXPECT_TRUE(d.output_tokens_clip);
}

}  // namespace
}  // namespace bench
