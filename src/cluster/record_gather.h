#pragma once
// Records from every rank into rank 0's one sink after the load (docs/cluster.md): a rank other
// than 0 forwards its records in bounded chunks (ForwardSink), then one summary; rank 0 feeds
// its own and the received records, unchanged, into the same sink (GatherAtRoot), so the export
// and the metrics are those of one process that measured them all. Per-rank counts on the way.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/cluster.h"
#include "load/load_engine.h"

namespace bench {

/// What rank 0 saw of one rank's records.
struct RankTally {
  int64_t requests = 0;
  int64_t errors = 0;
  int64_t first_send_ns = 0;  // epoch ns on rank 0's timeline; 0 = none yet
  int64_t last_end_ns = 0;    // the last response (or the send, without one)
  /// requests / (last end - first send) in requests/s, as GenAI-Perf's request throughput.
  double Throughput() const;
  void Add(const RequestRecord& record);
};

/// Counts each record into `tally`, then hands it on to `inner`.
class TallySink : public RecordSink {
 public:
  TallySink(RecordSink& inner, RankTally& tally) : inner_(inner), tally_(tally) {}
  void Add(RequestRecord&& record) override {
    tally_.Add(record);
    inner_.Add(std::move(record));
  }

 private:
  RecordSink& inner_;
  RankTally& tally_;
};

/// A rank other than 0: each record appended to a chunk, sent when it reaches `chunk_bytes`
/// (so memory holds about one chunk). Finish sends the rest and the rank's summary.
class ForwardSink : public RecordSink {
 public:
  explicit ForwardSink(Cluster& cluster, size_t chunk_bytes = size_t{1} << 20)
      : cluster_(cluster), chunk_bytes_(chunk_bytes) {}
  void Add(RequestRecord&& record) override;
  /// The last chunk and then `summary`; false when a send failed.
  bool Finish(const nlohmann::json& summary);
  size_t forwarded() const { return forwarded_; }

 private:
  Cluster& cluster_;
  size_t chunk_bytes_;
  std::string chunk_;
  size_t forwarded_ = 0;
  bool failed_ = false;
};

/// Rank 0, after its own load: every other rank's records into `sink` (tallied in
/// `tallies[rank]`) until each has sent its summary, or until `silence_s` pass without a message.
struct GatherResult {
  std::vector<nlohmann::json> summaries;  // by rank; null for rank 0 and for a rank that was lost
  std::vector<int> lost;                  // ranks whose summary never came
  std::string error;                      // a message that could not be read
};
GatherResult GatherAtRoot(Cluster& cluster, RecordSink& sink, std::vector<RankTally>& tallies, double silence_s);

}  // namespace bench
