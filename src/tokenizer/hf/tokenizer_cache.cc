#include "tokenizer/hf/tokenizer_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "tokenizer/hf/simd_load.h"
#include "tokenizer/hf/tokenizer.h"
#include "util/fast_hash.h"
#include "util/read_file.h"

namespace bench::hf {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Bumped whenever the layout or the meaning of a field changes (an old entry is then rebuilt).
constexpr char kMagic[8] = {'B', 'E', 'N', 'C', 'H', 'T', 'K', '1'};

class Writer {
 public:
  template <typename T>
  void Put(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Bytes(std::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s);
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Bounds-checked reads; any failure makes ok() false and every later read a no-op.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  T Get() {
    T v{};
    if (!ok_ || in_.size() - pos_ < sizeof v) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string_view Bytes() {
    const auto n = Get<uint64_t>();
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    const std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view Rest() const { return ok_ ? in_.substr(pos_) : std::string_view{}; }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

std::string Payload(const json& rest, const std::vector<std::pair<std::string, int32_t>>& vocab,
                    const BpeTables& tables) {
  Writer w;
  w.Bytes(rest.dump());
  w.Put<uint64_t>(vocab.size());
  for (const auto& [token, id] : vocab) {
    w.Put<int32_t>(id);
    w.Bytes(token);
  }
  w.Put<uint64_t>(tables.merge_ids.size());
  for (const MergeIds& m : tables.merge_ids) {
    w.Put(m.left);
    w.Put(m.right);
    w.Put(m.merged);
  }
  w.Put<uint8_t>(*tables.split_words ? 1 : 0);
  return std::move(w.str());
}

std::string Entry(const std::string& key, size_t text_size, const std::string& payload) {
  Writer w;
  w.str().append(kMagic, sizeof kMagic);
  w.Bytes(key);
  w.Put<uint64_t>(text_size);
  w.Put<uint64_t>(FastHash64(payload));
  w.str() += payload;
  return std::move(w.str());
}

// The payload of a valid entry for (key, text_size), or false.
bool Unwrap(std::string_view entry, const std::string& key, size_t text_size, std::string_view& payload) {
  if (entry.size() < sizeof kMagic || std::memcmp(entry.data(), kMagic, sizeof kMagic) != 0) return false;
  Reader r(entry.substr(sizeof kMagic));
  if (r.Bytes() != key || r.Get<uint64_t>() != text_size) return false;
  const auto checksum = r.Get<uint64_t>();
  payload = r.Rest();
  return r.ok() && FastHash64(payload) == checksum;
}

// Rebuilds the tokenizer from a checked payload; null if anything in it does not fit.
std::unique_ptr<HfTokenizer> FromPayload(std::string_view payload, const std::string& name) {
  Reader r(payload);
  const std::string_view rest_text = r.Bytes();
  if (!r.ok()) return nullptr;
  json rest = json::parse(rest_text, nullptr, /*allow_exceptions=*/false);
  if (!rest.is_object()) return nullptr;
  BpeTables tables;
  const auto vocab_size = r.Get<uint64_t>();
  if (!r.ok() || vocab_size > payload.size()) return nullptr;
  tables.vocab.Reserve(vocab_size);
  for (uint64_t i = 0; i < vocab_size && r.ok(); ++i) {
    const auto id = r.Get<int32_t>();
    const std::string_view token = r.Bytes();
    if (!r.ok() || id < 0) return nullptr;
    tables.vocab.Add(token, id);
  }
  const auto merge_count = r.Get<uint64_t>();
  if (!r.ok() || merge_count > payload.size() / 12) return nullptr;
  tables.merge_ids.resize(merge_count);
  for (MergeIds& m : tables.merge_ids) m = MergeIds{r.Get<int32_t>(), r.Get<int32_t>(), r.Get<int32_t>()};
  const auto split = r.Get<uint8_t>();
  if (!r.done() || split > 1) return nullptr;
  tables.split_words = split == 1;
  try {
    return std::make_unique<HfTokenizer>(rest, name, &tables);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// Best effort: a cache that cannot be written (read-only home, full disk) only costs speed.
void WriteAtomically(const fs::path& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + fmt::format(".tmp{}-{:x}", ::getpid(), std::random_device{}());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
}

// Entries keyed by a path multiply when tokenizer files come and go (temporary directories,
// new snapshots): after each write only the newest kMaxEntries stay.
constexpr size_t kMaxEntries = 16;

void Prune(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".bin") continue;
    const fs::file_time_type t = e.last_write_time(ec);
    if (!ec) entries.emplace_back(t, e.path());
  }
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = kMaxEntries; i < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

}  // namespace

fs::path TokenizerCacheDir() {
  if (const char* set = std::getenv("BENCH_TOKENIZER_CACHE")) {
    const std::string v = set;
    return v.empty() || v == "off" ? fs::path() : fs::path(v);
  }
  const std::string xdg = Env("XDG_CACHE_HOME");
  if (!xdg.empty()) return fs::path(xdg) / "bench" / "tokenizers";
  const std::string home = Env("HOME");
  return home.empty() ? fs::path() : fs::path(home) / ".cache" / "bench" / "tokenizers";
}

TokenizerLoadResult LoadHfTokenizerCached(std::string_view json_text, const std::string& key, const std::string& name) {
  const fs::path dir = TokenizerCacheDir();
  if (dir.empty()) return LoadHfTokenizerFromString(json_text, name);
  const fs::path path = dir / fmt::format("{:016x}.bin", FastHash64(key));
  const std::string entry = ReadWholeFile(path.string()).value_or("");
  std::string_view payload;
  if (!entry.empty() && Unwrap(entry, key, json_text.size(), payload)) {
    if (std::unique_ptr<HfTokenizer> t = FromPayload(payload, name)) return TokenizerLoadResult{std::move(t), ""};
  }
  json rest;
  BpeTables tables;
  if (ReadTokenizerJson(json_text, rest, tables)) {
    // The vocab moves into the model; its entries are written out first.
    const std::vector<std::pair<std::string, int32_t>> vocab = tables.vocab.Entries();
    try {
      auto t = std::make_unique<HfTokenizer>(rest, name, &tables);
      if (tables.split_words) {
        WriteAtomically(path, Entry(key, json_text.size(), Payload(rest, vocab, tables)));
        Prune(dir);
      }
      return TokenizerLoadResult{std::move(t), ""};
    } catch (const std::exception&) {
      // Falls through: the DOM path gives the message.
    }
  }
  return LoadHfTokenizerThroughDom(json_text, name);
}

TokenizerLoadResult LoadHfTokenizerFileCached(const std::string& path, const std::string& name) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  struct stat st {};
  if (ec || ::stat(absolute.c_str(), &st) != 0) return LoadHfTokenizerFile(path);
  const std::optional<std::string> read = ReadWholeFile(path);
  if (!read) return TokenizerLoadResult{nullptr, "tokenizer '" + name + "': cannot open file", ""};
  const std::string& text = *read;
  const std::string key = fmt::format("file {} {} {}.{:09}", absolute.string(), st.st_size,
                                      st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  return LoadHfTokenizerCached(text, key, name);
}

}  // namespace bench::hf
