# The synthetic-prompt corpus (src/corpus/corpus.txt, self-written prose) is embedded in
# bench_core with `.incbin` (src/prompt_corpus.cc), so `bench` needs no data files at run time.
set(BENCH_PROMPT_CORPUS_TXT ${CMAKE_CURRENT_SOURCE_DIR}/src/corpus/corpus.txt)
# .incbin is invisible to the compiler's dependency scan, hence OBJECT_DEPENDS.
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/src/prompt_corpus.cc PROPERTIES
  COMPILE_DEFINITIONS "BENCH_PROMPT_CORPUS_TXT=\"${BENCH_PROMPT_CORPUS_TXT}\""
  OBJECT_DEPENDS ${BENCH_PROMPT_CORPUS_TXT})
