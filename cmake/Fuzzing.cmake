# BENCH_FUZZ builds the libFuzzer harnesses of tests/fuzz/ (clang only). Everything is compiled
# with coverage instrumentation plus ASan+UBSan (-fsanitize=fuzzer-no-link,...); only the
# harnesses link libFuzzer's main (-fsanitize=fuzzer, in tests/fuzz/CMakeLists.txt).
# Configure a separate build directory with clang, e.g.
#   CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DBENCH_FUZZ=ON -DBENCH_BUILD_TESTS=OFF
# See docs/testing.md and scripts/fuzz.sh.
option(BENCH_FUZZ "Build the libFuzzer harnesses in tests/fuzz (needs clang)" OFF)

if(BENCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BENCH_FUZZ needs clang (-fsanitize=fuzzer); configure with CXX=clang++")
  endif()
  if(BENCH_SANITIZE)
    message(FATAL_ERROR "BENCH_FUZZ already implies ASan+UBSan; leave BENCH_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
