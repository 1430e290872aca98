#include "transport/source_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "transport/http1_transport.h"

namespace bench {
namespace {

TEST(SourceAddressTest, ReadsThePortRange) {
  EXPECT_EQ(EphemeralPortsIn("32768\t60999\n"), 28232);
  EXPECT_EQ(EphemeralPortsIn("1024 65535"), 64512);
  EXPECT_EQ(EphemeralPortsIn("40000 40000"), 1);
  EXPECT_EQ(EphemeralPortsIn("60999 32768"), 0);
  EXPECT_EQ(EphemeralPortsIn(""), 0);
  EXPECT_EQ(EphemeralPortsIn("x y"), 0);
  EXPECT_GT(SystemEphemeralPorts(), 0);
  EXPECT_EQ(StreamsPerSourceAddress(28232), 21174);
  EXPECT_EQ(StreamsPerSourceAddress(1), 1);
}

TEST(SourceAddressTest, KnowsIpv4Loopback) {
  EXPECT_TRUE(IsIpv4Loopback("127.0.0.1"));
  EXPECT_TRUE(IsIpv4Loopback("127.9.8.7"));
  EXPECT_FALSE(IsIpv4Loopback("10.0.0.1"));
  EXPECT_FALSE(IsIpv4Loopback("::1"));
  EXPECT_FALSE(IsIpv4Loopback("localhost"));  // a name is resolved first (load/connection_budget)
}

TEST(SourceAddressTest, LoopbackNeedsAsManyAddressesAsPortsRequire) {
  const auto all = [](const std::string&) { return true; };
  EXPECT_TRUE(LoopbackSourceAddresses(1000, 21174, all).empty()) << "one address is enough: the kernel picks";
  EXPECT_TRUE(LoopbackSourceAddresses(21174, 21174, all).empty());
  EXPECT_EQ(LoopbackSourceAddresses(21175, 21174, all), (std::vector<std::string>{"127.0.0.1", "127.0.0.2"}));
  const std::vector<std::string> many = LoopbackSourceAddresses(100000, 21174, all);
  ASSERT_EQ(many.size(), 5u);
  EXPECT_EQ(many.front(), "127.0.0.1");
  EXPECT_EQ(many.back(), "127.0.0.5");
  EXPECT_EQ(LoopbackSourceAddresses(10'000'000, 1000, all).size(), 254u) << "127.0.0.1 .. 127.0.0.254";
}

TEST(SourceAddressTest, FallsBackToOneAddressWhenOnlyOneIsUsable) {
  const auto only_first = [](const std::string& a) { return a == "127.0.0.1"; };
  EXPECT_TRUE(LoopbackSourceAddresses(100000, 21174, only_first).empty());
  const auto three = [](const std::string& a) { return a == "127.0.0.1" || a == "127.0.0.2" || a == "127.0.0.3"; };
  EXPECT_EQ(LoopbackSourceAddresses(100000, 21174, three),
            (std::vector<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3"}));
}

TEST(SourceAddressTest, PickerTakesTurnsWithinEachFamily) {
  SourceAddressPicker picker;
  std::string error;
  ASSERT_TRUE(picker.Assign({"127.0.0.2", "::1", "127.0.0.3"}, error)) << error;
  EXPECT_EQ(picker.Count(AF_INET), 2u);
  EXPECT_EQ(picker.Count(AF_INET6), 1u);
  std::vector<std::string> v4;
  for (int i = 0; i < 5; ++i) v4.push_back(NumericAddress(*picker.Next(AF_INET)));
  EXPECT_EQ(v4, (std::vector<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3", "127.0.0.2"}));
  EXPECT_EQ(NumericAddress(*picker.Next(AF_INET6)), "::1");
  EXPECT_EQ(NumericAddress(*picker.Next(AF_INET6)), "::1");

  SourceAddressPicker none;
  ASSERT_TRUE(none.Assign({}, error));
  EXPECT_EQ(none.Next(AF_INET), nullptr) << "no list: the kernel picks";
  ASSERT_TRUE(none.Assign({"127.0.0.2"}, error));
  EXPECT_EQ(none.Next(AF_INET6), nullptr) << "an IPv6 target with IPv4 sources: the kernel picks";
  EXPECT_FALSE(none.Assign({"127.0.0.2", "localhost"}, error));
  EXPECT_NE(error.find("localhost"), std::string::npos) << error;
}

TEST(SourceAddressTest, ABoundConnectionComesFromItsAddressWithAPortChosenAtConnect) {
  std::string why;
  if (!CanBindSource("127.0.0.3", &why)) GTEST_SKIP() << "this loopback has only 127.0.0.1: " << why;
  EXPECT_FALSE(CanBindSource("192.0.2.1")) << "TEST-NET-1 is no address of this machine";
  EXPECT_FALSE(CanBindSource("not-an-address", &why));
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof at;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&at), &length), 0);

  SourceAddressPicker picker;
  ASSERT_TRUE(picker.Assign({"127.0.0.3"}, why));
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(BindSourceAddress(fd, *picker.Next(AF_INET)), 0);
  sockaddr_in local{};
  length = sizeof local;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length), 0);
  EXPECT_EQ(local.sin_port, 0) << "IP_BIND_ADDRESS_NO_PORT: no port is taken before connect";
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
  const int accepted = accept(listener, nullptr, nullptr);
  sockaddr_storage peer{};
  length = sizeof peer;
  ASSERT_EQ(getpeername(accepted, reinterpret_cast<sockaddr*>(&peer), &length), 0);
  EXPECT_EQ(NumericAddress(peer), "127.0.0.3");
  EXPECT_NE(reinterpret_cast<sockaddr_in*>(&peer)->sin_port, 0);
  close(accepted);
  close(fd);
  close(listener);
}

TEST(SourceAddressTest, NoLocalPortSaysWhichAddressRanOut) {
  EXPECT_EQ(NoLocalPortHint(ECONNREFUSED, nullptr), "");
  EXPECT_NE(NoLocalPortHint(EADDRNOTAVAIL, nullptr).find("net.ipv4.ip_local_port_range"), std::string::npos);
  SourceAddressPicker picker;
  std::string error;
  ASSERT_TRUE(picker.Assign({"127.0.0.9"}, error));
  EXPECT_NE(NoLocalPortHint(EADDRNOTAVAIL, picker.Next(AF_INET)).find("from local address 127.0.0.9"),
            std::string::npos);
}

TEST(SourceAddressTest, AnUnbindableSourceFailsTheTransferAsConnect) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  uint32_t wake = 0;
  TransportSettings settings;
  settings.url = "http://127.0.0.1:9/v1/chat/completions";
  settings.source_addresses = {"192.0.2.1"};  // TEST-NET-1: no address of this machine
  auto transport = MakeHttp1Transport(settings, epoll_fd, &wake);
  RawRecord r;
  r.request_id = "t-1";
  transport->Start(0, r, "{}");
  std::vector<size_t> done;
  transport->TakeFinished(done);
  ASSERT_EQ(done, std::vector<size_t>{0}) << "the bind fails at once: no connect is tried";
  EXPECT_EQ(r.transport_error, ErrorKind::kConnect);
  EXPECT_NE(r.transport_message.find("from local address 192.0.2.1"), std::string::npos) << r.transport_message;
  transport.reset();
  close(epoll_fd);
}

}  // namespace
}  // namespace bench
