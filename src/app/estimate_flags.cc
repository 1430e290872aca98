#include "app/estimate_flags.h"

namespace bench {
namespace {

constexpr const char* kEstimateExamples = R"(
Examples:
  bench estimate -m meta-llama/Meta-Llama-3-8B --gpu-memory 80GB
  bench estimate -m ./config.json --precision fp16,fp8 --tensor-parallel 2 --json

docs/estimate.md explains every figure and assumption.
)";

}  // namespace

CLI::App* AddEstimateCommand(CLI::App& app, EstimateConfig& e) {
  CLI::App* estimate = app.add_subcommand("estimate", "GPU memory per precision from a model's config.json");
  estimate->footer(kEstimateExamples);
  estimate->add_option("-m,--model", e.model, "config.json, a directory holding it, or a Hugging Face model id")
      ->required();
  estimate->add_option("--revision", e.revision, "Hugging Face revision")->capture_default_str();
  estimate->add_option("--precision", e.precisions, "Weight precisions to show (default: all)")->delimiter(',');
  estimate->add_option("--kv-precision", e.kv_precision, "KV-cache precision")->capture_default_str();
  estimate->add_option("--context", e.context, "Tokens per sequence in the KV cache")->capture_default_str();
  estimate->add_option("--batch", e.batch, "Sequences in flight")->capture_default_str();
  estimate->add_option("--overhead", e.overhead_percent, "Activations and runtime, % of weights + KV cache")
      ->capture_default_str();
  estimate->add_option("--tensor-parallel,--tp", e.tensor_parallel, "GPUs the model is split across")
      ->capture_default_str();
  estimate->add_option("--gpu-memory", e.gpu_memory, "Memory per GPU (80, 80GB, 80GiB): fit and largest batch/context");
  estimate->add_flag("--json", e.json, "Print JSON instead of the table");
  return estimate;
}

}  // namespace bench
