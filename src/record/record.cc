#include "record/record.h"

namespace bench {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone: return "none";
    case ErrorKind::kConnect: return "connect";
    case ErrorKind::kHttpStatus: return "http_status";
    case ErrorKind::kReset: return "reset";
    case ErrorKind::kTls: return "tls";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kMalformedStream: return "malformed_stream";
    case ErrorKind::kInvalidJson: return "invalid_json";
    case ErrorKind::kServerError: return "server_error";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kOther: return "other";
  }
  return "other";
}

ErrorKind ErrorKindFromName(const std::string& name) {
  for (ErrorKind k : {ErrorKind::kNone, ErrorKind::kConnect, ErrorKind::kHttpStatus, ErrorKind::kReset,
                      ErrorKind::kTls, ErrorKind::kTimeout, ErrorKind::kMalformedStream, ErrorKind::kInvalidJson,
                      ErrorKind::kServerError, ErrorKind::kCancelled}) {
    if (name == ErrorKindName(k)) return k;
  }
  return ErrorKind::kOther;
}

}  // namespace bench
