#pragma once
// Logs go to stderr (the table goes to stdout), so `bench profile ... > table.txt` stays clean.

namespace bench {

/// Configures spdlog: info by default, debug with -v, warnings and errors only with --quiet;
/// pattern "[level] message".
void SetupLogging(bool verbose, bool quiet = false);

}  // namespace bench
