// What a run predicted on its claim's fixed evaluation set, for metrics that belong to a pair of
// runs (prediction difference, CLAIMS.md §4): a probability distribution per evaluation input and
// the true labels, identified by a hash of the inputs so two runs are only ever compared on the
// same ones.
#pragma once

#include <torch/types.h>

#include <string>

namespace claimcheck::train {

/// Predicted distributions of one run, on the CPU.
struct Predictions {
  torch::Tensor probabilities;  // (N, classes) float32, rows sum to 1
  torch::Tensor labels;         // (N) int64, the true class / next character of each row
  std::string eval_hash;        // 16 hex digits over the evaluation inputs and labels
};

/// The hash of an evaluation set: its input tensor and labels (any integer/float dtype, CPU).
std::string evaluation_hash(const torch::Tensor& inputs, const torch::Tensor& labels);

}  // namespace claimcheck::train
