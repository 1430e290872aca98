// Writing profile_export.json for 10,000 streamed requests (100 content chunks each, one event
// per read as from a token-paced server). The stream discards bytes so only serialisation is
// measured, not the disk.

#include <cstdint>
#include <ostream>
#include <streambuf>
#include <vector>

#include <benchmark/benchmark.h>

#include "record/profile_export_writer.h"
#include "vllm_stream.h"

namespace bench {
namespace {

// Counts and drops everything written to it.
class CountingBuf : public std::streambuf {
 public:
  size_t bytes() const { return bytes_; }

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes_ += static_cast<size_t>(n);
    return n;
  }
  int overflow(int c) override {
    if (c != traits_type::eof()) ++bytes_;
    return c;
  }

 private:
  size_t bytes_ = 0;
};

std::vector<RequestRecord> Records(size_t n) {
  const auto events = micro::VllmChatEvents(100);
  const std::string body = micro::ChatRequestBody(200);
  std::vector<RequestRecord> records(n);
  int64_t t = 1'732'780'000'000'000'000;
  for (RequestRecord& r : records) {
    r.timestamp_ns = t;
    r.request_inputs = nlohmann::json{{"payload", body}};
    for (const auto& e : events) {
      t += 10'000'000;
      r.response_timestamps.push_back(t);
      r.response_outputs.AddText(e);
    }
  }
  return records;
}

void BM_WriteProfileExport10k(benchmark::State& state) {
  const std::vector<RequestRecord> records = Records(10'000);
  size_t bytes = 0;
  for (auto _ : state) {
    CountingBuf buf;
    std::ostream out(&buf);
    ProfileExportWriter writer(out);
    writer.BeginExperiment("concurrency", 100);
    for (const RequestRecord& r : records) writer.WriteRequest(r);
    const int64_t window[] = {records.front().timestamp_ns, records.back().response_timestamps.back()};
    writer.EndExperiment(window);
    writer.Finish("0.1.0", "openai", "v1/chat/completions");
    bytes = buf.bytes();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(records.size()));  // requests/s
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteProfileExport10k)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
