// Trains an image classifier (the MNIST FFNs of claim 1): a seeded data order, Adam, cross-entropy,
// a fixed number of epochs, then accuracy over the whole test set. A diverging run (non-finite
// loss) is a valid, flagged result, not an error.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

#include "models/registry.h"

namespace claimcheck::train {

/// Training hyperparameters of one run.
struct ClassifierTrainConfig {
  std::string optimizer = "adam";  // torch.optim.Adam defaults: betas (0.9, 0.999), eps 1e-8
  double lr = 1e-3;
  std::int64_t batch = 64;
  std::int64_t epochs = 1;
};

/// Flattened inputs (N, features) float and labels (N) int64, on the training device.
struct ClassifierData {
  torch::Tensor train_x;
  torch::Tensor train_y;
  torch::Tensor test_x;
  torch::Tensor test_y;
};

/// What one run measured.
struct ClassifierMetrics {
  double test_accuracy = 0.0;     // fraction of the test set classified correctly
  double test_loss = 0.0;         // mean cross-entropy over the test set (nats)
  double final_train_loss = 0.0;  // loss of the last training batch
  bool diverged = false;          // a training loss was NaN/inf; training stopped there
  std::int64_t steps = 0;         // optimizer steps taken
};

/// Trains `model` (already on `data`'s device) and evaluates it. The data order of every epoch
/// is a Fisher-Yates shuffle driven by stats::Rng(data_seed); the last partial batch is kept
/// (PyTorch DataLoader's default). Throws std::invalid_argument on a bad config.
ClassifierMetrics train_classifier(models::ClassifierImpl& model, const ClassifierData& data,
                                   const ClassifierTrainConfig& config, std::uint64_t data_seed);

}  // namespace claimcheck::train
