#pragma once
// The simulator's NIM-like identity endpoints, so runs against it record a server identity the
// way runs against a NIM do: GET /v1/version ({"release", "api"}) and GET /v1/metadata (the
// NIM for LLMs 2.x fields: version, modelInfo, assetInfo, profile_id, profile_name).

#include <string>
#include <string_view>

namespace bench {

/// /v1/version: the simulator's release is bench's version.
std::string SimNimVersionBody();

/// /v1/metadata of a simulator running profile `profile_name`; profile_id is a stable hex digest
/// of the name (a NIM's is its profile's hash). The simulator has no model artifacts or licence,
/// so modelInfo and assetInfo are empty and licenseInfo is left out; /v1/models names the model.
std::string SimNimMetadataBody(std::string_view profile_name);

}  // namespace bench
