#include "util/interrupt.h"

#include <csignal>
#include <unistd.h>

namespace bench {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int signal_number) {
  if (g_stop.exchange(true)) {
    // Second interrupt: the user means it. _exit is async-signal-safe.
    _exit(128 + signal_number);
  }
}

}  // namespace

const std::atomic<bool>& InstallInterruptHandler() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = &OnSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a peer closing a socket must not kill the process
    return true;
  }();
  (void)installed;
  return g_stop;
}

}  // namespace bench
