#include "test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

namespace bench::test {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

nlohmann::json ReadJson(const std::filesystem::path& path) {
  auto j = nlohmann::json::parse(ReadFile(path), nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not valid JSON: " << path;
    return nullptr;
  }
  return j;
}

nlohmann::ordered_json ReadOrderedJson(const std::filesystem::path& path) {
  auto j = nlohmann::ordered_json::parse(ReadFile(path), nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << "not valid JSON: " << path;
    return nullptr;
  }
  return j;
}

nlohmann::json ReadRunJson(const std::filesystem::path& genai_perf_json) {
  nlohmann::json doc = ReadJson(genai_perf_json);
  if (!doc.is_object()) return doc;
  if (doc.contains("bench")) ADD_FAILURE() << genai_perf_json << " has a \"bench\" key";
  std::string name = genai_perf_json.filename().string();
  name = name.substr(0, name.size() - std::string("_genai_perf.json").size()) + "_bench.json";
  doc["bench"] = ReadJson(genai_perf_json.parent_path() / name);
  return doc;
}

ScopedEnv::ScopedEnv(const char* name, const std::string& value) : name_(name) {
  if (const char* old = std::getenv(name)) old_ = old;
  ::setenv(name, value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
  if (old_) {
    ::setenv(name_, old_->c_str(), 1);
  } else {
    ::unsetenv(name_);
  }
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("bench_test_" + std::to_string(rd()) + std::to_string(getpid()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunBench(const std::vector<std::string>& args) { return RunBenchWhile(args, nullptr); }

namespace {

// Runs `program` (a path, or a name searched in PATH) with `args`, capturing its output.
// A positive `timeout` kills the child when it runs longer.
CommandResult Run(const std::string& program, const std::vector<std::string>& args,
                  const std::function<void(pid_t)>& during, std::chrono::milliseconds timeout) {
  CommandResult result;
  TempDir tmp;
  const auto out_path = tmp.path() / "stdout";
  const auto err_path = tmp.path() / "stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // Tests never reach the real Hugging Face hub: model ids resolve offline, in an empty cache.
    setenv("HF_HUB_OFFLINE", "1", 1);
    setenv("HF_HUB_CACHE", (tmp.path() / "hf-cache").c_str(), 1);
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(binary.c_str(), argv.data());
    _exit(127);
  }
  if (during) during(pid);
  int status = 0;
  if (timeout.count() > 0) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        result.timed_out = true;
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      usleep(20'000);
    }
  } else {
    waitpid(pid, &status, 0);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

}  // namespace

CommandResult RunBenchWhile(const std::vector<std::string>& args, const std::function<void(pid_t)>& during) {
  return Run(BENCH_BINARY, args, during, std::chrono::milliseconds(0));
}

CommandResult RunBenchWithin(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                             const std::function<void(pid_t)>& during) {
  return Run(BENCH_BINARY, args, during, timeout);
}

CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args) {
  return Run(program, args, nullptr, std::chrono::milliseconds(0));
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace bench::test

namespace bench {
void PrintTo(const ResponseOutputs& outputs, std::ostream* os) {
  *os << outputs.ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace bench

namespace bench::test {

bench::ResponseOutputs ResponseOutputs(const std::vector<std::string>& reads) {
  return ResponseOutputs("response", reads);
}

bench::ResponseOutputs ResponseOutputs(const std::string& key, const std::vector<std::string>& texts) {
  bench::ResponseOutputs outputs(key);
  for (const std::string& text : texts) outputs.AddText(text);
  return outputs;
}

std::filesystem::path CasesDir() { return std::filesystem::path(BENCH_TEST_DATA_DIR) / "genai-perf-cases"; }

}  // namespace bench::test
