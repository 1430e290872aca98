#pragma once
// Small helpers shared by tests: files, temporary directories, running the bench binary.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <sys/types.h>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/response_outputs.h"

namespace bench {
/// How GoogleTest prints response outputs in a failed assertion: as their JSON array.
void PrintTo(const ResponseOutputs& outputs, std::ostream* os);
}  // namespace bench

namespace bench::test {

/// Whole file as a string (empty if missing).
std::string ReadFile(const std::filesystem::path& path);
/// Parses a JSON file; fails the current test (returns null) if it cannot.
nlohmann::json ReadJson(const std::filesystem::path& path);
/// A run's `<stem>_genai_perf.json` with its `<stem>_bench.json` under "bench" (as the product's
/// ReadRunJson gives it); a test failure when the GenAI-Perf file itself has a "bench" key.
nlohmann::json ReadRunJson(const std::filesystem::path& genai_perf_json);
/// Parses a JSON file keeping key order (GenAI-Perf's fixtures are order-sensitive).
nlohmann::ordered_json ReadOrderedJson(const std::filesystem::path& path);
/// A fresh, empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Sets an environment variable for one scope and restores (or removes) it after; children
/// started in between inherit it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  bool timed_out = false;  // killed by RunBenchWithin's deadline
};
/// Runs the bench executable with `args` (no shell), capturing stdout and stderr.
CommandResult RunBench(const std::vector<std::string>& args);

/// RunBench, calling `during(pid)` in this process while the child runs (e.g. to signal it).
CommandResult RunBenchWhile(const std::vector<std::string>& args, const std::function<void(pid_t)>& during);

/// RunBenchWhile with a deadline: a run still going after `timeout` is killed (SIGKILL) and
/// reported as `timed_out`, so a hang fails the test instead of stalling the suite.
CommandResult RunBenchWithin(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                             const std::function<void(pid_t)>& during = nullptr);

/// Runs `program` (a path, or a name looked up in PATH; exit code 127 when not found) with `args`.
CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args);

/// Non-overlapping occurrences of `what` in `text`.
size_t Occurrences(const std::string& text, const std::string& what);

/// A record's response outputs as bench records them: {"response": read} per read.
bench::ResponseOutputs ResponseOutputs(const std::vector<std::string>& reads);
/// The same under another key ({"text_output": text} per read for Triton).
bench::ResponseOutputs ResponseOutputs(const std::string& key, const std::vector<std::string>& texts);

/// Directory of the GenAI-Perf conformance cases.
std::filesystem::path CasesDir();

}  // namespace bench::test
