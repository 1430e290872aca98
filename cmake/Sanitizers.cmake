# BENCH_SANITIZE builds everything (bench_core, bench, bench_tests) with a sanitizer:
#   address  -> ASan + UBSan (UB is fatal: -fno-sanitize-recover=undefined)
#   thread   -> TSan
# Set directory-wide, before any target, because every translation unit of one program must
# agree (TSan in particular reports false races on uninstrumented code). See docs/testing.md.
set(BENCH_SANITIZE "" CACHE STRING "Sanitizer build: '' (none), 'address' (ASan+UBSan) or 'thread' (TSan)")
set_property(CACHE BENCH_SANITIZE PROPERTY STRINGS "" address thread)

if(BENCH_SANITIZE STREQUAL "address")
  set(_bench_sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(BENCH_SANITIZE STREQUAL "thread")
  set(_bench_sanitize_flags -fsanitize=thread)
elseif(NOT BENCH_SANITIZE STREQUAL "")
  message(FATAL_ERROR "BENCH_SANITIZE must be empty, 'address' or 'thread', not '${BENCH_SANITIZE}'")
endif()

if(_bench_sanitize_flags)
  add_compile_options(${_bench_sanitize_flags} -fno-omit-frame-pointer)
  add_link_options(${_bench_sanitize_flags})
endif()
