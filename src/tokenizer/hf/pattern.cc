#include "tokenizer/hf/pattern.h"

#include <oniguruma.h>

#include <mutex>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

void InitOniguruma() {
  static std::once_flag once;
  std::call_once(once, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
}

// One match region per thread: onig_search writes into it, the regex itself is read-only.
OnigRegion* ThreadRegion() {
  struct Holder {
    OnigRegion* region = onig_region_new();
    ~Holder() { onig_region_free(region, 1); }
  };
  thread_local Holder holder;
  return holder.region;
}

}  // namespace

std::unique_ptr<Regex> Regex::Compile(std::string_view pattern, std::string* error) {
  InitOniguruma();
  OnigRegex regex = nullptr;
  OnigErrorInfo info;
  const auto* begin = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int rc = onig_new(&regex, begin, begin + pattern.size(), ONIG_OPTION_NONE,
                          ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
  if (rc != ONIG_NORMAL) {
    OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, rc, &info);
    if (error != nullptr) *error = reinterpret_cast<const char*>(message);
    return nullptr;
  }
  return std::unique_ptr<Regex>(new Regex(regex));
}

Regex::~Regex() { onig_free(static_cast<OnigRegex>(regex_)); }

std::vector<Span> Regex::FindAll(std::string_view text) const {
  std::vector<Span> matches;
  auto* regex = static_cast<OnigRegex>(regex_);
  OnigRegion* region = ThreadRegion();
  const auto* str = reinterpret_cast<const OnigUChar*>(text.data());
  const auto* end = str + text.size();
  size_t pos = 0;
  bool have_last = false;
  size_t last_end = 0;
  while (pos <= text.size()) {
    onig_region_clear(region);
    const int rc = onig_search(regex, str, end, str + pos, end, region, ONIG_OPTION_NONE);
    if (rc < 0) break;  // ONIG_MISMATCH, or an error we treat as "no more matches"
    const auto s = static_cast<size_t>(region->beg[0]);
    const auto e = static_cast<size_t>(region->end[0]);
    if (s == e && have_last && last_end == e) {
      // An empty match touching the previous one: step one character to avoid looping.
      if (pos >= text.size()) break;
      pos += Utf8SequenceLength(static_cast<unsigned char>(text[pos]));
      continue;
    }
    pos = e;
    have_last = true;
    last_end = e;
    matches.emplace_back(s, e);
    if (s == e && pos >= text.size()) break;
  }
  return matches;
}

Pattern Pattern::Literal(std::string text) {
  Pattern p;
  p.literal_ = std::move(text);
  return p;
}

Pattern Pattern::FromJson(const nlohmann::json& j, const std::string& path) {
  if (const auto* s = OptionalField(j, "String")) {
    if (!s->is_string()) throw ConfigError(Sub(path, "String"), "expected a string");
    return Literal(s->get<std::string>());
  }
  if (const auto* r = OptionalField(j, "Regex")) {
    if (!r->is_string()) throw ConfigError(Sub(path, "Regex"), "expected a string");
    std::string error;
    auto regex = Regex::Compile(r->get<std::string>(), &error);
    if (!regex) throw ConfigError(Sub(path, "Regex"), "invalid regex: " + error);
    Pattern p;
    p.regex_ = std::move(regex);
    return p;
  }
  throw ConfigError(path, "expected {\"String\": ...} or {\"Regex\": ...}");
}

std::vector<Span> Pattern::FindAll(std::string_view text) const {
  if (regex_) return regex_->FindAll(text);
  std::vector<Span> matches;
  if (literal_.empty()) return matches;
  size_t pos = 0;
  while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
    matches.emplace_back(pos, pos + literal_.size());
    pos += literal_.size();
  }
  return matches;
}

std::string Pattern::ReplaceAll(std::string_view text, std::string_view content) const {
  std::string out;
  size_t prev = 0;
  for (const auto& [s, e] : FindAll(text)) {
    out.append(text.substr(prev, s - prev));
    out.append(content);
    prev = e;
  }
  out.append(text.substr(prev));
  return out;
}

}  // namespace bench::hf
