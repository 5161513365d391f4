// The "image-classification" task (claim 1's MNIST FFNs): flattened IDX images in [0, 1], a
// seeded Fisher-Yates data order per epoch, cross-entropy, a budget in epochs (or steps), then
// accuracy and loss over the whole test set. The last partial batch is kept (PyTorch
// DataLoader's default). A diverging run (non-finite loss) stops there and is a flagged result.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "harness/stats/rng.h"
#include "harness/train/optim/optimizer.h"
#include "harness/train/task.h"
#include "models/model.h"

namespace claimcheck::train {

/// Flattened inputs (N, features) float and labels (N) int64, on the training device.
struct ClassifierData {
  torch::Tensor train_x;
  torch::Tensor train_y;
  torch::Tensor test_x;
  torch::Tensor test_y;
};

/// The budget and batch of one classifier run.
struct ClassifierLoop {
  std::int64_t batch = 64;
  std::int64_t epochs = 1;                  // used when steps == 0
  std::int64_t steps = 0;                   // > 0: stop after this many optimizer steps
  const std::atomic<bool>* stop = nullptr;  // checked every step (throws Interrupted)
};

/// Trains `model` (on `data`'s device) with `optimizer` and evaluates it on the test set;
/// metrics test_accuracy, test_loss, final_train_loss. The data order of every epoch is a
/// Fisher-Yates shuffle driven by stats::Rng(data_seed).
RunOutput train_classifier(models::Model& model, optim::Optimizer& optimizer,
                           const ClassifierData& data, const ClassifierLoop& loop,
                           std::uint64_t data_seed);

/// One epoch's data order: a Fisher-Yates permutation of [0, n) drawn from `rng` (int64, CPU).
torch::Tensor epoch_order(std::int64_t n, stats::Rng& rng);

/// Reads a named IDX data set (mnist, fashion-mnist) flattened, in [0, 1], onto `device`.
ClassifierData load_classifier_data(const std::string& dataset, torch::Device device);

/// The metrics of a trained model: test_accuracy and test_loss over the whole test set (eval
/// mode, no grad) and `final_train_loss` as given; non-finite values become NaN.
std::map<std::string, double> classifier_metrics(models::Model& model, const ClassifierData& data,
                                                 double final_train_loss);

/// The task for the registry.
std::unique_ptr<Task> make_image_classification_task();

}  // namespace claimcheck::train
