#pragma once
// The native HTTP/1.1 client for http:// and https:// servers: non-blocking sockets in the
// loop's epoll set (edge-triggered, registered once per connection), kept-alive connections
// reused, the request written with one sendmsg (https: one SSL_write, transport/tls_stream), and
// each read's de-chunked body bytes recorded as one read, timed by the kernel's receive stamp
// (transport/rx_timestamp). Per request that is a send, a recv or two and an epoll wake-up;
// libcurl adds its own liveness polls and epoll_ctl calls on top.

#include <cstdint>
#include <memory>
#include <string>

#include "transport/http1_target.h"
#include "transport/transport.h"

namespace bench {

std::unique_ptr<Transport> MakeHttp1Transport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake);

}  // namespace bench
