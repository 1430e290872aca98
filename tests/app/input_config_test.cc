// input_config: every key GenAI-Perf writes, in its order, with its defaults for the options
// bench does not implement (reference §4.4).
#include "app/input_config.h"

#include <gtest/gtest.h>

#include <sstream>

#include "app/cli.h"

namespace bench {
namespace {

ProfileConfig Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "bench");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Command cmd = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, err);
  EXPECT_EQ(cmd.kind, Command::Kind::kProfile) << err.str();
  return cmd.profile;
}

// The expected text is GenAI-Perf 263c5f6e's ConfigCommand.to_json_dict() for the same command
// line (json.dumps of CreateConfig.create(parse_args(...))), except measurement.num: GenAI-Perf
// leaves an untyped count "" and bench records the count it measured (docs/compatibility.md).
TEST(InputConfigTest, SeedCommandHasGenAiPerfsKeysInOrder) {
  const ProfileConfig c =
      Parse({"profile", "-m", "meta/llama", "--endpoint-type", "chat", "--streaming", "--concurrency", "10",
             "--synthetic-input-tokens-mean", "200", "--output-tokens-mean", "100", "-u", "localhost:8000"});
  const std::string expected =
      R"json({"model_names":["meta/llama"],"subcommand":"profile","verbose":false)json"
      R"json(,"template_filename":"genai_perf_config.yaml")json"
      R"json(,"analyze":{"sweep_parameters":{"concurrency":{"min":1,"max":1024}}})json"
      R"json(,"endpoint":{"model_selection_strategy":"round_robin","backend":"tensorrtllm")json"
      R"json(,"custom":"v1/chat/completions","type":"chat","streaming":true)json"
      R"json(,"server_metrics_urls":["http://localhost:9400/metrics"],"url":"localhost:8000")json"
      R"json(,"grpc_method":"","service_kind":"openai","output_format":"openai_chat_completions"})json"
      R"json(,"perf_analyzer":{"path":"perf_analyzer","verbose":false,"stimulus":{"concurrency":10})json"
      R"json(,"stability_percentage":999,"measurement":{"mode":"request_count","num":20})json"
      R"json(,"warmup_request_count":0},"input":{"batch_size":1,"extra":"","goodput":"","header":"")json"
      R"json(,"file":"","num_dataset_entries":100,"random_seed":0,"audio":{"batch_size":1,"length":{"mean":0)json"
      R"json(,"stddev":0},"format":"wav","depths":[16],"sample_rates":[16],"num_channels":1})json"
      R"json(,"image":{"width":{"mean":0,"stddev":0},"height":{"mean":0,"stddev":0},"batch_size":1)json"
      R"json(,"format":"png"},"output_tokens":{"mean":100,"deterministic":false,"stddev":0})json"
      R"json(,"synthetic_tokens":{"mean":200,"stddev":0},"prefix_prompt":{"num":0,"length":100})json"
      R"json(,"sessions":{"num":0,"turns":{"mean":1,"stddev":0},"turn_delay":{"mean":0,"ratio":1.0)json"
      R"json(,"stddev":0}},"prompt_source":"synthetic","synthetic_files":[],"payload_file":""})json"
      R"json(,"output":{"artifact_directory":"artifacts","checkpoint_directory":"checkpoint")json"
      R"json(,"profile_export_file":"profile_export.json","generate_plots":false)json"
      R"json(,"enable_checkpointing":false},"tokenizer":{"name":"meta/llama","revision":"main")json"
      R"json(,"trust_remote_code":false,"_enable_debug_logging":true},"process":{"input_path":"aggregated"}})json";
  EXPECT_EQ(InputConfigJson(c).dump(), expected);
}

TEST(InputConfigTest, PayloadTraceRecordsFileAndPayloadFileAsGenAiPerfDoes) {
  ProfileConfig c;
  c.models = {"m"};
  c.input_file = "/data/trace.jsonl";
  c.payload_input = true;
  c.fixed_schedule = true;
  c.checkpoint_dir = "ck";
  const auto j = InputConfigJson(c);
  EXPECT_EQ(j["input"]["file"], "payload:/data/trace.jsonl");
  EXPECT_EQ(j["input"]["prompt_source"], "payload");
  EXPECT_EQ(j["input"]["payload_file"], "/data/trace.jsonl");
  EXPECT_EQ(j["input"]["synthetic_files"], nlohmann::ordered_json::array());
  EXPECT_EQ(j["perf_analyzer"]["stimulus"].dump(), R"({"fixed_schedule":""})");
  EXPECT_EQ(j["output"]["checkpoint_directory"], "ck");
}

TEST(InputConfigTest, AnalyzeRecordsTheSweptParameterWithItsDefaultRange) {
  ProfileConfig c;
  c.models = {"m"};
  c.sweep_point = SweepPoint{"request_rate", "32"};
  const auto j = InputConfigJson(c);
  EXPECT_EQ(j["subcommand"], "analyze");
  EXPECT_EQ(j["analyze"].dump(), R"({"sweep_parameters":{"request_rate":{"min":16,"max":8192}}})");
}

}  // namespace
}  // namespace bench
