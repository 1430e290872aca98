#pragma once
// Reads a perf_analyzer-schema profile_export.json (reference §4.3) into a ProfileExport,
// including bench's optional per-request "error" and "intended_timestamp".

#include <string>
#include <string_view>

#include "record/record.h"

namespace bench {

/// Outcome of reading a profile export: the document, or a one-line error naming the file and
/// the JSON path ("profile_export.json: experiments[0].requests[3].timestamp: expected an
/// integer").
struct ProfileExportReadResult {
  ProfileExport profile;
  std::string error;  // empty on success
};

/// Reads and validates the file at `path`. Never throws.
ProfileExportReadResult ReadProfileExport(const std::string& path);

/// Parses `text`; `source_name` is used in error messages. Invalid UTF-8 bytes are dropped
/// first, as GenAI-Perf's load_json (errors="ignore") does. Never throws.
ProfileExportReadResult ParseProfileExport(std::string_view text, const std::string& source_name);

}  // namespace bench
