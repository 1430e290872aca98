#pragma once
// `bench config -f FILE [--override-config] [flags]`: the YAML file becomes the flags it stands
// for (config_file.h), then the command line is parsed again, so every check is the one a typed
// flag gets; a usage error is told as the file's line and key that set the flag.

#include <ostream>
#include <string>
#include <vector>

#include "app/cli.h"

namespace bench {

/// The command `file` stands for, with `typed` (the flags after it; they need
/// `override_config` unless they only change the output) winning over the file.
Command FromConfigFile(const std::string& file, bool override_config, const std::vector<std::string>& typed,
                       std::ostream& out, std::ostream& err);

}  // namespace bench
