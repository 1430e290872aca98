#pragma once
// The documented process exit codes (README "Exit codes"): the pipeline decides them, the
// commands return them.

namespace bench {

enum ExitCode : int {
  kExitOk = 0,            // run completed, at least one request succeeded
  kExitNoSuccess = 1,     // run completed but no request succeeded, or an internal error
  kExitUsage = 2,         // bad flag, value or combination
  kExitUnreachable = 3,   // server unreachable or not ready before any load
  kExitInput = 4,         // unreadable/malformed input file, tokenizer or profile export
  kExitOutput = 5,        // artifacts could not be written
  kExitGateFailed = 6,    // a --fail-if gate or a compare --max-regression check failed
  kExitInterrupted = 130, // Ctrl-C: artifacts of what was measured are still written
};

}  // namespace bench
