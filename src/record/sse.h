#pragma once
// Server-sent events as GenAI-Perf reads them: line ends, event blocks, data and non-data
// fields, error events, and reads that split an event (splintered SSE). Pure functions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// Python's str.strip() without arguments (ASCII whitespace), as a view.
std::string_view StripView(std::string_view s);

/// CRLF and CR line ends as LF: SSE allows them, GenAI-Perf only splits on "\n\n".
std::string NormalizeNewlines(std::string_view s);

/// GenAI-Perf's not_data_sse_field: comment, event, id and retry lines carry no data.
bool IsNonDataField(std::string_view s);

/// True when `s` starts with an SSE field (data or not); otherwise it is a plain body.
bool IsSseStart(std::string_view s);

/// Position of a "data:" field that starts a line, or npos. Line-anchored so text inside a
/// JSON string ("...data: x...") is not mistaken for an event boundary.
size_t FindLineStartData(std::string_view s);

/// The event blocks of `s`, split on blank lines ("\n\n"); views into `s`.
std::vector<std::string_view> SplitSseEvents(std::string_view s);

/// One SSE event block (no blank line inside). Its data views the block when the event has one
/// data line (the common case); only several lines are copied, to be joined.
struct SseEvent {
  bool has_data = false;
  bool is_error = false;
  std::string_view line;  // the only data line's value
  std::string joined;     // several data lines, joined with '\n'
  bool several = false;
  std::string_view data() const { return several ? std::string_view(joined) : line; }
};

/// Parses one event block. An `event:` line mentioning "error" (GenAI-Perf's
/// sse_error_occurred) marks the event as an error, whose data is not model output.
SseEvent ParseSseEvent(std::string_view block);

/// Splintered SSE: a read that does not start an event belongs to the previous read, so it is
/// appended there (the stitched event keeps its first fragment's timestamp) and emptied; a read
/// holding the rest of an event and then a new one is split at the new event's "data:".
void StitchSplinteredReads(std::vector<std::string>& reads);

}  // namespace bench
