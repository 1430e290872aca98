#include "sim/api_stream.h"

#include "sim/faults.h"
#include "sim/generate_api.h"
#include "sim/openai.h"
#include "sim/responses_api.h"
#include "sim/timing.h"

namespace bench {

using nlohmann::json;

std::unique_ptr<SimApiStream> MakeSimApiStream(const SimRequest& request, std::string_view id, int64_t created) {
  switch (request.endpoint) {
    case SimEndpoint::kTritonGenerate:
      return MakeTritonGenerateStream(request);
    case SimEndpoint::kTgiGenerate:
    case SimEndpoint::kTgiCompat:
      return MakeTgiGenerateStream(request);
    case SimEndpoint::kResponses:
      return MakeResponsesStream(request, id, created);
    default:
      return nullptr;
  }
}

std::string FinishSimApiRequest(const json& doc, std::string_view body, uint64_t options_seed, SimRequest& request) {
  if (const auto f = doc.find("bench_fault"); f != doc.end() && !f->is_null()) {
    SimFaultParse fault = f->is_string() ? ParseSimFault(f->get_ref<const std::string&>())
                                         : SimFaultParse{std::nullopt, "must be a string"};
    if (!fault.fault) return "bench_fault: " + fault.error;
    request.fault = fault.fault;
  }
  request.seed = MixSeed(options_seed, HashBytes(body));
  return "";
}

namespace {

// Triton's JSON inputs may be a tensor of one element.
const json& Unwrapped(const json& v) { return v.is_array() && v.size() == 1 ? v[0] : v; }

}  // namespace

std::optional<int> SimApiIntField(const json& obj, const char* name, std::string& error) {
  const auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  const json& v = Unwrapped(*it);
  if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1'000'000'000) {
    error = std::string(name) + " must be an integer between 0 and 1e9";
    return std::nullopt;
  }
  return static_cast<int>(v.get<int64_t>());
}

bool SimApiBoolField(const json& obj, const char* name, std::string& error) {
  const auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return false;
  const json& v = Unwrapped(*it);
  if (!v.is_boolean()) {
    error = std::string(name) + " must be a boolean";
    return false;
  }
  return v.get<bool>();
}

}  // namespace bench
