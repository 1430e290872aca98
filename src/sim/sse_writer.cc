#include "sim/sse_writer.h"

#include <cstdio>
#include <utility>

namespace bench {

void AppendHttpChunk(std::string& out, std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  out.append(size, n);
  out.append(data);
  out.append("\r\n");
}

std::string FirstContentEvent(std::string event, const SimFault& fault) {
  switch (fault.kind) {
    case SimFaultKind::kInvalidJsonChunk:
      return WithTruncatedJson(event);
    case SimFaultKind::kInvalidUtf8:
      return WithInvalidUtf8(event);
    case SimFaultKind::kBigChunk:
      return WithPadding(event, static_cast<size_t>(fault.arg));
    default:
      return event;
  }
}

void SimSseWriter::Head(bool keep_alive) {
  out_ =
      "HTTP/1.1 200 OK\r\n"
      "Server: bench-simulator\r\n"
      "Content-Type: text/event-stream\r\n"
      "Cache-Control: no-cache\r\n"
      "Transfer-Encoding: chunked\r\n";
  out_ += keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
}

void SimSseWriter::Emit(std::string event, SimFaultKind fault) {
  switch (fault) {
    case SimFaultKind::kSseNoBlankLine:
      event = WithoutBlankLine(event);
      break;
    case SimFaultKind::kSseJunkLines:
      event = WithJunkLine(event);
      break;
    case SimFaultKind::kSseComments:
      event = CommentEvent() + ": comment line inside an event\n" + event;
      break;
    default:
      break;
  }
  Append(event);
}

void SimSseWriter::Append(std::string_view event) {
  AppendHttpChunk(out_, event);
  ++events_;
}

int SimSseWriter::TakeEvents() { return std::exchange(events_, 0); }

}  // namespace bench
