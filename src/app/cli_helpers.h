#pragma once
// Small pieces the subcommands' flag files share: value parsers that give one-line errors, and
// the simulator's timing flags (on `bench simulator` and, prefixed, on `bench profile`). Only
// the app layer includes this (it sees CLI11).

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "report/gate.h"
#include "sim/simulator.h"

namespace bench {

/// Parses every --fail-if expression into `gates`; returns the first one-line error or "".
std::string ParseGates(const std::vector<std::string>& raw, std::vector<Gate>& gates);

/// "5%" or "5" -> 0.05; nullopt when not a non-negative percentage.
std::optional<double> ParsePercent(std::string text);

/// {"a,b", "c"} -> {"a", "b", "c"} (empty items dropped).
std::vector<std::string> SplitComma(const std::vector<std::string>& items);

/// "/v1/chat" -> "v1/chat": the endpoint path without leading slashes or spaces.
std::string StripEndpoint(std::string e);

/// true/false for a flag's optional value (a bare flag is true); nullopt when neither.
std::optional<bool> ParseBool(std::string v);

/// CLI11 messages can span lines; the contract is one line.
std::string OneLine(std::string s);

/// The simulator's timing and fault flags on `app`, each named "--<prefix><name>".
void AddSimulatorTimingOptions(CLI::App* app, SimulatorOptions& o, const std::string& prefix);

}  // namespace bench
