// ResolveHubFile: the huggingface_hub cache layout, offline mode, and downloads from a fake Hub on
// 127.0.0.1 (HF_ENDPOINT always points at loopback; the real Hub is never contacted).

#include "tokenizer/hf/hub.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "fake_hub_server.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTinyTokenizer = R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
constexpr const char* kCommit = "0123456789abcdef0123456789abcdef01234567";
constexpr const char* kOtherCommit = "89abcdef0123456789abcdef0123456789abcdef";
// Nothing listens on port 1: a request that escapes the cache fails fast instead of going out.
constexpr const char* kDeadEndpoint = "http://127.0.0.1:1";

std::string Read(const fs::path& p) { return test::ReadFile(p); }

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Pins every variable hf_hub reads so a developer's own cache, token or proxy never leaks into a
// test, and restores them afterwards.
class HfHub : public testing::Test {
 protected:
  HfHub() {
    Set("HF_HUB_CACHE", (tmp_.path() / "hub").string());
    Set("HF_HOME", (tmp_.path() / "hf_home").string());
    Set("HF_ENDPOINT", kDeadEndpoint);
    Set("no_proxy", "*");
    for (const char* name : {"HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN",
                             "HF_TOKEN_PATH", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_ETAG_TIMEOUT"}) {
      Set(name, std::nullopt);
    }
  }
  ~HfHub() override {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

  void Set(const std::string& name, const std::optional<std::string>& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }

  fs::path Repo(const std::string& folder) const { return tmp_.path() / "hub" / folder; }

  // What huggingface_hub leaves behind: blobs/{etag}, a relative snapshot symlink, refs/{ref}.
  void AddToCache(const std::string& folder, const std::string& commit, const std::string& body,
                  const std::string& ref = "main") {
    const fs::path repo = Repo(folder);
    WriteFile(repo / "blobs" / "etag1", body);
    fs::create_directories(repo / "snapshots" / commit);
    fs::create_symlink("../../blobs/etag1", repo / "snapshots" / commit / "tokenizer.json");
    if (!ref.empty()) WriteFile(repo / "refs" / ref, commit);
  }

  test::TempDir tmp_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(HfHubRepoId, AcceptsHubNamesOnly) {
  for (const char* ok : {"gpt2", "meta-llama/Llama-2-7b-hf", "org_1/name.v2", "Qwen/Qwen2.5-0.5B-Instruct"}) {
    EXPECT_TRUE(IsValidRepoId(ok)) << ok;
  }
  for (const char* bad : {"", "/abs", "a/b/c", "../x", "a/..", "org/na me", "org/", "/name", "a--b", "a..b",
                          "-x", "x.", "org/name?x=1", "org/name#", "./tokenizer.json"}) {
    EXPECT_FALSE(IsValidRepoId(bad)) << bad;
  }
  EXPECT_FALSE(IsValidRepoId(std::string(97, 'a')));
}

TEST_F(HfHub, CacheDirFollowsHuggingFaceHubPrecedence) {
  EXPECT_EQ(HubCacheDir(), tmp_.path() / "hub");
  Set("HF_HUB_CACHE", std::nullopt);
  EXPECT_EQ(HubCacheDir(), tmp_.path() / "hf_home" / "hub");
  Set("HF_HOME", std::nullopt);
  Set("XDG_CACHE_HOME", "/xdg");
  EXPECT_EQ(HubCacheDir(), fs::path("/xdg/huggingface/hub"));
  Set("XDG_CACHE_HOME", std::nullopt);
  Set("HOME", "/home/someone");
  EXPECT_EQ(HubCacheDir(), fs::path("/home/someone/.cache/huggingface/hub"));
  Set("HF_HOME", "~/hf");
  EXPECT_EQ(HubCacheDir(), fs::path("/home/someone/hf/hub"));
}

TEST_F(HfHub, CachedRefResolvesThroughSnapshotSymlink) {
  AddToCache("models--org--name", kCommit, kTinyTokenizer);
  const HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(r.path, (Repo("models--org--name") / "snapshots" / kCommit / "tokenizer.json").string());
  EXPECT_EQ(Read(r.path), kTinyTokenizer);
  EXPECT_EQ(FindCachedHubFile("org/name", "tokenizer.json", "main"), fs::path(r.path));
  // A ref that is not cached, or a snapshot without the file, is a miss (here: the dead endpoint).
  EXPECT_TRUE(FindCachedHubFile("org/name", "tokenizer.json", "v2").empty());
  EXPECT_TRUE(FindCachedHubFile("org/name", "config.json", "main").empty());
  EXPECT_TRUE(FindCachedHubFile("org/other", "tokenizer.json", "main").empty());
}

TEST_F(HfHub, RefFileWithTrailingNewlineAndNameWithoutOrg) {
  AddToCache("models--gpt2", kCommit, kTinyTokenizer, "");
  WriteFile(Repo("models--gpt2") / "refs" / "main", std::string(kCommit) + "\n");
  const HubFileResult r = ResolveHubFile("gpt2", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(Read(r.path), kTinyTokenizer);
}

TEST_F(HfHub, CommitHashRevisionMapsToSnapshotDirectly) {
  AddToCache("models--org--name", kCommit, kTinyTokenizer, "");  // no refs/ at all
  const HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", kCommit);
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(r.path, (Repo("models--org--name") / "snapshots" / kCommit / "tokenizer.json").string());
  EXPECT_TRUE(FindCachedHubFile("org/name", "tokenizer.json", kOtherCommit).empty());
}

TEST_F(HfHub, OfflineUsesTheCacheAndNeverConnects) {
  test::FakeHubServer hub;
  hub.AddFile("org/name", "main", "tokenizer.json", {kTinyTokenizer, kCommit, "etag1", false});
  Set("HF_ENDPOINT", hub.endpoint());
  Set("HF_HUB_OFFLINE", "1");
  EXPECT_TRUE(HubOffline());
  HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kNotFound);
  EXPECT_EQ(r.error, "no tokenizer.json for org/name (revision main) in the Hugging Face cache " +
                         (tmp_.path() / "hub").string() + " and HF_HUB_OFFLINE is set");
  EXPECT_FALSE(HubFileExists("org/name", "tokenizer.json", "main"));
  EXPECT_EQ(hub.hits(), 0);

  AddToCache("models--org--name", kCommit, kTinyTokenizer);
  r = ResolveHubFile("org/name", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.hits(), 0);

  Set("HF_HUB_OFFLINE", "0");
  EXPECT_FALSE(HubOffline());
  Set("TRANSFORMERS_OFFLINE", "true");
  EXPECT_TRUE(HubOffline());
}

TEST_F(HfHub, DownloadsIntoTheCacheLayoutThenReusesIt) {
  test::FakeHubServer hub;
  hub.AddFile("org/name", "main", "tokenizer.json", {kTinyTokenizer, kCommit, "abc123", false});
  Set("HF_ENDPOINT", hub.endpoint() + "/");  // a trailing slash is tolerated
  HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.targets(), std::vector<std::string>{"/org/name/resolve/main/tokenizer.json"});
  EXPECT_EQ(hub.last_authorization(), "");

  const fs::path repo = Repo("models--org--name");
  const fs::path snapshot = repo / "snapshots" / kCommit / "tokenizer.json";
  EXPECT_EQ(r.path, snapshot.string());
  EXPECT_EQ(Read(repo / "blobs" / "abc123"), kTinyTokenizer);
  ASSERT_TRUE(fs::is_symlink(snapshot));
  EXPECT_EQ(fs::read_symlink(snapshot), fs::path("../../blobs/abc123"));
  EXPECT_EQ(Read(repo / "refs" / "main"), kCommit);
  // No temp files are left next to the blob.
  EXPECT_EQ(std::distance(fs::directory_iterator(repo / "blobs"), fs::directory_iterator()), 1);

  r = ResolveHubFile("org/name", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(r.path, snapshot.string());
  EXPECT_EQ(hub.hits(), 1);
}

TEST_F(HfHub, LfsRedirectNamesTheBlobByLinkedEtag) {
  test::FakeHubServer hub;
  const std::string sha256(64, 'e');
  hub.AddFile("org/big", "main", "tokenizer.json", {kTinyTokenizer, kCommit, sha256, true});
  Set("HF_ENDPOINT", hub.endpoint());
  const HubFileResult r = ResolveHubFile("org/big", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.hits(), 2);  // the Hub's 302, then the "CDN"
  EXPECT_EQ(Read(Repo("models--org--big") / "blobs" / sha256), kTinyTokenizer);
  EXPECT_EQ(fs::read_symlink(r.path), fs::path("../../blobs/" + sha256));
}

TEST_F(HfHub, WithoutHeadersTheRevisionNamesTheSnapshot) {
  test::FakeHubServer hub;
  hub.AddFile("plain", "v1.0", "tokenizer.json", {kTinyTokenizer, "", "", false});
  Set("HF_ENDPOINT", hub.endpoint());
  HubFileResult r = ResolveHubFile("plain", "tokenizer.json", "v1.0");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  const fs::path file = Repo("models--plain") / "snapshots" / "v1.0" / "tokenizer.json";
  EXPECT_EQ(r.path, file.string());
  EXPECT_FALSE(fs::is_symlink(file));  // no etag: the file itself, no blob
  EXPECT_EQ(Read(file), kTinyTokenizer);
  r = ResolveHubFile("plain", "tokenizer.json", "v1.0");
  EXPECT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.hits(), 1);
}

TEST_F(HfHub, RevisionWithSlashIsEncodedInTheUrlAndNestedInRefs) {
  test::FakeHubServer hub;
  hub.AddFile("org/name", "refs%2Fpr%2F1", "tokenizer.json", {kTinyTokenizer, kOtherCommit, "e1", false});
  Set("HF_ENDPOINT", hub.endpoint());
  const HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "refs/pr/1");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(Read(Repo("models--org--name") / "refs" / "refs" / "pr" / "1"), kOtherCommit);
  EXPECT_EQ(FindCachedHubFile("org/name", "tokenizer.json", "refs/pr/1"), fs::path(r.path));
}

TEST_F(HfHub, MissingFileIsNotFound) {
  test::FakeHubServer hub;
  hub.AddFile("org/name", "main", "config.json", {"{}", kCommit, "c1", false});
  Set("HF_ENDPOINT", hub.endpoint());
  const HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kNotFound);
  EXPECT_EQ(r.error, "no tokenizer.json in org/name at revision main");
  EXPECT_FALSE(HubFileExists("org/name", "tokenizer.model", "main"));
  // Nothing half-written stays in the cache.
  EXPECT_FALSE(fs::exists(Repo("models--org--name") / "snapshots"));
  EXPECT_TRUE(fs::is_empty(Repo("models--org--name") / "blobs"));
}

TEST_F(HfHub, UnknownRepoSaysSoAndHintsAtTokens) {
  test::FakeHubServer hub;
  Set("HF_ENDPOINT", hub.endpoint());
  const HubFileResult r = ResolveHubFile("org/typo", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kError);
  EXPECT_EQ(r.error, "model org/typo not found on " + hub.endpoint() + " (if it is private or gated, set HF_TOKEN)");
}

TEST_F(HfHub, GatedRepoNeedsTheRightToken) {
  test::FakeHubServer hub;
  hub.AddFile("meta/gated", "main", "tokenizer.json", {kTinyTokenizer, kCommit, "e1", false});
  hub.AddFile("meta/gated", kCommit, "tokenizer.json", {kTinyTokenizer, kCommit, "e1", false});
  hub.SetGated("meta/gated", "hf_secret");
  Set("HF_ENDPOINT", hub.endpoint());

  HubFileResult r = ResolveHubFile("meta/gated", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kError);
  EXPECT_EQ(r.error,
            "access to meta/gated denied (HTTP 401): gated or private model; accept its terms on the Hub and set "
            "HF_TOKEN to a token with access (no token was sent)");

  Set("HF_TOKEN", "hf_wrong");
  r = ResolveHubFile("meta/gated", "tokenizer.json", "main");
  EXPECT_NE(r.error.find("the token sent was rejected"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("hf_wrong"), std::string::npos) << "the token must never be printed";
  EXPECT_EQ(hub.last_authorization(), "Bearer hf_wrong");

  Set("HF_TOKEN", "hf_secret");
  r = ResolveHubFile("meta/gated", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;

  Set("HF_TOKEN", std::nullopt);
  Set("HUGGING_FACE_HUB_TOKEN", "hf_secret");
  r = ResolveHubFile("meta/gated", "tokenizer.json", kCommit);  // cached already: no request
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  fs::remove_all(Repo("models--meta--gated"));
  const int before = hub.hits();
  r = ResolveHubFile("meta/gated", "tokenizer.json", kCommit);
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.hits(), before + 1);
  EXPECT_EQ(hub.last_authorization(), "Bearer hf_secret");
}

TEST_F(HfHub, TokenFileFromHuggingFaceCliLogin) {
  test::FakeHubServer hub;
  hub.AddFile("meta/gated", "main", "tokenizer.json", {kTinyTokenizer, kCommit, "e1", false});
  hub.SetGated("meta/gated", "hf_saved");
  Set("HF_ENDPOINT", hub.endpoint());
  WriteFile(tmp_.path() / "hf_home" / "token", "hf_saved\n");
  const HubFileResult r = ResolveHubFile("meta/gated", "tokenizer.json", "main");
  ASSERT_EQ(r.status, HubStatus::kOk) << r.error;
  EXPECT_EQ(hub.last_authorization(), "Bearer hf_saved");
}

TEST_F(HfHub, NetworkFailureIsOneLineWithCurlsMessage) {
  const HubFileResult r = ResolveHubFile("org/name", "tokenizer.json", "main");
  EXPECT_EQ(r.status, HubStatus::kError);
  EXPECT_EQ(r.error.rfind("cannot download tokenizer.json for org/name from http://127.0.0.1:1: ", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(r.error.find('\n'), std::string::npos);
}

TEST_F(HfHub, BadArgumentsNeverReachUrlsOrPaths) {
  test::FakeHubServer hub;
  Set("HF_ENDPOINT", hub.endpoint());
  EXPECT_EQ(ResolveHubFile("../../etc", "tokenizer.json", "main").error,
            "'../../etc' is not a valid Hugging Face model id (org/name)");
  EXPECT_EQ(ResolveHubFile("org/name", "../tokenizer.json", "main").error,
            "'../tokenizer.json' is not a valid file name");
  EXPECT_EQ(ResolveHubFile("org/name", "tokenizer.json", "../../x").error,
            "'../../x' is not a valid Hugging Face revision");
  EXPECT_EQ(ResolveHubFile("org/name", "tokenizer.json", "ma in").status, HubStatus::kError);
  EXPECT_EQ(hub.hits(), 0);
}

// LoadTokenizer's hub branch, end to end against the fake Hub.

TEST_F(HfHub, LoadTokenizerDownloadsAHubId) {
  test::FakeHubServer hub;
  hub.AddFile("org/name", "v2", "tokenizer.json", {kTinyTokenizer, kCommit, "e1", false});
  Set("HF_ENDPOINT", hub.endpoint());
  TokenizerLoadResult r = LoadTokenizer("org/name", "v2");
  ASSERT_NE(r.tokenizer, nullptr) << r.error;
  EXPECT_EQ(r.tokenizer->Encode("abab"), (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(r.tokenizer->Name(), "org/name");
  r = LoadTokenizer("org/name", "v2");
  ASSERT_NE(r.tokenizer, nullptr) << r.error;
  EXPECT_EQ(hub.hits(), 1);
}

// Nothing to load for a name is a fallback to the built-in tokenizer with the reason in the
// warning; a tokenizer.json that was found but is broken stays an error.
TEST_F(HfHub, LoadTokenizerFallbacksAndErrors) {
  test::FakeHubServer hub;
  hub.AddFile("org/spm", "main", "tokenizer.model", {"\x0a\x0bspm", kCommit, "e2", false});
  hub.AddFile("org/bad", "main", "tokenizer.json", {"{}", kCommit, "e3", false});
  hub.AddFile("org/none", "main", "config.json", {"{}", kCommit, "e4", false});
  Set("HF_ENDPOINT", hub.endpoint());
  const auto fallback_reason = [](const std::string& spec) {
    const TokenizerLoadResult r = LoadTokenizer(spec);
    EXPECT_NE(r.tokenizer, nullptr) << spec;
    EXPECT_EQ(r.error, "") << spec;
    const std::string head = "tokenizer '" + spec + "' could not be loaded (";
    const std::string tail = "); counting tokens with the built-in Mistral-7B tokenizer";
    const size_t end = r.warning.find(tail);
    EXPECT_EQ(r.warning.rfind(head, 0), 0u) << r.warning;
    return end == std::string::npos ? r.warning : r.warning.substr(head.size(), end - head.size());
  };
  EXPECT_EQ(fallback_reason("org/none"), "no tokenizer.json in org/none at revision main");
  EXPECT_EQ(fallback_reason("org/spm"),
            "org/spm has only a sentencepiece tokenizer.model, and tokenizer.model is not "
            "supported yet (convert it with transformers' AutoTokenizer.save_pretrained and pass --tokenizer PATH "
            "to the tokenizer.json)");
  EXPECT_EQ(LoadTokenizer("org/bad").error,
            "tokenizer 'org/bad': field 'model': missing (cached at " +
                (Repo("models--org--bad") / "snapshots" / kCommit / "tokenizer.json").string() + ")");
  EXPECT_EQ(fallback_reason("not/a/hub/id"),
            "not a file, a directory holding tokenizer.json, or a Hugging Face model id (org/name)");
  Set("HF_HUB_OFFLINE", "1");
  const int before = hub.hits();
  EXPECT_NE(fallback_reason("org/none").find("HF_HUB_OFFLINE is set"), std::string::npos);
  EXPECT_EQ(hub.hits(), before);
}

}  // namespace
}  // namespace bench
