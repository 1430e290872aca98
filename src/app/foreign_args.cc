#include "app/foreign_args.h"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

namespace bench {
namespace {

// perf_analyzer options with a bench meaning: PA's name, bench's flag, and whether the value
// must be one number (PA's ranges "start:end:step" have no single-run meaning).
struct Mapped {
  std::string_view pa;
  std::string_view bench;
  bool single_value_range;
};
constexpr std::array<Mapped, 11> kMapped = {{
    {"--concurrency-range", "--concurrency", true},
    {"--request-rate-range", "--request-rate", true},
    {"--request-count", "--request-count", false},
    {"--measurement-interval", "--measurement-interval", false},
    {"-p", "--measurement-interval", false},
    {"--stability-percentage", "--stability-percentage", false},
    {"-s", "--stability-percentage", false},
    {"--request-distribution", "--request-distribution", false},
    {"--warmup-request-count", "--warmup-request-count", false},
    {"-H", "--header", false},
    {"--session-concurrency", "--session-concurrency", false},
}};

// Options that change perf_analyzer's own threads, reports or transport, not what bench
// measures: accepted with a warning. The bool says whether the option takes a value.
struct Ignored {
  std::string_view pa;
  bool takes_value;
  std::string_view why;
};
constexpr std::array<Ignored, 14> kIgnored = {{
    {"--max-threads", true,
     "bench's worker threads are event loops with many requests each, sized automatically (--worker-threads sets them)"},
    {"-a", false, "bench always sends asynchronously"},
    {"--async", false, "bench always sends asynchronously"},
    {"--verbose-csv", false, "bench writes no perf_analyzer CSV"},
    {"-f", true, "bench writes no perf_analyzer CSV (its files are in the run directory)"},
    {"--latency-report-file", true, "bench writes no perf_analyzer CSV (its files are in the run directory)"},
    {"--percentile", true, "stability is judged on average latency, as without this option"},
    {"--max-trials", true, "bench stops after 10 windows, perf_analyzer's default"},
    {"--collect-metrics", false, "bench collects no server metrics yet"},
    {"--metrics-url", true, "bench collects no server metrics yet"},
    {"--metrics-interval", true, "bench collects no server metrics yet"},
    {"-i", true, "bench speaks HTTP"},
    {"--service-kind", true, "the endpoint type decides it"},
    {"--shared-memory", true, "bench sends over the network only"},
}};

// "--opt=value" -> ("--opt", "value", true).
struct Split {
  std::string name;
  std::string value;
  bool has_value = false;
};
Split SplitOption(const std::string& arg) {
  Split s;
  const auto eq = arg.find('=');
  if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
    s.name = arg.substr(0, eq);
    s.value = arg.substr(eq + 1);
    s.has_value = true;
  } else {
    s.name = arg;
  }
  return s;
}

}  // namespace

PassthroughResult TranslatePerfAnalyzerArgs(const std::vector<std::string>& args) {
  PassthroughResult r;
  for (size_t i = 0; i < args.size(); ++i) {
    Split s = SplitOption(args[i]);
    auto take_value = [&]() -> bool {
      if (s.has_value) return true;
      if (i + 1 >= args.size()) return false;
      s.value = args[++i];
      s.has_value = true;
      return true;
    };
    if (s.name == "-v" || s.name == "--verbose") {
      r.bench_args.push_back("--verbose");
      continue;
    }
    const auto mapped = std::find_if(kMapped.begin(), kMapped.end(), [&](const Mapped& m) { return m.pa == s.name; });
    if (mapped != kMapped.end()) {
      if (!take_value()) {
        r.error = fmt::format("-- {}: perf_analyzer option without a value", s.name);
        return r;
      }
      std::string value = s.value;
      if (mapped->single_value_range) {
        // "N", "N:N" or "N:N:step" is one load level; a real range is a sweep.
        const auto colon = value.find(':');
        if (colon != std::string::npos) {
          const std::string start = value.substr(0, colon);
          const std::string rest = value.substr(colon + 1);
          const std::string end = rest.substr(0, rest.find(':'));
          if (start != end) {
            r.error = fmt::format("-- {} {}: a range of load levels is a sweep; use bench analyze --sweep-type {}",
                                  s.name, value, mapped->bench == "--concurrency" ? "concurrency" : "request_rate");
            return r;
          }
          value = start;
        }
      }
      r.bench_args.push_back(std::string(mapped->bench));
      r.bench_args.push_back(value);
      continue;
    }
    const auto ignored = std::find_if(kIgnored.begin(), kIgnored.end(), [&](const Ignored& g) { return g.pa == s.name; });
    if (ignored != kIgnored.end()) {
      if (ignored->takes_value && !take_value()) {
        r.error = fmt::format("-- {}: perf_analyzer option without a value", s.name);
        return r;
      }
      r.warnings.push_back(fmt::format("-- {}: perf_analyzer option accepted without effect: {}", s.name, ignored->why));
      continue;
    }
    r.error = fmt::format("-- {}: perf_analyzer option not supported by bench (docs/compatibility.md lists those it takes)",
                          s.name);
    return r;
  }
  return r;
}

std::string UnsupportedGenAiPerfFlag(const std::vector<std::string>& args) {
  struct Unsupported {
    std::string_view flag;
    std::string_view what;
  };
  static constexpr std::array<Unsupported, 2> kUnsupported = {{
      {"--grpc-method", "gRPC endpoints"},
      {"--output-tokens-mean-deterministic", "Triton's min_tokens; OpenAI endpoints reject it in GenAI-Perf too"},
  }};
  for (const std::string& arg : args) {
    if (arg == "--") break;
    const std::string name = SplitOption(arg).name;
    for (const Unsupported& u : kUnsupported) {
      if (name == u.flag) {
        return fmt::format("{}: GenAI-Perf's flag is not supported by bench yet ({})", name, u.what);
      }
    }
  }
  return "";
}

}  // namespace bench
