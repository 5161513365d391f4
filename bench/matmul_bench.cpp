// LibTorch CPU matmul throughput: checks that an optimized BLAS is in use (Debian's reference
// BLAS gives ~8 GFLOP/s on the 2-core machine, OpenBLAS 120-250). Reports GFLOP/s as a counter.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <thread>

#include "harness/env/fingerprint.h"

namespace {

void BM_Matmul(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  torch::set_num_threads(static_cast<int>(std::thread::hardware_concurrency()));
  const torch::Tensor a = torch::randn({n, n});
  const torch::Tensor b = torch::randn({n, n});
  torch::Tensor c = a.mm(b);  // warm-up: thread pool and BLAS buffers
  for (auto _ : state) {
    c = a.mm(b);
    benchmark::DoNotOptimize(c.data_ptr<float>());
  }
  const double flops =
      2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(claimcheck::env::loaded_blas());
}
BENCHMARK(BM_Matmul)->Arg(256)->Arg(1024)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
