// Fuzzes the native client's HTTP/1.1 response parser (Http1ResponseParser) with what a server
// may send. The property: however the bytes are cut into reads, the parse is the same (body,
// status, done, keep-alive, error or not), and the body never outgrows the input.
//
// Input layout (seeds in corpus/http1_response_fuzz): byte 0 = read size 1..256 for the cut
// parse, then the response bytes; a final EOF is fed to both parses.

#include <cstdint>
#include <string>

#include "transport/http1_response.h"
#include "fuzz_util.h"

namespace {

struct Outcome {
  std::string body;
  bool ok = true;
  bool done = false;
  bool eof_ok = false;
  int status = 0;
  bool keep_alive = false;
};

Outcome Parse(std::string_view wire, size_t step) {
  bench::Http1ResponseParser p;
  Outcome o;
  for (size_t at = 0; at < wire.size() && o.ok; at += step) o.ok = p.Feed(wire.substr(at, step), o.body);
  o.done = p.done();
  o.status = p.status();
  o.keep_alive = o.done && p.keep_alive();
  if (o.ok) o.eof_ok = p.FeedEof();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t step = 1 + data[0];
  const std::string_view wire = bench::fuzz::AsText(data + 1, size - 1);
  const Outcome whole = Parse(wire, wire.size() + 1);
  const Outcome cut = Parse(wire, step);
  if (whole.ok != cut.ok || whole.done != cut.done || whole.status != cut.status ||
      whole.keep_alive != cut.keep_alive || whole.eof_ok != cut.eof_ok) {
    __builtin_trap();
  }
  // Bodies match up to the point an error stopped either parse (a cut parse may have taken
  // more bytes of a body before the error a whole parse hit at once, never different ones).
  if (whole.ok && whole.body != cut.body) __builtin_trap();
  if (whole.body.size() > wire.size() || cut.body.size() > wire.size()) __builtin_trap();
  return 0;
}
