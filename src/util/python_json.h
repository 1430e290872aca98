#pragma once
// JSON text exactly as Python's `json.dumps(obj, indent=N)` writes it (ensure_ascii, float repr),
// so artifacts GenAI-Perf writes with the json module can be reproduced byte for byte.

#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// Python's repr(float): shortest round-trip digits, "2.0", "1e-05", "1e+16", "inf", "nan".
std::string PythonFloatRepr(double value);

/// json.dumps(value, indent=indent) (indent < 0 means None: ", " / ": " on one line).
/// Objects keep their iteration order; non-finite floats print as Infinity / -Infinity / NaN.
std::string PythonJsonDumps(const nlohmann::ordered_json& value, int indent = 2);
/// Same for nlohmann::json (whose objects iterate in sorted key order).
std::string PythonJsonDumps(const nlohmann::json& value, int indent = 2);

}  // namespace bench
