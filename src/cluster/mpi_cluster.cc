// The MPI implementation of Cluster (built only with BENCH_WITH_MPI, into bench-mpi.so: Open MPI's
// libraries are loaded only when a launcher started bench, util/shared_module). Only the main thread calls
// MPI (MPI_THREAD_FUNNELED): the load engine's workers never do. Errors return (MPI_ERRORS_RETURN)
// instead of aborting, and every wait is a nonblocking operation tested against a deadline, so a
// rank that is gone ends a step with `false`.
#ifdef BENCH_WITH_MPI

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cluster/cluster.h"
#include "util/clock.h"

namespace bench {
namespace {

constexpr int kTagPing = 1;
constexpr int kTagData = 2;
constexpr int kTagLast = 3;

// Waits for `request` until `timeout_s` (< 0: no deadline); `spin` polls without sleeping (the
// ping-pong, where microseconds matter), else it sleeps 1 ms between tests.
bool WaitFor(MPI_Request& request, double timeout_s, bool spin, MPI_Status* status = MPI_STATUS_IGNORE) {
  const int64_t deadline = timeout_s < 0 ? INT64_MAX : MonotonicNowNs() + static_cast<int64_t>(timeout_s * 1e9);
  for (;;) {
    int done = 0;
    if (MPI_Test(&request, &done, status) != MPI_SUCCESS) return false;
    if (done) return true;
    if (MonotonicNowNs() > deadline) {
      // A collective cannot be cancelled; the request is left behind and the caller aborts.
      return false;
    }
    if (!spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

class MpiCluster : public Cluster {
 public:
  MpiCluster(int rank, int size) : rank_(rank), size_(size) {}
  ~MpiCluster() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string host() const override {
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    MPI_Get_processor_name(name, &length);
    return std::string(name, static_cast<size_t>(length));
  }

  bool AllGather(const std::string& mine, std::vector<std::string>& all, double timeout_s) override {
    if (mine.size() > INT_MAX) return false;
    int length = static_cast<int>(mine.size());
    std::vector<int> lengths(static_cast<size_t>(size_));
    MPI_Request request;
    if (MPI_Iallgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD, &request) != MPI_SUCCESS ||
        !WaitFor(request, timeout_s, false)) {
      return false;
    }
    std::vector<int> displacements(lengths.size());
    long long total = 0;
    for (size_t r = 0; r < lengths.size(); ++r) {
      displacements[r] = static_cast<int>(total);
      total += lengths[r];
      if (total > INT_MAX) return false;
    }
    std::string buffer(static_cast<size_t>(total), '\0');
    if (MPI_Iallgatherv(mine.data(), length, MPI_CHAR, buffer.data(), lengths.data(), displacements.data(), MPI_CHAR,
                        MPI_COMM_WORLD, &request) != MPI_SUCCESS ||
        !WaitFor(request, timeout_s, false)) {
      return false;
    }
    all.clear();
    for (size_t r = 0; r < lengths.size(); ++r) all.push_back(buffer.substr(displacements[r], lengths[r]));
    return true;
  }

  bool Broadcast(std::string& bytes, double timeout_s) override {
    long long length = rank_ == 0 ? static_cast<long long>(bytes.size()) : 0;
    MPI_Request request;
    if (MPI_Ibcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD, &request) != MPI_SUCCESS ||
        !WaitFor(request, timeout_s, false)) {
      return false;
    }
    if (length > INT_MAX) return false;  // over 2 GiB: never a dataset this tool sends
    if (rank_ != 0) bytes.assign(static_cast<size_t>(length), '\0');
    if (length == 0) return true;
    return MPI_Ibcast(bytes.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD, &request) == MPI_SUCCESS &&
           WaitFor(request, timeout_s, false);
  }

  bool MeasureClockOffsets(int rounds, std::vector<ClockOffset>& offsets, double timeout_s) override {
    std::string encoded;
    if (rank_ == 0) {
      nlohmann::json all = nlohmann::json::array({nlohmann::json::array({0, 0, 0, 0})});
      for (int peer = 1; peer < size_; ++peer) {
        std::vector<PingSample> samples;
        for (int k = 0; k < rounds; ++k) {
          PingSample s;
          int64_t token = k;
          int64_t remote = 0;
          MPI_Request receive;
          MPI_Request send;
          if (MPI_Irecv(&remote, 1, MPI_INT64_T, peer, kTagPing, MPI_COMM_WORLD, &receive) != MPI_SUCCESS) return false;
          s.local_send_ns = MonotonicNowNs();
          if (MPI_Isend(&token, 1, MPI_INT64_T, peer, kTagPing, MPI_COMM_WORLD, &send) != MPI_SUCCESS ||
              !WaitFor(send, timeout_s, true) || !WaitFor(receive, timeout_s, true)) {
            return false;
          }
          s.local_receive_ns = MonotonicNowNs();
          s.remote_ns = remote;
          samples.push_back(s);
        }
        const ClockOffset o = EstimateOffset(samples);
        all.push_back({o.offset_ns, o.uncertainty_ns, o.best_round_trip_ns, o.samples});
      }
      encoded = all.dump();
    } else {
      for (int k = 0; k < rounds; ++k) {
        int64_t token = 0;
        MPI_Request request;
        if (MPI_Irecv(&token, 1, MPI_INT64_T, 0, kTagPing, MPI_COMM_WORLD, &request) != MPI_SUCCESS ||
            !WaitFor(request, timeout_s, true)) {
          return false;
        }
        int64_t now = MonotonicNowNs();
        if (MPI_Isend(&now, 1, MPI_INT64_T, 0, kTagPing, MPI_COMM_WORLD, &request) != MPI_SUCCESS ||
            !WaitFor(request, timeout_s, true)) {
          return false;
        }
      }
    }
    if (!Broadcast(encoded, timeout_s)) return false;
    offsets.clear();
    for (const auto& o : nlohmann::json::parse(encoded)) {
      offsets.push_back({o[0].get<int64_t>(), o[1].get<int64_t>(), o[2].get<int64_t>(), o[3].get<int>()});
    }
    return static_cast<int>(offsets.size()) == size_;
  }

  bool SendToRoot(const std::string& bytes, bool last) override {
    if (bytes.size() > INT_MAX) return false;
    MPI_Request request;
    // Synchronous mode: returns once rank 0 has started taking it, so a rank holds one chunk.
    return MPI_Issend(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, last ? kTagLast : kTagData,
                      MPI_COMM_WORLD, &request) == MPI_SUCCESS &&
           WaitFor(request, -1, false);
  }

  bool ReceiveAtRoot(std::string& bytes, int& source, bool& last, double silence_s) override {
    const int64_t deadline = MonotonicNowNs() + static_cast<int64_t>(silence_s * 1e9);
    MPI_Status status;
    for (;;) {
      int found = 0;
      if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &found, &status) != MPI_SUCCESS) return false;
      if (found && (status.MPI_TAG == kTagData || status.MPI_TAG == kTagLast)) break;
      if (MonotonicNowNs() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    bytes.assign(static_cast<size_t>(count), '\0');
    source = status.MPI_SOURCE;
    last = status.MPI_TAG == kTagLast;
    return MPI_Recv(bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                    MPI_STATUS_IGNORE) == MPI_SUCCESS;
  }

  void Abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);  // MPI_Abort does not return; if it did, this process still ends
  }

 private:
  int rank_;
  int size_;
};

}  // namespace

}  // namespace bench

// bench-mpi.so's entry (cluster/cluster.cc's JoinCluster loads it when a launcher started bench).
extern "C" void bench_mpi_join_cluster(const bench::Launch& launch, bench::JoinResult& result) {
  using namespace bench;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    result.error = fmt::format("started by an MPI launcher ({}), but MPI could not start", launch.variable);
    return;
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  auto cluster = std::make_unique<MpiCluster>(rank, size);
  if (size > 1) result.cluster = std::move(cluster);
  // One rank: the cluster is finalized here and the run is a plain one.
}

#endif  // BENCH_WITH_MPI
