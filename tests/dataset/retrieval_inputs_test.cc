// Bodies of the embeddings and rankings endpoints against the shapes GenAI-Perf's converters
// write (reference §3.3), and the datasets made from synthetic prompts, files and directories.
#include "dataset/retrieval_inputs.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"
#include "test_util.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

DatasetOptions Options(const std::string& type) {
  DatasetOptions o;
  o.models = {"m1"};
  o.endpoint_type = type;
  o.num_dataset_entries = 4;
  o.synthetic_input_tokens_mean = 12;
  return o;
}

void WriteLines(const std::filesystem::path& path, const std::vector<std::string>& texts) {
  std::ofstream out(path);
  for (const auto& t : texts) out << ojson{{"text", t}}.dump() << "\n";
}

TEST(RetrievalInputsTest, EmbeddingsBodyIsModelThenInputListThenExtras) {
  const ojson extra{{"input_type", "query"}, {"truncate", "END"}};
  const ojson body = EmbeddingsBody("m1", {"t1", "t2"}, extra);
  EXPECT_EQ(body.dump(), R"({"model":"m1","input":["t1","t2"],"input_type":"query","truncate":"END"})");
}

TEST(RetrievalInputsTest, NimRankingsBodyIsQueryPassagesModel) {
  const ojson body = RankingsBody("m1", "q", {"p1", "p2"}, ojson{{"truncate", "END"}});
  EXPECT_EQ(body.dump(),
            R"({"query":{"text":"q"},"passages":[{"text":"p1"},{"text":"p2"}],"model":"m1","truncate":"END"})");
}

TEST(RetrievalInputsTest, TeiRerankBodyIsQueryTextsWithoutTheSelector) {
  const ojson extra{{"rankings", "tei"}, {"raw_scores", true}};
  EXPECT_TRUE(IsRankingsTei(extra));
  const ojson body = RankingsBody("m1", "q", {"p1", "p2"}, extra);
  EXPECT_EQ(body.dump(), R"({"query":"q","texts":["p1","p2"],"raw_scores":true})");
  // Another value of `rankings` is no TEI selector: NIM's shape, the field sent like any extra.
  EXPECT_FALSE(IsRankingsTei(ojson{{"rankings", "nim"}}));
}

TEST(RetrievalInputsTest, SyntheticEmbeddingsHaveBatchTextsOfExactLength) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions o = Options("embeddings");
  o.batch_size_text = 3;
  auto d = BuildTextBatchDataset(o, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 4u);
  for (const ojson& body : d.value.payloads) {
    ASSERT_EQ(body["input"].size(), 3u);
    EXPECT_EQ(body["model"], "m1");
    for (const auto& text : body["input"]) EXPECT_EQ(tok->CountTokens(text.get<std::string>()), 12u);
  }
  // Through the public entry point, and the inputs.json shape of reference §3.3.
  auto again = BuildDataset(o, *tok);
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(again.value.payloads, d.value.payloads);
  const ojson inputs = ojson::parse(InputsJson(again.value));
  EXPECT_EQ(inputs["data"][0]["payload"][0], d.value.payloads[0]);
}

TEST(RetrievalInputsTest, SyntheticRankingsPairQueriesWithPassageBatches) {
  auto tok = MakeBuiltinTokenizer();
  DatasetOptions o = Options("rankings");
  o.synthetic_files = {"queries", "passages"};
  o.batch_size_text = 2;
  auto d = BuildTextBatchDataset(o, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 4u);
  const ojson& body = d.value.payloads[0];
  EXPECT_TRUE(body["query"]["text"].is_string());
  EXPECT_EQ(body["passages"].size(), 2u);
  EXPECT_EQ(body["model"], "m1");
}

TEST(RetrievalInputsTest, RankingsFromADirectoryStopAtTheShorterFile) {
  auto tok = MakeBuiltinTokenizer();
  test::TempDir dir;
  WriteLines(dir.path() / "queries.jsonl", {"q0", "q1", "q2"});
  WriteLines(dir.path() / "passages.jsonl", {"p0", "p1"});
  DatasetOptions o = Options("rankings");
  o.input_file = dir.path().string();
  o.extra_inputs = ojson{{"rankings", "tei"}};
  auto d = BuildTextBatchDataset(o, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 2u);
  EXPECT_EQ(d.value.payloads[1].dump(), R"({"query":"q1","texts":["p1"]})");
}

TEST(RetrievalInputsTest, EmbeddingsFromAFileSampleBatches) {
  auto tok = MakeBuiltinTokenizer();
  test::TempDir dir;
  WriteLines(dir.path() / "texts.jsonl", {"a", "b", "c"});
  DatasetOptions o = Options("embeddings");
  o.input_file = (dir.path() / "texts.jsonl").string();
  o.batch_size_text = 2;
  o.num_dataset_entries = 5;
  auto d = BuildTextBatchDataset(o, *tok);
  ASSERT_TRUE(d.ok()) << d.error;
  ASSERT_EQ(d.value.payloads.size(), 5u);
  EXPECT_EQ(d.value.payloads[0]["input"].size(), 2u);
}

TEST(RetrievalInputsTest, BadInputsNameTheFile) {
  auto tok = MakeBuiltinTokenizer();
  test::TempDir dir;
  WriteLines(dir.path() / "queries.jsonl", {"q0"});
  std::ofstream(dir.path() / "passages.jsonl") << "\n";
  DatasetOptions o = Options("rankings");
  o.input_file = dir.path().string();
  auto empty = BuildTextBatchDataset(o, *tok);
  EXPECT_EQ(empty.error, "--input-file " + (dir.path() / "passages.jsonl").string() + ": no prompts in file");

  std::filesystem::remove(dir.path() / "passages.jsonl");
  auto missing = BuildTextBatchDataset(o, *tok);
  EXPECT_NE(missing.error.find("passages.jsonl is missing"), std::string::npos) << missing.error;

  DatasetOptions synthetic = Options("rankings");  // no synthetic:queries,passages
  EXPECT_NE(BuildTextBatchDataset(synthetic, *tok).error.find("queries.jsonl is missing"), std::string::npos);
}

}  // namespace
}  // namespace bench
