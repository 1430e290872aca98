#include "estimate/estimate_report.h"

#include <fmt/format.h>

#include <cmath>

#include "util/rich_table.h"

namespace bench {
namespace {

std::string Gb(double bytes) { return fmt::format("{:.2f}", bytes / 1e9); }

// 8030261248 -> "8,030,261,248"
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

std::string Bits(const Precision& p) {
  const double bits = p.BitsPerValue();
  return bits == std::floor(bits) ? fmt::format("{}", static_cast<int>(bits)) : fmt::format("{:g}", bits);
}

std::string KvFormula(const MemoryEstimate& e) {
  const ModelConfig& m = e.model;
  const Precision& kv = e.options.kv_precision;
  if (m.attention == AttentionKind::kLatent) {
    return fmt::format("{} layers x ({} kv_lora_rank + {} rope dims) x {} bits", m.num_layers, m.kv_lora_rank,
                       m.qk_rope_head_dim, Bits(kv));
  }
  return fmt::format("{} layers x 2 x {} KV heads x {} head_dim x {} bits", m.num_layers, m.num_kv_heads, m.head_dim,
                     Bits(kv));
}

}  // namespace

std::string FormatEstimate(const MemoryEstimate& e, int width) {
  const EstimateOptions& o = e.options;
  const ModelConfig& m = e.model;
  std::string text;
  text += fmt::format("Model       {} ({})\n", m.source, m.architecture);
  text += fmt::format("Parameters  {} ({:.2f} B)", Grouped(e.params.total), e.params.total / 1e9);
  if (e.params.active != e.params.total) {
    text += fmt::format(", {} active per token ({:.2f} B: {} of {} experts)", Grouped(e.params.active),
                        e.params.active / 1e9, m.experts_per_token, m.num_experts);
  }
  text += "\n           ";
  for (const ParamGroup& g : e.params.groups) text += fmt::format(" {} {};", g.name, Grouped(g.params));
  text.back() = '\n';
  text += fmt::format("KV cache    {} bytes per token ({} {}: {})", Grouped(std::llround(e.kv_bytes_per_token)),
                      o.kv_precision.name, "cache", KvFormula(e));
  if (o.tensor_parallel > 1) {
    text += fmt::format(", {} per GPU", Grouped(std::llround(e.kv_bytes_per_token_per_gpu)));
  }
  text += "\n";
  text += fmt::format("Assumes     context {} x batch {} = {} tokens cached; overhead {}% of weights + KV cache; "
                      "tensor parallel {}",
                      o.context, o.batch, Grouped(o.context * o.batch), fmt::format("{:g}", o.overhead * 100),
                      o.tensor_parallel);
  if (o.gpu_memory_bytes) text += fmt::format("; {} GB per GPU", fmt::format("{:g}", *o.gpu_memory_bytes / 1e9));
  text += "\n\n";

  const std::string per = o.tensor_parallel > 1 ? " per GPU" : "";
  RichTable table(fmt::format("Memory{} (GB = 10^9 bytes)", per));
  table.AddColumn({"Precision", Justify::kLeft, std::nullopt, true});
  table.AddColumn({"Bits/weight", Justify::kRight});
  table.AddColumn({"Weights", Justify::kRight});
  table.AddColumn({"KV cache", Justify::kRight});
  table.AddColumn({"Overhead", Justify::kRight});
  table.AddColumn({"Total", Justify::kRight});
  if (o.gpu_memory_bytes) {
    table.AddColumn({"Fits", Justify::kLeft});
    table.AddColumn({fmt::format("Max batch @{}", o.context), Justify::kRight});
    table.AddColumn({fmt::format("Max context @{}", o.batch), Justify::kRight});
  }
  for (const PrecisionEstimate& row : e.rows) {
    std::vector<std::string> cells = {row.precision.name, Bits(row.precision), Gb(row.weight_bytes_per_gpu),
                                      Gb(row.kv_bytes_per_gpu), Gb(row.overhead_bytes_per_gpu),
                                      Gb(row.total_bytes_per_gpu)};
    if (row.fits) {
      cells.push_back(*row.fits ? "yes" : "no");
      cells.push_back(std::to_string(*row.max_batch));
      cells.push_back(std::to_string(*row.max_context) + (row.max_context_capped ? " (max)" : ""));
    }
    table.AddRow(std::move(cells));
  }
  text += table.Render(width);
  text += "Weights below 16 bits quantise the decoder's linear layers; embeddings, head, norms and routers stay "
          "16-bit.\n";
  if (o.gpu_memory_bytes) {
    text += "Max context stops at the model's max_position_embeddings, marked (max). docs/estimate.md defines "
            "every column.\n";
  }
  return text;
}

nlohmann::ordered_json EstimateJson(const MemoryEstimate& e) {
  using Json = nlohmann::ordered_json;
  const EstimateOptions& o = e.options;
  const ModelConfig& m = e.model;
  Json j;
  j["json_schema_version"] = kEstimateJsonSchemaVersion;
  Json groups = Json::object();
  for (const ParamGroup& g : e.params.groups) groups[g.name] = g.params;
  j["model"] = {{"source", m.source},
                {"architecture", m.architecture},
                {"hidden_size", m.hidden_size},
                {"num_hidden_layers", m.num_layers},
                {"num_attention_heads", m.num_heads},
                {"num_key_value_heads", m.num_kv_heads},
                {"head_dim", m.head_dim},
                {"vocab_size", m.vocab_size},
                {"tie_word_embeddings", m.tie_word_embeddings},
                {"num_experts", m.num_experts},
                {"experts_per_token", m.experts_per_token},
                {"max_position_embeddings", m.max_position_embeddings}};
  j["parameters"] = {{"total", e.params.total}, {"active", e.params.active}, {"groups", groups}};
  Json settings = {{"context", o.context},
                   {"batch", o.batch},
                   {"kv_precision", o.kv_precision.name},
                   {"overhead_fraction", o.overhead},
                   {"tensor_parallel", o.tensor_parallel}};
  settings["gpu_memory_bytes"] = o.gpu_memory_bytes ? Json(*o.gpu_memory_bytes) : Json(nullptr);
  j["settings"] = settings;
  j["kv_cache"] = {{"bytes_per_token", e.kv_bytes_per_token},
                   {"bytes_per_token_per_gpu", e.kv_bytes_per_token_per_gpu},
                   {"bytes_per_gpu", e.rows.empty() ? 0.0 : e.rows.front().kv_bytes_per_gpu}};
  Json rows = Json::array();
  for (const PrecisionEstimate& row : e.rows) {
    Json r = {{"precision", row.precision.name},
              {"bits_per_weight", row.precision.BitsPerValue()},
              {"weights_bytes", row.weight_bytes},
              {"weights_bytes_per_gpu", row.weight_bytes_per_gpu},
              {"kv_cache_bytes_per_gpu", row.kv_bytes_per_gpu},
              {"overhead_bytes_per_gpu", row.overhead_bytes_per_gpu},
              {"total_bytes_per_gpu", row.total_bytes_per_gpu}};
    r["fits"] = row.fits ? Json(*row.fits) : Json(nullptr);
    r["max_batch"] = row.max_batch ? Json(*row.max_batch) : Json(nullptr);
    r["max_context"] = row.max_context ? Json(*row.max_context) : Json(nullptr);
    r["max_context_capped"] = row.max_context_capped;
    rows.push_back(std::move(r));
  }
  j["precisions"] = std::move(rows);
  return j;
}

}  // namespace bench
