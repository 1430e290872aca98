#pragma once
// The OpenAI text of JSON that has already been validated (the stream check ran IsJsonText on
// every event of the body): a walk that only finds boundaries reads the usual shapes, and
// simdjson's On-Demand API, which does not validate again either, reads whatever it passes on.
// Issue #23 asked for each event to be validated once; benchmarks/micro/util/json_scan_bench.cc
// measured On-Demand at 2.8x json_scan's validate-and-index per event (docs/benchmarks.md), and
// json_scan's validation remains the faster validator. The same answers as the validating path
// (record/response_parser's FastOpenAiText) for every valid input: the last of repeated member
// names wins, member names are compared decoded, "object" may come after "choices".
// An event that differs from the last one walked on the same thread only inside the string that
// gave its text (util/json_shape: a stream's chunks repeat one shape) is answered by decoding
// that string alone, which gives the walk's answer.

#include <optional>
#include <string>
#include <string_view>

#include "util/json_shape.h"

namespace bench {

/// The text of a well-formed OpenAI completion, chat or chat-chunk object in `json`, which the
/// caller has validated; nullopt for any other shape (or if the text was not valid after all),
/// which the caller then answers through its validating path. `from`, when given, receives the
/// bounds in `json` of the string whose content gave the text (nullopt when none did: a null or
/// absent text, an empty choices list, or an answer from On-Demand).
std::optional<std::string> ValidatedOpenAiText(std::string_view json,
                                               std::optional<JsonShape::Span>* from = nullptr);

/// The text of a string content (between its quotes, valid JSON) as ValidatedOpenAiText decodes
/// it; nullopt for an escape its walk leaves to On-Demand (a \u escape that is not one whole
/// code point).
std::optional<std::string> DecodedStringContent(std::string_view content);

namespace detail {
/// The On-Demand reader alone (what ValidatedOpenAiText falls back to), for tests.
std::optional<std::string> OnDemandOpenAiText(std::string_view json);
}  // namespace detail

}  // namespace bench
