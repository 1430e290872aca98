#include "app/config_file.h"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include "app/config.h"
#include "app/config_keys.h"
#include "util/ascii.h"

namespace bench {
namespace {

std::optional<bool> ParseYamlBool(const std::string& text) {
  const std::string v = AsciiLower(text);
  if (v == "true" || v == "yes" || v == "on" || v == "y") return true;
  if (v == "false" || v == "no" || v == "off" || v == "n") return false;
  return std::nullopt;
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// A plain scalar equal to what the template writes: same text, same number, or same boolean.
bool SameAsDefault(const std::string& text, const std::string& default_text) {
  if (text == default_text) return true;
  const auto a = ParseNumber(text), b = ParseNumber(default_text);
  if (a && b) return *a == *b;
  const auto x = ParseYamlBool(text), y = ParseYamlBool(default_text);
  return x && y && *x == *y;
}

const char* ShapeName(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "a value";
}

// A failure while reading the file's keys: always a usage error (exit 2), like a bad flag.
struct KeyError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  void Top(const YAML::Node& root) {
    if (root.IsNull()) return;
    if (!root.IsMap()) Fail(root, "", fmt::format("expected a mapping of sections at the top, got {}", ShapeName(root)));
    Walk(root, "");
    Measurement();
  }

  ConfigSubcommand subcommand() const {
    return analyze_ ? ConfigSubcommand::kAnalyze : process_ ? ConfigSubcommand::kProcessExportFiles : ConfigSubcommand::kProfile;
  }
  std::vector<ConfigArg>& args() { return args_; }

 private:
  [[noreturn]] void Fail(const YAML::Node& at, const std::string& path, const std::string& what) const {
    const int line = at.Mark().is_null() ? 0 : at.Mark().line + 1;
    std::string where = source_;
    if (line > 0) where += fmt::format(":{}", line);
    throw KeyError{path.empty() ? fmt::format("{}: {}", where, what) : fmt::format("{}: {}: {}", where, path, what)};
  }

  void Walk(const YAML::Node& map, const std::string& section) {
    std::map<std::string, int> seen;
    for (const auto& entry : map) {
      const YAML::Node& key_node = entry.first;
      if (!key_node.IsScalar()) Fail(key_node, section, "keys must be plain names");
      const std::string name = key_node.Scalar();
      const std::string path = CanonicalPath(section.empty() ? name : section + "." + name);
      const int line = key_node.Mark().line + 1;
      if (const auto [it, fresh] = seen.emplace(path, line); !fresh) {
        Fail(key_node, path, fmt::format("given twice (first on line {})", it->second));
      }
      if (const Key* key = FindKey(path)) {
        Leaf(*key, key_node, entry.second);
      } else if (IsSection(path)) {
        if (entry.second.IsNull()) continue;
        if (!entry.second.IsMap()) Fail(key_node, path, fmt::format("expected a mapping of keys, got {}", ShapeName(entry.second)));
        Walk(entry.second, path);
      } else {
        std::string known;
        for (const std::string& child : ChildNames(section)) known += (known.empty() ? "" : ", ") + child;
        Fail(key_node, path, fmt::format("unknown key (known{}: {})", section.empty() ? "" : " in " + section, known));
      }
    }
  }

  void Add(const YAML::Node& at, const std::string& path, const std::string& flag, std::vector<std::string> values,
           std::vector<std::string> owned = {}) {
    if (owned.empty()) owned = {flag};
    args_.push_back({path, at.Mark().line + 1, flag, std::move(values), std::move(owned)});
  }

  std::string Scalar(const YAML::Node& at, const std::string& path, const YAML::Node& value) const {
    if (!value.IsScalar()) Fail(at, path, fmt::format("expected a single value, got {}", ShapeName(value)));
    return value.Scalar();
  }

  // Scalars of a list (or of one scalar); `split` also splits strings at commas.
  std::vector<std::string> List(const YAML::Node& at, const std::string& path, const YAML::Node& value, bool split) const {
    std::vector<std::string> items;
    auto add = [&](const std::string& text) {
      if (!split) {
        items.push_back(text);
        return;
      }
      std::stringstream in(text);
      for (std::string part; std::getline(in, part, ',');) {
        const auto first = part.find_first_not_of(" \t");
        const auto last = part.find_last_not_of(" \t");
        if (first != std::string::npos) items.push_back(part.substr(first, last - first + 1));
      }
    };
    if (value.IsScalar()) {
      add(value.Scalar());
    } else if (value.IsSequence()) {
      for (const auto& item : value) {
        if (!item.IsScalar()) Fail(item, path, fmt::format("expected a list of values, got {} in it", ShapeName(item)));
        add(item.Scalar());
      }
    } else {
      Fail(at, path, fmt::format("expected a value or a list, got {}", ShapeName(value)));
    }
    return items;
  }

  void Leaf(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (value.IsNull() && key.kind != Kind::kStimulus) return;  // empty = not set
    switch (key.kind) {
      case Kind::kValue: {
        const std::string text = Scalar(at, key.path, value);
        if (!SameAsDefault(text, key.default_text)) Add(at, key.path, key.flag, {text});
        return;
      }
      case Kind::kSwitch: {
        const auto on = ParseYamlBool(Scalar(at, key.path, value));
        if (!on) Fail(at, key.path, fmt::format("expected true or false, got '{}'", value.Scalar()));
        if (*on) Add(at, key.path, key.flag, {});
        return;
      }
      case Kind::kValues:
      case Kind::kRepeated: {
        std::vector<std::string> items = List(at, key.path, value, key.kind == Kind::kValues);
        // The default alone (GenAI-Perf's template writes it) sets nothing.
        const bool is_default = items.size() == 1 && !key.default_text.empty() && SameAsDefault(items[0], key.default_text);
        if (!items.empty() && !is_default) Add(at, key.path, key.flag, std::move(items));
        return;
      }
      case Kind::kIgnored:
        return;
      case Kind::kDefaultOnly: {
        if ((value.IsSequence() || value.IsMap()) && value.size() == 0) return;
        const YAML::Node one = value.IsSequence() && value.size() == 1 ? value[0] : value;
        if (one.IsScalar() && (one.Scalar().empty() || SameAsDefault(one.Scalar(), key.default_text))) return;
        const std::string shown = one.IsScalar() ? "'" + one.Scalar() + "'" : std::string(ShapeName(value));
        Fail(at, key.path,
             key.default_text.empty()
                 ? fmt::format("{} is not supported by bench yet (leave it empty)", shown)
                 : fmt::format("{} is not supported by bench yet (only the default, {})", shown, key.default_text));
      }
      case Kind::kStimulus:
        return Stimulus(key, at, value);
      case Kind::kExtraInputs:
        return ExtraInputs(key, at, value);
      case Kind::kGoodput:
        return Goodput(key, at, value);
      case Kind::kSweep:
        return Sweep(key, at, value);
      case Kind::kInputPath:
        Add(at, key.path, key.flag, {Scalar(at, key.path, value)});
        process_ = true;
        return;
      case Kind::kMeasurementMode: {
        const std::string mode = Scalar(at, key.path, value);
        if (mode != "request_count" && mode != "interval") {
          Fail(at, key.path, fmt::format("expected request_count or interval, got '{}'", mode));
        }
        interval_ = mode == "interval";
        mode_at_ = at;
        return;
      }
      case Kind::kMeasurementNum:
        num_ = Scalar(at, key.path, value);
        num_at_ = at;
        return;
    }
  }

  // The measurement block once both keys are read (in either order): the num is a request
  // count or, in interval mode, the window in ms (GenAI-Perf infers 10000 when it is empty).
  void Measurement() {
    const std::vector<std::string> owned = {"--request-count", "--measurement-interval"};
    const std::string path = "perf_analyzer.measurement.num";
    if (interval_) {
      Add(num_ ? num_at_ : mode_at_, path, "--measurement-interval", {num_ ? *num_ : "10000"}, owned);
    } else if (num_) {
      Add(num_at_, path, "--request-count", {*num_}, owned);
    }
  }

  void Stimulus(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    // A stimulus typed after --override-config replaces the file's whole stimulus.
    const std::vector<std::string> owned = {"--concurrency", "--request-rate", "--fixed-schedule",
                                            "--session-concurrency"};
    if (value.IsNull()) return;
    if (value.IsScalar()) {  // GenAI-Perf's string form: {name: None}
      const std::string name = value.Scalar();
      if (name == "fixed_schedule") return Add(at, key.path + ".fixed_schedule", "--fixed-schedule", {}, owned);
      if (name == "concurrency") return;
      Fail(at, key.path, fmt::format("'{}' needs a value, e.g. {{{}: 10}}", name, name));
    }
    if (!value.IsMap()) Fail(at, key.path, fmt::format("expected a mapping such as {{concurrency: 4}}, got {}", ShapeName(value)));
    if (value.size() == 1 && value.begin()->first.Scalar() == "concurrency" && value.begin()->second.IsScalar() &&
        SameAsDefault(value.begin()->second.Scalar(), std::to_string(ProfileConfig().concurrency))) {
      return;  // the template's default
    }
    for (const auto& entry : value) {
      const std::string name = entry.first.Scalar();
      const std::string path = key.path + "." + name;
      const YAML::Node& v = entry.second;
      if (name == "concurrency") {
        Add(entry.first, path, "--concurrency", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "request_rate") {
        Add(entry.first, path, "--request-rate", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "fixed_schedule") {
        Add(entry.first, path, "--fixed-schedule", {v.IsNull() ? "true" : Scalar(entry.first, path, v)}, owned);
      } else if (name == "session_concurrency") {
        Add(entry.first, path, "--session-concurrency", {Scalar(entry.first, path, v)}, owned);
      } else if (name == "session_request_rate") {
        Fail(entry.first, path, "session_request_rate is not supported by bench yet (use session_concurrency)");
      } else {
        Fail(entry.first, path,
             "unknown stimulus (known: concurrency, request_rate, fixed_schedule, session_concurrency)");
      }
    }
  }

  // YAML's core schema for plain scalars; quoted scalars stay strings.
  static nlohmann::ordered_json ToJson(const YAML::Node& node) {
    if (node.IsMap()) {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = ToJson(entry.second);
      return object;
    }
    if (node.IsSequence()) {
      nlohmann::ordered_json array = nlohmann::ordered_json::array();
      for (const auto& item : node) array.push_back(ToJson(item));
      return array;
    }
    if (node.IsNull()) return nullptr;
    const std::string text = node.Scalar();
    if (node.Tag() == "!") return text;
    const std::string lower = AsciiLower(text);
    if (lower == "true") return true;
    if (lower == "false") return false;
    const auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
    if (parsed.is_number()) return parsed;
    return text;
  }

  void ExtraInputs(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (value.IsMap()) {
      if (value.size() > 0) Add(at, key.path, key.flag, {ToJson(value).dump()});
      return;
    }
    std::vector<std::string> items = List(at, key.path, value, /*split=*/false);
    if (!items.empty()) Add(at, key.path, key.flag, std::move(items));
  }

  void Goodput(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    std::vector<std::string> items;
    if (value.IsMap()) {
      for (const auto& entry : value) {
        const std::string path = key.path + "." + entry.first.Scalar();
        items.push_back(entry.first.Scalar() + ":" + Scalar(entry.first, path, entry.second));
      }
    } else {
      items = List(at, key.path, value, /*split=*/false);
    }
    if (!items.empty()) Add(at, key.path, key.flag, std::move(items));
  }

  void Sweep(const Key& key, const YAML::Node& at, const YAML::Node& value) {
    if (!value.IsMap()) Fail(at, key.path, fmt::format("expected a mapping such as {{concurrency: {{start: 1, stop: 64}}}}, got {}", ShapeName(value)));
    if (value.size() == 0) return;
    if (value.size() > 1) Fail(at, key.path, "bench sweeps one parameter at a time (give one key)");
    const auto entry = *value.begin();
    std::string type = entry.first.Scalar();
    const std::string path = key.path + "." + type;
    if (type == "runtime_batch_size") type = "batch_size";  // GenAI-Perf's config name for it
    const std::vector<std::string> owned = {"--sweep-type", "--sweep-list", "--sweep-range"};
    Add(entry.first, path, "--sweep-type", {type}, owned);
    analyze_ = true;
    const YAML::Node& spec = entry.second;
    if (spec.IsNull()) return;  // the type's default range
    if (spec.IsSequence()) {
      std::string list;
      for (const std::string& item : List(entry.first, path, spec, /*split=*/false)) list += (list.empty() ? "" : ",") + item;
      Add(entry.first, path, "--sweep-list", {list}, owned);
      return;
    }
    if (!spec.IsMap()) Fail(entry.first, path, fmt::format("expected {{start: A, stop: B[, step: C]}} or a list, got {}", ShapeName(spec)));
    std::map<std::string, std::string> bounds;
    for (const auto& bound : spec) {
      const std::string name = bound.first.Scalar();
      if (name != "start" && name != "stop" && name != "step") Fail(bound.first, path + "." + name, "unknown key (known: start, stop, step)");
      bounds[name] = Scalar(bound.first, path + "." + name, bound.second);
    }
    if (bounds.empty()) return;
    if (!bounds.count("start") || !bounds.count("stop")) {
      Fail(entry.first, path, "give both start and stop (or neither, for the default range)");
    }
    std::string range = bounds["start"] + ":" + bounds["stop"];
    if (bounds.count("step")) range += ":" + bounds["step"];
    Add(entry.first, path, "--sweep-range", {range}, owned);
  }

  std::string source_;
  std::vector<ConfigArg> args_;
  bool interval_ = false;             // perf_analyzer.measurement.mode: interval
  YAML::Node mode_at_;
  std::optional<std::string> num_;    // perf_analyzer.measurement.num, when given
  YAML::Node num_at_;
  bool analyze_ = false;
  bool process_ = false;
};

}  // namespace

std::string ConfigSubcommandName(ConfigSubcommand subcommand) {
  switch (subcommand) {
    case ConfigSubcommand::kProfile: return "profile";
    case ConfigSubcommand::kAnalyze: return "analyze";
    case ConfigSubcommand::kProcessExportFiles: return "process-export-files";
  }
  return "profile";
}

ConfigFileResult ParseConfigText(const std::string& text, const std::string& source_name) {
  ConfigFileResult result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // A syntax error is a broken input file (exit 4); yaml-cpp's mark is 0-based.
    result.error = e.mark.is_null() ? fmt::format("{}: invalid YAML: {}", source_name, e.msg)
                                    : fmt::format("{}:{}:{}: invalid YAML: {}", source_name, e.mark.line + 1,
                                                  e.mark.column + 1, e.msg);
    result.exit_code = kExitInput;
    return result;
  }
  Reader reader(source_name);
  try {
    reader.Top(root);
  } catch (const KeyError& e) {
    result.error = e.message;
    result.exit_code = kExitUsage;
    return result;
  } catch (const YAML::Exception& e) {
    result.error = fmt::format("{}: {}", source_name, e.msg);
    result.exit_code = kExitUsage;
    return result;
  }
  result.subcommand = reader.subcommand();
  result.args = std::move(reader.args());
  const bool analyze = std::any_of(result.args.begin(), result.args.end(), [](const ConfigArg& a) { return a.flag == "--sweep-type"; });
  const bool process = std::any_of(result.args.begin(), result.args.end(), [](const ConfigArg& a) { return a.flag == "--input-directory"; });
  if (analyze && process) {
    result.error = fmt::format("{}: analyze and process.input_path cannot be combined (one subcommand per file)", source_name);
    result.exit_code = kExitUsage;
  }
  return result;
}

ConfigFileResult ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigFileResult result;
    std::error_code ec;
    result.error = std::filesystem::exists(path, ec) ? fmt::format("{}: cannot read the file", path)
                                                     : fmt::format("{}: no such file", path);
    result.exit_code = kExitInput;
    return result;
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfigText(text.str(), path);
}

std::vector<std::string> ConfigArgv(const std::vector<ConfigArg>& args) {
  std::vector<std::string> argv;
  for (const ConfigArg& arg : args) {
    // --flag=VALUE keeps values that start with '-' (a negative number) from reading as flags.
    if (arg.values.empty()) argv.push_back(arg.flag);
    for (const std::string& value : arg.values) argv.push_back(arg.flag + "=" + value);
  }
  return argv;
}

}  // namespace bench
