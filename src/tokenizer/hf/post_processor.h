#pragma once
// tokenizer.json "post_processor": adds special tokens (BOS, [CLS]/[SEP], ...) around the ids
// of a single sequence when encoding with add_special_tokens.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench::hf {

/// One post-processor (or a Sequence of them).
class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  /// Rewrites the ids of one sequence; called only when special tokens are requested.
  virtual void Process(std::vector<int32_t>& ids) const = 0;
};

/// Builds a post-processor from its tokenizer.json object; throws ConfigError naming `path`.
std::unique_ptr<PostProcessor> MakePostProcessor(const nlohmann::json& j, const std::string& path);

}  // namespace bench::hf
