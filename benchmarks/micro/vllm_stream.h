#pragma once
// Realistic inputs for the micro-benchmarks: the bytes a vLLM chat stream puts on the wire
// (same keys, order and sizes as vLLM 0.6's OpenAI server), cut into network reads the way a
// token-paced server (one event per read) or a zero-latency one (the whole body at once) is seen.

#include <string>
#include <vector>

#include <fmt/format.h>

namespace bench::micro {

/// Model name in the chunks; long, as real served names are, since it is copied per event.
inline constexpr const char* kModel = "meta-llama/Llama-3.1-8B-Instruct";

/// One `data: {...}\n\n` chat.completion.chunk event.
inline std::string VllmChunk(const std::string& delta, const char* finish_reason) {
  return fmt::format(
      "data: {{\"id\":\"chatcmpl-8c1f3e5a9b7d4e2f8a6c0b1d3e5f7a9c\",\"object\":\"chat.completion.chunk\","
      "\"created\":1732780000,\"model\":\"{}\",\"choices\":[{{\"index\":0,\"delta\":{},\"logprobs\":null,"
      "\"finish_reason\":{}}}]}}\n\n",
      kModel, delta, finish_reason);
}

/// The events of one streamed answer: the role chunk, `content_chunks` one-word chunks, the
/// finish chunk and `data: [DONE]` (content_chunks + 3 events).
inline std::vector<std::string> VllmChatEvents(int content_chunks) {
  // Words of varied length so token counting and JSON unescaping see ordinary text.
  static const char* const kWords[] = {" the", " model", " answered", " quickly", ",", " and",
                                       " then", " it", " stopped", " generating", ".", " We"};
  std::vector<std::string> events;
  events.push_back(VllmChunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"));
  for (int i = 0; i < content_chunks; ++i) {
    events.push_back(VllmChunk(fmt::format("{{\"content\":\"{}\"}}", kWords[i % 12]), "null"));
  }
  events.push_back(VllmChunk("{\"content\":\"\"}", "\"stop\""));
  events.push_back("data: [DONE]\n\n");
  return events;
}

/// `events` concatenated in groups of `events_per_read`: the reads a client sees.
inline std::vector<std::string> GroupIntoReads(const std::vector<std::string>& events, size_t events_per_read) {
  std::vector<std::string> reads;
  for (size_t i = 0; i < events.size(); i += events_per_read) {
    std::string read;
    for (size_t j = i; j < events.size() && j < i + events_per_read; ++j) read += events[j];
    reads.push_back(std::move(read));
  }
  return reads;
}

/// A chat request body as bench sends it, with a prompt of about `prompt_words` words.
inline std::string ChatRequestBody(int prompt_words) {
  std::string prompt;
  for (int i = 0; i < prompt_words; ++i) prompt += i == 0 ? "word" : " word";
  return fmt::format(
      "{{\"model\":\"{}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{}\"}}],\"max_tokens\":100,"
      "\"stream\":true}}",
      kModel, prompt);
}

}  // namespace bench::micro
