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
  sentence_offsets_.reserve(sentences.size() + 1);
  for (std::string_view s : sentences) {
    sentence_offsets_.push_back(static_cast<uint32_t>(sentence_ids_.size()));
    const std::vector<int32_t> ids = EncodeInContext(tokenizer, s, context_ids);
    sentence_ids_.insert(sentence_ids_.end(), ids.begin(), ids.end());
  }
  sentence_offsets_.push_back(static_cast<uint32_t>(sentence_ids_.size()));
  if (sentence_ids_.empty()) return;
  // A fixed seed and our own Fisher-Yates (std::shuffle's algorithm is unspecified), so the
  // stream is the same everywhere.
  RandomStream rng(0x636f72707573ULL);
  std::vector<size_t> order(sentences.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  while (size_ < min_tokens) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    for (size_t index : order) {
      const size_t length = sentence_offsets_[index + 1] - sentence_offsets_[index];
      if (length == 0) continue;
      sentence_starts_.push_back(static_cast<uint32_t>(size_));
      occurrence_sentence_.push_back(static_cast<uint32_t>(index));
      size_ += length;
    }
  }
}

void CorpusTokens::CopyRange(size_t start, size_t length, std::vector<int32_t>& out) const {
  if (size_ == 0) return;
  start %= size_;
  // The occurrence holding `start`, then sentence after sentence (round to the first at the end).
  size_t k = static_cast<size_t>(std::upper_bound(sentence_starts_.begin(), sentence_starts_.end(), start) -
                                 sentence_starts_.begin()) - 1;
  size_t offset = start - sentence_starts_[k];
  out.reserve(out.size() + length);
  while (length > 0) {
    const uint32_t sentence = occurrence_sentence_[k];
    const int32_t* ids = sentence_ids_.data() + sentence_offsets_[sentence];
    const size_t n = std::min(length, sentence_offsets_[sentence + 1] - sentence_offsets_[sentence] - offset);
    out.insert(out.end(), ids + offset, ids + offset + n);
    length -= n;
    offset = 0;
    k = k + 1 == sentence_starts_.size() ? 0 : k + 1;
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
