#pragma once
// The chart kinds of `--generate-plots`, each drawn as one self-contained SVG: a horizontal
// box plot, a heatmap, a scatter plot (with an optional line) and a request timeline. Every
// chart caps what it draws and says so in its caption, so a long run stays a small file.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plots/data.h"
#include "plots/stats.h"

namespace bench {

/// One drawn chart.
struct Chart {
  std::string file_stem;  // GenAI-Perf's plot file name without extension
  std::string title;
  std::string svg;
  bool wide = false;  // spans the report's full width
};

/// GenAI-Perf's file name of a plot: the title lower-cased, spaces replaced by '_' (and, unlike
/// GenAI-Perf, characters other than letters, digits, '-' and '_' dropped).
std::string ChartFileStem(std::string_view title);

/// Horizontal Tukey box plot of `values` with their mean and at most `max_outliers` outliers.
Chart BoxPlotChart(const std::string& title, const std::string& x_label, std::span<const double> values,
                   size_t max_outliers = 300);

/// Heatmap of a 2-D histogram; colour = request count.
Chart HeatmapChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                   const Heatmap& heatmap);

struct ScatterSpec {
  std::string title, x_label, y_label;
  std::span<const double> x, y;  // the points (the shorter length wins)
  size_t total = 0;              // points in the data when x/y are already a sample (0 = x.size())
  size_t max_points = 2000;      // more are thinned evenly
  std::vector<std::pair<double, double>> line;  // optional overlay, drawn in order
  std::string line_label;
  std::string note;           // appended to the caption
  std::string empty_message;  // shown when there is no point
  bool wide = false;          // span the report's width (twice as wide)
};
/// Scatter plot of (x, y), with `line` on top.
Chart ScatterChart(const ScatterSpec& spec);

/// A line of a LineChart: points joined in the given order, each marked.
struct LineSeries {
  std::string label;
  std::vector<std::pair<double, double>> points;
  std::vector<std::string> point_labels;  // optional text beside each point (e.g. the swept value)
};
struct LineChartSpec {
  std::string title, x_label, y_label;
  std::vector<LineSeries> series;  // at most four are told apart by colour
  std::string note;                // the caption
  std::string empty_message;
};
/// Lines with markers on shared axes (a sweep: one point per run).
Chart LineChart(const LineChartSpec& spec);

/// Requests as horizontal bars over time (send -> first token -> end), sorted by send time.
Chart TimelineChart(const std::string& title, const PlotData& data);

}  // namespace bench
