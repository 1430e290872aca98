#pragma once
// The flags of the batched text endpoints (--endpoint-type embeddings | rankings):
// --batch-size-text and where their texts come from, checked as GenAI-Perf checks them.

#include <string>

#include "app/config.h"

namespace CLI {
class App;
}

namespace bench {

/// Registers --batch-size-text (GenAI-Perf's aliases --batch-size and -b).
void AddTextBatchOptions(CLI::App* app, ProfileConfig& p);

/// The batch size and input source of an embeddings or rankings run, and the batch size of any
/// other: one-line error or "". Moves `--input-file synthetic:a,b` into `synthetic_files`.
/// Runs before the load-mode checks, which then see a plain file, a directory or nothing.
std::string ValidateTextBatchInputs(ProfileConfig& c);

}  // namespace bench
