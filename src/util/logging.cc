#include "util/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace bench {

void SetupLogging(bool verbose, bool quiet) {
  auto logger = spdlog::stderr_color_mt("bench");
  logger->set_pattern("%^[%l]%$ %v");
  logger->set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::warn : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace bench
