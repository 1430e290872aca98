#include "app/config_template.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "app/config_keys.h"

namespace bench {
namespace {

struct Section {
  std::string name;
  std::vector<const Key*> keys;
  std::vector<Section> children;
};

Section& Child(Section& parent, const std::string& name) {
  for (Section& child : parent.children) {
    if (child.name == name) return child;
  }
  parent.children.push_back({name, {}, {}});
  return parent.children.back();
}

Section BuildTree() {
  Section root;
  for (const Key& key : Keys()) {
    if (key.kind == Kind::kSweep) {  // written as a section holding only its comment
      Child(root, key.path);
      continue;
    }
    Section* at = &root;
    std::string rest = key.path;
    for (size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1)) at = &Child(*at, rest.substr(0, dot));
    if (key.in_template) at->keys.push_back(&key);
  }
  return root;
}

// Plain scalars stay plain; anything YAML would read differently is double-quoted.
std::string YamlValue(const std::string& text) {
  if (text.empty()) return "";
  const bool plain = text.find(": ") == std::string::npos && text.find(" #") == std::string::npos &&
                     std::string("[]{}&*!|>'\"%@`#,?-").find(text.front()) == std::string::npos;
  return plain ? text : nlohmann::json(text).dump();
}

void CommentLines(const std::string& comment, const std::string& indent, std::string& out) {
  std::stringstream in(comment);
  for (std::string line; std::getline(in, line);) out += indent + "# " + line + "\n";
}

// GenAI-Perf's BaseConfig.create_template: header, the section's keys, a blank line, then the
// subsections, each level two spaces deeper (the top level too).
void Render(const Section& section, int level, const std::string& path, bool verbose, std::string& out) {
  const std::string indent(static_cast<size_t>(2 * level + 2), ' ');
  if (level > 0) out += std::string(static_cast<size_t>(2 * level), ' ') + section.name + ":\n";
  if (const auto it = SectionComments().find(path); it != SectionComments().end()) CommentLines(it->second, indent, out);
  for (const Key* key : section.keys) {
    const bool commented = verbose && !key->comment.empty();
    if (commented) CommentLines(key->comment, indent, out);
    const std::string value = key->kind == Kind::kStimulus ? key->default_text : YamlValue(key->default_text);
    out += indent + key->path.substr(key->path.rfind('.') + 1) + ":" + (value.empty() ? "" : " " + value) + "\n";
    if (commented) out += "\n";
  }
  out += "\n";
  for (const Section& child : section.children) {
    Render(child, level + 1, path.empty() ? child.name : path + "." + child.name, verbose, out);
  }
}

}  // namespace

int WriteConfigTemplate(const TemplateConfig& config) {
  // Never overwrite: the file may be a config someone edited (GenAI-Perf opens it with "x" too).
  std::FILE* f = std::fopen(config.file.c_str(), "wx");
  if (f == nullptr) {
    std::error_code ec;
    if (std::filesystem::exists(config.file, ec)) {
      spdlog::error("{}: already exists; it is not overwritten (choose another name with -f)", config.file);
    } else {
      spdlog::error("cannot write {}", config.file);
    }
    return kExitOutput;
  }
  const std::string text = ConfigTemplate(config.verbose);
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) {
    spdlog::error("cannot write {}", config.file);
    return kExitOutput;
  }
  spdlog::info("wrote {}: edit it, then run bench config -f {}", config.file, config.file);
  return kExitOk;
}

std::string ConfigTemplate(bool verbose) {
  std::string out;
  if (verbose) {
    out += "# bench config -f THIS_FILE runs it: profile, analyze (an analyze section) or\n"
           "# process-export-files (process.input_path). A key at the value written here is the same as\n"
           "# leaving it out. Flags typed after --override-config win over the file. docs/config.md\n\n";
  }
  Render(BuildTree(), 0, "", verbose, out);
  return out;
}

}  // namespace bench
