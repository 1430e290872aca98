#include "util/shared_module.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace bench {
namespace {

TEST(SharedModule, CandidatesAreBesideTheExecutableThenLibBench) {
  EXPECT_EQ(ModuleCandidates("/opt/bench/bin/bench", "bench-grpc.so"),
            (std::vector<std::string>{"/opt/bench/bin/bench-grpc.so", "/opt/bench/lib/bench/bench-grpc.so"}));
  EXPECT_EQ(ModuleCandidates("/w/build/bench", "m.so"),
            (std::vector<std::string>{"/w/build/m.so", "/w/lib/bench/m.so"}));
}

TEST(SharedModule, LoadsASymbolAndCallsIt) {
  const ModuleSymbol cosine = LoadSymbolFrom("libm.so.6", "cos");
  ASSERT_NE(cosine.address, nullptr) << cosine.error;
  EXPECT_TRUE(cosine.error.empty());
  EXPECT_EQ(reinterpret_cast<double (*)(double)>(cosine.address)(0.0), 1.0);
}

TEST(SharedModule, AMissingSymbolNamesTheFileAndTheSymbol) {
  const ModuleSymbol none = LoadSymbolFrom("libm.so.6", "bench_no_such_entry");
  EXPECT_EQ(none.address, nullptr);
  EXPECT_EQ(none.error.rfind("libm.so.6 has no entry point bench_no_such_entry: ", 0), 0u) << none.error;
}

TEST(SharedModule, AFileThatIsNotALibraryNamesThePathAndDlerror) {
  test::TempDir dir;
  const std::string path = (dir.path() / "broken.so").string();
  std::ofstream(path) << "not ELF\n";
  const ModuleSymbol broken = LoadSymbolFrom(path, "entry");
  EXPECT_EQ(broken.address, nullptr);
  EXPECT_EQ(broken.error.rfind("cannot load " + path + ": ", 0), 0u) << broken.error;
  EXPECT_GT(broken.error.size(), ("cannot load " + path + ": ").size());  // dlerror's reason follows
}

TEST(SharedModule, AModuleFoundNowhereListsWhereItLooked) {
  const ModuleSymbol missing = LoadModuleSymbol("bench-no-such-module.so", "entry");
  EXPECT_EQ(missing.address, nullptr);
  EXPECT_NE(missing.error.find("bench-no-such-module.so not found (looked for /"), std::string::npos) << missing.error;
  EXPECT_NE(missing.error.find("/lib/bench/bench-no-such-module.so"), std::string::npos) << missing.error;
}

}  // namespace
}  // namespace bench
