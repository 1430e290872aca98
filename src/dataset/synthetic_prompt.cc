#include "dataset/synthetic_prompt.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <thread>

#include "util/cores.h"

namespace bench {
namespace {

// Start points tried before settling for the closest prompt found.
constexpr int kMaxStarts = 16;

std::string_view StripLeadingSpace(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos ? std::string_view() : s.substr(first);
}

// Makes one prompt. The stream decodes to text that re-encodes to the same ids, except near the
// ends of a slice: the first word loses its leading space, and the last token may merge
// differently once its right-hand context is gone. So:
//   1. decode k = n tokens and count; if the count is off by d, take k - d tokens instead and
//      count again (converges in one step almost always);
//   2. otherwise decode a few tokens more than needed, re-encode that text, and cut it at the
//      token boundaries of its own encoding around n (a prefix of a canonical encoding is
//      almost always canonical itself);
//   3. otherwise move to another sentence start (chosen deterministically) and repeat.
// Every candidate is checked with CountTokens, so "exact" is a fact, not an assumption.
class PromptMaker {
 public:
  PromptMaker(const Tokenizer& tokenizer, const CorpusTokens& corpus)
      : tokenizer_(tokenizer), corpus_(corpus), starts_(corpus.sentence_starts()) {}

  // Returns the prompt; `exact` tells whether it has the requested count.
  std::string Make(const PromptSpec& spec, size_t start_index, bool& exact) const {
    exact = true;
    const int n = spec.num_tokens;
    if (n <= 0) return std::string(spec.prefix);
    std::string best;
    long best_error = -1;
    auto consider = [&](std::string body, long count) {
      const long error = std::labs(count - n);
      if (best_error < 0 || error < best_error) {
        best = std::move(body);
        best_error = error;
      }
      return error == 0;
    };
    for (int attempt = 0; attempt < kMaxStarts; ++attempt) {
      // Later attempts jump far away in the stream (a prime stride), not to the next sentence,
      // whose text may have the same problem.
      const size_t start = starts_[(start_index + static_cast<size_t>(attempt) * 7919) % starts_.size()];
      long take = n;
      long previous_take = -1;
      for (int step = 0; step < 3 && take > 0 && take != previous_take; ++step) {
        std::string body(StripLeadingSpace(DecodeSlice(start, static_cast<size_t>(take))));
        const long count = Count(spec, body);
        if (consider(std::move(body), count)) return Join(spec, best);
        previous_take = take;
        take += n - count;
      }
      const std::string wide(StripLeadingSpace(DecodeSlice(start, static_cast<size_t>(n) + 8)));
      const std::vector<int32_t> wide_ids = tokenizer_.Encode(wide, false);
      for (const long cut : {0L, -1L, 1L, -2L, 2L}) {
        const long j = n + cut;
        if (j <= 0 || j > static_cast<long>(wide_ids.size())) continue;
        std::string body(StripLeadingSpace(
            tokenizer_.Decode(std::span<const int32_t>(wide_ids.data(), static_cast<size_t>(j)), true)));
        const long count = Count(spec, body);
        if (consider(std::move(body), count)) return Join(spec, best);
      }
    }
    exact = false;
    return Join(spec, best);
  }

 private:
  std::string DecodeSlice(size_t start, size_t length) const {
    std::vector<int32_t> slice;
    corpus_.CopyRange(start, length, slice);
    return tokenizer_.Decode(slice, true);
  }

  long Count(const PromptSpec& spec, const std::string& body) const {
    if (spec.prefix.empty()) return static_cast<long>(tokenizer_.CountTokens(body));
    return static_cast<long>(tokenizer_.CountTokens(Join(spec, body))) -
           static_cast<long>(spec.prefix_tokens);
  }

  static std::string Join(const PromptSpec& spec, const std::string& body) {
    if (spec.prefix.empty()) return body;
    std::string out(spec.prefix);
    out += ' ';
    out += body;
    return out;
  }

  const Tokenizer& tokenizer_;
  const CorpusTokens& corpus_;
  std::span<const uint32_t> starts_;
};

}  // namespace

SyntheticPromptGenerator::SyntheticPromptGenerator(const Tokenizer& tokenizer, RandomStream& rng)
    : tokenizer_(tokenizer), rng_(rng), corpus_(CorpusTokens::For(tokenizer)) {}

int SyntheticPromptGenerator::SampleLength(int mean, int stddev, int clip_min, int clip_max) {
  int n = mean;
  if (stddev > 0) {
    // int() truncates toward zero, as Python's int(random.gauss(...)).
    n = std::max(0, static_cast<int>(std::trunc(rng_.Gauss(mean, stddev))));
  }
  if (clip_max > 0) n = std::clamp(n, clip_min, clip_max);
  return n;
}

std::string SyntheticPromptGenerator::Generate(int num_tokens) {
  const PromptSpec spec{num_tokens, {}, 0};
  return GenerateAll(std::span<const PromptSpec>(&spec, 1), 1).front();
}

std::string SyntheticPromptGenerator::GenerateSampled(int mean, int stddev) {
  return Generate(SampleLength(mean, stddev));
}

std::vector<std::string> SyntheticPromptGenerator::PrefixPool(int count, int length) {
  if (count <= 0) return {};
  const std::vector<PromptSpec> pool(static_cast<size_t>(count), PromptSpec{length, {}, 0});
  return GenerateAll(pool);
}

std::vector<std::string> SyntheticPromptGenerator::GenerateAll(std::span<const PromptSpec> specs,
                                                               int threads) {
  std::vector<std::string> out(specs.size());
  if (specs.empty()) return out;
  if (corpus_->size() == 0) {
    // A tokenizer that encodes nothing: no text can have a positive token count.
    for (size_t i = 0; i < specs.size(); ++i) out[i] = std::string(specs[i].prefix);
    inexact_ += static_cast<size_t>(std::count_if(specs.begin(), specs.end(),
                                                  [](const PromptSpec& s) { return s.num_tokens > 0; }));
    return out;
  }
  // Draw every random choice up front, in order, so threads only do deterministic work.
  std::vector<size_t> start_index(specs.size());
  for (size_t& s : start_index) s = rng_.Below(corpus_->sentence_starts().size());

  const PromptMaker maker(tokenizer_, *corpus_);
  std::atomic<size_t> next{0};
  std::atomic<size_t> inexact{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto work = [&] {
    try {
      for (size_t i = next.fetch_add(1); i < specs.size() && !failed; i = next.fetch_add(1)) {
        bool exact = true;
        out[i] = maker.Make(specs[i], start_index[i], exact);
        if (!exact) inexact.fetch_add(1);
      }
    } catch (...) {
      if (!failed.exchange(true)) failure = std::current_exception();
    }
  };
  size_t workers = threads > 0 ? static_cast<size_t>(threads) : static_cast<size_t>(UsableCores());
  workers = std::min(workers, (specs.size() + 7) / 8);  // tiny batches are not worth a thread
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < workers; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  inexact_ += inexact.load();
  return out;
}

}  // namespace bench
