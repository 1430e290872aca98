// The plots as a person sees them: a real run's plots/report.html rendered by headless
// Chromium (Debian package `chromium`), and the screenshot checked for the charts' colours.
// Without Chromium the test skips with a message; with CI=true it fails instead.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "png_reader.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// $BENCH_CHROMIUM, else the first of Debian's and upstream's names found in PATH.
std::string FindChromium() {
  if (const char* env = std::getenv("BENCH_CHROMIUM"); env != nullptr && *env != '\0') return env;
  const char* path = std::getenv("PATH");
  std::string dirs = path == nullptr ? "/usr/bin:/bin" : path;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    size_t at = 0;
    while (at <= dirs.size()) {
      const size_t colon = dirs.find(':', at);
      const size_t length = colon == std::string::npos ? std::string::npos : colon - at;
      const fs::path candidate = fs::path(dirs.substr(at, length)) / name;
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate.string();
      if (colon == std::string::npos) break;
      at = colon + 1;
    }
  }
  return "";
}

// Pixels of each exact colour (0xRRGGBB).
std::map<uint32_t, size_t> ColourCounts(const test::Image& img) {
  std::map<uint32_t, size_t> counts;
  for (uint32_t y = 0; y < img.height; ++y) {
    for (uint32_t x = 0; x < img.width; ++x) ++counts[img.At(x, y)];
  }
  return counts;
}

// Text and axes: pixels whose every channel is dark (the page's text is #222).
size_t DarkPixels(const std::map<uint32_t, size_t>& counts) {
  size_t n = 0;
  for (const auto& [rgb, count] : counts) {
    if (((rgb >> 16) & 0xff) < 100 && ((rgb >> 8) & 0xff) < 100 && (rgb & 0xff) < 100) n += count;
  }
  return n;
}

// A screenshot is blank when nearly every pixel is the page or figure background.
bool LooksBlank(const std::map<uint32_t, size_t>& counts, size_t pixels) {
  size_t background = 0;
  for (const uint32_t rgb : {0xf4f4f4u, 0xffffffu}) {
    const auto it = counts.find(rgb);
    if (it != counts.end()) background += it->second;
  }
  return counts.size() < 50 || background > pixels - pixels / 50;
}

TEST(PlotRenderTest, BlankScreenshotsAreRecognised) {
  // The check below must be able to fail: a white or page-grey image is blank.
  test::Image img;
  img.width = 40;
  img.height = 30;
  img.rgb.assign(40 * 30 * 3, 0xf4);
  EXPECT_TRUE(LooksBlank(ColourCounts(img), 40 * 30));
}

TEST(PlotRenderTest, ReportRendersInHeadlessChromium) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
      FAIL() << "chromium is required in CI for the plot rendering test (scripts/install-deps.sh installs it)";
    }
    GTEST_SKIP() << "chromium not found (apt-get install chromium, or set BENCH_CHROMIUM): the plot rendering "
                    "test is skipped";
  }
  test::TempDir dir;
  // Jitter gives the latencies a spread of their own: on a quiet machine the simulator's exact
  // delays would leave the box plots' boxes a few pixels thin.
  const auto run = test::RunBench({"profile", "--simulator", "--sim-jitter", "0.5", "--streaming", "--concurrency",
                                   "4", "--request-count", "40", "--isl", "100", "--osl", "50", "--generate-plots",
                                   "--artifact-dir",
                                   (dir.path() / "artifacts").string(), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  fs::path html;
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "artifacts")) {
    if (e.path().filename() == "report.html") html = e.path();
  }
  ASSERT_FALSE(html.empty());

  const fs::path shot = dir.path() / "shot.png";
  const auto started = std::chrono::steady_clock::now();
  // `timeout` bounds a hung browser well inside ctest's 120 s; a private profile directory keeps
  // parallel runs apart; --no-sandbox because CI containers run as root.
  const auto r = test::RunProgram(
      "timeout", {"90", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  "--no-first-run", "--user-data-dir=" + (dir.path() / "chromium-profile").string(),
                  "--screenshot=" + shot.string(), "--window-size=1200,2400", "file://" + fs::absolute(html).string()});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("chromium_seconds", std::to_string(seconds));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const test::Image img = test::DecodePng(test::ReadFile(shot));
  ASSERT_EQ(img.error, "");
  EXPECT_EQ(img.width, 1200u);
  EXPECT_EQ(img.height, 2400u);

  const auto counts = ColourCounts(img);
  const size_t pixels = static_cast<size_t>(img.width) * img.height;
  EXPECT_FALSE(LooksBlank(counts, pixels)) << counts.size() << " colours";
  const auto count = [&](uint32_t rgb) {
    const auto it = counts.find(rgb);
    return it == counts.end() ? size_t{0} : it->second;
  };
  // Solid fills drawn in exact colours (plot_charts.cc / svg.cc):
  // every request has ISL 100 and OSL 50, so the heatmap is one full cell of the top colour;
  EXPECT_GT(count(0xfde725), 20000u);
  // the box plots' boxes;
  EXPECT_GT(count(0x9ecae1), 1000u);
  // the timeline's 40 generation bars (about 100 x 5 px each), below everything else.
  EXPECT_GT(count(0x3182bd), 3000u);
  size_t lowest_bar = 0;
  for (uint32_t y = 0; y < img.height; ++y) {
    for (uint32_t x = 0; x < img.width; ++x) {
      if (img.At(x, y) == 0x3182bd) lowest_bar = y;
    }
  }
  EXPECT_GT(lowest_bar, img.height / 2) << "the timeline comes last on the page";
  // Text (titles, ticks, labels) rendered with a font.
  EXPECT_GT(DarkPixels(counts), 5000u);
}

}  // namespace
}  // namespace bench
