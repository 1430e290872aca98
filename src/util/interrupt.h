#pragma once
// Ctrl-C handling: the first SIGINT/SIGTERM asks the run to stop and write what it measured;
// a second one exits at once.

#include <atomic>

namespace bench {

/// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& InstallInterruptHandler();

}  // namespace bench
