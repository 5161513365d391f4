// Why claims 2-4 train one run per core instead of as ensembles (issue 11): the time of one
// training step of a claim's char-lm model alone (1 intra-op thread), at the claim's batch 16 and
// at batch 1 with the same context. Batch 1 keeps every op of the step and almost none of the
// arithmetic, so step(1) / step(16) bounds the share of per-op overhead, which is all an ensemble
// could save (it batches the ops, not the arithmetic). Time per step = (t(12 steps) − t(4 steps))
// / 8, so model building and evaluation cancel.
//
//   cmake --build build --target char_lm_bench && build/bench/char_lm_bench
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "harness/claims/planner.h"
#include "harness/claims/spec.h"
#include "harness/env/generator.h"
#include "harness/train/task.h"

namespace {

using namespace claimcheck;

double train_seconds(const train::RunConfig& config, std::int64_t steps, train::DataCache& cache) {
  train::RunConfig c = config;
  c.training.steps = steps;
  train::RunContext context;
  context.cache = &cache;
  context.init = env::cpu_generator(c.init_seed);
  context.noise = env::cpu_generator(c.noise_seed);
  const auto start = std::chrono::steady_clock::now();
  train::task(c.task.type).run(c, context);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Arg: batch. The run is the claim's first smoke run of `arm` (nightly's when smoke has none),
// evaluated on 1 window.
void BM_CharLmStep(benchmark::State& state, const std::string& claim, const std::string& arm) {
  torch::set_num_threads(1);
  train::RunConfig config;
  try {
    const auto spec = claims::load_claim(std::filesystem::path(CLAIMCHECK_SOURCE_DIR) / "claims" /
                                         (claim + ".json"));
    bool found = false;
    for (const char* profile : {"smoke", "nightly"}) {  // smoke's arms, else nightly's
      for (const auto& run : claims::plan(spec, profile, "cpu")) {
        if (found || run.arm != arm) continue;
        config = run.run;
        found = true;
      }
    }
    if (!found) return state.SkipWithError(("no arm " + arm).c_str());
  } catch (const std::exception& e) {
    return state.SkipWithError(e.what());
  }
  config.training.batch = state.range(0);
  config.training.eval_windows = 1;
  train::DataCache cache;
  train_seconds(config, 1, cache);  // loads the corpus
  for (auto _ : state)
    state.SetIterationTime((train_seconds(config, 12, cache) - train_seconds(config, 4, cache)) /
                           8);
}

void args(benchmark::internal::Benchmark* b) {
  b->Arg(16)->Arg(1)->ArgName("batch")->UseManualTime()->Iterations(3)->Unit(
      benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(BM_CharLmStep, claim2_gpt_relu2_muon, "swiglu-vs-relu2-matched", "relu2")
    ->Apply(args);
BENCHMARK_CAPTURE(BM_CharLmStep, claim3_gpt2_gelu_bqbv_sgdm, "symmetry-breaking", "gelu-bqbv-sgdm")
    ->Apply(args);
BENCHMARK_CAPTURE(BM_CharLmStep, claim4_charlm_relu, "activation-reproducibility", "charlm-relu")
    ->Apply(args);
BENCHMARK_CAPTURE(BM_CharLmStep, claim4_convlm_relu, "activation-reproducibility", "convlm-relu")
    ->Apply(args);
BENCHMARK_CAPTURE(BM_CharLmStep, claim4_tinylstm_relu, "activation-reproducibility",
                  "tinylstm-relu")
    ->Apply(args);

}  // namespace

BENCHMARK_MAIN();
