#pragma once
// Triton's KServe v2 gRPC protocol behind the Transport seam (--endpoint-type kserve). gRPC runs
// its own completion-queue thread per transport: it stamps every response with the monotonic
// clock as it arrives and hands it, with the end of each call, to the worker's loop through an
// eventfd in the loop's epoll set. The worker then writes the records as for HTTP: one read per
// response (its text_output), http_status 200 for a call that ended well.

#include <cstdint>
#include <memory>
#include <string>

#include "transport/transport.h"

namespace bench {

/// The gRPC target of a --url: "host:port" from "host:port" or "http://host:port[/...]"; ""
/// with `error` set for https:// (not supported yet) or a URL without a host.
std::string GrpcTargetOf(const std::string& url, std::string& error);

/// The transport for settings.url (streaming: ModelStreamInfer, else ModelInfer). Throws
/// std::runtime_error when the URL is not a usable gRPC target.
std::unique_ptr<Transport> MakeGrpcTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake);

}  // namespace bench
