# Warnings live in one INTERFACE target so every bench target gets the same set.
add_library(bench_warnings INTERFACE)
target_compile_options(bench_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wno-missing-field-initializers)
