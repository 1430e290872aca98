#pragma once
// A plain-text port of the parts of Python `rich` (rich.table.Table printed by a non-colour
// Console) that GenAI-Perf's console output uses: column measuring, collapsing to the console
// width, word wrapping with ellipsis, a centred title and the HEAVY_HEAD box. Kept apart from
// the console exporter so the GPU telemetry tables can reuse it.

#include <optional>
#include <string>
#include <vector>

namespace bench {

/// Horizontal alignment of a cell or title (rich's `justify`).
enum class Justify { kLeft, kCenter, kRight };

/// One column of a RichTable (rich's `Column`; overflow is always "ellipsis").
struct RichColumn {
  std::string header;
  Justify justify = Justify::kLeft;
  std::optional<int> max_width;  // content width cap, without the 2 padding cells
  bool no_wrap = false;
};

/// A table rendered exactly as `rich.console.Console(width=W).print(Table(title=...))` prints it
/// when colours are off: same widths, wrapping, title centring and trailing spaces.
class RichTable {
 public:
  /// A table whose title (empty for none) is centred above the box.
  explicit RichTable(std::string title);

  /// Appends a column; all columns must be added before rows.
  void AddColumn(RichColumn column);
  /// Appends a row; missing trailing cells render empty.
  void AddRow(std::vector<std::string> cells);

  /// The printed text, one '\n'-terminated line per console line, for a console `width` wide.
  std::string Render(int width) const;

 private:
  std::string title_;
  std::vector<RichColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// The width rich's Console picks: 80 for TERM=dumb/unknown, else the first terminal among
/// stdin/stdout/stderr, overridden by a numeric $COLUMNS, 80 when nothing answers.
int DetectConsoleWidth();

}  // namespace bench
