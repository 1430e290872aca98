#include "util/python_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "exporter_case.h"

namespace bench {
namespace {

TEST(PythonFloatReprTest, MatchesPythonRepr) {
  // Expected strings are Python 3 repr() of the same doubles.
  EXPECT_EQ(PythonFloatRepr(2.0), "2.0");
  EXPECT_EQ(PythonFloatRepr(0.0), "0.0");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatRepr(1.2e-05), "1.2e-05");
  EXPECT_EQ(PythonFloatRepr(1e-06), "1e-06");
  EXPECT_EQ(PythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PythonFloatRepr(0.00012), "0.00012");
  EXPECT_EQ(PythonFloatRepr(1.1099999999999999e-05), "1.1099999999999999e-05");
  EXPECT_EQ(PythonFloatRepr(142857142.85714287), "142857142.85714287");
  EXPECT_EQ(PythonFloatRepr(374999999.99999994), "374999999.99999994");
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1.5e16), "1.5e+16");
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(PythonFloatRepr(1e22), "1e+22");
  EXPECT_EQ(PythonFloatRepr(1e100), "1e+100");
  EXPECT_EQ(PythonFloatRepr(5e-324), "5e-324");
  EXPECT_EQ(PythonFloatRepr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(PythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(PythonFloatRepr(-2.5), "-2.5");
  EXPECT_EQ(PythonFloatRepr(123.0), "123.0");
  EXPECT_EQ(PythonFloatRepr(-1.0), "-1.0");
  EXPECT_EQ(PythonFloatRepr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(PythonFloatRepr(std::nan("")), "nan");
}

TEST(PythonJsonDumpsTest, NonFiniteFloatsUseJavaScriptNames) {
  nlohmann::ordered_json v = nlohmann::ordered_json::array(
      {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
       std::nan(""), -0.0});
  EXPECT_EQ(PythonJsonDumps(v), "[\n  Infinity,\n  -Infinity,\n  NaN,\n  -0.0\n]");
}

TEST(PythonJsonDumpsTest, LayoutMatchesIndent2) {
  nlohmann::ordered_json v;
  v["b"] = 1;
  v["a"] = {{"unit", "ms"}, {"avg", 2.0}};
  v["empty_list"] = nlohmann::ordered_json::array();
  v["empty_obj"] = nlohmann::ordered_json::object();
  v["list"] = {true, nullptr, "x"};
  // json.dumps({"b": 1, "a": {"unit": "ms", "avg": 2.0}, "empty_list": [], "empty_obj": {},
  //             "list": [True, None, "x"]}, indent=2)
  EXPECT_EQ(PythonJsonDumps(v),
            "{\n"
            "  \"b\": 1,\n"
            "  \"a\": {\n"
            "    \"unit\": \"ms\",\n"
            "    \"avg\": 2.0\n"
            "  },\n"
            "  \"empty_list\": [],\n"
            "  \"empty_obj\": {},\n"
            "  \"list\": [\n"
            "    true,\n"
            "    null,\n"
            "    \"x\"\n"
            "  ]\n"
            "}");
  EXPECT_EQ(PythonJsonDumps(v, -1),
            "{\"b\": 1, \"a\": {\"unit\": \"ms\", \"avg\": 2.0}, \"empty_list\": [], "
            "\"empty_obj\": {}, \"list\": [true, null, \"x\"]}");
}

TEST(PythonJsonDumpsTest, EnsureAsciiEscapes) {
  // json.dumps("é\u2028😀\x7f\x01\"\\\n\t/") == '"\\u00e9\\u2028\\ud83d\\ude00\\u007f\\u0001\\"\\\\\\n\\t/"'
  const nlohmann::ordered_json v = "\xC3\xA9\xE2\x80\xA8\xF0\x9F\x98\x80\x7F\x01\"\\\n\t/";
  EXPECT_EQ(PythonJsonDumps(v),
            "\"\\u00e9\\u2028\\ud83d\\ude00\\u007f\\u0001\\\"\\\\\\n\\t/\"");
  // Invalid UTF-8 cannot come from Python; it is written as U+FFFD.
  EXPECT_EQ(PythonJsonDumps(nlohmann::ordered_json(std::string("a\xFF" "b"))),
            "\"a\\ufffdb\"");
}

TEST(PythonJsonDumpsTest, IntegersStayIntegers) {
  nlohmann::ordered_json v = {{"ts", 1741134590669919999ULL}, {"neg", -3}, {"f", 1741134590.0}};
  EXPECT_EQ(PythonJsonDumps(v, -1),
            "{\"ts\": 1741134590669919999, \"neg\": -3, \"f\": 1741134590.0}");
}

// Every JSON file of the conformance set was written by Python's json.dumps(indent=2) plus a
// newline; re-serializing each must reproduce it byte for byte (floats, escapes, nesting).
TEST(PythonJsonDumpsTest, ReproducesEveryConformanceJsonFile) {
  int checked = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::GenAiPerfCasesDir())) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = testing::ReadFileBytes(entry.path());
    const auto parsed = nlohmann::ordered_json::parse(text);
    EXPECT_EQ(PythonJsonDumps(parsed) + "\n", text) << entry.path();
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace bench
