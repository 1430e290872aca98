# Every dependency is a Debian package (see README: apt-get install line).
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
# Boost.Asio/Beast (header-only) for the simulator's HTTP server.
find_package(Boost 1.74 REQUIRED)
# Oniguruma (the regex engine Hugging Face tokenizers use) and ICU (Unicode normalization).
find_package(PkgConfig REQUIRED)
pkg_check_modules(ONIG REQUIRED IMPORTED_TARGET oniguruma)
# The spill file compresses its blocks with LZ4 (util/spill_codec): issue #23, docs/benchmarks.md.
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
# Reading the text of events the stream check has validated (record/validated_text).
find_package(simdjson REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)
# libcrypto's SHA-256 verifies the embedded default tokenizer, libssl is the native client's TLS
# (libssl-dev; libcurl4-openssl-dev pulls it).
find_package(OpenSSL REQUIRED COMPONENTS SSL Crypto)
# yaml-cpp reads `bench config` files (libyaml-cpp-dev): line numbers for errors, YAML 1.2 flow and
# block styles, anchors and quoting, none of which a hand-written reader would get right.
find_package(yaml-cpp REQUIRED)
# Synthetic and file images and audio (dataset/media): libpng, libjpeg-turbo, libmp3lame.
find_package(PNG REQUIRED)
find_package(JPEG REQUIRED)
find_path(MP3LAME_INCLUDE_DIR lame/lame.h REQUIRED)
find_library(MP3LAME_LIBRARY mp3lame REQUIRED)
add_library(Mp3Lame::mp3lame UNKNOWN IMPORTED)
set_target_properties(Mp3Lame::mp3lame PROPERTIES IMPORTED_LOCATION ${MP3LAME_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${MP3LAME_INCLUDE_DIR})
# MPI (optional; libopenmpi-dev): one run across many client processes (docs/cluster.md). Without
# it bench builds as before and refuses to run as several ranks.
option(BENCH_WITH_MPI "Build the MPI cluster runs when MPI is found" ON)
if(BENCH_WITH_MPI)
  find_package(MPI COMPONENTS CXX)
endif()
# gRPC and protobuf (libgrpc++-dev, protobuf-compiler-grpc, libprotobuf-dev, protobuf-compiler) for
# --endpoint-type kserve: Triton's KServe v2 gRPC protocol (src/kserve/kserve.proto).
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
if(TARGET gRPC::grpc_cpp_plugin)
  set(BENCH_GRPC_CPP_PLUGIN $<TARGET_FILE:gRPC::grpc_cpp_plugin>)
else()
  find_program(BENCH_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
endif()
