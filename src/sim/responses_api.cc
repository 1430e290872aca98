#include "sim/responses_api.h"

#include <nlohmann/json.hpp>

#include "sim/simulator.h"

namespace bench {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // what the simulator writes: the servers' own field order

// Tokens of one input message's content: a string, or the text of its parts.
size_t ContentTokens(const json& content) {
  if (content.is_string()) return ApproxPromptTokens(content.get_ref<const std::string&>());
  size_t n = 0;
  if (!content.is_array()) return n;
  for (const json& part : content) {
    if (!part.is_object()) continue;
    const auto text = part.find("text");
    if (text != part.end() && text->is_string()) n += ApproxPromptTokens(text->get_ref<const std::string&>());
  }
  return n;
}

size_t InputTokens(const json& doc, std::string& error) {
  const auto input = doc.find("input");
  if (input != doc.end() && input->is_string()) return ApproxPromptTokens(input->get_ref<const std::string&>());
  if (input == doc.end() || !input->is_array() || input->empty()) {
    error = "input must be a string or a non-empty array of messages";
    return 0;
  }
  size_t n = 0;
  for (const json& item : *input) {
    if (!item.is_object()) {
      error = "each input item must be an object";
      return 0;
    }
    if (const auto content = item.find("content"); content != item.end()) n += ContentTokens(*content);
  }
  return n;
}

std::string Hex(std::string_view id) { return std::string(id.substr(id.find('-') + 1)); }

class ResponsesStream final : public SimApiStream {
 public:
  // `id` is the connection's "cmpl-<hex>"; OpenAI's ids are "resp_<hex>" and "msg_<hex>".
  ResponsesStream(std::string model, std::string_view id, int64_t created)
      : model_(std::move(model)), id_("resp_" + Hex(id)), item_id_("msg_" + Hex(id)), created_(created) {}

  std::vector<std::string> OpeningEvents() override {
    return {Event("response.created", {{"response", Response("in_progress", "", nullptr)}}),
            Event("response.in_progress", {{"response", Response("in_progress", "", nullptr)}}),
            Event("response.output_item.added", {{"output_index", 0}, {"item", Item("in_progress", nullptr)}}),
            Event("response.content_part.added", {{"item_id", item_id_}, {"output_index", 0}, {"content_index", 0},
                                                  {"part", Part("")}})};
  }

  std::string ContentEvent(std::string_view text, const SimStreamEnd*) override {
    answer_ += text;
    return Event("response.output_text.delta", {{"item_id", item_id_},
                                                {"output_index", 0},
                                                {"content_index", 0},
                                                {"delta", text},
                                                {"logprobs", ojson::array()}});
  }

  std::vector<std::string> ClosingEvents(const SimStreamEnd& end) override {
    const bool cut = end.finish_reason == "length";
    return {Event("response.output_text.done", {{"item_id", item_id_}, {"output_index", 0}, {"content_index", 0},
                                                {"text", answer_}, {"logprobs", ojson::array()}}),
            Event("response.content_part.done",
                  {{"item_id", item_id_}, {"output_index", 0}, {"content_index", 0}, {"part", Part(answer_)}}),
            Event("response.output_item.done", {{"output_index", 0}, {"item", Item("completed", &answer_)}}),
            Event(cut ? "response.incomplete" : "response.completed",
                  {{"response", Response(cut ? "incomplete" : "completed", answer_, &end)}})};
  }

  std::string FullResponse(std::string_view text, const SimStreamEnd& end) override {
    answer_ = std::string(text);
    return Response(end.finish_reason == "length" ? "incomplete" : "completed", answer_, &end).dump();
  }

 private:
  // One SSE event: its name on an `event:` line and again as the payload's `type`.
  std::string Event(const char* type, ojson fields) {
    ojson payload = {{"type", type}, {"sequence_number", sequence_++}};
    for (auto& [key, value] : fields.items()) payload[key] = std::move(value);
    return std::string("event: ") + type + "\ndata: " + payload.dump() + "\n\n";
  }

  static ojson Part(std::string_view text) {
    return {{"type", "output_text"}, {"text", text}, {"annotations", ojson::array()}, {"logprobs", ojson::array()}};
  }

  // The message item; its content is the answer once there is one.
  ojson Item(const char* status, const std::string* text) const {
    return {{"id", item_id_},
            {"type", "message"},
            {"status", status},
            {"role", "assistant"},
            {"content", text != nullptr ? ojson::array({Part(*text)}) : ojson::array()}};
  }

  // The response object; `end` adds the output, usage and why it stopped.
  ojson Response(const char* status, const std::string& text, const SimStreamEnd* end) const {
    ojson r = {{"id", id_},          {"object", "response"}, {"created_at", created_}, {"status", status},
              {"error", nullptr},   {"incomplete_details", nullptr},                   {"model", model_},
              {"output", ojson::array()}, {"usage", nullptr}};
    if (end == nullptr) return r;
    r["output"] = ojson::array({Item("completed", &text)});
    if (end->finish_reason == "length") r["incomplete_details"] = {{"reason", "max_output_tokens"}};
    r["usage"] = {{"input_tokens", end->prompt_tokens},
                  {"input_tokens_details", {{"cached_tokens", 0}}},
                  {"output_tokens", end->completion_tokens},
                  {"output_tokens_details", {{"reasoning_tokens", 0}}},
                  {"total_tokens", end->prompt_tokens + end->completion_tokens}};
    return r;
  }

  std::string model_;
  std::string id_;
  std::string item_id_;
  int64_t created_;
  int sequence_ = 0;
  std::string answer_;
};

}  // namespace

SimParseResult ParseResponsesRequest(std::string_view body, const SimulatorOptions& options) {
  SimParseResult result;
  std::string& error = result.error;
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = doc.is_discarded() ? "request body is not valid JSON" : "request body must be a JSON object";
    return result;
  }
  SimRequest req;
  req.endpoint = SimEndpoint::kResponses;
  const auto model = doc.find("model");
  req.model = model != doc.end() && model->is_string() ? model->get<std::string>() : options.model;
  req.stream = SimApiBoolField(doc, "stream", error);
  req.max_tokens = SimApiIntField(doc, "max_output_tokens", error).value_or(options.default_max_tokens);
  req.ignore_eos = SimApiBoolField(doc, "ignore_eos", error);  // vLLM's extension, for fixed lengths
  req.min_tokens = SimApiIntField(doc, "min_tokens", error).value_or(0);
  if (error.empty() && req.max_tokens < 1) error = "max_output_tokens must be at least 1";
  if (error.empty() && req.min_tokens > req.max_tokens) error = "min_tokens must not exceed max_output_tokens";
  if (error.empty()) req.input_tokens = InputTokens(doc, error);
  if (error.empty()) error = FinishSimApiRequest(doc, body, options.seed, req);
  if (error.empty()) result.request = std::move(req);
  return result;
}

std::unique_ptr<SimApiStream> MakeResponsesStream(const SimRequest& request, std::string_view id, int64_t created) {
  return std::make_unique<ResponsesStream>(request.model, id, created);
}

}  // namespace bench
