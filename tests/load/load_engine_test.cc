// The load engine is exercised end to end by the profile, trace, fault and interrupt tests;
// here, its pure parts.

#include "load/load_engine.h"

#include <thread>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(ErrorKindNameTest, RoundTripsEveryKind) {
  for (ErrorKind k : {ErrorKind::kConnect, ErrorKind::kHttpStatus, ErrorKind::kReset, ErrorKind::kTls,
                      ErrorKind::kTimeout, ErrorKind::kMalformedStream, ErrorKind::kInvalidJson,
                      ErrorKind::kServerError, ErrorKind::kCancelled, ErrorKind::kOther}) {
    EXPECT_EQ(ErrorKindFromName(ErrorKindName(k)), k) << ErrorKindName(k);
  }
  EXPECT_STREQ(ErrorKindName(ErrorKind::kTls), "tls");
  EXPECT_EQ(ErrorKindFromName("no such kind"), ErrorKind::kOther);
}

TEST(ResolveWorkerThreadsTest, FitsLoadAndCores) {
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  LoadOptions o;
  o.concurrency = 10;
  EXPECT_EQ(ResolveWorkerThreads(o), 1);  // one loop drives hundreds of streams
  o.concurrency = 100'000;
  EXPECT_EQ(ResolveWorkerThreads(o), cores);  // never more loops than cores
  o.worker_threads = 4;
  o.concurrency = 2;
  EXPECT_EQ(ResolveWorkerThreads(o), 2);  // closed loop: no more threads than slots
  o.request_rate = 100.0;
  EXPECT_EQ(ResolveWorkerThreads(o), 4);  // open loop: as asked
}

}  // namespace
}  // namespace bench
