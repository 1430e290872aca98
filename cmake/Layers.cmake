# bench_layer(NAME [DEPS layer...] [PUBLIC_LIBS lib...] [PRIVATE_LIBS lib...]): the static library
# bench_NAME from src/NAME/**/*.cc (ARCHITECTURE.md). Headers are included as "NAME/file.h"
# through a view directory that holds only NAME itself: a layer sees its own headers and, through
# its DEPS (linked PUBLIC, so their views come along), the layers below it — never one above, so
# an include that points up does not compile. MODULE_SOURCES (file names in the layer's folder)
# stay out of the library: they are compiled into a module loaded at run time (bench-grpc.so,
# src/CMakeLists.txt).
function(bench_layer name)
  cmake_parse_arguments(L "" "" "DEPS;PUBLIC_LIBS;PRIVATE_LIBS;MODULE_SOURCES" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER sources EXCLUDE REGEX "/main\\.cc$")  # the executable's, not the library's
  foreach(module_source ${L_MODULE_SOURCES})
    list(REMOVE_ITEM sources ${CMAKE_CURRENT_SOURCE_DIR}/${module_source})
  endforeach()
  add_library(bench_${name} STATIC ${sources})
  set(view ${CMAKE_BINARY_DIR}/layers/${name})
  file(MAKE_DIRECTORY ${view})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${view}/${name} SYMBOLIC)
  target_include_directories(bench_${name} PUBLIC ${view})
  list(TRANSFORM L_DEPS PREPEND bench_)
  target_link_libraries(bench_${name} PUBLIC ${L_DEPS} ${L_PUBLIC_LIBS} PRIVATE bench_warnings ${L_PRIVATE_LIBS})
endfunction()
