#include "sim/generate_api.h"

#include <nlohmann/json.hpp>

#include "sim/simulator.h"

namespace bench {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // what the simulator writes: the servers' own field order

// A parsed body that must be a JSON object, or the 400's reason.
std::optional<json> ObjectBody(std::string_view body, std::string& error) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    error = "request body is not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    error = "request body must be a JSON object";
    return std::nullopt;
  }
  return doc;
}

// The output length and its bounds, checked as the OpenAI parser checks them.
void CheckLengths(SimRequest& req, std::string& error) {
  if (error.empty() && req.max_tokens < 1) error = "max_tokens must be at least 1";
  if (error.empty() && req.min_tokens > req.max_tokens) error = "min_tokens must not exceed max_tokens";
}

// A field read at the top level, else under "parameters" (Triton accepts both places).
const json* TritonField(const json& doc, const char* name) {
  if (doc.contains(name)) return &doc;
  const auto p = doc.find("parameters");
  if (p != doc.end() && p->is_object() && p->contains(name)) return &*p;
  return &doc;
}

class TritonGenerateStream final : public SimApiStream {
 public:
  explicit TritonGenerateStream(std::string model) : model_(std::move(model)) {}

  std::vector<std::string> OpeningEvents() override { return {}; }

  std::string ContentEvent(std::string_view text, const SimStreamEnd*) override {
    return "data: " + Body(text) + "\n\n";
  }

  std::vector<std::string> ClosingEvents(const SimStreamEnd&) override { return {}; }

  std::string FullResponse(std::string_view text, const SimStreamEnd&) override { return Body(text); }

 private:
  std::string Body(std::string_view text) const {
    return ojson{{"model_name", model_}, {"model_version", "1"}, {"text_output", text}}.dump();
  }

  std::string model_;
};

class TgiGenerateStream final : public SimApiStream {
 public:
  TgiGenerateStream(bool compat, size_t input_tokens) : compat_(compat), input_tokens_(input_tokens) {}

  std::vector<std::string> OpeningEvents() override { return {}; }

  std::string ContentEvent(std::string_view text, const SimStreamEnd* end) override {
    answer_ += text;
    // On an early stop the answer's end comes with the EOS token (ClosingEvents).
    const bool carries_end = end != nullptr && end->finish_reason != "stop";
    return TokenEvent(text, false, carries_end ? end : nullptr);
  }

  std::vector<std::string> ClosingEvents(const SimStreamEnd& end) override {
    if (end.finish_reason != "stop") return {};
    return {TokenEvent("</s>", true, &end)};
  }

  std::string FullResponse(std::string_view text, const SimStreamEnd&) override {
    const ojson one = {{"generated_text", text}};
    return (compat_ ? ojson::array({one}) : one).dump();
  }

 private:
  // TGI's StreamResponse; axum writes "data:" without a space.
  std::string TokenEvent(std::string_view text, bool special, const SimStreamEnd* end) {
    ++index_;
    ojson event = {{"index", index_},
                  {"token", {{"id", special ? 2 : 1000 + index_}, {"text", text}, {"logprob", -0.5}, {"special", special}}},
                  {"generated_text", nullptr},
                  {"details", nullptr}};
    if (end != nullptr) {
      event["generated_text"] = answer_;
      event["details"] = {{"finish_reason", end->finish_reason == "stop" ? "eos_token" : "length"},
                          {"generated_tokens", end->completion_tokens},
                          {"input_length", input_tokens_},
                          {"seed", nullptr}};
    }
    return "data:" + event.dump() + "\n\n";
  }

  bool compat_;
  size_t input_tokens_;
  int index_ = 0;
  std::string answer_;
};

}  // namespace

SimParseResult ParseTritonGenerateRequest(std::string_view model, bool stream, std::string_view body,
                                          const SimulatorOptions& options) {
  SimParseResult result;
  std::string& error = result.error;
  const std::optional<json> doc = ObjectBody(body, error);
  if (!doc) return result;
  SimRequest req;
  req.endpoint = SimEndpoint::kTritonGenerate;
  req.model = std::string(model);
  req.stream = stream;
  const auto text = doc->find("text_input");
  if (text == doc->end() || !(text->is_string() || text->is_array())) {
    error = "text_input must be a string or a list of strings";
    return result;
  }
  for (const json& t : text->is_array() ? *text : json::array({*text})) {
    if (!t.is_string()) {
      error = "text_input must be a string or a list of strings";
      return result;
    }
    req.input_tokens += ApproxPromptTokens(t.get_ref<const std::string&>());
  }
  req.max_tokens = SimApiIntField(*TritonField(*doc, "max_tokens"), "max_tokens", error)
                       .value_or(options.default_max_tokens);
  req.min_tokens = SimApiIntField(*TritonField(*doc, "min_tokens"), "min_tokens", error).value_or(0);
  req.ignore_eos = SimApiBoolField(*TritonField(*doc, "ignore_eos"), "ignore_eos", error);
  CheckLengths(req, error);
  if (error.empty()) error = FinishSimApiRequest(*doc, body, options.seed, req);
  if (error.empty()) result.request = std::move(req);
  return result;
}

SimParseResult ParseTgiGenerateRequest(bool stream_path, bool compat, std::string_view body,
                                       const SimulatorOptions& options) {
  SimParseResult result;
  std::string& error = result.error;
  const std::optional<json> doc = ObjectBody(body, error);
  if (!doc) return result;
  SimRequest req;
  req.endpoint = compat ? SimEndpoint::kTgiCompat : SimEndpoint::kTgiGenerate;
  const auto model = doc->find("model");
  req.model = model != doc->end() && model->is_string() ? model->get<std::string>() : options.model;
  req.stream = stream_path || (compat && SimApiBoolField(*doc, "stream", error));
  const auto inputs = doc->find("inputs");
  if (inputs == doc->end() || !inputs->is_string()) {
    error = "inputs must be a string";
    return result;
  }
  req.input_tokens = ApproxPromptTokens(inputs->get_ref<const std::string&>());
  req.max_tokens = options.default_max_tokens;
  if (const auto p = doc->find("parameters"); p != doc->end() && !p->is_null()) {
    if (!p->is_object()) {
      error = "parameters must be an object";
      return result;
    }
    req.max_tokens = SimApiIntField(*p, "max_new_tokens", error).value_or(options.default_max_tokens);
  }
  CheckLengths(req, error);
  if (error.empty()) error = FinishSimApiRequest(*doc, body, options.seed, req);
  if (error.empty()) result.request = std::move(req);
  return result;
}

std::unique_ptr<SimApiStream> MakeTritonGenerateStream(const SimRequest& request) {
  return std::make_unique<TritonGenerateStream>(request.model);
}

std::unique_ptr<SimApiStream> MakeTgiGenerateStream(const SimRequest& request) {
  return std::make_unique<TgiGenerateStream>(request.endpoint == SimEndpoint::kTgiCompat, request.input_tokens);
}

}  // namespace bench
