#pragma once
// Before any load on --endpoint-type kserve: is the Triton server live and ready, and is the
// model ready? The gRPC counterpart of server_check's GET /v1/models.

#include <string>
#include <vector>

namespace bench {

/// ServerLive, ServerReady and ModelReady(model) on the gRPC target of `url` (GrpcTargetOf),
/// each with a short deadline. Returns "" when all three say yes, else one line naming the
/// server (or the model) and what failed. `headers` ("Name: value") go along as metadata.
std::string CheckKserveReady(const std::string& url, const std::string& model, const std::vector<std::string>& headers);

}  // namespace bench
