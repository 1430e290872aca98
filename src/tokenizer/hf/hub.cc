#include "tokenizer/hf/hub.h"

#include <curl/curl.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

#include <spdlog/spdlog.h>

#include "util/http_options.h"
#include "util/ascii.h"
#include "util/read_file.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// huggingface_hub's HF_HUB_ETAG_TIMEOUT default; a dead endpoint fails fast instead of hanging.
constexpr long kDefaultConnectTimeoutS = 10;
// A transfer that moves no byte for this long is abandoned (a stalled proxy, a dead CDN node).
constexpr long kStallTimeoutS = 60;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

bool IsCommitHash(std::string_view s) {
  return s.size() == 40 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Revisions ("main", "v1.0", "refs/pr/1") and file names become URL segments and cache paths:
// '/'-separated segments of name characters, none of which may climb out with "." or "..".
bool IsSafeRelativePath(std::string_view s) {
  if (s.empty() || s.size() > 256) return false;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    const std::string_view seg = s.substr(start, slash == std::string_view::npos ? s.npos : slash - start);
    if (seg.empty() || seg == "." || seg == ".." || !std::all_of(seg.begin(), seg.end(), IsNameChar)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

std::string HomeDir() {
  std::string home = Env("HOME");
  if (!home.empty()) return home;
  const passwd* pw = ::getpwuid(::getuid());
  return pw != nullptr && pw->pw_dir != nullptr ? pw->pw_dir : "/";
}

// Python's os.path.expanduser for the "~" and "~/..." forms huggingface_hub's defaults use.
std::string ExpandUser(const std::string& path) {
  if (path == "~" || path.rfind("~/", 0) == 0) return HomeDir() + path.substr(1);
  return path;
}

fs::path HfHome() {
  const std::string home = Env("HF_HOME");
  if (!home.empty()) return ExpandUser(home);
  const std::string xdg = Env("XDG_CACHE_HOME");
  return fs::path(ExpandUser(xdg.empty() ? "~/.cache" : xdg)) / "huggingface";
}

// `huggingface-cli login` stores the token in a file; reading it matches from_pretrained.
std::string Token() {
  for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
    const std::string v(Trim(Env(name)));
    if (!v.empty()) return v;
  }
  const std::string token_path = Env("HF_TOKEN_PATH");
  std::ifstream in(token_path.empty() ? HfHome() / "token" : fs::path(ExpandUser(token_path)));
  std::string token;
  std::getline(in, token);
  return std::string(Trim(token));
}

std::string Endpoint() {
  std::string e = Env("HF_ENDPOINT");
  if (e.empty()) e = "https://huggingface.co";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

std::string PercentEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    if (IsNameChar(c) || c == '~' || (keep_slash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += kHex[static_cast<unsigned char>(c) >> 4];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    }
  }
  return out;
}

std::string ResolveUrl(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  return Endpoint() + "/" + repo_id + "/resolve/" + PercentEncode(revision, false) + "/" +
         PercentEncode(filename, true);
}

fs::path RepoFolder(const std::string& repo_id) {
  std::string folder = "models--" + repo_id;
  if (const size_t slash = folder.find('/'); slash != std::string::npos) folder.replace(slash, 1, "--");
  return HubCacheDir() / folder;
}

// A name unique across processes and threads, so concurrent downloads never share a temp file.
std::string TempSuffix() {
  static std::atomic<unsigned> counter{0};
  return ".incomplete-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::string ReadSmallFile(const fs::path& path) { return ReadWholeFile(path.string()).value_or(""); }

// Writes via a temp file and rename so a concurrent reader never sees a half-written file.
void WriteFileAtomically(const fs::path& path, const std::string& text, std::error_code& ec) {
  fs::create_directories(path.parent_path(), ec);
  if (ec) return;
  const fs::path tmp = path.string() + TempSuffix();
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out.flush()) {
      ec = std::make_error_code(std::errc::io_error);
      return;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp);
}

// "W/\"abc\"" -> "abc"; empty when the etag could not safely name a blob file.
std::string BlobName(std::string_view etag) {
  etag = Trim(etag);
  if (etag.rfind("W/", 0) == 0) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  if (etag.empty() || etag.size() > 128 || etag.front() == '.' || !std::all_of(etag.begin(), etag.end(), IsNameChar)) {
    return "";
  }
  return std::string(etag);
}

// State of one libcurl transfer. A followed redirect delivers several responses' headers; the
// Hub's own response comes first and carries X-Repo-Commit / X-Linked-Etag, a CDN's comes later.
struct Transfer {
  std::FILE* out = nullptr;  // null for HEAD
  curl_off_t bytes = 0;
  int write_errno = 0;
  std::string commit;
  std::string linked_etag;
  std::string etag;
  std::string error_code;  // X-Error-Code: RepoNotFound, GatedRepo, EntryNotFound, ...
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  const std::string name = AsciiLower(Trim(line.substr(0, colon)));
  const std::string value(Trim(line.substr(colon + 1)));
  if (name == "x-repo-commit" && t->commit.empty()) t->commit = value;
  if (name == "x-linked-etag" && t->linked_etag.empty()) t->linked_etag = value;
  if (name == "etag" && t->etag.empty()) t->etag = value;
  if (name == "x-error-code") t->error_code = value;
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t written = std::fwrite(data, 1, size * count, t->out);
  if (written != size * count) t->write_errno = errno;
  t->bytes += static_cast<curl_off_t>(written);
  return written;  // a short count makes libcurl abort with CURLE_WRITE_ERROR
}

struct HttpOutcome {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string curl_error;
  bool sent_token = false;
};

// GET into t.out, or HEAD when t.out is null. Nothing here is logged: a header holds the token.
HttpOutcome Fetch(const std::string& url, Transfer& t) {
  static const CURLcode global_init = curl_global_init(CURL_GLOBAL_DEFAULT);
  HttpOutcome o;
  CURL* easy = global_init == CURLE_OK ? curl_easy_init() : nullptr;
  if (easy == nullptr) {
    o.code = CURLE_FAILED_INIT;
    o.curl_error = "cannot initialise libcurl";
    return o;
  }
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  const std::string token = Token();
  if (!token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    o.sent_token = true;
  }
  long connect_timeout = kDefaultConnectTimeoutS;
  if (const std::string v = Env("HF_HUB_ETAG_TIMEOUT"); !v.empty()) {
    connect_timeout = std::max(1L, std::atol(v.c_str()));
  }
  const std::string user_agent = std::string("bench/") + BENCH_VERSION;
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
  // libcurl drops a custom Authorization header when a redirect leaves the host, so the token
  // never reaches the CDN that LFS files redirect to.
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, connect_timeout);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, kStallTimeoutS);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  if (t.out == nullptr) {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  }
  o.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &o.status);
  if (o.code != CURLE_OK) o.curl_error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(o.code);
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  return o;
}

HubFileResult Failure(HubStatus status, std::string error) { return HubFileResult{status, "", std::move(error)}; }

HubFileResult CacheWriteError(const fs::path& path, const std::string& why) {
  return Failure(HubStatus::kError, "cannot write Hugging Face cache " + path.string() + ": " + why);
}

// Moves a finished download into the huggingface_hub layout: blobs/{etag}, a relative symlink
// snapshots/{commit}/{filename} -> ../../blobs/{etag}, and refs/{revision} holding the commit.
HubFileResult Store(const fs::path& repo_dir, const std::string& filename, const std::string& revision,
                    const fs::path& tmp, const Transfer& t) {
  // Without X-Repo-Commit (a plain mirror) the revision names the snapshot; lookups still work
  // because refs/{revision} then points at that same name.
  const std::string commit = IsCommitHash(t.commit) ? t.commit : revision;
  const std::string blob_name = BlobName(t.linked_etag.empty() ? t.etag : t.linked_etag);
  const fs::path file = repo_dir / "snapshots" / commit / filename;
  std::error_code ec;
  const auto failed = [&](const fs::path& path) {
    HubFileResult error = CacheWriteError(path, ec.message());
    fs::remove(tmp, ec);
    return error;
  };
  fs::create_directories(file.parent_path(), ec);
  if (ec) return failed(file.parent_path());
  if (blob_name.empty()) {
    fs::rename(tmp, file, ec);
    if (ec) return failed(file);
  } else {
    const fs::path blob = repo_dir / "blobs" / blob_name;
    fs::rename(tmp, blob, ec);
    if (ec) return failed(blob);
    // Link under a temp name, then rename over any existing entry: atomic for a concurrent reader.
    const fs::path link = file.string() + TempSuffix();
    fs::create_symlink(blob.lexically_relative(file.parent_path()), link, ec);
    if (ec) fs::copy_file(blob, link, ec);  // filesystems without symlinks get a copy
    if (!ec) fs::rename(link, file, ec);
    if (ec) {
      fs::remove(link);
      return failed(file);
    }
  }
  if (commit != revision) {
    WriteFileAtomically(repo_dir / "refs" / revision, commit, ec);
    if (ec) return failed(repo_dir / "refs" / revision);
  }
  return HubFileResult{HubStatus::kOk, file.string(), ""};
}

HubFileResult Download(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  const std::string endpoint = Endpoint();
  const std::string url = ResolveUrl(repo_id, filename, revision);
  const fs::path repo_dir = RepoFolder(repo_id);
  std::error_code ec;
  fs::create_directories(repo_dir / "blobs", ec);
  if (ec) return CacheWriteError(repo_dir / "blobs", ec.message());
  // The blob's name (its etag) is known only from the headers, so the body lands in a temp file
  // next to the blobs and is renamed once complete; a crash leaves no half file under a real name.
  const fs::path tmp = repo_dir / "blobs" / ("download" + TempSuffix());
  Transfer t;
  t.out = std::fopen(tmp.c_str(), "wb");
  if (t.out == nullptr) return CacheWriteError(tmp, std::strerror(errno));
  spdlog::info("downloading {} for {} (revision {}) from {}", filename, repo_id, revision, RedactUrl(endpoint));
  const HttpOutcome o = Fetch(url, t);
  const bool closed = std::fclose(t.out) == 0;
  if (o.code == CURLE_OK && o.status == 200) {
    if (!closed) return CacheWriteError(tmp, std::strerror(errno));
    HubFileResult stored = Store(repo_dir, filename, revision, tmp, t);
    if (stored.status == HubStatus::kOk) spdlog::info("downloaded {} for {}: {} bytes", filename, repo_id, t.bytes);
    return stored;
  }
  fs::remove(tmp, ec);
  if (t.write_errno != 0) return CacheWriteError(tmp, std::strerror(t.write_errno));
  if (o.code != CURLE_OK) {
    return Failure(HubStatus::kError,
                   "cannot download " + filename + " for " + repo_id + " from " + endpoint + ": " + o.curl_error);
  }
  const std::string status = std::to_string(o.status);
  if (t.error_code == "RepoNotFound") {
    return Failure(HubStatus::kError, "model " + repo_id + " not found on " + endpoint +
                                          (o.status == 404 ? "" : " (if it is private or gated, set HF_TOKEN)"));
  }
  if (o.status == 401 || o.status == 403) {
    return Failure(HubStatus::kError,
                   "access to " + repo_id + " denied (HTTP " + status +
                       "): gated or private model; accept its terms on the Hub and set HF_TOKEN to a token with "
                       "access (" + (o.sent_token ? "the token sent was rejected" : "no token was sent") + ")");
  }
  if (o.status == 404 && t.error_code == "RevisionNotFound") {
    return Failure(HubStatus::kError, "revision " + revision + " not found in " + repo_id);
  }
  if (o.status == 404) {
    return Failure(HubStatus::kNotFound, "no " + filename + " in " + repo_id + " at revision " + revision);
  }
  return Failure(HubStatus::kError,
                 "HTTP " + status + " downloading " + filename + " for " + repo_id + " from " + endpoint);
}

HubFileResult CheckArguments(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  if (!IsValidRepoId(repo_id)) {
    return Failure(HubStatus::kError, "'" + repo_id + "' is not a valid Hugging Face model id (org/name)");
  }
  if (!IsSafeRelativePath(filename)) return Failure(HubStatus::kError, "'" + filename + "' is not a valid file name");
  if (!IsSafeRelativePath(revision)) {
    return Failure(HubStatus::kError, "'" + revision + "' is not a valid Hugging Face revision");
  }
  return HubFileResult{HubStatus::kOk, "", ""};
}

}  // namespace

bool IsValidRepoId(std::string_view repo_id) {
  if (repo_id.empty() || repo_id.size() > 96) return false;
  if (repo_id.find("--") != std::string_view::npos || repo_id.find("..") != std::string_view::npos) return false;
  const size_t slash = repo_id.find('/');
  const auto valid_part = [](std::string_view part) {
    return !part.empty() && part.front() != '.' && part.front() != '-' && part.back() != '.' && part.back() != '-' &&
           std::all_of(part.begin(), part.end(), IsNameChar);
  };
  if (slash == std::string_view::npos) return valid_part(repo_id);
  return valid_part(repo_id.substr(0, slash)) && valid_part(repo_id.substr(slash + 1));
}

fs::path HubCacheDir() {
  for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
    const std::string v = Env(name);
    if (!v.empty()) return ExpandUser(v);
  }
  return HfHome() / "hub";
}

bool HubOffline() {
  for (const char* name : {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}) {
    const std::string v = AsciiLower(Trim(Env(name)));
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  }
  return false;
}

fs::path FindCachedHubFile(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  if (CheckArguments(repo_id, filename, revision).status != HubStatus::kOk) return {};
  const fs::path repo_dir = RepoFolder(repo_id);
  // Like huggingface_hub: refs/{revision} names the commit; without one (a commit hash, or a
  // snapshot stored under its revision name) the revision names the snapshot directly.
  std::string snapshot = revision;
  std::error_code ec;
  if (!IsCommitHash(revision) && fs::is_regular_file(repo_dir / "refs" / revision, ec)) {
    snapshot = std::string(Trim(ReadSmallFile(repo_dir / "refs" / revision)));
    if (!IsSafeRelativePath(snapshot)) return {};
  }
  const fs::path file = repo_dir / "snapshots" / snapshot / filename;
  return fs::is_regular_file(file, ec) ? file : fs::path();  // follows the blob symlink
}

HubFileResult ResolveHubFile(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  if (HubFileResult bad = CheckArguments(repo_id, filename, revision); bad.status != HubStatus::kOk) return bad;
  // The cache wins even online: a benchmark should not depend on the network to start, and a
  // tokenizer rarely changes under a branch. Pass a commit hash as the revision to pin one.
  if (const fs::path cached = FindCachedHubFile(repo_id, filename, revision); !cached.empty()) {
    return HubFileResult{HubStatus::kOk, cached.string(), ""};
  }
  if (HubOffline()) {
    return Failure(HubStatus::kNotFound, "no " + filename + " for " + repo_id + " (revision " + revision +
                                             ") in the Hugging Face cache " + HubCacheDir().string() +
                                             " and HF_HUB_OFFLINE is set");
  }
  return Download(repo_id, filename, revision);
}

bool HubFileExists(const std::string& repo_id, const std::string& filename, const std::string& revision) {
  if (CheckArguments(repo_id, filename, revision).status != HubStatus::kOk) return false;
  if (!FindCachedHubFile(repo_id, filename, revision).empty()) return true;
  if (HubOffline()) return false;
  Transfer t;  // no output file: a HEAD request
  const HttpOutcome o = Fetch(ResolveUrl(repo_id, filename, revision), t);
  return o.code == CURLE_OK && o.status == 200;
}

}  // namespace bench
