#include "sim/faults.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "sim/timing.h"

namespace bench {
namespace {

// What argument a fault takes: none, a count, a duration or a size, and its default.
enum class ArgType { kNone, kCount, kSeconds, kBytes };

struct FaultInfo {
  SimFaultKind kind;
  const char* name;
  ArgType arg;
  double default_arg;
};

constexpr FaultInfo kFaults[] = {
    {SimFaultKind::kNone, "none", ArgType::kNone, 0},
    {SimFaultKind::kHttp429, "http_429", ArgType::kNone, 0},
    {SimFaultKind::kHttp500, "http_500", ArgType::kNone, 0},
    {SimFaultKind::kHttp503, "http_503", ArgType::kNone, 0},
    {SimFaultKind::kRefuse, "refuse", ArgType::kNone, 0},
    {SimFaultKind::kResetBeforeHeaders, "reset_before_headers", ArgType::kNone, 0},
    {SimFaultKind::kDisconnectAfter, "disconnect_after", ArgType::kCount, 1},
    {SimFaultKind::kStall, "stall", ArgType::kSeconds, 10},
    {SimFaultKind::kSlowHeaders, "slow_headers", ArgType::kSeconds, 1},
    {SimFaultKind::kSseNoBlankLine, "sse_no_blank_line", ArgType::kNone, 0},
    {SimFaultKind::kSseJunkLines, "sse_junk_lines", ArgType::kNone, 0},
    {SimFaultKind::kSseComments, "sse_comments", ArgType::kNone, 0},
    {SimFaultKind::kSseErrorEvent, "sse_error_event", ArgType::kNone, 0},
    {SimFaultKind::kInvalidJsonChunk, "invalid_json_chunk", ArgType::kNone, 0},
    {SimFaultKind::kInvalidUtf8, "invalid_utf8", ArgType::kNone, 0},
    {SimFaultKind::kBigChunk, "big_chunk", ArgType::kBytes, 10 << 20},
    {SimFaultKind::kNoDone, "no_done", ArgType::kNone, 0},
    {SimFaultKind::kNonStreamingAnswer, "non_streaming_answer", ArgType::kNone, 0},
    {SimFaultKind::kUsageOnlyChunks, "usage_only_chunks", ArgType::kNone, 0},
    {SimFaultKind::kReasoning, "reasoning", ArgType::kCount, 4},
};

const FaultInfo& InfoOf(SimFaultKind kind) {
  for (const FaultInfo& f : kFaults) {
    if (f.kind == kind) return f;
  }
  return kFaults[0];
}

std::optional<double> ParseNumber(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Position of the first character of the event's text string, or npos.
size_t TextStart(std::string_view event) {
  for (std::string_view key : {"\"content\":\"", "\"text\":\""}) {
    const size_t pos = event.find(key);
    if (pos != std::string_view::npos) return pos + key.size();
  }
  return std::string_view::npos;
}

}  // namespace

const char* SimFaultName(SimFaultKind kind) { return InfoOf(kind).name; }

std::string SimFaultNames() {
  std::string out;
  for (const FaultInfo& f : kFaults) {
    if (f.kind == SimFaultKind::kNone) continue;
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

SimFaultParse ParseSimFault(std::string_view spec) {
  SimFaultParse out;
  const size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  const FaultInfo* info = nullptr;
  for (const FaultInfo& f : kFaults) {
    if (name == f.name) info = &f;
  }
  if (info == nullptr) {
    out.error = fmt::format("unknown fault '{}' (known: none, {})", name, SimFaultNames());
    return out;
  }
  SimFault fault{info->kind, info->default_arg};
  if (colon != std::string_view::npos) {
    const std::string_view arg = spec.substr(colon + 1);
    if (info->arg == ArgType::kNone) {
      out.error = fmt::format("fault '{}' takes no argument", name);
      return out;
    }
    const std::optional<double> v = ParseNumber(arg);
    const bool whole = v && *v == std::floor(*v);
    if (!v || *v < 0 || (info->arg != ArgType::kSeconds && !whole) ||
        (info->arg == ArgType::kBytes && *v > double(1u << 30))) {
      const char* what = info->arg == ArgType::kSeconds ? "seconds (>= 0)"
                         : info->arg == ArgType::kBytes ? "a byte count (0 to 1 GiB)"
                                                        : "a whole count (>= 0)";
      out.error = fmt::format("fault '{}': argument '{}' must be {}", name, arg, what);
      return out;
    }
    fault.arg = *v;
  }
  out.fault = fault;
  return out;
}

std::string AddSimFaultRate(SimFaults& faults, std::string_view spec) {
  const size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos) {
    return fmt::format("'{}': expected NAME[:ARG]=RATE, e.g. http_500=0.1", spec);
  }
  SimFaultParse parsed = ParseSimFault(spec.substr(0, eq));
  if (!parsed.fault) return fmt::format("'{}': {}", spec, parsed.error);
  const std::optional<double> rate = ParseNumber(spec.substr(eq + 1));
  if (!rate || *rate < 0 || *rate > 1) {
    return fmt::format("'{}': the rate must be a number from 0 to 1", spec);
  }
  double sum = *rate;
  for (const SimFaultRate& r : faults.rates) sum += r.rate;
  // A small tolerance so 0.1 x 10 is accepted despite binary rounding.
  if (sum > 1 + 1e-9) return fmt::format("'{}': fault rates add up to {} (at most 1)", spec, sum);
  faults.rates.push_back({*parsed.fault, *rate});
  return "";
}

SimFault ChooseSimFault(const SimFaults& faults, const std::optional<SimFault>& forced, SimRng& rng) {
  if (forced) return *forced;
  if (faults.rates.empty()) return {};
  // One draw per request whatever the rates, so adding a fault does not reshuffle which
  // requests get the others more than necessary.
  const double u = rng.Uniform();
  double cumulative = 0;
  for (const SimFaultRate& r : faults.rates) {
    cumulative += r.rate;
    if (u < cumulative) return r.fault;
  }
  return {};
}

std::string WithoutBlankLine(std::string_view event) {
  if (event.size() >= 2 && event.substr(event.size() - 2) == "\n\n") event.remove_suffix(1);
  return std::string(event);
}

std::string WithJunkLine(std::string_view event) {
  // A line without a colon is, by the SSE spec, a field with an empty value that clients
  // ignore; it is still not what any OpenAI-compatible server sends.
  return "bench-junk-line\n" + std::string(event);
}

std::string WithTruncatedJson(std::string_view event) {
  std::string out(event);
  const size_t brace = out.rfind('}');
  if (brace != std::string::npos) out.erase(brace, 1);
  return out;
}

std::string WithInvalidUtf8(std::string_view event) {
  std::string out(event);
  const size_t pos = TextStart(out);
  if (pos != std::string::npos) out.insert(pos, "\xff\xfe");
  return out;
}

std::string WithPadding(std::string_view event, size_t bytes) {
  static constexpr std::string_view kHead = "data: {";
  static constexpr std::string_view kMember = "\"bench_padding\":\"\",";
  std::string out(event);
  if (out.compare(0, kHead.size(), kHead) != 0) return out;
  const size_t fixed = out.size() + kMember.size();
  const size_t pad = bytes > fixed ? bytes - fixed : 0;
  std::string member = "\"bench_padding\":\"";
  member.append(pad, 'x');
  member += "\",";
  out.insert(kHead.size(), member);
  return out;
}

std::string CommentEvent() { return ": bench-simulator keep-alive comment\n\n"; }

std::string ErrorEvent() {
  return "event: error\n"
         "data: {\"error\":{\"message\":\"simulated error in the middle of the stream\","
         "\"type\":\"InternalServerError\",\"code\":500}}\n\n";
}

}  // namespace bench
