#pragma once
// The flags of `bench profile` and `bench analyze` (every profile flag, plus the sweep), and
// their validation into ProfileConfig / AnalyzeConfig: every check a flag gets is here.

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace bench {

// Values CLI11 fills that FinishProfile turns into ProfileConfig fields.
struct ProfileFlags {
  std::vector<std::string> fixed_schedule;  // read back in ValidateLoadMode through results()
  std::string drain = "wait";
  std::vector<std::string> fail_if;
};

// analyze's own flags.
struct SweepFlags {
  std::string type = "concurrency";
  std::optional<std::string> list;
  std::optional<std::string> range;
};

/// Every profile flag, on `profile` and on `analyze` (which runs one profile per sweep point).
void AddProfileOptions(CLI::App* app, ProfileConfig& p, ProfileFlags& f);

/// analyze's --sweep-* flags.
void AddSweepOptions(CLI::App* app, SweepFlags& s);

/// The `profile` subcommand on `app`, with its help footer.
CLI::App* AddProfileCommand(CLI::App& app, ProfileConfig& p, ProfileFlags& f);

/// The `analyze` subcommand on `app`, with its help footer.
CLI::App* AddAnalyzeCommand(CLI::App& app, AnalyzeConfig& a, ProfileFlags& f, SweepFlags& s);

/// What CLI11 knows only after parsing (which flags were typed), then validation and gates;
/// a one-line error or "".
std::string FinishProfile(ProfileConfig& p, const ProfileFlags& f, const CLI::App& app);

/// The sweep plan, and the profile flags that make no sense with the swept parameter; a
/// one-line error or "".
std::string ValidateAnalyze(AnalyzeConfig& a, const std::string& type, const std::optional<std::string>& list,
                            const std::optional<std::string>& range);

}  // namespace bench
