#include "record/profile_export_reader.h"

#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include "util/utf8.h"

namespace bench {

namespace {

using Json = nlohmann::json;

// Validation walks the document with the JSON path of the current value, so an error names
// exactly what is wrong.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  bool Fail(const std::string& path, const std::string& what) {
    if (error_.empty()) error_ = source_ + ": " + (path.empty() ? "(root)" : path) + ": " + what;
    return false;
  }
  const std::string& error() const { return error_; }

  bool Int(const Json& v, const std::string& path, int64_t& out) {
    if (v.is_number_unsigned()) {
      const uint64_t u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Fail(path, "integer out of range");
      }
      out = static_cast<int64_t>(u);
      return true;
    }
    if (v.is_number_integer()) {
      out = v.get<int64_t>();
      return true;
    }
    return Fail(path, std::string("expected an integer, got ") + v.type_name());
  }

  bool IntArray(const Json& v, const std::string& path, std::vector<int64_t>& out) {
    if (!v.is_array()) return Fail(path, std::string("expected an array, got ") + v.type_name());
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      int64_t x = 0;
      if (!Int(v[i], path + "[" + std::to_string(i) + "]", x)) return false;
      out.push_back(x);
    }
    return true;
  }

  bool String(const Json& obj, const char* key, const std::string& path, std::string& out,
              bool required) {
    const auto it = obj.find(key);
    const std::string p = path.empty() ? key : path + "." + key;
    if (it == obj.end()) return required ? Fail(p, "missing") : true;
    if (!it->is_string()) return Fail(p, std::string("expected a string, got ") + it->type_name());
    out = it->get<std::string>();
    return true;
  }

  bool Error(const Json& v, const std::string& path, RequestError& out) {
    if (!v.is_object()) return Fail(path, std::string("expected an object, got ") + v.type_name());
    std::string kind;
    if (!String(v, "kind", path, kind, true)) return false;
    out.kind = ErrorKindFromName(kind);
    if (const auto it = v.find("status"); it != v.end() && !it->is_null()) {
      int64_t status = 0;
      if (!Int(*it, path + ".status", status)) return false;
      out.http_status = static_cast<int>(status);
    }
    return String(v, "message", path, out.message, false);
  }

  // Values are moved out of the parsed document so a large export is not held twice.
  bool Request(Json& v, const std::string& path, RequestRecord& out) {
    if (!v.is_object()) return Fail(path, std::string("expected an object, got ") + v.type_name());
    const auto ts = v.find("timestamp");
    if (ts == v.end()) return Fail(path + ".timestamp", "missing");
    if (!Int(*ts, path + ".timestamp", out.timestamp_ns)) return false;
    if (const auto it = v.find("request_inputs"); it != v.end()) {
      if (!it->is_object()) {
        return Fail(path + ".request_inputs",
                    std::string("expected an object, got ") + it->type_name());
      }
      out.request_inputs = std::move(*it);
    }
    const auto rts = v.find("response_timestamps");
    if (rts == v.end()) return Fail(path + ".response_timestamps", "missing");
    if (!IntArray(*rts, path + ".response_timestamps", out.response_timestamps)) return false;
    const auto ros = v.find("response_outputs");
    if (ros == v.end()) return Fail(path + ".response_outputs", "missing");
    if (!ros->is_array()) {
      return Fail(path + ".response_outputs",
                  std::string("expected an array, got ") + ros->type_name());
    }
    // The compact form whenever every output is {"<one same key>": "<string>"}.
    out.response_outputs = ResponseOutputs::FromJson(std::move(ros->get_ref<Json::array_t&>()));
    if (const auto it = v.find("error"); it != v.end() && !it->is_null()) {
      RequestError e;
      if (!Error(*it, path + ".error", e)) return false;
      out.error = std::move(e);
    }
    if (const auto it = v.find("intended_timestamp"); it != v.end() && !it->is_null()) {
      int64_t t = 0;
      if (!Int(*it, path + ".intended_timestamp", t)) return false;
      out.intended_timestamp_ns = t;
    }
    if (const auto it = v.find("handoff_timestamp"); it != v.end() && !it->is_null()) {
      int64_t t = 0;
      if (!Int(*it, path + ".handoff_timestamp", t)) return false;
      out.handoff_timestamp_ns = t;
    }
    if (const auto it = v.find("request_id"); it != v.end() && !it->is_null()) {
      if (!String(v, "request_id", path, out.request_id, false)) return false;
    }
    return true;
  }

  bool ExperimentAt(Json& v, const std::string& path, Experiment& out) {
    if (!v.is_object()) return Fail(path, std::string("expected an object, got ") + v.type_name());
    const auto head = v.find("experiment");
    if (head == v.end() || !head->is_object()) return Fail(path + ".experiment", "missing or not an object");
    if (!String(*head, "mode", path + ".experiment", out.mode, true)) return false;
    const auto value = head->find("value");
    if (value == head->end() || !value->is_number()) {
      return Fail(path + ".experiment.value", "missing or not a number");
    }
    out.value = value->get<double>();
    const auto requests = v.find("requests");
    if (requests == v.end() || !requests->is_array()) {
      return Fail(path + ".requests", "missing or not an array");
    }
    out.requests.resize(requests->size());
    for (size_t i = 0; i < requests->size(); ++i) {
      if (!Request((*requests)[i], path + ".requests[" + std::to_string(i) + "]", out.requests[i])) {
        return false;
      }
    }
    if (const auto wb = v.find("window_boundaries"); wb != v.end() && !wb->is_null()) {
      if (!IntArray(*wb, path + ".window_boundaries", out.window_boundaries)) return false;
    }
    return true;
  }

  bool Document(Json& doc, ProfileExport& out) {
    if (!doc.is_object()) return Fail("", std::string("expected an object, got ") + doc.type_name());
    const auto experiments = doc.find("experiments");
    if (experiments == doc.end() || !experiments->is_array()) {
      return Fail("experiments", "missing or not an array");
    }
    out.experiments.resize(experiments->size());
    for (size_t i = 0; i < experiments->size(); ++i) {
      if (!ExperimentAt((*experiments)[i], "experiments[" + std::to_string(i) + "]",
                        out.experiments[i])) {
        return false;
      }
    }
    if (!String(doc, "version", "", out.version, false)) return false;
    if (!String(doc, "service_kind", "", out.service_kind, true)) return false;
    out.endpoint.clear();
    return String(doc, "endpoint", "", out.endpoint, false);
  }

 private:
  std::string source_;
  std::string error_;
};

}  // namespace

ProfileExportReadResult ParseProfileExport(std::string_view text, const std::string& source_name) {
  ProfileExportReadResult result;
  try {
    std::string cleaned;
    if (!IsValidUtf8(text)) {
      cleaned = DropInvalidUtf8(text);
      text = cleaned;
    }
    Json doc;
    try {
      doc = Json::parse(text.begin(), text.end());
    } catch (const Json::exception& e) {
      // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
      // a number too large for a double ("1e400") is out_of_range.406, also a JSON error.
      std::string what = e.what();
      if (const size_t close = what.find("] "); what.rfind("[json.exception", 0) == 0 &&
                                                close != std::string::npos) {
        what.erase(0, close + 2);
      }
      result.error = source_name + ": not valid JSON: " + what;
      return result;
    }
    Reader reader(source_name);
    if (!reader.Document(doc, result.profile)) {
      result.error = reader.error();
      result.profile = ProfileExport{};
    }
  } catch (const std::exception& e) {
    // Backstop: a library error must not escape as an exception (e.g. out of memory).
    result.error = source_name + ": " + e.what();
    result.profile = ProfileExport{};
  }
  return result;
}

ProfileExportReadResult ReadProfileExport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ProfileExportReadResult r;
    r.error = path + ": cannot open file";
    return r;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    ProfileExportReadResult r;
    r.error = path + ": read error";
    return r;
  }
  return ParseProfileExport(buf.str(), path);
}

}  // namespace bench
