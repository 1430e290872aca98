#pragma once
// A small SVG writer for the plots: escaped text, compact coordinates, and the few elements
// charts are drawn with. Output is plain markup with no script, no external reference and
// only generic font families, so it renders the same offline in any browser.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

/// `text` with &, <, >, " and ' escaped for XML/HTML text and attribute values.
std::string XmlEscape(std::string_view text);

/// A coordinate with at most one decimal and no trailing ".0" (file size: a run's timeline
/// has thousands of them; a tenth of a pixel is below what a screen shows).
std::string SvgNumber(double v);

/// Appends SVG elements to one document. `attrs` arguments are raw attribute text written as
/// given (callers pass constants such as `class="box"`); every text argument is escaped.
class SvgWriter {
 public:
  /// Opens <svg> with a viewBox of width x height and the shared chart style sheet.
  SvgWriter(double width, double height, std::string_view aria_label);

  void Rect(double x, double y, double w, double h, std::string_view attrs, std::string_view tooltip = {});
  void Line(double x1, double y1, double x2, double y2, std::string_view attrs);
  void Circle(double cx, double cy, double r, std::string_view attrs);
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view attrs);
  void Text(double x, double y, std::string_view text, std::string_view attrs);
  /// Markup written as is (gradients, groups).
  void Raw(std::string_view markup);
  /// Closes the document and returns it; the writer is empty afterwards.
  std::string Finish();

 private:
  std::string out_;
};

}  // namespace bench
