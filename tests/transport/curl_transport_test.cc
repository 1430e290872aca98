#include "transport/curl_transport.h"

#include <curl/curl.h>

#include <gtest/gtest.h>

namespace bench {
namespace {

// The transport itself runs in every https:// test (tls_test.cc) and in --http-client curl runs.
TEST(KindOfCurlErrorTest, MapsTransportFailuresToKinds) {
  EXPECT_EQ(KindOfCurlError(CURLE_OK), ErrorKind::kNone);
  EXPECT_EQ(KindOfCurlError(CURLE_COULDNT_CONNECT), ErrorKind::kConnect);
  EXPECT_EQ(KindOfCurlError(CURLE_COULDNT_RESOLVE_HOST), ErrorKind::kConnect);
  EXPECT_EQ(KindOfCurlError(CURLE_OPERATION_TIMEDOUT), ErrorKind::kTimeout);
  EXPECT_EQ(KindOfCurlError(CURLE_RECV_ERROR), ErrorKind::kReset);
  EXPECT_EQ(KindOfCurlError(CURLE_PARTIAL_FILE), ErrorKind::kReset);
  EXPECT_EQ(KindOfCurlError(CURLE_PEER_FAILED_VERIFICATION), ErrorKind::kTls);
  EXPECT_EQ(KindOfCurlError(CURLE_SSL_CONNECT_ERROR), ErrorKind::kTls);
  EXPECT_EQ(KindOfCurlError(CURLE_SSL_CACERT_BADFILE), ErrorKind::kTls);
  EXPECT_EQ(KindOfCurlError(CURLE_WRITE_ERROR), ErrorKind::kOther);
}

}  // namespace
}  // namespace bench
