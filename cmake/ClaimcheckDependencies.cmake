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
