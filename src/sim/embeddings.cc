#include "sim/embeddings.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/simulator.h"
#include "sim/timing.h"
#include "sim/vision.h"

namespace bench {
namespace {

using nlohmann::json;

// The prompt tokens of one input string: NV-CLIP takes an image inline as a data URL in the same
// batch as texts (checked as a real image, and costed as one); anything else is text.
std::string StringTokens(const std::string& text, size_t& tokens) {
  if (text.rfind("data:", 0) != 0) {
    tokens += ApproxPromptTokens(text);
    return "";
  }
  if (std::string why = CheckSimMediaUrl(text, SimMediaKind::kImage); !why.empty()) return why;
  tokens += kSimImageTokens;
  return "";
}

// The texts of an embeddings `input`: a string, strings (texts or NV-CLIP's image data URLs),
// token ids, or lists of token ids (as OpenAI accepts); `tokens` sums their lengths.
std::string EmbeddingInputs(const json& input, std::vector<std::string>& texts, size_t& tokens) {
  const char* shape = "input must be a non-empty string, array of strings, token ids or arrays of token ids";
  if (input.is_string()) {
    if (input.get_ref<const std::string&>().empty()) return "input must not be an empty string";
    texts.push_back(input.get<std::string>());
    return StringTokens(texts.back(), tokens);
  }
  if (!input.is_array() || input.empty()) return shape;
  if (std::all_of(input.begin(), input.end(), [](const json& v) { return v.is_number_integer(); })) {
    texts.push_back(input.dump());  // one prompt given as token ids
    tokens = input.size();
    return "";
  }
  for (const json& item : input) {
    if (item.is_string()) {
      if (item.get_ref<const std::string&>().empty()) return "input must not contain an empty string";
      texts.push_back(item.get<std::string>());
      if (std::string why = StringTokens(texts.back(), tokens); !why.empty()) {
        return fmt::format("input[{}]: {}", texts.size() - 1, why);
      }
    } else if (item.is_array() && !item.empty()) {
      texts.push_back(item.dump());
      tokens += item.size();
    } else {
      return shape;
    }
  }
  return "";
}

// A unit-length vector, as embedding models return (cosine similarity is their dot product).
std::vector<float> UnitVector(int dims, SimRng& rng) {
  std::vector<float> v(static_cast<size_t>(dims));
  double norm = 0;
  for (float& x : v) {
    x = static_cast<float>(rng.Uniform() * 2.0 - 1.0);
    norm += static_cast<double>(x) * x;
  }
  const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 1.0;
  for (float& x : v) x = static_cast<float>(x * scale);
  return v;
}

// OpenAI's encoding_format "base64": the little-endian float32 bytes, base64-encoded.
std::string Base64Floats(const std::vector<float>& v) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());  // x86-64 and aarch64 Linux: little-endian
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (size_t k = 0; k < 3; ++k) chunk = (chunk << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(chunk >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

// Each vector is drawn from its own text (and the simulator seed), as a model's would depend on
// the text alone: equal texts get equal vectors in any batch.
std::string EmbeddingsAnswer(const json& doc, const SimRequest& req, const SimulatorOptions& options,
                             const std::vector<std::string>& texts, std::string& error) {
  const size_t count = texts.size();
  std::string format = "float";
  if (const auto f = doc.find("encoding_format"); f != doc.end() && !f->is_null()) {
    format = f->is_string() ? f->get<std::string>() : "";
    if (format != "float" && format != "base64") {
      error = "encoding_format must be 'float' or 'base64'";
      return "";
    }
  }
  int dims = options.embedding_dimensions;
  if (const auto d = doc.find("dimensions"); d != doc.end() && !d->is_null()) {
    if (!d->is_number_integer() || d->get<int64_t>() < 1 || d->get<int64_t>() > 65536) {
      error = "dimensions must be an integer from 1 to 65536";
      return "";
    }
    dims = static_cast<int>(d->get<int64_t>());
  }
  // Written by hand: thousands of floats per answer, fixed digits, no DOM.
  std::string out = R"({"object":"list","data":[)";
  for (size_t i = 0; i < count; ++i) {
    SimRng rng(MixSeed(options.seed, HashBytes(texts[i])));
    const std::vector<float> v = UnitVector(dims, rng);
    out += i == 0 ? R"({"object":"embedding","embedding":)" : R"(,{"object":"embedding","embedding":)";
    if (format == "base64") {
      out += '"' + Base64Floats(v) + '"';
    } else {
      out += '[';
      for (size_t k = 0; k < v.size(); ++k) {
        if (k > 0) out += ',';
        fmt::format_to(std::back_inserter(out), "{:.9f}", v[k]);
      }
      out += ']';
    }
    fmt::format_to(std::back_inserter(out), R"(,"index":{}}})", i);
  }
  const int tokens = static_cast<int>(req.input_tokens);
  out += R"(],"model":)" + json(req.model).dump() +
         fmt::format(R"(,"usage":{{"prompt_tokens":{},"total_tokens":{}}}}})", tokens, tokens);
  return out;
}

// Scores by index, highest first (both ranking APIs sort their answer).
std::vector<size_t> ByScore(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

// One logit per (query, passage) pair, drawn from the two texts (and the simulator seed), as a
// cross-encoder's depends on the pair alone: a passage scores the same in any batch or order.
std::vector<double> Logits(const std::string& query, const std::vector<std::string>& passages, uint64_t seed) {
  std::vector<double> logits;
  logits.reserve(passages.size());
  const uint64_t query_seed = MixSeed(seed, HashBytes(query));
  for (const std::string& passage : passages) {
    SimRng rng(MixSeed(query_seed, HashBytes(passage)));
    logits.push_back(rng.Uniform() * 20.0 - 10.0);  // cross-encoder logits span roughly [-10, 10]
  }
  return logits;
}

// NIM: {"query": {"text"}, "passages": [{"text"}...]}; each passage is scored with the query,
// so the prefill sees the query once per passage.
std::string NimRankingAnswer(const json& doc, SimRequest& req, uint64_t seed, std::string& error) {
  const auto query = doc.find("query");
  if (query == doc.end() || !query->is_object() || !query->contains("text") || !(*query)["text"].is_string()) {
    error = "query must be an object with a string 'text'";
    return "";
  }
  const auto passages = doc.find("passages");
  if (passages == doc.end() || !passages->is_array() || passages->empty()) {
    error = "passages must be a non-empty array of {\"text\": ...} objects";
    return "";
  }
  const std::string& query_text = (*query)["text"].get_ref<const std::string&>();
  const size_t query_tokens = ApproxPromptTokens(query_text);
  std::vector<std::string> texts;
  for (const json& p : *passages) {
    if (!p.is_object() || !p.contains("text") || !p["text"].is_string()) {
      error = "passages must be a non-empty array of {\"text\": ...} objects";
      return "";
    }
    texts.push_back(p["text"].get<std::string>());
    req.input_tokens += query_tokens + ApproxPromptTokens(texts.back());
  }
  const std::vector<double> logits = Logits(query_text, texts, seed);
  json rankings = json::array();
  for (size_t i : ByScore(logits)) rankings.push_back(json{{"index", i}, {"logit", logits[i]}});
  return json{{"rankings", std::move(rankings)}}.dump();
}

// TEI: {"query", "texts", "raw_scores", "return_text"}; scores are sigmoid(logit) unless raw.
std::string TeiRerankAnswer(const json& doc, SimRequest& req, uint64_t seed, std::string& error) {
  const auto query = doc.find("query");
  const auto texts = doc.find("texts");
  if (query == doc.end() || !query->is_string()) {
    error = "query must be a string";
    return "";
  }
  if (texts == doc.end() || !texts->is_array() || texts->empty() ||
      !std::all_of(texts->begin(), texts->end(), [](const json& t) { return t.is_string(); })) {
    error = "texts must be a non-empty array of strings";
    return "";
  }
  const auto flag = [&](const char* name) {
    const auto it = doc.find(name);
    return it != doc.end() && it->is_boolean() && it->get<bool>();
  };
  const bool raw = flag("raw_scores");
  const bool with_text = flag("return_text");
  const size_t query_tokens = ApproxPromptTokens(query->get_ref<const std::string&>());
  std::vector<std::string> passages;
  for (const json& t : *texts) {
    passages.push_back(t.get<std::string>());
    req.input_tokens += query_tokens + ApproxPromptTokens(passages.back());
  }
  std::vector<double> scores = Logits(query->get<std::string>(), passages, seed);
  if (!raw) {
    for (double& s : scores) s = 1.0 / (1.0 + std::exp(-s));
  }
  json out = json::array();
  for (size_t i : ByScore(scores)) {
    json rank{{"index", i}};
    if (with_text) rank["text"] = (*texts)[i];
    rank["score"] = scores[i];
    out.push_back(std::move(rank));
  }
  return out.dump();
}

}  // namespace

std::optional<SimEndpoint> SimEncoderEndpointOf(std::string_view path) {
  if (path == "/v1/embeddings") return SimEndpoint::kEmbeddings;
  if (path == "/v1/ranking") return SimEndpoint::kRanking;
  if (path == "/rerank") return SimEndpoint::kRerank;
  return std::nullopt;
}

bool IsSimEncoder(SimEndpoint endpoint) {
  return endpoint == SimEndpoint::kEmbeddings || endpoint == SimEndpoint::kRanking ||
         endpoint == SimEndpoint::kRerank;
}

SimParseResult ParseSimEncoderRequest(SimEndpoint endpoint, std::string_view body, const SimulatorOptions& options) {
  SimParseResult result;
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    result.error = doc.is_discarded() ? "request body is not valid JSON" : "request body must be a JSON object";
    return result;
  }
  SimRequest req;
  req.endpoint = endpoint;
  const auto model = doc.find("model");
  req.model = (model != doc.end() && model->is_string()) ? model->get<std::string>() : options.model;
  req.seed = MixSeed(options.seed, HashBytes(body));
  if (const auto s = doc.find("stream"); s != doc.end() && s->is_boolean() && s->get<bool>()) {
    result.error = "stream is not supported by this endpoint";
    return result;
  }
  if (const auto f = doc.find("bench_fault"); f != doc.end() && !f->is_null()) {
    SimFaultParse fault = f->is_string() ? ParseSimFault(f->get_ref<const std::string&>())
                                         : SimFaultParse{std::nullopt, "must be a string"};
    if (!fault.fault) {
      result.error = "bench_fault: " + fault.error;
      return result;
    }
    req.fault = fault.fault;
  }
  std::string& error = result.error;
  if (endpoint == SimEndpoint::kEmbeddings) {
    const auto input = doc.find("input");
    std::vector<std::string> texts;
    error = input == doc.end() ? "input is required" : EmbeddingInputs(*input, texts, req.input_tokens);
    if (error.empty()) req.encoder_answer = EmbeddingsAnswer(doc, req, options, texts, error);
  } else if (endpoint == SimEndpoint::kRanking) {
    req.encoder_answer = NimRankingAnswer(doc, req, options.seed, error);
  } else {
    req.encoder_answer = TeiRerankAnswer(doc, req, options.seed, error);
  }
  if (error.empty()) result.request = std::move(req);
  return result;
}

}  // namespace bench
