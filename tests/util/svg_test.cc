#include "util/svg.h"

#include <cmath>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(SvgTest, EscapesMarkupCharacters) {
  EXPECT_EQ(XmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
}

TEST(SvgTest, NumbersHaveAtMostOneDecimal) {
  EXPECT_EQ(SvgNumber(2.0), "2");
  EXPECT_EQ(SvgNumber(1.26), "1.3");
  EXPECT_EQ(SvgNumber(-0.04), "0");
  EXPECT_EQ(SvgNumber(-3.5), "-3.5");
  EXPECT_EQ(SvgNumber(std::nan("")), "0");
}

TEST(SvgTest, WritesAStandaloneDocumentWithEscapedTextAndTooltips) {
  SvgWriter svg(100, 50, "a <chart>");
  svg.Rect(1, 2, 3, 4, "class=\"box\"", "p50 <1 ms>");
  svg.Text(5, 6, "x & y", "class=\"tick\"");
  svg.Polyline({{0, 0}, {1.25, 2}}, "class=\"line\"");
  const std::string out = svg.Finish();
  EXPECT_EQ(out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\"", 0), 0u) << out;
  EXPECT_NE(out.find("aria-label=\"a &lt;chart&gt;\""), std::string::npos);
  const std::string rect =
      "<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" class=\"box\"><title>p50 &lt;1 ms&gt;</title></rect>";
  EXPECT_NE(out.find(rect), std::string::npos) << out;
  EXPECT_NE(out.find(">x &amp; y</text>"), std::string::npos);
  EXPECT_NE(out.find("points=\"0,0 1.2,2\""), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 6), "</svg>");
}

}  // namespace
}  // namespace bench
