# One helper per kind of target.

# claimcheck_layer(<name> [TORCH] SOURCES <files...> DEPS <targets...> [PRIVATE_DEPS <targets...>])
# One harness folder as its own static library claimcheck_<name> (alias claimcheck::<name>).
# DEPS are the layers directly below it (tests/ci/layering_test.py lists the order): a folder that
# includes a layer it does not link fails to link, so the build enforces the layering. TORCH: the
# folder uses LibTorch and reuses claimcheck_env's precompiled <torch/torch.h>.
function(claimcheck_layer name)
  cmake_parse_arguments(ARG "TORCH" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(claimcheck_${name} STATIC ${ARG_SOURCES})
  add_library(claimcheck::${name} ALIAS claimcheck_${name})
  target_include_directories(claimcheck_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(claimcheck_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  if(ARG_TORCH)
    target_precompile_headers(claimcheck_${name} REUSE_FROM claimcheck_env)
  endif()
endfunction()

# claimcheck_add_test(<name> [TORCH] [PCH_FROM <target>] SOURCES <files...> LIBS <targets...>)
# A GoogleTest executable whose tests are discovered before each run and labelled `unit`.
# TORCH: reuse the harness's precompiled LibTorch header (claimcheck_env's; saves ~30 s per
# target); PCH_FROM
# reuses another target's (claimcheck_models for tests that must not wait for the harness).
function(claimcheck_add_test name)
  cmake_parse_arguments(ARG "TORCH" "PCH_FROM" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  if(ARG_PCH_FROM)
    target_precompile_headers(${name} REUSE_FROM ${ARG_PCH_FROM})
  elseif(ARG_TORCH)
    target_precompile_headers(${name} REUSE_FROM claimcheck_env)
  endif()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CLAIMCHECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLAIMCHECK_TEST_TMPDIR="${CMAKE_CURRENT_BINARY_DIR}/tmp")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    TEST_PREFIX "${name}."
    PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

# claimcheck_add_bench(<name> SOURCES <files...> LIBS <targets...>)
# A Google Benchmark program, registered with label `bench` (outside the default test run).
function(claimcheck_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark)
  if(CLAIMCHECK_BUILD_TESTS)
    add_test(NAME bench.${name} COMMAND ${name} --benchmark_min_time=0.1)
    set_tests_properties(bench.${name} PROPERTIES LABELS bench)
  endif()
endfunction()

# claimcheck_add_claim(<id> <profile> <profile-json>)
# One CTest test that runs the claim under the profile and compares it with its baseline. Its
# store is the checkout's runs/, the main job's (`claimcheck run --all --profile smoke --store
# runs`, ci/setup.sh): the runs this build already trained there are reused, and every other run
# (missing, or trained by another build: pipeline/train_profile.h) is trained. Its report goes
# to <build>/claim-runs/<profile>/reports/<id>. Its TIMEOUT is the profile's expected duration
# (`timeout`, seconds; absent or 0: 1800), so a nightly that legitimately takes an hour is not
# killed and a smoke that hangs is.
function(claimcheck_add_claim id profile profile_json)
  set(name claim.${id}.${profile})
  add_test(NAME ${name}
    COMMAND claimcheck run ${id} --profile ${profile} --store "${PROJECT_SOURCE_DIR}/runs"
            --report-dir "${CMAKE_BINARY_DIR}/claim-runs/${profile}/reports/${id}")
  set(labels claim ${profile})
  string(JSON _gpu ERROR_VARIABLE _no_gpu GET "${profile_json}" gpu)
  if(NOT _no_gpu AND _gpu)
    list(APPEND labels gpu)
    set_tests_properties(${name} PROPERTIES RESOURCE_GROUPS "gpus:1")
  endif()
  string(JSON _timeout ERROR_VARIABLE _no_timeout GET "${profile_json}" timeout)
  if(_no_timeout OR NOT _timeout GREATER 0)
    set(_timeout 1800)
  endif()
  # A claim trains on one worker per hardware thread (pipeline/executor.cpp), so `ctest -j N`
  # runs it beside nothing else; the unit tests share the machine among themselves.
  cmake_host_system_information(RESULT _cores QUERY NUMBER_OF_LOGICAL_CORES)
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" SKIP_RETURN_CODE 77
    TIMEOUT ${_timeout} PROCESSORS ${_cores})
endfunction()
