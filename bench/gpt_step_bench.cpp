// One training step of claim swiglu-vs-relu2-matched's smoke GPT (issue 7's speed target): the
// autoresearch-style GPT at d 96, 2 layers, 3 heads, context 64, batch 16, vocab 65, relu² MLP,
// Muon (block matrices) + AdamW (embedding, head), one intra-op thread as the executor runs it.
// Forward, cross-entropy, backward and the optimizer step on a fixed batch. The Python eager
// twin is bench/gpt_step_eager.py; bench/compare_gpt_step.sh runs both back to back.
//
//   cmake --build build --target gpt_step_bench && build/bench/gpt_step_bench
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "harness/env/generator.h"
#include "harness/train/optim/optimizer.h"
#include "models/registry.h"

namespace {

using namespace claimcheck;

void BM_GptStep(benchmark::State& state, const std::string& mlp) {
  torch::set_num_threads(1);
  at::Generator init = env::cpu_generator(1);
  const models::ModelDims dims{0, 0, /*vocab=*/65, /*context=*/64};
  auto model = models::make_model(
      "gpt", {{"n_layer", 2}, {"n_head", 3}, {"n_embd", 96}, {"mlp", mlp}}, dims, init);
  auto optimizer = train::optim::make_optimizer({"muon", nlohmann::json::object()}, 0.02,
                                                model->parameter_groups(), init);
  const torch::Tensor x = torch::randint(65, {16, 64}, init, torch::kInt64);
  const torch::Tensor y = torch::randint(65, {16 * 64}, init, torch::kInt64);
  model->train();
  for (auto _ : state) {
    const torch::Tensor logits = model->forward(x);  // (B, T, V)
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), y);
    optimizer->zero_grad();
    loss.backward();
    optimizer->step(loss);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_GptStep, relu2, std::string("relu2"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_GptStep, swiglu, std::string("swiglu"))->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
