# The built-in default tokenizer (src/tokenizer/mistral-7b/tokenizer.json) is embedded in
# bench_tokenizer with `.incbin` (src/tokenizer/default_tokenizer.cc), so `bench` stays one self-contained file.
# Its sha256 is checked here at configure time and by tests/tokenizer/default_tokenizer_test.cc
# on the embedded bytes (not at every start: that cost 53 M instructions).
set(BENCH_DEFAULT_TOKENIZER_JSON ${CMAKE_SOURCE_DIR}/src/tokenizer/mistral-7b/tokenizer.json)
set(BENCH_DEFAULT_TOKENIZER_SHA256 fc4f0bd70b3709312d9d1d9e5ba674794b6bc5abc17429897a540f93882f25fc)

file(SHA256 ${BENCH_DEFAULT_TOKENIZER_JSON} _bench_tokenizer_actual)
if(NOT _bench_tokenizer_actual STREQUAL BENCH_DEFAULT_TOKENIZER_SHA256)
  message(FATAL_ERROR
    "${BENCH_DEFAULT_TOKENIZER_JSON} was changed: sha256 ${_bench_tokenizer_actual}, expected "
    "${BENCH_DEFAULT_TOKENIZER_SHA256}. Restore it (see src/tokenizer/mistral-7b/NOTICE.md), or "
    "update the hash in cmake/EmbeddedTokenizer.cmake and NOTICE.md if the change is deliberate.")
endif()
# Re-run this check (reconfigure) whenever the file changes, not only on a fresh build directory.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BENCH_DEFAULT_TOKENIZER_JSON})

# .incbin is invisible to the compiler's dependency scan, hence OBJECT_DEPENDS.
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/tokenizer/default_tokenizer.cc PROPERTIES
  COMPILE_DEFINITIONS
    "BENCH_DEFAULT_TOKENIZER_JSON=\"${BENCH_DEFAULT_TOKENIZER_JSON}\";BENCH_DEFAULT_TOKENIZER_SHA256=\"${BENCH_DEFAULT_TOKENIZER_SHA256}\""
  OBJECT_DEPENDS ${BENCH_DEFAULT_TOKENIZER_JSON})
# The load-time check hashes with OpenSSL's libcrypto.
target_link_libraries(bench_tokenizer PRIVATE OpenSSL::Crypto)
