#include "cluster/record_gather.h"

#include <algorithm>

#include <fmt/format.h>

#include "cluster/record_codec.h"

namespace bench {

double RankTally::Throughput() const {
  const int64_t span = last_end_ns - first_send_ns;
  return span > 0 ? static_cast<double>(requests) / (static_cast<double>(span) / 1e9) : 0.0;
}

void RankTally::Add(const RequestRecord& record) {
  ++requests;
  if (record.error) ++errors;
  const int64_t end = record.response_timestamps.empty() ? record.timestamp_ns : record.response_timestamps.back();
  first_send_ns = first_send_ns == 0 ? record.timestamp_ns : std::min(first_send_ns, record.timestamp_ns);
  last_end_ns = std::max(last_end_ns, end);
}

void ForwardSink::Add(RequestRecord&& record) {
  AppendRecord(record, chunk_);
  ++forwarded_;
  if (chunk_.size() >= chunk_bytes_ && !failed_) {
    failed_ = !cluster_.SendToRoot(chunk_, /*last=*/false);
    chunk_.clear();
  }
}

bool ForwardSink::Finish(const nlohmann::json& summary) {
  if (!chunk_.empty() && !failed_) failed_ = !cluster_.SendToRoot(chunk_, /*last=*/false);
  chunk_.clear();
  if (failed_) return false;
  return cluster_.SendToRoot(summary.dump(), /*last=*/true);
}

GatherResult GatherAtRoot(Cluster& cluster, RecordSink& sink, std::vector<RankTally>& tallies, double silence_s) {
  GatherResult result;
  const int size = cluster.size();
  result.summaries.assign(static_cast<size_t>(size), nullptr);
  tallies.resize(static_cast<size_t>(size));
  std::vector<bool> done(static_cast<size_t>(size), false);
  done[0] = true;
  int pending = size - 1;
  std::string bytes;
  while (pending > 0) {
    int source = 0;
    bool last = false;
    if (!cluster.ReceiveAtRoot(bytes, source, last, silence_s)) break;
    if (source <= 0 || source >= size || done[static_cast<size_t>(source)]) continue;
    const auto rank = static_cast<size_t>(source);
    if (last) {
      result.summaries[rank] = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
      done[rank] = true;
      --pending;
      continue;
    }
    std::string error;
    TallySink tally(sink, tallies[rank]);
    if (!ForEachRecord(bytes, [&](RequestRecord&& r) { tally.Add(std::move(r)); }, error)) {
      result.error = fmt::format("rank {}: unreadable records ({})", source, error);
    }
  }
  for (int r = 1; r < size; ++r) {
    if (!done[static_cast<size_t>(r)]) result.lost.push_back(r);
  }
  return result;
}

}  // namespace bench
