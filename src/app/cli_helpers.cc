#include "app/cli_helpers.h"

#include <algorithm>
#include <cctype>

#include "sim/faults.h"

namespace bench {

// Parses every --fail-if expression; returns the first one-line error or "".
std::string ParseGates(const std::vector<std::string>& raw, std::vector<Gate>& gates) {
  for (const std::string& expr : raw) {
    GateParse parsed = ParseGate(expr);
    if (!parsed.gate) return parsed.error;
    gates.push_back(std::move(*parsed.gate));
  }
  return "";
}

// "5%" or "5" -> 0.05; nullopt when not a non-negative percentage.
std::optional<double> ParsePercent(std::string text) {
  if (!text.empty() && text.back() == '%') text.pop_back();
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !(v >= 0)) return std::nullopt;
    return v / 100.0;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> SplitComma(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    size_t start = 0;
    while (start <= item.size()) {
      const size_t comma = std::min(item.find(',', start), item.size());
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

void AddSimulatorTimingOptions(CLI::App* app, SimulatorOptions& o, const std::string& prefix) {
  app->add_option("--" + prefix + "ttft-ms", o.ttft_ms, "Simulated base time to first token (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "ttft-per-input-token-ms", o.ttft_per_input_token_ms,
                  "Simulated prefill cost per input token (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "itl-ms", o.itl_ms, "Simulated base inter-token latency (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "itl-per-stream-ms", o.itl_per_stream_ms,
                  "Simulated ITL added per concurrently decoding stream (ms)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "tokens-per-chunk", o.tokens_per_chunk, "Tokens per SSE chunk")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--" + prefix + "reasoning-tokens", o.reasoning_tokens,
                  "Chat: reasoning tokens (delta.reasoning_content) streamed before the answer, counted in usage")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app->add_option("--" + prefix + "jitter", o.jitter, "Relative jitter on every simulated delay (0..1)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app->add_option("--" + prefix + "default-max-tokens", o.default_max_tokens,
                  "Output tokens when a request sends no max_tokens")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app->add_option("--" + prefix + "eos-probability", o.eos_probability,
                  "Per-token chance of an early end once min_tokens are out (ignored with ignore_eos)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app->add_option("--" + prefix + "seed", o.seed, "Simulator random seed")->capture_default_str();
  // Parsed as each value arrives so a bad spec is a one-line usage error naming the flag.
  app->add_option_function<std::vector<std::string>>(
         "--" + prefix + "fault-rate",
         [&o, flag = "--" + prefix + "fault-rate"](const std::vector<std::string>& specs) {
           o.faults.rates.clear();
           for (const std::string& spec : specs) {
             if (std::string error = AddSimFaultRate(o.faults, spec); !error.empty()) {
               throw CLI::ValidationError(flag, error);
             }
           }
         },
         "Inject a simulator fault into this share of requests, NAME[:ARG]=RATE (repeatable; "
         "see docs/simulator.md), e.g. http_500=0.1 stall:5=0.01")
      ->expected(1, -1)->take_all();
}

std::string StripEndpoint(std::string e) {
  const auto first = e.find_first_not_of(" /");
  return first == std::string::npos ? std::string() : e.substr(first);
}

// true/false for --fixed-schedule's optional value (a bare flag is true). GenAI-Perf's
// `type=bool` makes any value true, "false" included; here "false" really turns it off.
std::optional<bool> ParseBool(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (v.empty() || v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  return std::nullopt;
}

// CLI11 messages can span lines; the contract is one line.
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace bench
