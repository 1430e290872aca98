# Warnings live in one INTERFACE target so every bench target gets the same set.
add_library(bench_warnings INTERFACE)
target_compile_options(bench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers
  # g++ 12 reports -Wrestrict false positives inside std::string's operator+ at -O2 (GCC bug
  # 105651); they point into libstdc++, not at our code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
