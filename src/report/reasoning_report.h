#pragma once
// bench's rows, <stem>_bench.json keys and warnings for reasoning models, server-reported token
// counts (--use-server-token-count) and the chunk check (docs/metrics.md).

#include "metrics/reasoning_metrics.h"
#include "report/exporter.h"

namespace bench {

/// Tokens per chunk above which a streamed run is told its chunks are not tokens. The server's
/// counts are exact; re-tokenizing the joined text may count more than the server generated
/// (11% more from llama.cpp's tiny test model, whose random tokens merge differently), so the
/// tokenizer's counts need a wider margin.
inline constexpr double kSeveralTokensPerChunkByUsage = 1.05;
inline constexpr double kSeveralTokensPerChunkByTokenizer = 1.25;

/// Adds the reasoning rows (when a request reasoned), the server-vs-tokenizer rows (with
/// --use-server-token-count) and tokens per chunk (streaming) to `context`; warns once when
/// requests lacked usage and when chunks carried several tokens.
void AddReasoningReport(const ReasoningMetrics& m, bool streaming, ExportContext& context);

}  // namespace bench
