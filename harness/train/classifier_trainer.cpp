#include "harness/train/classifier_trainer.h"

#include <torch/torch.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "harness/stats/rng.h"

namespace claimcheck::train {
namespace {

// A Fisher-Yates permutation of [0, n) from our own generator (platform-stable, device-free).
torch::Tensor shuffled_indices(std::int64_t n, stats::Rng& rng) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(i + 1)));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return torch::tensor(order, torch::kInt64);
}

}  // namespace

ClassifierMetrics train_classifier(models::ClassifierImpl& model, const ClassifierData& data,
                                   const ClassifierTrainConfig& config, std::uint64_t data_seed) {
  if (config.optimizer != "adam") {
    throw std::invalid_argument("classifier trainer: optimizer '" + config.optimizer +
                                "' is not supported (valid: adam)");
  }
  if (!(config.lr > 0.0) || config.batch < 1 || config.epochs < 1) {
    throw std::invalid_argument("classifier trainer: lr must be > 0, batch and epochs >= 1");
  }
  torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(config.lr));
  stats::Rng rng(data_seed);
  const std::int64_t n = data.train_x.size(0);
  const torch::Device device = data.train_x.device();
  ClassifierMetrics metrics;

  model.train();
  for (std::int64_t epoch = 0; epoch < config.epochs && !metrics.diverged; ++epoch) {
    const torch::Tensor order = shuffled_indices(n, rng).to(device);
    for (std::int64_t start = 0; start < n; start += config.batch) {
      const torch::Tensor idx = order.slice(0, start, std::min(start + config.batch, n));
      const torch::Tensor logits = model.forward(data.train_x.index_select(0, idx));  // (B, 10)
      const torch::Tensor loss =
          torch::nn::functional::cross_entropy(logits, data.train_y.index_select(0, idx));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      ++metrics.steps;
      metrics.final_train_loss = loss.item<double>();
      if (!std::isfinite(metrics.final_train_loss)) {
        metrics.diverged = true;  // NaN stays NaN: training on is wasted time
        break;
      }
    }
  }

  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Tensor logits = model.forward(data.test_x);  // (N_test, 10)
  metrics.test_loss = torch::nn::functional::cross_entropy(logits, data.test_y).item<double>();
  metrics.test_accuracy =
      logits.argmax(1).eq(data.test_y).to(torch::kFloat64).mean().item<double>();
  return metrics;
}

}  // namespace claimcheck::train
