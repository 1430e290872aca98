#pragma once
// Artifact directory and file names (reference §4.1, §4.2).

#include <string>
#include <vector>


namespace bench {

/// `<model>-<kind>-<stimulus>`: '/' in the first model becomes '_', `_multi` marks several
/// models; kind is `openai-<endpoint_type>`, or `triton-<backend>` for kserve.
/// `stimulus` is e.g. "concurrency10".
std::string ArtifactDirName(const std::vector<std::string>& models, const std::string& endpoint_type,
                            const std::string& backend, const std::string& stimulus);

/// `<stem>_genai_perf.<ext>` for a profile export file name (`profile_export.json` ->
/// `profile_export_genai_perf.json`).
std::string GenAiPerfFileName(const std::string& profile_export_file, const std::string& ext);

/// `<stem>_bench.json`, bench's own file beside GenAI-Perf's (`profile_export.json` ->
/// `profile_export_bench.json`; bench_json_exporter.h).
std::string BenchFileName(const std::string& profile_export_file);

}  // namespace bench
