#pragma once
// The processes of one cluster run (docs/cluster.md), as the pipeline sees them: a rank and a
// size, and the few collective steps a run needs, each bounded by a timeout so a rank that is
// gone ends the step with `false` instead of a hang. The MPI implementation exists only when
// bench is built with MPI (BENCH_WITH_MPI); without it JoinCluster refuses a multi-rank launch.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/clock_offset.h"

namespace bench {

class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// This process's host name (for the per-rank report).
  virtual std::string host() const = 0;
  /// Every rank's `mine`, in rank order, on every rank; false on an error or after `timeout_s`.
  virtual bool AllGather(const std::string& mine, std::vector<std::string>& all, double timeout_s) = 0;
  /// Rank 0's `bytes` on every rank; false on an error or after `timeout_s` (< 0: no timeout).
  virtual bool Broadcast(std::string& bytes, double timeout_s) = 0;
  /// Collective: rank 0 ping-pongs with every other rank `rounds` times; on every rank,
  /// `offsets[r]` is rank r's monotonic clock minus rank 0's (rank 0: zero) with its uncertainty.
  virtual bool MeasureClockOffsets(int rounds, std::vector<ClockOffset>& offsets, double timeout_s) = 0;
  /// A rank other than 0: one chunk of bytes to rank 0 (`last`: its final one). Waits until rank
  /// 0 takes it (so memory holds one chunk) or `stop` is set; false on an error.
  virtual bool SendToRoot(const std::string& bytes, bool last) = 0;
  /// Rank 0: the next chunk from any rank; false on an error or after `silence_s` without one.
  virtual bool ReceiveAtRoot(std::string& bytes, int& source, bool& last, double silence_s) = 0;
  /// Ends every rank of the job with `code` (a rank that is gone cannot be waited for); does
  /// not return.
  virtual void Abort(int code) = 0;
};

/// How the process was launched: the world size a launcher announced in the environment
/// (OMPI_COMM_WORLD_SIZE under mpirun, PMI_SIZE under srun --mpi=pmi2, PMIX_RANK with
/// SLURM_STEP_NUM_TASKS under srun --mpi=pmix), 1 when none did, and the variable that said so.
/// `launched` is true whenever a launcher's variable is present (even for one rank).
struct Launch {
  bool launched = false;
  int size = 1;
  std::string variable;
};
Launch DetectLaunch(const std::function<const char*(const char*)>& getenv);

/// The cluster this process belongs to: null when it runs alone (no launcher, or one rank); an
/// error (a one-line message) when a launcher started several ranks but bench was built
/// without MPI, or MPI could not start.
struct JoinResult {
  std::unique_ptr<Cluster> cluster;
  std::string error;
};
JoinResult JoinCluster();

/// True when this bench was built with MPI.
bool ClusterSupported();

}  // namespace bench
