#include "sim/openai.h"

#include <nlohmann/json.hpp>

#include "tokenizer/builtin_tokenizer.h"
#include "sim/timing.h"
#include "sim/simulator.h"
#include "sim/vision.h"

namespace bench {
namespace {

using nlohmann::json;

std::string Quoted(std::string_view s) { return json(std::string(s)).dump(); }

// Optional positive-or-zero integer field; nullopt when absent or null.
std::optional<int> IntField(const json& body, const char* name, std::string& error) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    error = std::string(name) + " must be an integer";
    return std::nullopt;
  }
  const int64_t v = it->get<int64_t>();
  if (v < 0 || v > 1'000'000'000) {
    error = std::string(name) + " out of range: " + std::to_string(v);
    return std::nullopt;
  }
  return static_cast<int>(v);
}

bool BoolField(const json& body, const char* name, std::string& error) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    error = std::string(name) + " must be a boolean";
    return false;
  }
  return it->get<bool>();
}

// Token count of one chat message content: a string, or an array of parts (sim/vision: text,
// images and audio, each checked as a VLM server checks it).
size_t ContentTokens(const json& content, std::string& error) {
  if (content.is_null()) return 0;
  if (content.is_string()) return ApproxPromptTokens(content.get_ref<const std::string&>());
  if (!content.is_array()) {
    error = "message content must be a string or an array of parts";
    return 0;
  }
  size_t n = 0;
  for (const json& part : content) {
    n += SimContentPartTokens(part, error);
    if (!error.empty()) return 0;
  }
  return n;
}

size_t ChatInputTokens(const json& body, std::string& error) {
  const auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array() || messages->empty()) {
    error = "messages must be a non-empty array";
    return 0;
  }
  size_t n = 0;
  for (const json& message : *messages) {
    if (!message.is_object()) {
      error = "each message must be an object";
      return 0;
    }
    if (const auto content = message.find("content"); content != message.end()) {
      n += ContentTokens(*content, error);
      if (!error.empty()) return 0;
    }
  }
  return n;
}

size_t CompletionInputTokens(const json& body, std::string& error) {
  const auto prompt = body.find("prompt");
  if (prompt == body.end() || prompt->is_null()) {
    error = "prompt is required";
    return 0;
  }
  if (prompt->is_string()) return ApproxPromptTokens(prompt->get_ref<const std::string&>());
  if (prompt->is_array()) {
    size_t n = 0;
    for (const json& item : *prompt) {
      if (item.is_string()) {
        n += ApproxPromptTokens(item.get_ref<const std::string&>());
      } else if (item.is_number_integer()) {
        ++n;  // a prompt given as token ids
      } else if (item.is_array()) {
        n += item.size();  // a batch of token-id prompts
      } else {
        error = "prompt must be a string, strings, token ids or lists of token ids";
        return 0;
      }
    }
    return n;
  }
  error = "prompt must be a string, strings, token ids or lists of token ids";
  return 0;
}

}  // namespace

size_t ApproxPromptTokens(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

SimParseResult ParseSimRequest(SimEndpoint endpoint, std::string_view body, const SimulatorOptions& options) {
  SimParseResult result;
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    result.error = "request body is not valid JSON";
    return result;
  }
  if (!doc.is_object()) {
    result.error = "request body must be a JSON object";
    return result;
  }
  SimRequest req;
  req.endpoint = endpoint;
  std::string& error = result.error;

  const auto model = doc.find("model");
  req.model = (model != doc.end() && model->is_string()) ? model->get<std::string>() : options.model;
  req.stream = BoolField(doc, "stream", error);
  if (const auto so = doc.find("stream_options"); so != doc.end() && so->is_object()) {
    req.include_usage = BoolField(*so, "include_usage", error);
  }
  req.ignore_eos = BoolField(doc, "ignore_eos", error);
  // vLLM prefers max_completion_tokens (the newer OpenAI name) over max_tokens.
  std::optional<int> max_tokens = IntField(doc, "max_completion_tokens", error);
  if (!max_tokens) max_tokens = IntField(doc, "max_tokens", error);
  req.max_tokens = max_tokens.value_or(options.default_max_tokens);
  req.min_tokens = IntField(doc, "min_tokens", error).value_or(0);
  if (error.empty() && req.max_tokens < 1) {
    error = "max_tokens must be at least 1, got " + std::to_string(req.max_tokens);
  }
  if (error.empty() && req.min_tokens > req.max_tokens) {
    error = "min_tokens must be less than or equal to max_tokens";
  }
  if (error.empty()) {
    req.input_tokens = endpoint == SimEndpoint::kChat ? ChatInputTokens(doc, error)
                                                      : CompletionInputTokens(doc, error);
  }
  if (const auto f = doc.find("bench_fault"); error.empty() && f != doc.end() && !f->is_null()) {
    SimFaultParse fault = f->is_string() ? ParseSimFault(f->get_ref<const std::string&>())
                                         : SimFaultParse{std::nullopt, "must be a string"};
    if (fault.fault) {
      req.fault = fault.fault;
    } else {
      error = "bench_fault: " + fault.error;
    }
  }
  if (!error.empty()) return result;
  req.seed = MixSeed(options.seed, HashBytes(body));
  result.request = std::move(req);
  return result;
}

SimOutputPlan PlanOutput(const SimRequest& request, double eos_probability, SimRng& rng) {
  SimOutputPlan plan;
  plan.tokens = request.max_tokens;
  if (request.ignore_eos || eos_probability <= 0.0) return plan;
  // Token i (1-based) is the EOS with probability p once i > min_tokens; EOS itself is not
  // emitted, so an EOS drawn at token i leaves i - 1 tokens.
  for (int i = std::max(request.min_tokens, 0) + 1; i <= request.max_tokens; ++i) {
    if (rng.Uniform() < eos_probability) {
      plan.tokens = i - 1;
      plan.finish_reason = "stop";
      break;
    }
  }
  return plan;
}

std::string GenerateWords(int n, SimRng& rng, bool at_start) {
  const auto words = BuiltinWords();
  std::string out;
  out.reserve(static_cast<size_t>(std::max(n, 0)) * 8);
  for (int i = 0; i < n; ++i) {
    if (i > 0 || !at_start) out += ' ';
    out += words[rng.Below(words.size())];
  }
  return out;
}

SimResponseFormatter::SimResponseFormatter(const SimRequest& request, std::string id,
                                           int64_t created)
    : endpoint_(request.endpoint), api_(MakeSimApiStream(request, id, created)), id_(std::move(id)),
      model_(request.model), created_(created) {}

std::vector<std::string> SimResponseFormatter::OpeningEvents() const {
  if (api_) return api_->OpeningEvents();
  if (endpoint_ == SimEndpoint::kChat) return {RoleEvent()};
  return {};
}

std::string SimResponseFormatter::LastContentEvent(std::string_view text, const SimStreamEnd& end) const {
  return api_ ? api_->ContentEvent(text, &end) : ContentEvent(text);
}

std::vector<std::string> SimResponseFormatter::ClosingEvents(const SimStreamEnd& end) const {
  return api_ ? api_->ClosingEvents(end) : std::vector<std::string>{FinishEvent(end.finish_reason)};
}

std::string SimResponseFormatter::Head() const {
  const char* object =
      endpoint_ == SimEndpoint::kChat ? "chat.completion.chunk" : "text_completion";
  return "data: {\"id\":" + Quoted(id_) + ",\"object\":\"" + object +
         "\",\"created\":" + std::to_string(created_) + ",\"model\":" + Quoted(model_) + ",";
}

std::string SimResponseFormatter::RoleEvent() const {
  return Head() +
         "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
         "\"logprobs\":null,\"finish_reason\":null}]}\n\n";
}

std::string SimResponseFormatter::ReasoningEvent(std::string_view text) const {
  return Head() + "\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":" + Quoted(text) +
         "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
}

std::string SimResponseFormatter::ContentEvent(std::string_view text) const {
  if (api_) return api_->ContentEvent(text, nullptr);
  if (endpoint_ == SimEndpoint::kChat) {
    return Head() + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + Quoted(text) +
           "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  }
  return Head() + "\"choices\":[{\"index\":0,\"text\":" + Quoted(text) +
         ",\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}\n\n";
}

std::string SimResponseFormatter::FinishEvent(std::string_view finish_reason) const {
  if (endpoint_ == SimEndpoint::kChat) {
    return Head() + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":" +
           Quoted(finish_reason) + ",\"stop_reason\":null}]}\n\n";
  }
  return Head() + "\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":" +
         Quoted(finish_reason) + ",\"stop_reason\":null}]}\n\n";
}

std::string SimResponseFormatter::UsageEvent(int prompt_tokens, int completion_tokens) const {
  return Head() + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + std::to_string(prompt_tokens) +
         ",\"total_tokens\":" + std::to_string(prompt_tokens + completion_tokens) +
         ",\"completion_tokens\":" + std::to_string(completion_tokens) + "}}\n\n";
}

std::string SimResponseFormatter::DoneEvent() { return "data: [DONE]\n\n"; }

std::string SimResponseFormatter::FullResponse(std::string_view text,
                                               std::string_view finish_reason, int prompt_tokens,
                                               int completion_tokens, std::string_view reasoning) const {
  if (api_) return api_->FullResponse(text, SimStreamEnd{finish_reason, prompt_tokens, completion_tokens});
  json choice = {{"index", 0}, {"logprobs", nullptr}, {"finish_reason", finish_reason},
                 {"stop_reason", nullptr}};
  if (endpoint_ == SimEndpoint::kChat) {
    choice["message"] = {{"role", "assistant"}, {"content", text}, {"tool_calls", json::array()}};
    if (!reasoning.empty()) choice["message"]["reasoning_content"] = reasoning;
  } else {
    choice["text"] = text;
  }
  const json out = {
      {"id", id_},
      {"object", endpoint_ == SimEndpoint::kChat ? "chat.completion" : "text_completion"},
      {"created", created_},
      {"model", model_},
      {"choices", json::array({choice})},
      {"usage",
       {{"prompt_tokens", prompt_tokens},
        {"total_tokens", prompt_tokens + completion_tokens},
        {"completion_tokens", completion_tokens}}},
  };
  return out.dump();
}

std::string SimErrorBody(int code, std::string_view type, std::string_view message) {
  return json{{"error", {{"message", message}, {"type", type}, {"code", code}}}}.dump();
}

std::string SimModelsBody(std::string_view model, int64_t created) {
  const json entry = {{"id", model},          {"object", "model"},   {"created", created},
                      {"owned_by", "bench"},  {"root", model},       {"parent", nullptr}};
  return json{{"object", "list"}, {"data", json::array({entry})}}.dump();
}

}  // namespace bench
