#pragma once
// Request bodies of the text-only retrieval endpoints, as GenAI-Perf's converters write them
// (reference §3.3): OpenAI embeddings (`{"model", "input": [texts]}`), NIM ranking
// (`{"query": {"text"}, "passages": [{"text"}], "model"}`) and TEI rerank
// (`{"query", "texts"}`, with `--extra-inputs rankings:tei`). Each request carries a batch of
// texts (text_batches.h).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dataset/inputs.h"
#include "dataset/text_batches.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// True for the endpoint types built here: "embeddings" and "rankings".
bool IsTextBatchEndpoint(std::string_view endpoint_type);

/// True when `--extra-inputs` holds rankings:tei (TEI's /rerank shape instead of NIM's).
bool IsRankingsTei(const nlohmann::ordered_json& extra_inputs);

/// `{"model": m, "input": [texts...]}` then every extra input (input_type, truncate, ...).
nlohmann::ordered_json EmbeddingsBody(const std::string& model, const TextRow& texts,
                                      const nlohmann::ordered_json& extra_inputs);

/// NIM: `{"query": {"text": q}, "passages": [{"text": p}...], "model": m}` then the extra
/// inputs; TEI (rankings:tei): `{"query": q, "texts": [...]}` then the extra inputs but the
/// `rankings` selector itself (TEI has no model field).
nlohmann::ordered_json RankingsBody(const std::string& model, const std::string& query, const TextRow& passages,
                                    const nlohmann::ordered_json& extra_inputs);

/// The dataset of an embeddings or rankings run: rows of `batch_size_text` texts from
/// synthetic prompts (`synthetic_files` names them; rankings need "queries" and "passages"),
/// a JSONL file, or a directory of them (rankings: queries.jsonl and passages.jsonl). Rankings
/// pair the i-th query row's first text with the i-th passages row, up to the shorter file.
Parsed<Dataset> BuildTextBatchDataset(const DatasetOptions& config, const Tokenizer& tokenizer);

}  // namespace bench
