// The ensemble executor's step cost (issue 11): time per member-step of E claim-1 FFNs (h = 8,
// Adam, real MNIST) trained as one batched model, for E in {1, 8, 30, 64} at batch 8 and 64, next
// to one run trained alone (the standalone loop of train_classifier); and the thread rule: two
// groups at once with one intra-op thread each versus one group at a time with two threads; and
// the Adam kernel alone with a share of "stuck" subnormal first moments (adam_kernel.cpp).
// Counter `member_step`: seconds per member-step (lower is better).
//
//   cmake --build build --target ensemble_bench && build/bench/ensemble_bench
//   build/bench/ensemble_bench --benchmark_filter=MemberStep   (the per-member-step table)
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "harness/env/generator.h"
#include "harness/train/divergence.h"
#include "harness/train/ensemble/adam_kernel.h"
#include "harness/train/ensemble/classifier.h"
#include "harness/train/optim/optimizer.h"
#include "models/registry.h"

namespace {

using namespace claimcheck;

const train::ClassifierData* mnist() {
  static const std::shared_ptr<train::ClassifierData> data = []() {
    try {
      return std::make_shared<train::ClassifierData>(
          train::load_classifier_data("mnist", torch::kCPU));
    } catch (const std::exception&) {
      return std::shared_ptr<train::ClassifierData>();
    }
  }();
  return data.get();
}

const torch::Tensor& mnist_bytes() {
  static const torch::Tensor bytes = train::training_bytes(*mnist());
  return bytes;
}

const char* type_name(std::int64_t geglu) {
  return geglu != 0 ? "ffn-geglu" : "ffn-relu";
}

std::vector<train::ClassifierMember> members(const std::string& type, std::int64_t e) {
  std::vector<train::ClassifierMember> out;
  for (std::int64_t m = 0; m < e; ++m) {
    at::Generator init = env::cpu_generator(1000 + static_cast<std::uint64_t>(m));
    out.push_back({models::make_model(type, {{"hidden", 8}}, {784, 10}, init), 1e-3,
                   2000 + static_cast<std::uint64_t>(m)});
  }
  return out;
}

// Args: geglu (0/1), E, batch.
void BM_MemberStep(benchmark::State& state) {
  if (mnist() == nullptr) return state.SkipWithError("MNIST not found: run bash ci/setup.sh");
  torch::set_num_threads(1);
  const std::int64_t e = state.range(1);
  const std::int64_t batch = state.range(2);
  train::ClassifierEnsemble group(type_name(state.range(0)), members(type_name(state.range(0)), e),
                                  {}, *mnist(), batch, mnist_bytes());
  std::int64_t step = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(group.step(step++));
  state.counters["member_step"] =
      benchmark::Counter(static_cast<double>(e) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// One run alone: the loop body of train_classifier (autograd, torch::optim::Adam, per-step
// divergence check). Args: geglu (0/1), batch.
void BM_AloneStep(benchmark::State& state) {
  if (mnist() == nullptr) return state.SkipWithError("MNIST not found: run bash ci/setup.sh");
  torch::set_num_threads(1);
  const std::int64_t batch = state.range(1);
  auto member = members(type_name(state.range(0)), 1).front();
  at::Generator unused = env::cpu_generator(0);
  auto optimizer = train::optim::make_optimizer({"adam", nlohmann::json::object()}, 1e-3,
                                                member.model->parameter_groups(), unused);
  stats::Rng rng(member.data_seed);
  const train::ClassifierData& data = *mnist();
  const std::int64_t n = data.train_x.size(0);
  train::DivergenceWatch watch(torch::kCPU);
  torch::Tensor order;
  std::int64_t step = 0;
  for (auto _ : state) {
    const std::int64_t start = (step % ((n + batch - 1) / batch)) * batch;
    if (start == 0) order = train::epoch_order(n, rng);
    const torch::Tensor idx = order.slice(0, start, std::min(start + batch, n));
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        member.model->forward(data.train_x.index_select(0, idx)),
        data.train_y.index_select(0, idx));
    optimizer->zero_grad();
    loss.backward();
    optimizer->step(loss);
    benchmark::DoNotOptimize(watch.diverged(loss.detach(), step, false));
    ++step;
  }
  state.counters["member_step"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// The thread rule: two groups of 8 GeGLU(8) at batch 8 (the executor's cap), 400 steps each:
// concurrently on two threads with one intra-op thread each (mode 0: the executor's rule), one
// after the other with two intra-op threads (mode 1), or one after the other with one thread (mode
// 2: no parallelism).
void BM_TwoGroups(benchmark::State& state) {
  if (mnist() == nullptr) return state.SkipWithError("MNIST not found: run bash ci/setup.sh");
  constexpr std::int64_t kE = 8;
  constexpr std::int64_t kSteps = 400;
  auto train = [](int threads) {
    torch::set_num_threads(threads);
    train::ClassifierEnsemble group("ffn-geglu", members("ffn-geglu", kE), {}, *mnist(), 8,
                                    mnist_bytes());
    for (std::int64_t s = 0; s < kSteps; ++s)
      group.step(s);
  };
  for (auto _ : state) {
    if (state.range(0) == 0) {
      std::thread a(train, 1);
      std::thread b(train, 1);
      a.join();
      b.join();
    } else if (state.range(0) == 2) {
      std::thread([&] {
        train(1);
        train(1);
      }).join();
    } else {
      std::thread([&] {
        train(2);
        train(2);
      }).join();
    }
  }
  state.counters["member_step"] =
      benchmark::Counter(2.0 * kE * kSteps * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void member_step_args(benchmark::internal::Benchmark* b) {
  for (const std::int64_t geglu : {1, 0})
    for (const std::int64_t batch : {8, 64})
      for (const std::int64_t e : {1, 2, 4, 8, 16, 30, 64})
        b->Args({geglu, e, batch});
}

// adam_step_kernel over 4 × 6352 floats (four ReLU(8) members' w_in) in which a share of the
// elements (Arg: percent) has a zero gradient and a subnormal first moment, as almost-always-black
// pixels reach after a few hundred steps. Counter `element`: seconds per element.
void BM_AdamKernel(benchmark::State& state) {
  const std::int64_t n = 4 * 6352;
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<double> uniform;
  std::vector<float> param(n), grad(n), exp_avg(n), exp_avg_sq(n);
  for (std::int64_t i = 0; i < n; ++i) {
    param[i] = normal(rng) * 0.02f;
    grad[i] = normal(rng) * 1e-3f;
    exp_avg[i] = normal(rng) * 1e-4f;
    exp_avg_sq[i] = std::abs(normal(rng)) * 1e-6f;
    if (uniform(rng) * 100.0 < static_cast<double>(state.range(0))) {
      grad[i] = 0.0f;
      exp_avg[i] = 4e-45f;  // 3 · 2^-149: RN(0.9 · it) is itself, so it stays subnormal
    }
  }
  train::AdamStepScalars s;
  s.beta1 = 0.9f;
  s.one_minus_beta1 = static_cast<float>(1 - 0.9);
  s.beta2 = 0.999f;
  s.one_minus_beta2 = static_cast<float>(1 - 0.999);
  s.eps = 1e-8f;
  s.sqrt_bias_correction2 = 0.5f;
  s.neg_step_size = -1e-3f;
  for (auto _ : state) {
    train::adam_step_kernel(param.data(), grad.data(), exp_avg.data(), exp_avg_sq.data(), n, s,
                            true);
    benchmark::DoNotOptimize(param.data());
  }
  state.counters["element"] =
      benchmark::Counter(static_cast<double>(n * state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_AloneStep)
    ->ArgsProduct({{1, 0}, {8, 64}})
    ->ArgNames({"geglu", "batch"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemberStep)
    ->Apply(member_step_args)
    ->ArgNames({"geglu", "E", "batch"})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TwoGroups)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("mode")
    ->UseRealTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_AdamKernel)->Arg(0)->Arg(10)->Arg(50)->ArgName("stuck_percent");

}  // namespace

BENCHMARK_MAIN();
