#include "record/response_parser.h"

#include <algorithm>
#include <array>

#include "util/json_scan.h"

namespace bench {

namespace {

// Insertion-ordered so a merged event re-serialises with the server's key order, as
// GenAI-Perf's orjson does.
using OJson = nlohmann::ordered_json;

struct FormatTraits {
  ResponseFormat format;
  const char* name;
  MetricFamily family;
  bool needs_tokenizer;
};

// One row per format: a new endpoint type slots in here.
constexpr std::array<FormatTraits, 12> kTraits = {{
    {ResponseFormat::kOpenAiChat, "OPENAI_CHAT_COMPLETIONS", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiCompletions, "OPENAI_COMPLETIONS", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiMultimodal, "OPENAI_MULTIMODAL", MetricFamily::kLlm, true},
    {ResponseFormat::kOpenAiEmbeddings, "OPENAI_EMBEDDINGS", MetricFamily::kBase, false},
    {ResponseFormat::kRankings, "RANKINGS", MetricFamily::kBase, false},
    {ResponseFormat::kHuggingFaceRankings, "HUGGINGFACE_RANKINGS", MetricFamily::kBase, false},
    {ResponseFormat::kImageRetrieval, "IMAGE_RETRIEVAL", MetricFamily::kImageRetrieval, false},
    {ResponseFormat::kHuggingFaceGenerate, "HUGGINGFACE_GENERATE", MetricFamily::kLlm, true},
    {ResponseFormat::kTritonGenerate, "TRITON_GENERATE", MetricFamily::kLlm, true},
    {ResponseFormat::kTriton, "TRITON", MetricFamily::kLlm, true},
    {ResponseFormat::kTritonCApi, "TRITON_C_API", MetricFamily::kLlm, false},
    {ResponseFormat::kDynamicGrpc, "DYNAMIC_GRPC", MetricFamily::kBase, false},
}};

const FormatTraits& TraitsOf(ResponseFormat format) {
  for (const auto& t : kTraits) {
    if (t.format == format) return t;
  }
  return kTraits[0];
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view Strip(std::string_view s) {
  // Python str.strip() without arguments: ASCII whitespace is what matters here.
  constexpr std::string_view kWs = " \t\n\r\f\v";
  const size_t b = s.find_first_not_of(kWs);
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(kWs);
  return s.substr(b, e - b + 1);
}

// SSE allows CRLF line ends; GenAI-Perf only splits on "\n\n", so normalise first.
std::string NormalizeNewlines(std::string_view s) {
  // Most servers send LF only: one copy, no byte loop.
  if (s.find('\r') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// GenAI-Perf's not_data_sse_field: comment, event, id and retry lines carry no data.
bool IsNonDataField(std::string_view s) {
  return StartsWith(s, ":") || StartsWith(s, "event:") || StartsWith(s, "id:") ||
         StartsWith(s, "retry:");
}

bool IsSseStart(std::string_view s) { return StartsWith(s, "data:") || IsNonDataField(s); }

// Position of a "data:" field that starts a line, or npos. Line-anchored so text inside a
// JSON string ("...data: x...") is not mistaken for an event boundary.
size_t FindLineStartData(std::string_view s) {
  size_t pos = 0;
  while ((pos = s.find("data:", pos)) != std::string_view::npos) {
    if (pos == 0 || s[pos - 1] == '\n') return pos;
    ++pos;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> SplitEvents(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find("\n\n", start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 2;
  }
}

// One SSE event block (no blank line inside). Its data views the block when the event has one
// data line (the common case); only several lines are copied, to be joined.
struct SseEvent {
  bool has_data = false;
  bool is_error = false;
  std::string_view line;  // the only data line's value
  std::string joined;     // several data lines, joined with '\n'
  bool several = false;
  std::string_view data() const { return several ? std::string_view(joined) : line; }
};

SseEvent ParseEvent(std::string_view block) {
  SseEvent ev;
  size_t start = 0;
  while (start <= block.size()) {
    size_t end = block.find('\n', start);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(start, end - start);
    if (StartsWith(line, "data:")) {
      if (!ev.has_data) {
        ev.line = line.substr(5);
      } else {
        if (!ev.several) ev.joined.assign(ev.line);
        ev.several = true;
        ev.joined.push_back('\n');
        ev.joined.append(line.substr(5));
      }
      ev.has_data = true;
    } else if (StartsWith(line, "event:") &&
               line.find("error") != std::string_view::npos) {
      // GenAI-Perf's sse_error_occurred: an `event:` whose text mentions "error".
      ev.is_error = true;
    }
    start = end + 1;
  }
  if (ev.is_error) ev.has_data = false;  // an error event's payload is not model output
  return ev;
}

// Text of a string-or-null JSON value; anything else is an error.
bool TextOf(const OJson& v, std::string& out) {
  if (v.is_null()) {
    out.clear();
    return true;
  }
  if (v.is_string()) {
    out = v.get<std::string>();
    return true;
  }
  return false;
}

// Pointer to the JSON value holding an OpenAI response's text, or null when absent.
// `error` is set when the body is not an OpenAI completion/chat object.
const OJson* OpenAiTextSlot(const OJson& data, std::string& error) {
  if (!data.is_object()) {
    error = "OpenAI response is not a JSON object";
    return nullptr;
  }
  const auto choices = data.find("choices");
  if (choices == data.end() || !choices->is_array()) {
    error = "OpenAI response has no 'choices' array";
    return nullptr;
  }
  // A usage-only chunk (choices: []) carries no text; GenAI-Perf trips over it with an
  // IndexError that it counts as a failure, bench treats it as empty.
  if (choices->empty()) return nullptr;
  const OJson& c = (*choices)[0];
  if (!c.is_object()) {
    error = "OpenAI response choice is not an object";
    return nullptr;
  }
  auto field = [&](const OJson& obj, const char* key) -> const OJson* {
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  };
  const auto obj = data.find("object");
  // No "object": vLLM's completions stream (GenAI-Perf's TPA-47 workaround).
  if (obj == data.end() || *obj == "text_completion") return field(c, "text");
  if (*obj == "chat.completion" || *obj == "chat.completion.chunk") {
    const char* holder = *obj == "chat.completion" ? "message" : "delta";
    const OJson* m = field(c, holder);
    if (m == nullptr || !m->is_object()) {
      error = std::string("OpenAI ") + obj->dump() + " response has no '" + holder + "' object";
      return nullptr;
    }
    // reasoning_content is ignored on purpose: GenAI-Perf counts only content.
    return field(*m, "content");
  }
  error = "unknown OpenAI response object type " +
          obj->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nullptr;
}

// Text of a parsed JSON body in `format`.
TextExtraction TextFromJson(ResponseFormat format, const OJson& data) {
  TextExtraction r;
  switch (format) {
    case ResponseFormat::kOpenAiChat:
    case ResponseFormat::kOpenAiCompletions:
    case ResponseFormat::kOpenAiMultimodal: {
      const OJson* slot = OpenAiTextSlot(data, r.error);
      if (slot != nullptr && !TextOf(*slot, r.text)) r.error = "OpenAI response text is not a string";
      return r;
    }
    case ResponseFormat::kTritonGenerate:
    case ResponseFormat::kTriton: {
      if (!data.is_object() || !data.contains("text_output")) {
        r.error = "response has no 'text_output'";
      } else if (!TextOf(data["text_output"], r.text)) {
        r.error = "'text_output' is not a string";
      }
      return r;
    }
    case ResponseFormat::kHuggingFaceGenerate: {
      if (!data.is_array()) {
        r.error = "Hugging Face generate response is not a list";
      } else if (!data.empty()) {
        const OJson& item = data[0];
        if (!item.is_object()) {
          r.error = "Hugging Face generate response item is not an object";
        } else if (item.contains("generated_text") && !TextOf(item["generated_text"], r.text)) {
          r.error = "'generated_text' is not a string";
        }
      }
      return r;
    }
    default:
      return r;  // formats without text
  }
}

bool HasText(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kOpenAiChat:
    case ResponseFormat::kOpenAiCompletions:
    case ResponseFormat::kOpenAiMultimodal:
    case ResponseFormat::kTritonGenerate:
    case ResponseFormat::kTriton:
    case ResponseFormat::kHuggingFaceGenerate:
      return true;
    default:
      return false;
  }
}

OJson ParseJson(std::string_view s) {
  return OJson::parse(s.begin(), s.end(), nullptr, /*allow_exceptions=*/false);
}

// OpenAiTextSlot's successful cases read straight from the text (no DOM): the text of a
// well-formed OpenAI completion or chat body, or nullopt for anything else (invalid JSON, an
// unexpected shape), which the DOM path then reports exactly as before.
std::optional<std::string> FastOpenAiText(std::string_view payload) {
  // One pass validates and indexes the event, so the four lookups below walk members instead of
  // rescanning the text; one document per thread keeps the index's storage from event to event.
  thread_local JsonDocument doc;
  const std::optional<JsonValue> data = doc.Parse(payload);
  if (!data || !data->is_object()) return std::nullopt;
  const std::optional<JsonValue> choices = data->Member("choices");
  if (!choices || !choices->is_array()) return std::nullopt;
  if (choices->empty()) return std::string();
  const std::optional<JsonValue> c = choices->First();
  if (!c->is_object()) return std::nullopt;
  const std::optional<JsonValue> obj = data->Member("object");
  std::optional<JsonValue> slot;
  if (!obj || obj->StringEquals("text_completion")) {
    slot = c->Member("text");
  } else {
    const bool chunk = obj->StringEquals("chat.completion.chunk");
    if (!chunk && !obj->StringEquals("chat.completion")) return std::nullopt;
    const std::optional<JsonValue> holder = c->Member(chunk ? "delta" : "message");
    if (!holder || !holder->is_object()) return std::nullopt;
    slot = holder->Member("content");
  }
  if (!slot || slot->is_null()) return std::string();
  if (!slot->is_string()) return std::nullopt;
  return slot->String();
}

bool IsOpenAiText(ResponseFormat format) {
  return format == ResponseFormat::kOpenAiChat || format == ResponseFormat::kOpenAiCompletions ||
         format == ResponseFormat::kOpenAiMultimodal;
}


// Writes `text` where TextFromJson reads it. False when the body has no such place.
bool SetText(ResponseFormat format, OJson& data, const std::string& text) {
  if (format == ResponseFormat::kTritonGenerate || format == ResponseFormat::kTriton) {
    if (!data.is_object()) return false;
    data["text_output"] = text;
    return true;
  }
  if (format == ResponseFormat::kHuggingFaceGenerate) {
    if (!data.is_array() || data.empty() || !data[0].is_object()) return false;
    data[0]["generated_text"] = text;
    return true;
  }
  if (!data.is_object() || !data.contains("choices") || !data["choices"].is_array() ||
      data["choices"].empty() || !data["choices"][0].is_object()) {
    return false;
  }
  OJson& c = data["choices"][0];
  const auto obj = data.find("object");
  if (obj == data.end() || *obj == "text_completion") {
    c["text"] = text;
  } else if (*obj == "chat.completion" && c.contains("message") && c["message"].is_object()) {
    c["message"]["content"] = text;
  } else if (*obj == "chat.completion.chunk" && c.contains("delta") && c["delta"].is_object()) {
    c["delta"]["content"] = text;
  } else {
    return false;
  }
  return true;
}

// A view into `output`, which outlives every use: one copy fewer per read.
std::string_view ResponseString(const nlohmann::json& output) {
  if (output.is_object()) {
    const auto it = output.find("response");
    if (it != output.end() && it->is_string()) return it->get_ref<const std::string&>();
  } else if (output.is_string()) {
    return output.get_ref<const std::string&>();
  }
  return {};
}

}  // namespace

const char* ResponseFormatName(ResponseFormat format) { return TraitsOf(format).name; }

std::optional<ResponseFormat> ResponseFormatFromName(std::string_view name) {
  for (const auto& t : kTraits) {
    if (name == t.name) return t.format;
  }
  struct Alias {
    std::string_view name;
    ResponseFormat format;
  };
  static constexpr std::array<Alias, 15> kAliases = {{
      {"chat", ResponseFormat::kOpenAiChat},
      {"completions", ResponseFormat::kOpenAiCompletions},
      {"embeddings", ResponseFormat::kOpenAiEmbeddings},
      {"nvclip", ResponseFormat::kOpenAiEmbeddings},
      {"rankings", ResponseFormat::kRankings},
      {"rankings_tei", ResponseFormat::kHuggingFaceRankings},
      {"multimodal", ResponseFormat::kOpenAiMultimodal},
      {"vision", ResponseFormat::kOpenAiMultimodal},
      {"image_retrieval", ResponseFormat::kImageRetrieval},
      {"huggingface_generate", ResponseFormat::kHuggingFaceGenerate},
      {"generate", ResponseFormat::kTritonGenerate},
      {"kserve", ResponseFormat::kTriton},
      {"template", ResponseFormat::kTriton},
      {"tensorrtllm_engine", ResponseFormat::kTritonCApi},
      {"dynamic_grpc", ResponseFormat::kDynamicGrpc},
  }};
  for (const auto& a : kAliases) {
    if (name == a.name) return a.format;
  }
  return std::nullopt;
}

MetricFamily FamilyOf(ResponseFormat format) { return TraitsOf(format).family; }

bool NeedsTokenizer(ResponseFormat format) { return TraitsOf(format).needs_tokenizer; }

FormatInference InferResponseFormat(std::string_view service_kind, std::string_view endpoint,
                                    const nlohmann::json* first_request_inputs,
                                    const nlohmann::json* first_response_output) {
  FormatInference r;
  if (service_kind == "triton") {
    r.format = ResponseFormat::kTriton;
  } else if (service_kind == "triton_c_api") {
    r.format = ResponseFormat::kTritonCApi;
  } else if (service_kind == "dynamic_grpc") {
    r.format = ResponseFormat::kDynamicGrpc;
  } else if (service_kind == "openai") {
    while (StartsWith(endpoint, "/")) endpoint.remove_prefix(1);
    std::string payload;
    if (first_request_inputs != nullptr && first_request_inputs->is_object()) {
      const auto it = first_request_inputs->find("payload");
      if (it != first_request_inputs->end() && it->is_string()) payload = it->get<std::string>();
    }
    // GenAI-Perf peeks at the first request for lack of PA metadata (its TPA-66).
    const bool multimodal = payload.find("image_url") != std::string::npos ||
                            payload.find("input_audio") != std::string::npos;
    if (endpoint == "rerank") {
      r.format = ResponseFormat::kHuggingFaceRankings;
    } else if (endpoint == "v1/chat/completions") {
      r.format = multimodal ? ResponseFormat::kOpenAiMultimodal : ResponseFormat::kOpenAiChat;
    } else if (endpoint == "v1/completions") {
      r.format = ResponseFormat::kOpenAiCompletions;
    } else if (endpoint == "v1/embeddings") {
      r.format = ResponseFormat::kOpenAiEmbeddings;
    } else if (endpoint == "v1/ranking") {
      r.format = ResponseFormat::kRankings;
    } else if (endpoint == "v1/infer") {
      r.format = ResponseFormat::kImageRetrieval;
    } else if (endpoint.find("huggingface/generate") != std::string_view::npos) {
      r.format = ResponseFormat::kHuggingFaceGenerate;
    } else if (endpoint.find("generate") != std::string_view::npos) {
      r.format = ResponseFormat::kTritonGenerate;
    } else {
      const std::string_view response =
          first_response_output != nullptr ? ResponseString(*first_response_output) : "";
      if (response.find("chat.completion") != std::string::npos) {
        r.format = multimodal ? ResponseFormat::kOpenAiMultimodal : ResponseFormat::kOpenAiChat;
      } else if (response.find("text_completion") != std::string::npos) {
        r.format = ResponseFormat::kOpenAiCompletions;
      } else if (response.find("embedding") != std::string::npos) {
        r.format = ResponseFormat::kOpenAiEmbeddings;
      } else if (response.find("ranking") != std::string::npos) {
        r.format = ResponseFormat::kRankings;
      } else if (response.find("image_retrieval") != std::string::npos) {
        r.format = ResponseFormat::kImageRetrieval;
      } else if (response.find("generated_text") != std::string::npos) {
        // Bench addition: TGI's default path is the server root, which GenAI-Perf cannot place.
        r.format = ResponseFormat::kHuggingFaceGenerate;
      } else {
        r.error = "unknown OpenAI response format for endpoint '" + std::string(endpoint) +
                  "'; pass the endpoint type explicitly";
      }
    }
  } else {
    r.error = "unknown service kind '" + std::string(service_kind) + "'";
  }
  return r;
}

TextExtraction ExtractText(ResponseFormat format, std::string_view response) {
  if (!HasText(format)) return {};
  const std::string normalized = NormalizeNewlines(response);
  const std::string_view s = Strip(normalized);
  if (s.empty()) return {};
  if (!IsSseStart(s)) return detail::TextFromPayload(format, s);
  // A response holding several events yields their concatenated text, as after merging.
  TextExtraction total;
  for (std::string_view block : SplitEvents(s)) {
    const SseEvent ev = ParseEvent(Strip(block));
    if (!ev.has_data) continue;
    TextExtraction part = detail::TextFromPayload(format, ev.data());
    if (!part.error.empty()) return part;
    total.text += part.text;
  }
  return total;
}

bool IsEmptyResponse(ResponseFormat format, std::string_view response) {
  const TextExtraction t = ExtractText(format, response);
  return !t.error.empty() || t.text.empty();
}

ProcessedResponses PreprocessResponses(ResponseFormat format,
                                       std::span<const nlohmann::json> outputs,
                                       std::span<const int64_t> timestamps, RawResponses raw) {
  ProcessedResponses out;
  const bool keep_raw = raw == RawResponses::kKeep;
  const size_t n = std::min(outputs.size(), timestamps.size());

  if (format == ResponseFormat::kTritonCApi) {
    // OSL is the number of output ids: a list counts its length, an int counts 1 and anything
    // else (an empty first/last response) counts one placeholder token, as GenAI-Perf does.
    for (size_t i = 0; i < n; ++i) {
      out.timestamps.push_back(timestamps[i]);
      const nlohmann::json& o = outputs[i];
      const auto it = o.is_object() ? o.find("output_ids") : o.end();
      if (o.is_object() && it != o.end() && it->is_array()) {
        out.output_id_count += it->size();
      } else {
        out.output_id_count += 1;
      }
      out.texts.emplace_back();
    }
    return out;
  }

  if (format == ResponseFormat::kTriton) {
    // KServe outputs carry text directly and GenAI-Perf removes nothing for them.
    for (size_t i = 0; i < n; ++i) {
      out.timestamps.push_back(timestamps[i]);
      std::string text;
      const nlohmann::json& o = outputs[i];
      const auto it = o.is_object() ? o.find("text_output") : o.end();
      if (o.is_object() && it != o.end()) {
        if (it->is_string()) {
          text = it->get<std::string>();
        } else if (it->is_array()) {  // batched BYTES
          for (const auto& part : *it) {
            if (part.is_string()) text += part.get<std::string>();
          }
        }
      }
      if (keep_raw) out.raw.push_back(text);
      out.texts.push_back(std::move(text));
    }
    return out;
  }

  const bool sse_format = format == ResponseFormat::kOpenAiChat ||
                          format == ResponseFormat::kOpenAiCompletions ||
                          format == ResponseFormat::kOpenAiMultimodal ||
                          format == ResponseFormat::kTritonGenerate;
  if (!sse_format) {
    // Hugging Face generate and the non-LLM parsers use every response as exported.
    for (size_t i = 0; i < n; ++i) {
      out.timestamps.push_back(timestamps[i]);
      const std::string_view response = ResponseString(outputs[i]);
      if (keep_raw) out.raw.emplace_back(response);
      TextExtraction t = ExtractText(format, response);
      if (!t.error.empty()) ++out.failed;
      out.texts.push_back(std::move(t.text));
    }
    return out;
  }

  std::vector<std::string> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = NormalizeNewlines(ResponseString(outputs[i]));

  // 1. Splintered SSE: a read that does not start an event belongs to the previous read, so
  // the stitched event keeps the timestamp of its first fragment. GenAI-Perf walks backwards,
  // re-copying the growing tail at every step (quadratic in the number of reads of one large
  // event); appending forwards to the last read that starts an event gives the same strings.
  size_t anchor = 0;
  for (size_t i = 1; i < n; ++i) {
    std::string& s = r[i];
    if (IsNonDataField(s) || StartsWith(s, "data:")) {
      anchor = i;
      continue;
    }
    const size_t idx = FindLineStartData(s);
    if (idx == std::string::npos) {
      r[anchor] += s;
      s.clear();
    } else {
      r[anchor].append(s, 0, idx);
      s.erase(0, idx);
      anchor = i;
    }
  }

  // 2. Several events in one read become one response (the read's timestamp), with the first
  // data event's JSON carrying the concatenated text. Error events are counted and dropped.
  std::vector<std::string> texts(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = Strip(r[i]);
    if (s.empty()) {
      r[i].clear();
      continue;
    }
    if (!IsSseStart(s)) {  // a plain JSON body (non-streaming)
      TextExtraction t = detail::TextFromPayload(format, s);
      if (!t.error.empty()) ++out.failed;
      if (!t.error.empty() || t.text.empty()) r[i].clear();
      texts[i] = std::move(t.text);
      continue;
    }
    const std::vector<std::string_view> blocks = SplitEvents(s);
    std::string merged_text;
    // The first event with text is the base a merged response is re-serialised from; only it
    // needs a DOM, built once after the loop (the texts come DOM-free where they can).
    // A view into r[i], or into `base_copy` when the event's data lines had to be joined.
    std::optional<std::string_view> base_payload;
    std::string base_copy;
    for (std::string_view block : blocks) {
      const SseEvent ev = ParseEvent(Strip(block));
      if (ev.is_error) ++out.failed;
      if (!ev.has_data) continue;
      std::string_view payload = Strip(ev.data());
      if (payload.empty() || payload == "[DONE]") continue;
      TextExtraction t = detail::TextFromPayload(format, payload);
      if (!t.error.empty()) {
        ++out.failed;
        continue;
      }
      merged_text += t.text;
      if (!base_payload) {
        if (ev.several) payload = base_copy.assign(payload);
        base_payload = payload;
      }
    }
    if (merged_text.empty()) {
      r[i].clear();
    } else if (keep_raw && blocks.size() > 1 && base_payload) {
      OJson base = ParseJson(*base_payload);
      if (SetText(format, base, merged_text)) {
        r[i] = base.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    }
    texts[i] = std::move(merged_text);
  }

  // 3. Responses without text are removed together with their timestamps.
  for (size_t i = 0; i < n; ++i) {
    if (r[i].empty()) continue;
    out.timestamps.push_back(timestamps[i]);
    if (keep_raw) out.raw.push_back(std::move(r[i]));
    out.texts.push_back(std::move(texts[i]));
  }
  return out;
}

namespace detail {
TextExtraction TextFromPayload(ResponseFormat format, std::string_view payload) {
  payload = Strip(payload);
  if (payload.empty() || payload == "[DONE]") return {};
  if (IsOpenAiText(format)) {
    if (std::optional<std::string> text = FastOpenAiText(payload)) return {std::move(*text), {}};
  }
  return TextFromPayloadByDom(format, payload);
}

TextExtraction TextFromPayloadByDom(ResponseFormat format, std::string_view payload) {
  payload = Strip(payload);
  if (payload.empty() || payload == "[DONE]") return {};
  const OJson data = ParseJson(payload);
  if (data.is_discarded()) {
    TextExtraction r;
    r.error = "response is not valid JSON";
    return r;
  }
  return TextFromJson(format, data);
}
}  // namespace detail

}  // namespace bench
