#pragma once
// ASCII case folding for names the user types (flags' values, header names, hub ids): locale-free,
// so a user's locale can never change what bench accepts.

#include <string>
#include <string_view>

namespace bench {

/// `s` with A-Z turned into a-z; every other byte unchanged.
std::string AsciiLower(std::string_view s);

}  // namespace bench
