#include "util/svg.h"

#include <cmath>

#include <fmt/format.h>

namespace bench {
namespace {

// One style sheet inside every chart, so a chart saved alone as .svg looks like the one in the
// report. Generic font families only: nothing is fetched.
constexpr std::string_view kStyle =
    "<style>"
    "text{font-family:sans-serif;font-size:12px;fill:#222}"
    ".title{font-size:15px;font-weight:bold}"
    ".caption{font-size:11px;fill:#555}"
    ".tick{font-size:11px;fill:#444}"
    ".grid{stroke:#e4e4e4;stroke-width:1}"
    ".axis{stroke:#888;stroke-width:1}"
    ".box{fill:#9ecae1;stroke:#1f77b4;stroke-width:1.5}"
    ".median{stroke:#08306b;stroke-width:2.5}"
    ".whisker{stroke:#1f77b4;stroke-width:1.5}"
    ".mean{stroke:#ff7f0e;stroke-width:2;stroke-dasharray:4 3}"
    ".pt{fill:#1f77b4;fill-opacity:0.45}"
    ".out{fill:none;stroke:#1f77b4;stroke-width:1}"
    ".line{fill:none;stroke:#ff7f0e;stroke-width:2}"
    ".wait{fill:#fdae6b}"
    ".gen{fill:#3182bd}"
    ".fail{fill:#d62728}"
    ".nodata{font-size:14px;fill:#888}"
    ".s0{stroke:#1f77b4;fill:#1f77b4}.s1{stroke:#d62728;fill:#d62728}"
    ".s2{stroke:#2ca02c;fill:#2ca02c}.s3{stroke:#9467bd;fill:#9467bd}"
    ".series{fill:none;stroke-width:2}"
    "</style>";

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string SvgNumber(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

SvgWriter::SvgWriter(double width, double height, std::string_view aria_label) {
  out_ = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" aria-label=\"{2}\">",
      SvgNumber(width), SvgNumber(height), XmlEscape(aria_label));
  out_ += kStyle;
  out_ += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>", SvgNumber(width),
                      SvgNumber(height));
}

void SvgWriter::Rect(double x, double y, double w, double h, std::string_view attrs, std::string_view tooltip) {
  out_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}", SvgNumber(x), SvgNumber(y),
                      SvgNumber(w), SvgNumber(h), attrs);
  // A <title> child is the browser's own hover tooltip: details without any script.
  if (tooltip.empty()) {
    out_ += "/>";
  } else {
    out_ += "><title>" + XmlEscape(tooltip) + "</title></rect>";
  }
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>", SvgNumber(x1), SvgNumber(y1),
                      SvgNumber(x2), SvgNumber(y2), attrs);
}

void SvgWriter::Circle(double cx, double cy, double r, std::string_view attrs) {
  out_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {}/>", SvgNumber(cx), SvgNumber(cy), SvgNumber(r),
                      attrs);
}

void SvgWriter::Polyline(const std::vector<std::pair<double, double>>& points, std::string_view attrs) {
  std::string list;
  for (const auto& [x, y] : points) {
    if (!list.empty()) list += ' ';
    list += SvgNumber(x) + "," + SvgNumber(y);
  }
  out_ += fmt::format("<polyline points=\"{}\" {}/>", list, attrs);
}

void SvgWriter::Text(double x, double y, std::string_view text, std::string_view attrs) {
  out_ += fmt::format("<text x=\"{}\" y=\"{}\" {}>{}</text>", SvgNumber(x), SvgNumber(y), attrs, XmlEscape(text));
}

void SvgWriter::Raw(std::string_view markup) { out_ += markup; }

std::string SvgWriter::Finish() {
  out_ += "</svg>";
  return std::exchange(out_, {});
}

}  // namespace bench
