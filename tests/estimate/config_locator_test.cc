// LocateModelConfig: a file, a directory, or a model id in the Hugging Face cache (offline; the
// hub is never contacted).

#include "estimate/config_locator.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

using test::ScopedEnv;

TEST(ConfigLocator, FileAndDirectory) {
  test::TempDir dir;
  const fs::path file = dir.path() / "config.json";
  std::ofstream(file) << "{}";
  EXPECT_EQ(LocateModelConfig(file.string(), "main").path, file.string());
  EXPECT_EQ(LocateModelConfig(dir.path().string(), "main").path, file.string());
  fs::create_directories(dir.path() / "empty");
  EXPECT_EQ(LocateModelConfig((dir.path() / "empty").string(), "main").error,
            (dir.path() / "empty").string() + ": directory has no config.json");
  EXPECT_EQ(LocateModelConfig("missing.json", "main").error,
            "missing.json: no such file, directory holding config.json, or Hugging Face model id");
}

TEST(ConfigLocator, ModelIdFromTheHubCache) {
  test::TempDir dir;
  ScopedEnv cache("HF_HUB_CACHE", (dir.path() / "hub").string());
  ScopedEnv offline("HF_HUB_OFFLINE", "1");
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  const fs::path repo = dir.path() / "hub" / "models--org--tiny";
  fs::create_directories(repo / "snapshots" / commit);
  fs::create_directories(repo / "refs");
  std::ofstream(repo / "refs" / "main") << commit;
  std::ofstream(repo / "snapshots" / commit / "config.json") << "{}";
  const ConfigLocation found = LocateModelConfig("org/tiny", "main");
  EXPECT_EQ(found.error, "");
  EXPECT_EQ(fs::path(found.path), repo / "snapshots" / commit / "config.json");
  // Offline and not cached: the hub's own message, naming the id and the file.
  const ConfigLocation missing = LocateModelConfig("org/other", "main");
  EXPECT_EQ(missing.path, "");
  EXPECT_NE(missing.error.find("no config.json for org/other"), std::string::npos) << missing.error;
}

}  // namespace
}  // namespace bench
