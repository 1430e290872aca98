#include "dataset/prompt_corpus.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <string>

#include "util/embed.h"
#include "util/random_stream.h"

// The corpus is linked in with .incbin (path from cmake/EmbeddedCorpus.cmake) so `bench` stays
// one self-contained file and the text can be edited as plain prose.
BENCH_EMBED_FILE(bench_prompt_corpus, BENCH_PROMPT_CORPUS_TXT);

namespace bench {
namespace {

// Context that makes a sentence encode as it does mid-text: a leading space becomes part of
// the first word for byte-level BPEs (" The"), and SentencePiece-style tokenizers do not add
// their start-of-text "▁" to it.
constexpr std::string_view kContext = "Yes.";

std::vector<int32_t> EncodeInContext(const Tokenizer& tokenizer, std::string_view sentence,
                                     const std::vector<int32_t>& context_ids) {
  std::string text(kContext);
  text += ' ';
  text += sentence;
  std::vector<int32_t> ids = tokenizer.Encode(text, false);
  if (ids.size() > context_ids.size() &&
      std::equal(context_ids.begin(), context_ids.end(), ids.begin())) {
    ids.erase(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(context_ids.size()));
    return ids;
  }
  // The context merged into the sentence (an unusual tokenizer): encode the sentence alone.
  return tokenizer.Encode(std::string(" ") + std::string(sentence), false);
}

}  // namespace

std::string_view PromptCorpusText() {
  return std::string_view(bench_prompt_corpus_begin,
                          static_cast<size_t>(bench_prompt_corpus_end - bench_prompt_corpus_begin));
}

std::vector<std::string_view> PromptCorpusSentences() {
  std::vector<std::string_view> out;
  const std::string_view text = PromptCorpusText();
  size_t begin = 0;
  auto emit = [&](size_t end) {
    std::string_view s = text.substr(begin, end - begin);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    if (!s.empty()) out.push_back(s);
    begin = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      emit(i);
    } else if ((c == '.' || c == '!' || c == '?') && i + 2 < text.size() && text[i + 1] == ' ' &&
               (std::isupper(static_cast<unsigned char>(text[i + 2])) || text[i + 2] == '"')) {
      emit(i + 1);
    }
  }
  emit(text.size());
  return out;
}

CorpusTokens::CorpusTokens(const Tokenizer& tokenizer, size_t min_tokens) {
  const std::vector<std::string_view> sentences = PromptCorpusSentences();
  const std::vector<int32_t> context_ids = tokenizer.Encode(kContext, false);
  std::vector<std::vector<int32_t>> encoded;
  encoded.reserve(sentences.size());
  size_t round_tokens = 0;
  for (std::string_view s : sentences) {
    encoded.push_back(EncodeInContext(tokenizer, s, context_ids));
    round_tokens += encoded.back().size();
  }
  if (round_tokens == 0) return;
  ids_.reserve(min_tokens + round_tokens);
  // A fixed seed and our own Fisher-Yates (std::shuffle's algorithm is unspecified), so the
  // stream is the same everywhere.
  RandomStream rng(0x636f72707573ULL);
  std::vector<size_t> order(sentences.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  while (ids_.size() < min_tokens) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    for (size_t index : order) {
      if (encoded[index].empty()) continue;
      sentence_starts_.push_back(static_cast<uint32_t>(ids_.size()));
      ids_.insert(ids_.end(), encoded[index].begin(), encoded[index].end());
    }
  }
}

std::shared_ptr<const CorpusTokens> CorpusTokens::For(const Tokenizer& tokenizer) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const CorpusTokens>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[tokenizer.Name()];
  if (!slot) slot = std::make_shared<const CorpusTokens>(tokenizer);
  return slot;
}

}  // namespace bench
