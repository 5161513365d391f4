# Finds every dependency. LibTorch is pip's (ci/setup.sh passes the venv's Torch_DIR; a CUDA
# machine passes its CUDA torch's, ci/cuda-build.sh); any other LibTorch through Torch_DIR or
# CMAKE_PREFIX_PATH.
#
# TorchConfig finds its Caffe2 half with find_package(Caffe2 PATHS <beside it>) and its libraries
# with find_library(PATHS <its lib/>), and PATHS come after the system paths: with Debian's
# libtorch-dev installed, a pip Torch_DIR silently got Debian's 1.13 libc10 and libtorch (link
# errors, or a CPU-only binary). Both are pinned to the install Torch_DIR belongs to, and checked.
if(Torch_DIR AND EXISTS "${Torch_DIR}/../Caffe2/Caffe2Config.cmake")
  get_filename_component(_claimcheck_caffe2 "${Torch_DIR}/../Caffe2" ABSOLUTE)
  set(Caffe2_DIR "${_claimcheck_caffe2}" CACHE PATH "Caffe2 config beside Torch_DIR" FORCE)
  get_filename_component(_claimcheck_torch_lib "${Torch_DIR}/../../../lib" ABSOLUTE)
  foreach(_claimcheck_lib torch c10 torch_cuda c10_cuda)
    string(TOUPPER "${_claimcheck_lib}" _claimcheck_var)
    if(_claimcheck_lib STREQUAL "torch")
      set(_claimcheck_var TORCH_LIBRARY)
    else()
      set(_claimcheck_var ${_claimcheck_lib}_LIBRARY)
    endif()
    if(EXISTS "${_claimcheck_torch_lib}/lib${_claimcheck_lib}.so")
      set(${_claimcheck_var} "${_claimcheck_torch_lib}/lib${_claimcheck_lib}.so" CACHE FILEPATH
          "LibTorch library beside Torch_DIR" FORCE)
    endif()
  endforeach()
endif()
find_package(Torch REQUIRED)
# LibTorch 1.x (Debian's libtorch-dev 1.13) is no longer supported (README, LibTorch versions).
if(Torch_VERSION VERSION_LESS 2.0)
  message(FATAL_ERROR
    "LibTorch ${Torch_VERSION} from ${Torch_DIR} is too old: claimcheck needs LibTorch 2.x. Use pip's "
    "torch (bash ci/setup.sh makes .venv/ with torch==2.13.0 and configures against it), or pass "
    "-DTorch_DIR=<python -c 'import torch; print(torch.utils.cmake_prefix_path)'>/Torch")
endif()
get_filename_component(_claimcheck_prefix "${TORCH_INSTALL_PREFIX}" REALPATH)
set(_claimcheck_torch_files)
foreach(_claimcheck_lib c10 torch_cpu torch torch_cuda c10_cuda)
  if(TARGET ${_claimcheck_lib})
    get_target_property(_claimcheck_loc ${_claimcheck_lib} IMPORTED_LOCATION_RELEASE)
    if(NOT _claimcheck_loc)
      get_target_property(_claimcheck_loc ${_claimcheck_lib} IMPORTED_LOCATION_NOCONFIG)
    endif()
    list(APPEND _claimcheck_torch_files "${_claimcheck_loc}")
  endif()
endforeach()
foreach(_claimcheck_entry ${TORCH_LIBRARIES})
  if(_claimcheck_entry MATCHES "/lib(torch|c10)[^/]*\\.so")
    list(APPEND _claimcheck_torch_files "${_claimcheck_entry}")
  endif()
endforeach()
foreach(_claimcheck_file ${_claimcheck_torch_files})
  get_filename_component(_claimcheck_real "${_claimcheck_file}" REALPATH)
  if(_claimcheck_file AND NOT _claimcheck_real MATCHES "^${_claimcheck_prefix}/")
    message(FATAL_ERROR
      "LibTorch is mixed: headers from ${TORCH_INSTALL_PREFIX} but ${_claimcheck_file} from "
      "another install (Caffe2_DIR=${Caffe2_DIR}). Configure a fresh build directory with "
      "-DTorch_DIR=<torch>/share/cmake/Torch (bash ci/setup.sh does).")
  endif()
endforeach()
# The C++ standard is LibTorch's: PyTorch 2.x's TorchConfig states it on the torch target (20 for
# 2.13 and 2.14, whose headers refuse anything older); where a 2.x states none, 17.
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

# CLAIMCHECK_BUNDLE_DIR: a .gpu-bundle/ written by ci/gpu/bundle.sh, for a GPU machine that has
# LibTorch, nvcc and CMake but no Debian dev packages and no network (ci/gpu/check.sh). The
# header-only dependencies become INTERFACE IMPORTED targets on its include/, GoogleTest is built
# from its googletest/, zlib is its headers with the machine's libz.so.1, and bench/ is off
# (Google Benchmark is not bundled).
set(CLAIMCHECK_BUNDLE_DIR "" CACHE PATH "A .gpu-bundle/ from ci/gpu/bundle.sh instead of the system packages")
if(CLAIMCHECK_BUNDLE_DIR)
  if(NOT EXISTS "${CLAIMCHECK_BUNDLE_DIR}/MANIFEST")
    message(FATAL_ERROR "CLAIMCHECK_BUNDLE_DIR=${CLAIMCHECK_BUNDLE_DIR} has no MANIFEST: write it "
      "with `bash ci/gpu/bundle.sh` (on a machine with the Debian packages)")
  endif()
  set(_claimcheck_bundle_include "${CLAIMCHECK_BUNDLE_DIR}/include")
  foreach(_claimcheck_target Boost::headers nlohmann_json::nlohmann_json CLI11::CLI11 fmt::fmt-header-only)
    add_library(${_claimcheck_target} INTERFACE IMPORTED)
    set_target_properties(${_claimcheck_target} PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${_claimcheck_bundle_include}")
  endforeach()
  set_target_properties(fmt::fmt-header-only PROPERTIES INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)
  # The runtime library is there on any machine with a LibTorch; its libz.so dev link is not.
  find_library(CLAIMCHECK_ZLIB_LIBRARY NAMES z libz.so.1 REQUIRED)
  add_library(ZLIB::ZLIB UNKNOWN IMPORTED)
  set_target_properties(ZLIB::ZLIB PROPERTIES IMPORTED_LOCATION "${CLAIMCHECK_ZLIB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${_claimcheck_bundle_include}")
  set(CLAIMCHECK_GTEST_SOURCE_DIR "${CLAIMCHECK_BUNDLE_DIR}/googletest" CACHE PATH "" FORCE)
  set(CLAIMCHECK_BUILD_BENCH OFF CACHE BOOL "" FORCE)
  message(STATUS "Dependencies from the bundle ${CLAIMCHECK_BUNDLE_DIR} (zlib: ${CLAIMCHECK_ZLIB_LIBRARY})")
else()
  find_package(Boost 1.74 REQUIRED)  # Boost.Math is header-only
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(CLI11 REQUIRED)
  find_package(fmt REQUIRED)
  find_package(ZLIB REQUIRED)
endif()
find_package(Threads REQUIRED)

if(CLAIMCHECK_BUILD_TESTS)
  if(NOT CLAIMCHECK_BUNDLE_DIR)
    find_package(GTest CONFIG QUIET)
  endif()
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
