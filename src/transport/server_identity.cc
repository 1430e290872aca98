#include "transport/server_identity.h"

#include <curl/curl.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>

#include "transport/server_check.h"

namespace bench {
namespace {

using Json = nlohmann::ordered_json;
using OrderedJson = nlohmann::ordered_json;

// A server's identity fits in far less; anything bigger is not one of these endpoints.
constexpr size_t kMaxBody = 1 << 20;
constexpr size_t kMaxString = 256;

struct Probe {
  std::string body;
  bool too_big = false;
};

size_t Append(char* data, size_t size, size_t count, void* user) {
  auto* probe = static_cast<Probe*>(user);
  if (probe->body.size() + size * count > kMaxBody) {
    probe->too_big = true;
    return 0;  // aborts this transfer only
  }
  probe->body.append(data, size * count);
  return size * count;
}

// Chat templates and the like make the file unreadable and say nothing about identity.
Json Shorten(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() <= kMaxString) return value;
    return s.substr(0, kMaxString) + fmt::format("... ({} chars)", s.size());
  }
  if (value.is_array() || value.is_object()) {
    Json copy = value;
    for (auto& item : copy) item = Shorten(item);
    return copy;
  }
  return value;
}

const Json* Find(const IdentityResponses& responses, const std::string& path) {
  for (const auto& [p, body] : responses) {
    if (p == path && body && body->is_object()) return &*body;
  }
  return nullptr;
}

// The string at `key` of `object`, or nullptr.
const std::string* StringAt(const Json* object, const char* key) {
  if (object == nullptr) return nullptr;
  const auto it = object->find(key);
  return it != object->end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// NIM profile names spell the precision and the parallelism as dash-separated parts
// ("tensorrt_llm-h100-fp8-tp2-pp1-latency"); only parts that are unmistakably one are taken.
void AddProfileNameParts(const std::string& name, Json& server) {
  static const char* const kPrecisions[] = {"fp32", "bf16", "fp16", "fp8", "nvfp4", "mxfp4", "int8", "int4",
                                            "int8_wo", "int4_awq", "w4a16", "w8a8", "w4a8"};
  size_t start = 0;
  while (start <= name.size()) {
    const size_t end = std::min(name.find('-', start), name.size());
    const std::string part = name.substr(start, end - start);
    for (const char* precision : kPrecisions) {
      if (part == precision && !server.contains("precision")) server["precision"] = part;
    }
    const auto number_after = [&](const char* prefix) -> std::optional<int> {
      const size_t n = std::char_traits<char>::length(prefix);
      if (part.size() <= n || part.size() > n + 4 || part.compare(0, n, prefix) != 0) return std::nullopt;
      if (part.find_first_not_of("0123456789", n) != std::string::npos) return std::nullopt;
      return std::stoi(part.substr(n));
    };
    if (const auto tp = number_after("tp")) server["tensor_parallel"] = *tp;
    if (const auto pp = number_after("pp")) server["pipeline_parallel"] = *pp;
    start = end + 1;
  }
}

}  // namespace

const std::vector<std::string>& IdentityPaths() {
  static const std::vector<std::string> paths = {"v1/models", "v1/metadata", "v1/version", "version", "props", "info"};
  return paths;
}

IdentityResponses FetchIdentity(const std::string& base_url, const std::vector<std::string>& headers,
                                const TlsOptions& tls, std::chrono::milliseconds timeout) {
  const std::vector<std::string>& paths = IdentityPaths();
  IdentityResponses responses;
  for (const std::string& path : paths) responses.emplace_back(path, std::nullopt);
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return responses;
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  std::vector<Probe> probes(paths.size());
  std::vector<CURL*> easies;
  std::vector<std::string> urls;
  urls.reserve(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    CURL* e = curl_easy_init();
    if (e == nullptr) continue;
    urls.push_back(JoinUrl(base_url, paths[i]));
    curl_easy_setopt(e, CURLOPT_URL, urls.back().c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &probes[i]);
    curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<char*>(i));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    ApplyTlsOptions(e, tls);
    curl_multi_add_handle(multi, e);
    easies.push_back(e);
  }
  int running = 0;
  do {
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  } while (running > 0);
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    char* index = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &index);
    const size_t i = reinterpret_cast<size_t>(index);
    long status = 0;
    curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    if (message->data.result != CURLE_OK || status != 200 || probes[i].too_big) continue;
    Json body = Json::parse(probes[i].body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_discarded()) responses[i].second = std::move(body);
  }
  for (CURL* e : easies) {
    curl_multi_remove_handle(multi, e);
    curl_easy_cleanup(e);
  }
  curl_multi_cleanup(multi);
  curl_slist_free_all(list);
  return responses;
}

OrderedJson SummarizeIdentity(const IdentityResponses& responses) {
  OrderedJson server = OrderedJson::object();
  const Json* models = Find(responses, "v1/models");
  const Json* metadata = Find(responses, "v1/metadata");
  const Json* nim_version = Find(responses, "v1/version");
  const Json* version = Find(responses, "version");
  const Json* props = Find(responses, "props");
  const Json* info = Find(responses, "info");

  // Which engine: NIM's own endpoints first (a NIM may run vLLM inside and answer /version too).
  // Each only by a key it is known for: some servers answer any GET with the same JSON.
  const bool nim = StringAt(nim_version, "release") != nullptr || StringAt(metadata, "profile_name") != nullptr ||
                   StringAt(metadata, "selectedModelProfileId") != nullptr;
  if (nim) {
    server["engine"] = "NIM";
    if (const std::string* release = StringAt(nim_version, "release")) {
      server["version"] = *release;
    } else if (const std::string* v = StringAt(metadata, "version")) {
      server["version"] = *v;
    }
    if (const std::string* api = StringAt(nim_version, "api")) server["api_version"] = *api;
    if (const std::string* backend = StringAt(version, "version")) server["backend_version"] = *backend;
  } else if (StringAt(info, "model_id") != nullptr) {
    server["engine"] = "TGI";
    if (const std::string* v = StringAt(info, "version")) server["version"] = *v;
  } else if (props != nullptr && (props->contains("default_generation_settings") || props->contains("build_info"))) {
    server["engine"] = "llama.cpp";
    if (const std::string* v = StringAt(props, "build_info")) server["version"] = *v;
  } else if (const std::string* v = StringAt(version, "version")) {
    server["engine"] = "vLLM";
    server["version"] = *v;
  }

  if (models != nullptr) {
    std::vector<std::string> ids;
    if (const auto data = models->find("data"); data != models->end() && data->is_array()) {
      for (const Json& entry : *data) {
        if (const std::string* id = StringAt(&entry, "id")) ids.push_back(*id);
      }
    }
    if (!ids.empty()) server["model"] = ids.front();
    server["models"] = ids;
  }
  if (const std::string* id = StringAt(info, "model_id"); id != nullptr && !server.contains("model")) server["model"] = *id;
  // NIM for LLMs 2.x names the profile; 1.x gives only its id.
  if (const std::string* name = StringAt(metadata, "profile_name")) {
    server["profile"] = *name;
    AddProfileNameParts(*name, server);
  }
  if (const std::string* id = StringAt(metadata, "profile_id")) {
    server["profile_id"] = *id;
  } else if (const std::string* selected = StringAt(metadata, "selectedModelProfileId")) {
    server["profile_id"] = *selected;
  }
  if (const std::string* dtype = StringAt(info, "model_dtype")) server["dtype"] = *dtype;
  if (const std::string* ftype = StringAt(props, "model_ftype")) server["dtype"] = *ftype;  // "Q4_K - Medium"
  if (const std::string* path = StringAt(props, "model_path")) server["model_path"] = *path;

  OrderedJson endpoints = OrderedJson::object();
  for (const auto& [path, body] : responses) {
    endpoints["/" + path] = body ? Shorten(*body) : OrderedJson(nullptr);
  }
  server["endpoints"] = std::move(endpoints);
  return server;
}

OrderedJson ProbeServerIdentity(const std::string& base_url, const std::vector<std::string>& headers,
                                const TlsOptions& tls, std::chrono::milliseconds timeout) {
  return SummarizeIdentity(FetchIdentity(base_url, headers, tls, timeout));
}

}  // namespace bench
