// Wall time of claim 1's whole nightly protocol (claims/geglu-vs-relu-mnist.json, 368 runs) on the
// CPU through the executor, into a fresh store: with ensembles (the default) and with every run
// alone (max_group 1, the executor before issue 11). Training only: no analysis or report (the
// CLI run that bench/compare_claim1_protocol.sh times adds those, about a second). One iteration
// each; the machine's other load shows directly, so repeat and take the median.
//
//   cmake --build build --target protocol_bench && build/bench/protocol_bench
//   build/bench/protocol_bench --benchmark_filter='Claim1Nightly/max_group:0'
//   --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/pipeline/executor.h"

namespace {

using namespace claimcheck;

// Args: max_group (0 = ensembles, 1 = every run alone), workers.
void BM_Claim1(benchmark::State& state, const std::string& profile) {
  const auto spec = claims::load_claim(std::filesystem::path(CLAIMCHECK_SOURCE_DIR) /
                                       "claims/geglu-vs-relu-mnist.json");
  const auto runs = claims::plan(spec, profile, "cpu");
  const auto dir = std::filesystem::temp_directory_path() /
                   ("claimcheck-protocol-bench-" + std::to_string(::getpid()));
  pipeline::ExecuteOptions options;
  options.workers = static_cast<int>(state.range(1));
  options.max_group = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    claims::RunStore store(dir / "geglu-vs-relu-mnist.jsonl");
    state.ResumeTiming();
    const pipeline::ExecuteSummary s = pipeline::execute_runs(runs, store, options);
    if (s.trained != runs.size()) state.SkipWithError("not every run trained");
  }
  std::filesystem::remove_all(dir);
  state.counters["runs"] = static_cast<double>(runs.size());
}

void args(benchmark::internal::Benchmark* b) {
  b->Args({0, 2})->Args({1, 2})->Args({0, 1})->ArgNames({"max_group", "workers"});
  b->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
}

BENCHMARK_CAPTURE(BM_Claim1, nightly, "nightly")->Apply(args);
BENCHMARK_CAPTURE(BM_Claim1, smoke, "smoke")->Apply(args);

}  // namespace

BENCHMARK_MAIN();
