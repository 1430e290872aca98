#pragma once
// Links a file's bytes into the binary at build time with the assembler's .incbin, so `bench`
// stays one self-contained file and the asset stays an ordinary file in the repository.
// Defines `NAME_begin[]` and `NAME_end[]`; hidden symbols keep them out of the dynamic table.
// `PATH` is a string literal (cmake/Embedded*.cmake passes it as a compile definition).

#define BENCH_EMBED_FILE(NAME, PATH)                                 \
  __asm__(".pushsection .rodata." #NAME ",\"a\",@progbits\n"         \
          ".balign 16\n"                                             \
          ".globl " #NAME "_begin\n"                                 \
          ".hidden " #NAME "_begin\n" #NAME "_begin:\n"              \
          ".incbin \"" PATH "\"\n"                                   \
          ".globl " #NAME "_end\n"                                   \
          ".hidden " #NAME "_end\n" #NAME "_end:\n"                  \
          ".popsection\n");                                          \
  extern "C" const char NAME##_begin[];                              \
  extern "C" const char NAME##_end[]
