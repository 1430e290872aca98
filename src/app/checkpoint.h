#pragma once
// `bench analyze --enable-checkpointing`: checkpoint.json records every finished sweep point
// with the configuration it was measured under, so rerunning the same command skips it.
// A point matches when its configuration matches (GenAI-Perf compares a "representation" of
// the run that leaves out the URL, paths and verbosity; so does this).

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/config.h"
#include "report/sweep_report.h"

namespace bench {

/// The part of a point's configuration that decides whether an earlier measurement of it can
/// be reused: input_config without subcommand, verbosity, output paths and the URL, plus the
/// bench-only load settings input_config lacks.
nlohmann::ordered_json PointFingerprint(const ProfileConfig& point);

/// The finished points of every sweep run against one checkpoint file.
class SweepCheckpoint {
 public:
  /// Reads `path`; a missing file is an empty checkpoint. On a file that is not a bench
  /// checkpoint, returns false with a one-line `error`.
  bool Load(const std::filesystem::path& path, std::string& error);
  /// Writes the whole checkpoint (temporary file, then rename: a crash never leaves half a file).
  bool Save(const std::filesystem::path& path, std::string& error) const;

  /// The point measured under `fingerprint`, or nullptr.
  const PointSummary* Find(const nlohmann::ordered_json& fingerprint) const;
  /// Records a finished point (replacing one with the same fingerprint).
  void Add(const nlohmann::ordered_json& fingerprint, const PointSummary& summary);
  /// One more than the largest `<model>_run_config_<i>` id recorded (0 when empty).
  int NextConfigId() const;

 private:
  struct Entry {
    nlohmann::ordered_json fingerprint;
    PointSummary summary;
  };
  std::vector<Entry> entries_;
};

}  // namespace bench
