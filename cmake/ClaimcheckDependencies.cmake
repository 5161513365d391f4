# Finds every dependency. LibTorch is Debian's 1.13 on CPU machines, or PyTorch 2.x's own LibTorch
# passed through CMAKE_PREFIX_PATH on a CUDA machine.
find_package(Torch REQUIRED)
# The C++ standard is LibTorch's: PyTorch 2.x's TorchConfig states it on the torch target (20 for
# 2.13 and 2.14, whose headers refuse anything older); LibTorch 1.13 states none and needs 17.
get_target_property(_claimcheck_torch_std torch CXX_STANDARD)
if(NOT _claimcheck_torch_std OR _claimcheck_torch_std LESS 17)
  set(_claimcheck_torch_std 17)
endif()
set(CMAKE_CXX_STANDARD ${_claimcheck_torch_std})
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
message(STATUS "LibTorch ${Torch_VERSION} from ${Torch_DIR}: C++${CMAKE_CXX_STANDARD}")
# LibTorch's required flags (notably _GLIBCXX_USE_CXX11_ABI) apply to the whole tree, so that a
# GoogleTest built from source links against a pip LibTorch built with the old ABI.
separate_arguments(_claimcheck_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
add_compile_options(${_claimcheck_torch_flags})

find_package(Boost 1.74 REQUIRED)  # Boost.Math is header-only
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(ZLIB REQUIRED)
find_package(Threads REQUIRED)

if(CLAIMCHECK_BUILD_TESTS)
  find_package(GTest CONFIG QUIET)
  if(NOT GTest_FOUND)
    if(NOT EXISTS "${CLAIMCHECK_GTEST_SOURCE_DIR}/CMakeLists.txt")
      message(FATAL_ERROR
        "GoogleTest not found: install libgtest-dev (bash ci/setup.sh does) or set "
        "-DCLAIMCHECK_GTEST_SOURCE_DIR=<googletest source tree>")
    endif()
    message(STATUS "GTest package not found: building GoogleTest from ${CLAIMCHECK_GTEST_SOURCE_DIR}")
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
    add_subdirectory("${CLAIMCHECK_GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/googletest" EXCLUDE_FROM_ALL)
    if(NOT TARGET GTest::gtest_main)  # googletest >= 1.11 defines these aliases itself
      add_library(GTest::gtest ALIAS gtest)
      add_library(GTest::gtest_main ALIAS gtest_main)
    endif()
  endif()
  include(GoogleTest)
endif()
if(CLAIMCHECK_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
