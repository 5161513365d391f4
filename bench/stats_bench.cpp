// Benchmarks for the statistical core. The headline figure (issue "harness/stats"): BCa with the
// default 9,999 resamples on 50 paired values must take under 50 ms.
//
//   cmake --build build --target stats_bench && build/bench/stats_bench
#include <vector>

#include <benchmark/benchmark.h>

#include "harness/stats/bootstrap.h"
#include "harness/stats/expected_max.h"
#include "harness/stats/permutation.h"
#include "harness/stats/rng.h"

namespace {

using claimcheck::stats::BootstrapOptions;
using claimcheck::stats::CiMethod;

struct PairedData {
  std::vector<double> a;
  std::vector<double> b;
};

PairedData paired_data(int n) {
  claimcheck::stats::Rng rng(1);
  PairedData d;
  for (int i = 0; i < n; ++i) {
    const double base = rng.normal();
    d.a.push_back(base + 0.3 + 0.5 * rng.normal());
    d.b.push_back(base);
  }
  return d;
}

double mean_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    s += a[i] - b[i];
  return s / static_cast<double>(a.size());
}

// Paired bootstrap of the mean difference, 9,999 resamples, n pairs, method as given.
void BM_PairedBootstrap(benchmark::State& state, CiMethod method) {
  const PairedData d = paired_data(static_cast<int>(state.range(0)));
  BootstrapOptions opt;  // defaults: 9,999 resamples, 95%
  opt.method = method;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        claimcheck::stats::paired_bootstrap_ci(d.a, d.b, mean_difference, opt));
  }
}
BENCHMARK_CAPTURE(BM_PairedBootstrap, bca, CiMethod::kBca)
    ->Arg(50)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_PairedBootstrap, percentile, CiMethod::kPercentile)
    ->Arg(50)
    ->Unit(benchmark::kMillisecond);

// Exact sign-flip permutation test at the largest exact size, n = 13 (8,192 arrangements).
void BM_PermutationExact13(benchmark::State& state) {
  const PairedData d = paired_data(13);
  for (auto _ : state) {
    benchmark::DoNotOptimize(claimcheck::stats::paired_permutation_test(d.a, d.b));
  }
}
BENCHMARK(BM_PermutationExact13)->Unit(benchmark::kMillisecond);

// Paired expected-max difference, 50 trials, k = 10, BCa with 9,999 resamples.
void BM_PairedExpectedMax(benchmark::State& state) {
  const PairedData d = paired_data(50);
  for (auto _ : state) {
    benchmark::DoNotOptimize(claimcheck::stats::paired_expected_max_difference(d.a, d.b, 10));
  }
}
BENCHMARK(BM_PairedExpectedMax)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
