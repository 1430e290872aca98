#include "util/rich_table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string_view>
#include <utility>

#include "util/utf8.h"

// The functions below mirror rich 13.x (rich/table.py, rich/_ratio.py, rich/_wrap.py,
// rich/text.py, rich/containers.py) step by step, including Python's banker's rounding in
// ratio_reduce, because a one-cell difference in any of them shifts every border.
// Cell width is one per code point: every string GenAI-Perf prints is narrow.

namespace bench {
namespace {

using U32 = std::u32string;

U32 ToCodePoints(std::string_view s) {
  U32 out;
  for (size_t i = 0; i < s.size();) out.push_back(NextCodePoint(s, i));
  return out;
}

std::string Encode(const U32& s) {
  std::string out;
  for (char32_t cp : s) AppendUtf8(out, cp);
  return out;
}

// Python's str.isspace() for the characters that can plausibly appear in a label.
bool IsSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

int Len(const U32& s) { return static_cast<int>(s.size()); }

U32 RStrip(U32 s) {
  while (!s.empty() && IsSpace(s.back())) s.pop_back();
  return s;
}

// str.splitlines() (for '\n' / '\r\n' / '\r'; enough for cell text).
std::vector<U32> SplitLines(const U32& s) {
  std::vector<U32> lines;
  U32 cur;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      lines.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(s[i]);
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

struct Measurement {
  int minimum = 0;
  int maximum = 0;

  Measurement Normalize() const {
    const int lo = std::min(std::max(0, minimum), maximum);
    return {std::max(0, std::min(lo, maximum)), std::max(0, std::max(lo, maximum))};
  }
  Measurement WithMaximum(int width) const {
    return {std::min(minimum, width), std::min(maximum, width)};
  }
};

// Text.__rich_measure__ through Measurement.get.
Measurement MeasureText(const U32& text, int max_width) {
  if (max_width < 1) return {0, 0};
  int max_line = 0;
  for (const auto& line : SplitLines(text)) max_line = std::max(max_line, Len(line));
  int min_word = -1;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t j = i;
    while (j < text.size() && !IsSpace(text[j])) ++j;
    if (j > i) min_word = std::max(min_word, static_cast<int>(j - i));
    i = j;
  }
  Measurement m{min_word < 0 ? max_line : min_word, max_line};
  m = m.Normalize().WithMaximum(max_width);
  if (m.maximum < 1) return {0, 0};
  return m.Normalize();
}

// Padding((0, 1)).__rich_measure__ through Measurement.get.
Measurement MeasureCell(const U32& text, int max_width) {
  if (max_width < 1) return {0, 0};
  Measurement m;
  if (max_width - 2 < 1) {
    m = {max_width, max_width};
  } else {
    const Measurement inner = MeasureText(text, max_width);
    m = Measurement{inner.minimum + 2, inner.maximum + 2}.WithMaximum(max_width);
  }
  m = m.Normalize().WithMaximum(max_width);
  if (m.maximum < 1) return {0, 0};
  return m.Normalize();
}

// Python's round() on a float: half to even.
int PyRound(double x) { return static_cast<int>(std::nearbyint(x)); }

// rich._ratio.ratio_reduce.
std::vector<int> RatioReduce(int total, std::vector<int> ratios, const std::vector<int>& maximums,
                             const std::vector<int>& values) {
  for (size_t i = 0; i < ratios.size(); ++i) {
    if (!maximums[i]) ratios[i] = 0;
  }
  int total_ratio = std::accumulate(ratios.begin(), ratios.end(), 0);
  if (!total_ratio) return values;
  int total_remaining = total;
  std::vector<int> result;
  for (size_t i = 0; i < ratios.size(); ++i) {
    if (ratios[i] && total_ratio > 0) {
      const int distributed = std::min(
          maximums[i], PyRound(static_cast<double>(ratios[i]) * total_remaining / total_ratio));
      result.push_back(values[i] - distributed);
      total_remaining -= distributed;
      total_ratio -= ratios[i];
    } else {
      result.push_back(values[i]);
    }
  }
  return result;
}

// Table._collapse_widths.
std::vector<int> CollapseWidths(std::vector<int> widths, const std::vector<bool>& wrapable,
                                int max_width) {
  int total_width = std::accumulate(widths.begin(), widths.end(), 0);
  int excess_width = total_width - max_width;
  if (std::none_of(wrapable.begin(), wrapable.end(), [](bool b) { return b; })) return widths;
  while (total_width && excess_width > 0) {
    int max_column = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (wrapable[i]) max_column = std::max(max_column, widths[i]);
    }
    int second_max_column = 0;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (wrapable[i] && widths[i] != max_column) {
        second_max_column = std::max(second_max_column, widths[i]);
      }
    }
    const int column_difference = max_column - second_max_column;
    std::vector<int> ratios(widths.size(), 0);
    bool any = false;
    for (size_t i = 0; i < widths.size(); ++i) {
      if (widths[i] == max_column && wrapable[i]) ratios[i] = 1, any = true;
    }
    if (!any || !column_difference) break;
    const std::vector<int> max_reduce(widths.size(), std::min(excess_width, column_difference));
    widths = RatioReduce(excess_width, ratios, max_reduce, widths);
    total_width = std::accumulate(widths.begin(), widths.end(), 0);
    excess_width = total_width - max_width;
  }
  return widths;
}

// rich._wrap.divide_line: offsets at which `text` breaks into lines of `width` cells.
std::vector<int> DivideLine(const U32& text, int width, bool fold) {
  std::vector<int> divides;
  int line_position = 0;
  size_t pos = 0;
  while (true) {
    size_t i = pos;
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;  // `\s*\S+\s*` no longer matches
    size_t end = i;
    while (end < text.size() && !IsSpace(text[end])) ++end;
    while (end < text.size() && IsSpace(text[end])) ++end;
    int start = static_cast<int>(pos);
    const U32 word = text.substr(pos, end - pos);
    const int word_length = Len(RStrip(word));
    if (line_position + word_length > width) {
      if (word_length > width) {
        if (fold) {
          // Newer rich chops left to right; 13.3's reversed chop_cells is a known bug.
          for (int off = 0; off < Len(word); off += std::max(width, 1)) {
            const int chunk = std::min(std::max(width, 1), Len(word) - off);
            if (start) divides.push_back(start);
            if (off + chunk >= Len(word)) {
              line_position = chunk;
            } else {
              start += chunk;
            }
          }
        } else {
          if (start) divides.push_back(start);
          line_position = Len(word);
        }
      } else if (line_position && start) {
        divides.push_back(start);
        line_position = Len(word);
      }
    } else {
      line_position += Len(word);
    }
    pos = end;
  }
  return divides;
}

// Text.rstrip_end.
void RStripEnd(U32& line, int size) {
  if (Len(line) <= size) return;
  const int excess = Len(line) - size;
  int ws = 0;
  while (ws < Len(line) && IsSpace(line[line.size() - 1 - ws])) ++ws;
  line.resize(line.size() - std::min(ws, excess));
}

// Text.truncate.
void Truncate(U32& line, int width, bool ellipsis) {
  if (Len(line) > width) {
    if (ellipsis) {
      line.resize(std::max(width - 1, 0));
      line.push_back(U'…');
    } else {
      line.resize(std::max(width, 0));
    }
  }
}

// Text.wrap + Lines.justify: the lines of `text` in exactly `width` cells (pad=True).
std::vector<U32> WrapText(const U32& text, int width, Justify justify, bool ellipsis,
                          bool no_wrap) {
  std::vector<U32> lines;
  // Text.split("\n", allow_blank=True).
  std::vector<U32> paragraphs{U32{}};
  for (char32_t c : text) {
    if (c == '\n') {
      paragraphs.emplace_back();
    } else {
      paragraphs.back().push_back(c);
    }
  }
  for (const auto& paragraph : paragraphs) {
    std::vector<U32> pieces;
    if (no_wrap) {
      pieces.push_back(paragraph);
    } else {
      std::vector<int> offsets = DivideLine(paragraph, width, /*fold=*/!ellipsis);
      offsets.insert(offsets.begin(), 0);
      offsets.push_back(Len(paragraph));
      for (size_t k = 0; k + 1 < offsets.size(); ++k) {
        pieces.push_back(paragraph.substr(offsets[k], offsets[k + 1] - offsets[k]));
      }
    }
    for (auto& piece : pieces) {
      RStripEnd(piece, width);
      switch (justify) {
        case Justify::kLeft:
          Truncate(piece, width, ellipsis);
          break;
        case Justify::kCenter: {
          piece = RStrip(piece);
          Truncate(piece, width, ellipsis);
          const int left = (width - Len(piece)) / 2;
          if (left > 0) piece.insert(0, left, U' ');
          break;
        }
        case Justify::kRight:
          piece = RStrip(piece);
          Truncate(piece, width, ellipsis);
          if (width - Len(piece) > 0) piece.insert(0, width - Len(piece), U' ');
          break;
      }
      Truncate(piece, width, ellipsis);
      // Console.render_lines(pad=True) pads every line to the full width.
      if (Len(piece) < width) piece.append(width - Len(piece), U' ');
      lines.push_back(std::move(piece));
    }
  }
  return lines;
}

U32 Repeat(char32_t c, int n) { return U32(static_cast<size_t>(std::max(n, 0)), c); }

using Cells = std::vector<std::vector<U32>>;  // per column, header first (Table._get_cells)

Measurement MeasureColumn(const std::vector<U32>& cells, const RichColumn& column, int max_width) {
  if (max_width < 1) return {0, 0};
  int lo = -1;
  int hi = -1;
  for (const auto& cell : cells) {
    const Measurement m = MeasureCell(cell, max_width);
    lo = std::max(lo, m.minimum);
    hi = std::max(hi, m.maximum);
  }
  Measurement m = Measurement{lo < 0 ? 1 : lo, hi < 0 ? max_width : hi}.WithMaximum(max_width);
  if (column.max_width) m = m.WithMaximum(*column.max_width + 2);
  return m;
}

// Table._calculate_column_widths (expand=False, no fixed widths): each column's width with its
// padding, within `max_width` for all of them.
std::vector<int> ColumnWidths(const Cells& cells, const std::vector<RichColumn>& columns, int max_width) {
  const size_t n = columns.size();
  std::vector<int> widths(n);
  for (size_t c = 0; c < n; ++c) {
    const int w = MeasureColumn(cells[c], columns[c], max_width).maximum;
    widths[c] = w ? w : 1;
  }
  int table_width = std::accumulate(widths.begin(), widths.end(), 0);
  if (table_width > max_width) {
    std::vector<bool> wrapable(n);
    for (size_t c = 0; c < n; ++c) wrapable[c] = !columns[c].no_wrap;
    widths = CollapseWidths(widths, wrapable, max_width);
    table_width = std::accumulate(widths.begin(), widths.end(), 0);
    if (table_width > max_width) {
      widths = RatioReduce(table_width - max_width, std::vector<int>(n, 1), widths, widths);
    }
    for (size_t c = 0; c < n; ++c) widths[c] = MeasureColumn(cells[c], columns[c], widths[c]).maximum;
  }
  return widths;
}

// A horizontal rule of the box.
U32 EdgeLine(const std::vector<int>& widths, char32_t left, char32_t fill, char32_t mid, char32_t right) {
  U32 line(1, left);
  for (size_t c = 0; c < widths.size(); ++c) {
    if (c) line.push_back(mid);
    line += Repeat(fill, widths[c]);
  }
  line.push_back(right);
  return line;
}

// The lines of row `r` (0 = the header), each cell wrapped to its column.
std::vector<U32> RowLines(const Cells& cells, const std::vector<RichColumn>& columns, const std::vector<int>& widths,
                          size_t r, char32_t vertical) {
  const size_t n = columns.size();
  std::vector<std::vector<U32>> rendered(n);
  size_t height = 0;
  for (size_t c = 0; c < n; ++c) {
    // A column narrower than its padding renders one blank line, as rich does.
    const int content = widths[c] - 2;
    rendered[c] = content < 1 ? std::vector<U32>{U32{}}
                              : WrapText(cells[c][r], content, columns[c].justify,
                                         /*ellipsis=*/true, columns[c].no_wrap);
    height = std::max(height, rendered[c].size());
  }
  // rich aligns header cells to the bottom and body cells to the top.
  const bool header = r == 0;
  std::vector<U32> lines;
  for (size_t h = 0; h < height; ++h) {
    U32 line(1, vertical);
    for (size_t c = 0; c < n; ++c) {
      if (c) line.push_back(vertical);
      const size_t skip = header ? height - rendered[c].size() : 0;
      if (widths[c] - 2 < 1) {
        line += Repeat(U' ', widths[c]);
      } else if (h >= skip && h - skip < rendered[c].size()) {
        line += U' ' + rendered[c][h - skip] + U' ';
      } else {
        line += Repeat(U' ', widths[c]);
      }
    }
    line.push_back(vertical);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

RichTable::RichTable(std::string title) : title_(std::move(title)) {}

void RichTable::AddColumn(RichColumn column) { columns_.push_back(std::move(column)); }

void RichTable::AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

std::string RichTable::Render(int width) const {
  if (columns_.empty()) return "\n";
  const size_t n = columns_.size();
  Cells cells(n);
  for (size_t c = 0; c < n; ++c) {
    cells[c].push_back(ToCodePoints(columns_[c].header));
    for (const auto& row : rows_) cells[c].push_back(c < row.size() ? ToCodePoints(row[c]) : U32{});
  }
  const int extra_width = 2 + static_cast<int>(n) - 1;
  const std::vector<int> widths = ColumnWidths(cells, columns_, width - extra_width);
  const int table_width = std::accumulate(widths.begin(), widths.end(), 0) + extra_width;

  U32 out;
  // Console.print crops every line to the console width (only hit by degenerate widths).
  auto emit = [&out, width](const U32& line) {
    out += line.substr(0, static_cast<size_t>(std::max(width, 0)));
    out.push_back(U'\n');
  };
  if (!title_.empty()) {
    // render_annotation: Text with justify="center", console default overflow "fold".
    for (const auto& line : WrapText(ToCodePoints(title_), table_width, Justify::kCenter,
                                     /*ellipsis=*/false, /*no_wrap=*/false)) {
      emit(line);
    }
  }
  // box.HEAVY_HEAD.
  emit(EdgeLine(widths, U'┏', U'━', U'┳', U'┓'));
  for (const U32& line : RowLines(cells, columns_, widths, 0, U'┃')) emit(line);
  emit(EdgeLine(widths, U'┡', U'━', U'╇', U'┩'));
  for (size_t r = 1; r <= rows_.size(); ++r) {
    for (const U32& line : RowLines(cells, columns_, widths, r, U'│')) emit(line);
  }
  emit(EdgeLine(widths, U'└', U'─', U'┴', U'┘'));
  return Encode(out);
}

int DetectConsoleWidth() {
  if (const char* term = std::getenv("TERM")) {
    const std::string_view t(term);
    if (t == "dumb" || t == "unknown") return 80;
  }
  int width = 0;
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    winsize ws{};
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0) {
      width = ws.ws_col;
      break;
    }
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    const std::string_view c(columns);
    if (!c.empty() && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      width = std::atoi(columns);
    }
  }
  // rich falls back to 80 columns when stdout is not a terminal, which wraps the Statistic
  // column in CI logs and files; bench lets the table take its natural width there instead
  // (docs/compatibility.md). COLUMNS still wins.
  return width > 0 ? width : 160;
}

}  // namespace bench
