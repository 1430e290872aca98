#include "plots/charts.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "plots/scale.h"
#include "util/svg.h"

namespace bench {
namespace {

constexpr double kWidth = 600;
constexpr double kHeight = 400;
constexpr double kWideWidth = 1160;  // a chart spanning both columns of the report

// The plot area inside a chart; margins leave room for the title, ticks, labels and caption.
struct Frame {
  double left, top, right, bottom;
  double Width() const { return right - left; }
  double Height() const { return bottom - top; }
};

Frame DefaultFrame(double width, double height, double right_margin = 24, double left_margin = 72) {
  return {left_margin, 44, width - right_margin, height - 86};
}

void DrawTitle(SvgWriter& svg, double width, const std::string& title) {
  svg.Text(width / 2, 24, title, "class=\"title\" text-anchor=\"middle\"");
}

// Up to three caption lines under the x label, split at '\n'.
void DrawCaption(SvgWriter& svg, double height, const std::string& caption) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at <= caption.size() && lines.size() < 3) {
    const size_t nl = caption.find('\n', at);
    lines.push_back(caption.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  double y = height - 8 - 14.0 * static_cast<double>(lines.size() - 1);
  for (const std::string& line : lines) {
    svg.Text(12, y, line, "class=\"caption\"");
    y += 14;
  }
}

void DrawXAxis(SvgWriter& svg, const Frame& f, const Axis& axis, const LinearScale& x, const std::string& label,
               bool grid) {
  for (const double t : axis.ticks) {
    const double px = x(t);
    if (grid) svg.Line(px, f.top, px, f.bottom, "class=\"grid\"");
    svg.Line(px, f.bottom, px, f.bottom + 5, "class=\"axis\"");
    svg.Text(px, f.bottom + 18, FormatTick(t, axis.step), "class=\"tick\" text-anchor=\"middle\"");
  }
  svg.Line(f.left, f.bottom, f.right, f.bottom, "class=\"axis\"");
  svg.Text((f.left + f.right) / 2, f.bottom + 36, label, "text-anchor=\"middle\"");
}

void DrawYAxis(SvgWriter& svg, const Frame& f, const Axis& axis, const LinearScale& y, const std::string& label) {
  for (const double t : axis.ticks) {
    const double py = y(t);
    svg.Line(f.left, py, f.right, py, "class=\"grid\"");
    svg.Line(f.left - 5, py, f.left, py, "class=\"axis\"");
    svg.Text(f.left - 8, py + 4, FormatTick(t, axis.step), "class=\"tick\" text-anchor=\"end\"");
  }
  svg.Line(f.left, f.top, f.left, f.bottom, "class=\"axis\"");
  svg.Text(16, (f.top + f.bottom) / 2, label,
           fmt::format("text-anchor=\"middle\" transform=\"rotate(-90 16 {})\"", SvgNumber((f.top + f.bottom) / 2)));
}

void DrawNoData(SvgWriter& svg, const Frame& f, const std::string& message) {
  svg.Rect(f.left, f.top, f.Width(), f.Height(), "fill=\"#fafafa\" stroke=\"#ddd\"");
  svg.Text((f.left + f.right) / 2, (f.top + f.bottom) / 2, message, "class=\"nodata\" text-anchor=\"middle\"");
}

std::string Count(size_t n) { return fmt::format("{}", n); }

// What was drawn of how many, for a caption.
std::string DrawnOf(size_t drawn, size_t total, const char* noun) {
  if (drawn >= total) return fmt::format("{} {}", total, noun);
  return fmt::format("{} of {} {} drawn", drawn, total, noun);
}

// Sequential colour scale (viridis stops), t in [0, 1].
std::string Viridis(double t) {
  static constexpr std::array<std::array<int, 3>, 5> kStops = {
      {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
  t = std::clamp(t, 0.0, 1.0) * (kStops.size() - 1);
  const size_t i = std::min(static_cast<size_t>(t), kStops.size() - 2);
  const double u = t - static_cast<double>(i);
  std::array<int, 3> c{};
  for (size_t k = 0; k < 3; ++k) {
    c[k] = static_cast<int>(std::lround(kStops[i][k] + (kStops[i + 1][k] - kStops[i][k]) * u));
  }
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

// A bin as the values it holds: "100" or "100-104" for integer bins, "[0.5, 1)" otherwise.
std::string BinLabel(const Bins& bins, size_t i) {
  const double lo = bins.Edge(i);
  const double hi = bins.Edge(i + 1);
  if (bins.width.exponent >= 0 && lo == std::floor(lo)) {
    if (hi - lo == 1) return fmt::format("{:.0f}", lo);
    return fmt::format("{:.0f}\u2013{:.0f}", lo, hi - 1);
  }
  return fmt::format("[{}, {})", FormatTick(lo, bins.width), FormatTick(hi, bins.width));
}

// Labels every k-th bin so that neighbouring labels do not overlap.
size_t LabelEvery(size_t count, double space_per_bin, double space_needed) {
  size_t k = 1;
  while (k < count && space_per_bin * static_cast<double>(k) < space_needed) ++k;
  return k;
}

std::string Ms(double v) { return fmt::format("{:.2f}", v); }

}  // namespace

std::string ChartFileStem(std::string_view title) {
  std::string s;
  for (const char c : title) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ') {
      s += '_';
    } else if (std::isalnum(u) || c == '-' || c == '_') {
      s += static_cast<char>(std::tolower(u));
    }
    // Anything else ('/', '(', ...) is dropped: the stem must be a plain file name.
  }
  return s;
}

Chart BoxPlotChart(const std::string& title, const std::string& x_label, std::span<const double> values,
                   size_t max_outliers) {
  Chart chart{ChartFileStem(title), title, "", false};
  SvgWriter svg(kWidth, kHeight, title);
  DrawTitle(svg, kWidth, title);
  const Frame f = DefaultFrame(kWidth, kHeight);
  const BoxStats b = ComputeBoxStats(values);
  if (b.count == 0) {
    DrawNoData(svg, f, "no successful request");
    DrawCaption(svg, kHeight, "Box plot of every successful request.");
    chart.svg = svg.Finish();
    return chart;
  }
  const Axis axis = NiceAxis(b.min, b.max);
  const LinearScale x(axis.lo, axis.hi, f.left, f.right);
  DrawXAxis(svg, f, axis, x, x_label, true);
  const double cy = f.top + f.Height() * 0.55;
  const double half = 34;
  const std::string stats = fmt::format("n {}   min {}   p25 {}   median {}   p75 {}   max {}   mean {}", b.count,
                                        Ms(b.min), Ms(b.q1), Ms(b.median), Ms(b.q3), Ms(b.max), Ms(b.mean));
  svg.Text((f.left + f.right) / 2, f.top + 18, stats, "class=\"tick\" text-anchor=\"middle\"");
  // Whiskers first, the box over them.
  svg.Line(x(b.lower_whisker), cy, x(b.q1), cy, "class=\"whisker\"");
  svg.Line(x(b.q3), cy, x(b.upper_whisker), cy, "class=\"whisker\"");
  svg.Line(x(b.lower_whisker), cy - half / 2, x(b.lower_whisker), cy + half / 2, "class=\"whisker\"");
  svg.Line(x(b.upper_whisker), cy - half / 2, x(b.upper_whisker), cy + half / 2, "class=\"whisker\"");
  svg.Rect(x(b.q1), cy - half, std::max(x(b.q3) - x(b.q1), 1.0), 2 * half, "class=\"box\"",
           fmt::format("p25 {} / median {} / p75 {}", Ms(b.q1), Ms(b.median), Ms(b.q3)));
  svg.Line(x(b.median), cy - half, x(b.median), cy + half, "class=\"median\"");
  svg.Line(x(b.mean), cy - half - 6, x(b.mean), cy + half + 6, "class=\"mean\"");
  const std::vector<size_t> drawn = EvenSampleIndices(b.outliers.size(), max_outliers);
  for (size_t k = 0; k < drawn.size(); ++k) {
    // A small fixed vertical spread keeps equal outliers from hiding one another.
    const double dy = static_cast<double>(static_cast<int>(k % 5) - 2) * 5;
    svg.Circle(x(b.outliers[drawn[k]]), cy + dy, 3, "class=\"out\"");
  }
  std::string caption =
      "Box: p25 to p75 (bench's percentiles); dark line: median; dashed: mean; whiskers reach the\n"
      "furthest values within 1.5 x IQR of the box; circles: the values beyond (" +
      DrawnOf(drawn.size(), b.outliers.size(), "outliers") + ").";
  DrawCaption(svg, kHeight, caption);
  chart.svg = svg.Finish();
  return chart;
}

Chart HeatmapChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                   const Heatmap& h) {
  Chart chart{ChartFileStem(title), title, "", false};
  SvgWriter svg(kWidth, kHeight, title);
  DrawTitle(svg, kWidth, title);
  // Wider left margin: bin labels such as "1000–1049" are longer than tick numbers.
  const Frame f = DefaultFrame(kWidth, kHeight, 86, 104);
  if (h.total == 0) {
    DrawNoData(svg, f, "no successful request");
    DrawCaption(svg, kHeight, "Requests counted per (input, output) length bin.");
    chart.svg = svg.Finish();
    return chart;
  }
  const double cw = f.Width() / static_cast<double>(h.x.count);
  const double ch = f.Height() / static_cast<double>(h.y.count);
  const bool numbers = cw >= 30 && ch >= 16;
  for (size_t yi = 0; yi < h.y.count; ++yi) {
    for (size_t xi = 0; xi < h.x.count; ++xi) {
      const size_t n = h.At(xi, yi);
      if (n == 0) continue;
      const double t = static_cast<double>(n) / static_cast<double>(h.max_count);
      const double px = f.left + cw * static_cast<double>(xi);
      const double py = f.bottom - ch * static_cast<double>(yi + 1);
      svg.Rect(px, py, cw, ch, fmt::format("fill=\"{}\"", Viridis(t)),
               fmt::format("input {}, output {}: {} requests", BinLabel(h.x, xi), BinLabel(h.y, yi), n));
      if (numbers) {
        svg.Text(px + cw / 2, py + ch / 2 + 4, Count(n),
                 fmt::format("class=\"tick\" text-anchor=\"middle\" style=\"fill:{}\"", t > 0.6 ? "#222" : "#fff"));
      }
    }
  }
  svg.Rect(f.left, f.top, f.Width(), f.Height(), "fill=\"none\" stroke=\"#888\"");
  const size_t x_every = LabelEvery(h.x.count, cw, 70);
  for (size_t xi = 0; xi < h.x.count; xi += x_every) {
    const double px = f.left + cw * (static_cast<double>(xi) + 0.5);
    svg.Line(px, f.bottom, px, f.bottom + 5, "class=\"axis\"");
    svg.Text(px, f.bottom + 18, BinLabel(h.x, xi), "class=\"tick\" text-anchor=\"middle\"");
  }
  svg.Text((f.left + f.right) / 2, f.bottom + 36, x_label, "text-anchor=\"middle\"");
  const size_t y_every = LabelEvery(h.y.count, ch, 16);
  for (size_t yi = 0; yi < h.y.count; yi += y_every) {
    const double py = f.bottom - ch * (static_cast<double>(yi) + 0.5);
    svg.Line(f.left - 5, py, f.left, py, "class=\"axis\"");
    svg.Text(f.left - 8, py + 4, BinLabel(h.y, yi), "class=\"tick\" text-anchor=\"end\"");
  }
  svg.Text(16, (f.top + f.bottom) / 2, y_label,
           fmt::format("text-anchor=\"middle\" transform=\"rotate(-90 16 {})\"", SvgNumber((f.top + f.bottom) / 2)));
  // Colour legend: a gradient through the same stops, 1 at the bottom, the fullest bin on top.
  std::string gradient = "<defs><linearGradient id=\"viridis\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">";
  for (int i = 0; i <= 4; ++i) {
    gradient += fmt::format("<stop offset=\"{}\" stop-color=\"{}\"/>", i / 4.0, Viridis(i / 4.0));
  }
  gradient += "</linearGradient></defs>";
  svg.Raw(gradient);
  const double lx = f.right + 18;
  svg.Rect(lx, f.top, 14, f.Height(), "fill=\"url(#viridis)\" stroke=\"#888\"");
  svg.Text(lx + 20, f.top + 10, Count(h.max_count), "class=\"tick\"");
  svg.Text(lx + 20, f.bottom, "1", "class=\"tick\"");
  svg.Text(lx + 7, f.top - 8, "requests", "class=\"tick\" text-anchor=\"middle\"");
  DrawCaption(svg, kHeight,
              fmt::format("{} requests in {} x {} bins ({} x {} tokens wide). Colour: requests per bin.", h.total,
                          h.x.count, h.y.count, FormatTick(h.x.width.Value(), h.x.width),
                          FormatTick(h.y.width.Value(), h.y.width)));
  chart.svg = svg.Finish();
  return chart;
}

Chart ScatterChart(const ScatterSpec& spec) {
  Chart chart{ChartFileStem(spec.title), spec.title, "", spec.wide};
  const double width = spec.wide ? kWideWidth : kWidth;
  SvgWriter svg(width, kHeight, spec.title);
  DrawTitle(svg, width, spec.title);
  const Frame f = DefaultFrame(width, kHeight);
  const size_t n = std::min(spec.x.size(), spec.y.size());
  if (n == 0) {
    DrawNoData(svg, f, spec.empty_message.empty() ? "no data" : spec.empty_message);
    DrawCaption(svg, kHeight, spec.note);
    chart.svg = svg.Finish();
    return chart;
  }
  const auto [xmin, xmax] = std::minmax_element(spec.x.begin(), spec.x.begin() + static_cast<std::ptrdiff_t>(n));
  const auto [ymin, ymax] = std::minmax_element(spec.y.begin(), spec.y.begin() + static_cast<std::ptrdiff_t>(n));
  double lo_y = *ymin, hi_y = *ymax;
  for (const auto& [lx, ly] : spec.line) {
    lo_y = std::min(lo_y, ly);
    hi_y = std::max(hi_y, ly);
  }
  const Axis ax = NiceAxis(*xmin, *xmax);
  const Axis ay = NiceAxis(lo_y, hi_y);
  const LinearScale x(ax.lo, ax.hi, f.left, f.right);
  const LinearScale y(ay.lo, ay.hi, f.bottom, f.top);
  DrawYAxis(svg, f, ay, y, spec.y_label);
  DrawXAxis(svg, f, ax, x, spec.x_label, true);
  const std::vector<size_t> drawn = EvenSampleIndices(n, spec.max_points);
  for (const size_t i : drawn) svg.Circle(x(spec.x[i]), y(spec.y[i]), 2.5, "class=\"pt\"");
  if (!spec.line.empty()) {
    std::vector<std::pair<double, double>> points;
    points.reserve(spec.line.size());
    for (const auto& [lx, ly] : spec.line) points.emplace_back(x(lx), y(ly));
    svg.Polyline(points, "class=\"line\"");
    if (!spec.line_label.empty()) {
      svg.Line(f.right - 150, f.top + 10, f.right - 126, f.top + 10, "class=\"line\"");
      svg.Text(f.right - 120, f.top + 14, spec.line_label, "class=\"tick\"");
    }
  }
  const size_t total = std::max(spec.total, n);
  std::string caption = DrawnOf(drawn.size(), total, "points");
  if (drawn.size() < total) caption += " (evenly spaced in completion order)";
  caption += ".";
  if (!spec.note.empty()) caption += " " + spec.note;
  DrawCaption(svg, kHeight, caption);
  chart.svg = svg.Finish();
  return chart;
}

Chart LineChart(const LineChartSpec& spec) {
  Chart chart{ChartFileStem(spec.title), spec.title, "", false};
  SvgWriter svg(kWidth, kHeight, spec.title);
  DrawTitle(svg, kWidth, spec.title);
  // The legend gets rows of its own under the title (four entries a row), never over the data.
  const size_t legend_rows = (spec.series.size() + 3) / 4;
  Frame f = DefaultFrame(kWidth, kHeight);
  f.top += 16 * static_cast<double>(legend_rows);
  double lo_x = 0, hi_x = 0, lo_y = 0, hi_y = 0;
  bool any = false;
  for (const LineSeries& s : spec.series) {
    for (const auto& [x, y] : s.points) {
      lo_x = any ? std::min(lo_x, x) : x;
      hi_x = any ? std::max(hi_x, x) : x;
      lo_y = any ? std::min(lo_y, y) : y;
      hi_y = any ? std::max(hi_y, y) : y;
      any = true;
    }
  }
  if (!any) {
    DrawNoData(svg, f, spec.empty_message.empty() ? "no data" : spec.empty_message);
    DrawCaption(svg, kHeight, spec.note);
    chart.svg = svg.Finish();
    return chart;
  }
  // Latency and throughput are read against zero: a sweep's small differences should not look large.
  const Axis ax = NiceAxis(std::min(lo_x, 0.0), hi_x);
  const Axis ay = NiceAxis(std::min(lo_y, 0.0), hi_y);
  const LinearScale x(ax.lo, ax.hi, f.left, f.right);
  const LinearScale y(ay.lo, ay.hi, f.bottom, f.top);
  DrawYAxis(svg, f, ay, y, spec.y_label);
  DrawXAxis(svg, f, ax, x, spec.x_label, true);
  for (size_t i = 0; i < spec.series.size(); ++i) {
    const LineSeries& s = spec.series[i];
    const std::string cls = fmt::format("s{}", i % 4);
    std::vector<std::pair<double, double>> points;
    for (const auto& [px, py] : s.points) points.emplace_back(x(px), y(py));
    svg.Polyline(points, fmt::format("class=\"series {}\"", cls));
    for (size_t k = 0; k < points.size(); ++k) {
      svg.Circle(points[k].first, points[k].second, 4, fmt::format("class=\"{}\"", cls));
      if (k < s.point_labels.size()) {
        svg.Text(points[k].first + 6, points[k].second - 6, s.point_labels[k], "class=\"tick\"");
      }
    }
    const double ly = 46 + 16 * static_cast<double>(i / 4);
    const double lx = f.left + 130 * static_cast<double>(i % 4);
    svg.Line(lx, ly - 4, lx + 24, ly - 4, fmt::format("class=\"series {}\"", cls));
    svg.Text(lx + 30, ly, s.label, "class=\"tick\"");
  }
  DrawCaption(svg, kHeight, spec.note);
  chart.svg = svg.Finish();
  return chart;
}

Chart TimelineChart(const std::string& title, const PlotData& data) {
  Chart chart{ChartFileStem(title), title, "", true};
  std::vector<TimelineBar> bars = data.timeline;
  std::stable_sort(bars.begin(), bars.end(),
                   [](const TimelineBar& a, const TimelineBar& b) { return a.send_ns < b.send_ns; });
  const double width = kWideWidth;
  // Up to 120 requests get 6 px rows; more share 720 px (1.8 px each at the default cap of 400).
  const double plot_height = std::clamp(static_cast<double>(bars.size()) * 6.0, 160.0, 720.0);
  const double height = plot_height + 44 + 86;
  SvgWriter svg(width, height, title);
  DrawTitle(svg, width, title);
  const Frame f{72, 44, width - 24, 44 + plot_height};
  if (bars.empty()) {
    DrawNoData(svg, f, "no request");
    chart.svg = svg.Finish();
    return chart;
  }
  const double t0 = static_cast<double>(data.first_send_ns);
  const double seconds = static_cast<double>(data.last_end_ns - data.first_send_ns) / 1e9;
  const Axis axis = NiceAxis(0, std::max(seconds, 1e-3));
  const LinearScale x(axis.lo, axis.hi, f.left, f.right);
  DrawXAxis(svg, f, axis, x, "Time since the first request was sent (s)", true);
  const auto px = [&](int64_t ns) { return x((static_cast<double>(ns) - t0) / 1e9); };
  const double row = f.Height() / static_cast<double>(bars.size());
  const double bar = std::max(row * 0.8, 1.0);
  size_t failed = 0;
  for (size_t i = 0; i < bars.size(); ++i) {
    const TimelineBar& b = bars[i];
    const double top = f.top + row * static_cast<double>(i) + (row - bar) / 2;
    const double send = px(b.send_ns);
    const double first = px(b.first_ns);
    const double end = px(b.end_ns);
    std::string tip;
    if (b.kind == TimelineBar::Kind::kOk) {
      tip = fmt::format("sent at {:.3f} s; TTFT {} ms; latency {} ms", (static_cast<double>(b.send_ns) - t0) / 1e9,
                        Ms(static_cast<double>(b.first_ns - b.send_ns) / 1e6),
                        Ms(static_cast<double>(b.end_ns - b.send_ns) / 1e6));
    } else {
      tip = fmt::format("sent at {:.3f} s; {}", (static_cast<double>(b.send_ns) - t0) / 1e9,
                        b.kind == TimelineBar::Kind::kFailed ? "failed" : "no response kept");
    }
    svg.Raw("<g><title>" + XmlEscape(tip) + "</title>");
    if (b.kind == TimelineBar::Kind::kOk) {
      // Bars at least half a pixel wide, so an instant answer still shows.
      svg.Rect(send, top, std::max(first - send, 0.5), bar, "class=\"wait\"");
      svg.Rect(first, top, std::max(end - first, 0.5), bar, "class=\"gen\"");
    } else {
      ++failed;
      // At least 4 px wide: a refused connection has no duration but must stay visible.
      svg.Rect(send, top, std::max(end - send, 4.0), bar,
               b.kind == TimelineBar::Kind::kFailed ? "class=\"fail\"" : "fill=\"#999\"");
    }
    svg.Raw("</g>");
  }
  svg.Text(16, (f.top + f.bottom) / 2, "Requests, by send time",
           fmt::format("text-anchor=\"middle\" transform=\"rotate(-90 16 {})\"", SvgNumber((f.top + f.bottom) / 2)));
  // Legend above the plot, right-aligned.
  const double ly = 30;
  double lx = f.right - 430;
  for (const auto& [cls, label] : std::array<std::pair<const char*, const char*>, 3>{
           {{"wait", "send -> first token"}, {"gen", "first token -> last response"}, {"fail", "failed"}}}) {
    svg.Rect(lx, ly - 9, 12, 10, fmt::format("class=\"{}\"", cls));
    svg.Text(lx + 16, ly, label, "class=\"tick\"");
    lx += 170;
  }
  std::string caption =
      "Each bar is one request: waiting for the first token (orange), then receiving the rest (blue).";
  if (bars.size() < data.timeline_total) {
    caption += fmt::format(
        "\n{} of {} requests drawn (one in {}, in completion order); the time axis spans all of them.", bars.size(),
        data.timeline_total, data.timeline_stride);
  } else {
    caption += fmt::format("\n{} requests.", data.timeline_total);
  }
  if (failed > 0) caption += fmt::format(" {} drawn requests failed or kept no response (red / grey).", failed);
  DrawCaption(svg, height, caption);
  chart.svg = svg.Finish();
  return chart;
}

}  // namespace bench
