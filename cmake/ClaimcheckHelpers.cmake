# One helper per kind of target.

# claimcheck_add_test(<name> [TORCH] SOURCES <files...> LIBS <targets...>)
# A GoogleTest executable whose tests are discovered before each run and labelled `unit`.
# TORCH: reuse the harness's precompiled LibTorch header (saves ~30 s per target).
function(claimcheck_add_test name)
  cmake_parse_arguments(ARG "TORCH" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  if(ARG_TORCH)
    target_precompile_headers(${name} REUSE_FROM claimcheck_harness)
  endif()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    CLAIMCHECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CLAIMCHECK_TEST_TMPDIR="${CMAKE_CURRENT_BINARY_DIR}/tmp")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
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
