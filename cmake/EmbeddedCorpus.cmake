# The synthetic-prompt corpus (src/dataset/corpus/corpus.txt, self-written prose) is embedded in
# bench_dataset with `.incbin` (src/dataset/prompt_corpus.cc), so `bench` needs no data files at run time.
set(BENCH_PROMPT_CORPUS_TXT ${CMAKE_SOURCE_DIR}/src/dataset/corpus/corpus.txt)
# .incbin is invisible to the compiler's dependency scan, hence OBJECT_DEPENDS.
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/dataset/prompt_corpus.cc PROPERTIES
  COMPILE_DEFINITIONS "BENCH_PROMPT_CORPUS_TXT=\"${BENCH_PROMPT_CORPUS_TXT}\""
  OBJECT_DEPENDS ${BENCH_PROMPT_CORPUS_TXT})
