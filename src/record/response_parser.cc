#include "record/response_parser.h"

#include <algorithm>

#include "record/endpoint_text.h"
#include "record/sse.h"
#include "record/validated_text.h"
#include "util/json_scan.h"

namespace bench {

namespace {

// Insertion-ordered so a merged event re-serialises with the server's key order, as
// GenAI-Perf's orjson does.
using OJson = nlohmann::ordered_json;

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
    case ResponseFormat::kHuggingFaceGenerate:
      return HuggingFaceGenerateText(data);  // record/endpoint_text
    case ResponseFormat::kOpenAiResponses:
      return ResponsesText(data);
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
    case ResponseFormat::kOpenAiResponses:
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
  if (format == ResponseFormat::kHuggingFaceGenerate) return SetHuggingFaceGenerateText(data, text);
  if (format == ResponseFormat::kOpenAiResponses) return SetResponsesText(data, text);
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

}  // namespace

TextExtraction ExtractText(ResponseFormat format, std::string_view response) {
  if (!HasText(format)) return {};
  const std::string normalized = NormalizeNewlines(response);
  const std::string_view s = StripView(normalized);
  if (s.empty()) return {};
  if (!IsSseStart(s)) return detail::TextFromPayload(format, s);
  // A response holding several events yields their concatenated text, as after merging.
  TextExtraction total;
  for (std::string_view block : SplitSseEvents(s)) {
    const SseEvent ev = ParseSseEvent(StripView(block));
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

namespace {

// TRT-LLM's C API: OSL is the number of output ids: a list counts its length, an int counts 1
// and anything else (an empty first/last response) counts one placeholder token, as GenAI-Perf
// does.
ProcessedResponses CountOutputIds(const ResponseOutputs& outputs, std::span<const int64_t> timestamps) {
  ProcessedResponses out;
  for (size_t i = 0; i < timestamps.size(); ++i) {
    out.timestamps.push_back(timestamps[i]);
    size_t ids = 1;  // the compact form holds strings only: never a list of ids
    if (!outputs.compact() && outputs.Json(i).is_object()) {
      const nlohmann::json& o = outputs.Json(i);
      const auto it = o.find("output_ids");
      if (it != o.end() && it->is_array()) ids = it->size();
    }
    out.output_id_count += ids;
    out.texts.emplace_back();
  }
  return out;
}

// KServe outputs carry text directly and GenAI-Perf removes nothing for them.
ProcessedResponses KServeTexts(const ResponseOutputs& outputs, std::span<const int64_t> timestamps, bool keep_raw) {
  ProcessedResponses out;
  for (size_t i = 0; i < timestamps.size(); ++i) {
    out.timestamps.push_back(timestamps[i]);
    std::string text;
    if (const std::optional<std::string_view> s = outputs.StringAt(i, "text_output")) {
      text = *s;
    } else if (!outputs.compact() && outputs.Json(i).is_object()) {
      const nlohmann::json& o = outputs.Json(i);
      const auto it = o.find("text_output");
      if (it != o.end() && it->is_array()) {  // batched BYTES
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

// Hugging Face generate and the non-LLM parsers use every response as exported.
ProcessedResponses EveryResponse(ResponseFormat format, const ResponseOutputs& outputs,
                                 std::span<const int64_t> timestamps, bool keep_raw) {
  ProcessedResponses out;
  for (size_t i = 0; i < timestamps.size(); ++i) {
    out.timestamps.push_back(timestamps[i]);
    const std::string_view response = outputs.ResponseString(i);
    if (keep_raw) out.raw.emplace_back(response);
    TextExtraction t = ExtractText(format, response);
    if (!t.error.empty()) ++out.failed;
    out.texts.push_back(std::move(t.text));
  }
  return out;
}

// One stitched read holding several events becomes one response (the read's timestamp), with
// the first data event's JSON carrying the concatenated text. Error events are counted and
// dropped. Returns the read's text, nullopt when it has none (the read is removed); `merged`
// (when given) receives the merged event's JSON when the read held several events.
std::optional<std::string> TextOfRead(ResponseFormat format, std::string_view read, size_t& failed, JsonTexts json,
                                      std::string* merged) {
  const std::string_view s = StripView(read);
  if (s.empty()) return std::nullopt;
  if (!IsSseStart(s)) {  // a plain JSON body (non-streaming)
    TextExtraction t = detail::TextFromPayload(format, s, json);
    if (!t.error.empty()) ++failed;
    if (!t.error.empty() || t.text.empty()) return std::nullopt;
    return std::move(t.text);
  }
  const std::vector<std::string_view> blocks = SplitSseEvents(s);
  std::string merged_text;
  // The first event with text is the base a merged response is re-serialised from; only it
  // needs a DOM, built once after the loop (the texts come DOM-free where they can).
  // A view into `read`, or into `base_copy` when the event's data lines had to be joined.
  std::optional<std::string_view> base_payload;
  std::string base_copy;
  for (std::string_view block : blocks) {
    const SseEvent ev = ParseSseEvent(StripView(block));
    if (ev.is_error) ++failed;
    if (!ev.has_data) continue;
    std::string_view payload = StripView(ev.data());
    if (payload.empty() || payload == "[DONE]") continue;
    TextExtraction t = detail::TextFromPayload(format, payload, json);
    if (!t.error.empty()) {
      ++failed;
      continue;
    }
    merged_text += t.text;
    if (!base_payload) {
      if (ev.several) payload = base_copy.assign(payload);
      base_payload = payload;
    }
  }
  if (merged_text.empty()) return std::nullopt;
  if (merged != nullptr && blocks.size() > 1 && base_payload) {
    OJson base = ParseJson(*base_payload);
    if (SetText(format, base, merged_text)) *merged = base.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return merged_text;
}

// TextOfRead on a read that is kept: emptied when it has no text (so it is removed), or
// replaced by the merged event when `keep_raw`.
std::string MergeEventsOfRead(ResponseFormat format, std::string& read, bool keep_raw, size_t& failed,
                              JsonTexts json) {
  std::string merged;
  std::optional<std::string> text = TextOfRead(format, read, failed, json, keep_raw ? &merged : nullptr);
  if (!text) {
    read.clear();
    return {};
  }
  if (!merged.empty()) read = std::move(merged);
  return std::move(*text);
}

// True when normalising newlines and stitching would leave every read as it is: no CR, and
// every read after the first empty or starting a field. Then the reads need no copies.
bool ReadsNeedNoRework(const ResponseOutputs& outputs, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = outputs.ResponseString(i);
    if (s.find('\r') != std::string_view::npos) return false;
    if (i > 0 && !s.empty() && !IsNonDataField(s) && !s.starts_with("data:")) return false;
  }
  return true;
}

// The SSE formats: splintered reads stitched, each read's events merged, and responses
// without text removed together with their timestamps.
ProcessedResponses PreprocessSse(ResponseFormat format, const ResponseOutputs& outputs,
                                 std::span<const int64_t> timestamps, bool keep_raw, JsonTexts json) {
  ProcessedResponses out;
  const size_t n = timestamps.size();
  if (!keep_raw && ReadsNeedNoRework(outputs, n)) {
    // The usual case: each read's text straight from the record (a copy of a 100-chunk body
    // per request was 2.5 % of a whole run).
    for (size_t i = 0; i < n; ++i) {
      std::optional<std::string> text = TextOfRead(format, outputs.ResponseString(i), out.failed, json, nullptr);
      if (!text) continue;
      out.timestamps.push_back(timestamps[i]);
      out.texts.push_back(std::move(*text));
    }
    return out;
  }
  std::vector<std::string> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = NormalizeNewlines(outputs.ResponseString(i));
  StitchSplinteredReads(r);
  std::vector<std::string> texts(n);
  for (size_t i = 0; i < n; ++i) texts[i] = MergeEventsOfRead(format, r[i], keep_raw, out.failed, json);
  for (size_t i = 0; i < n; ++i) {
    if (r[i].empty()) continue;
    out.timestamps.push_back(timestamps[i]);
    if (keep_raw) out.raw.push_back(std::move(r[i]));
    out.texts.push_back(std::move(texts[i]));
  }
  return out;
}

// True when the first non-blank read starts an SSE field.
bool HoldsSse(const ResponseOutputs& outputs, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = StripView(outputs.ResponseString(i));
    if (!s.empty()) return IsSseStart(s);
  }
  return false;
}

}  // namespace

ProcessedResponses PreprocessResponses(ResponseFormat format, const ResponseOutputs& outputs,
                                       std::span<const int64_t> timestamps, RawResponses raw, JsonTexts json) {
  const bool keep_raw = raw == RawResponses::kKeep;
  // The helpers read the first timestamps.size() outputs.
  timestamps = timestamps.first(std::min(outputs.size(), timestamps.size()));
  switch (format) {
    case ResponseFormat::kTritonCApi:
      return CountOutputIds(outputs, timestamps);
    case ResponseFormat::kTriton:
      return KServeTexts(outputs, timestamps, keep_raw);
    case ResponseFormat::kOpenAiChat:
    case ResponseFormat::kOpenAiCompletions:
    case ResponseFormat::kOpenAiMultimodal:
    case ResponseFormat::kTritonGenerate:
    case ResponseFormat::kOpenAiResponses:
      return PreprocessSse(format, outputs, timestamps, keep_raw, json);
    case ResponseFormat::kHuggingFaceGenerate:
      // GenAI-Perf keeps every TGI response as exported (its fixtures hold one JSON list per
      // read); a /generate_stream stream is SSE and is read like the other streams.
      if (HoldsSse(outputs, timestamps.size())) return PreprocessSse(format, outputs, timestamps, keep_raw, json);
      return EveryResponse(format, outputs, timestamps, keep_raw);
    default:
      return EveryResponse(format, outputs, timestamps, keep_raw);
  }
}

ProcessedResponses PreprocessRecord(ResponseFormat format, const RequestRecord& record) {
  const size_t n = record.response_outputs.size();
  if (!record.reading || !record.reading->texts_known || !IsOpenAiText(format) ||
      record.reading->read_texts.size() != n || record.response_timestamps.size() != n) {
    return PreprocessResponses(format, record.response_outputs, record.response_timestamps, RawResponses::kDrop,
                               record.json_checked ? JsonTexts::kValidated : JsonTexts::kUnchecked);
  }
  // A read without text is dropped with its timestamp, as PreprocessSse drops it.
  ProcessedResponses out;
  for (size_t i = 0; i < n; ++i) {
    const std::string& text = record.reading->read_texts[i];
    if (text.empty()) continue;
    out.timestamps.push_back(record.response_timestamps[i]);
    out.texts.push_back(text);
  }
  return out;
}

namespace detail {
TextExtraction TextFromPayload(ResponseFormat format, std::string_view payload, JsonTexts json) {
  payload = StripView(payload);
  if (payload.empty() || payload == "[DONE]") return {};
  if (IsOpenAiText(format)) {
    // Validated once already (the stream check): read without validating again. Any other
    // shape, or anything On-Demand refuses, takes the validating path below.
    if (json == JsonTexts::kValidated) {
      if (std::optional<std::string> text = ValidatedOpenAiText(payload)) return {std::move(*text), {}};
    }
    if (std::optional<std::string> text = FastOpenAiText(payload)) return {std::move(*text), {}};
  }
  return TextFromPayloadByDom(format, payload);
}

TextExtraction TextFromPayloadByDom(ResponseFormat format, std::string_view payload) {
  payload = StripView(payload);
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
