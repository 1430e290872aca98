#pragma once
// The libcurl transport: one multi handle per event loop, driven by curl_multi_socket_action
// over the loop's epoll set. For what the native client does not speak: https://, proxies,
// credentials in the URL.

#include <cstdint>
#include <memory>

#include "transport/transport.h"

namespace bench {

/// The ErrorKind of a libcurl transfer result (a CURLcode); kNone for CURLE_OK.
ErrorKind KindOfCurlError(int curl_code);

std::unique_ptr<Transport> MakeCurlTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake);

}  // namespace bench
