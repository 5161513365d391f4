// The image-classification loop for a group of runs trained as one batched model
// (models/ensemble/ffn_ensemble.h + ensemble/adam.h): E runs of one model type and shape, batch
// size and budget, each with its own initial weights (its standalone model, drawn from its own
// generator), learning rate, data order (stats::Rng(data_seed), one Fisher-Yates order per member
// and epoch, materialised once per epoch as an (E, N) index tensor; a step reads each member's rows
// of it straight from the images) and Adam state. Every member's record equals train_classifier()
// on that run alone, bit for bit (tests/train/ensemble/classifier_test.cpp). A member whose loss
// turns non-finite is flagged diverged, evaluated and stored as at that step, exactly as alone; the
// others train on (members never mix: a NaN stays in its own rows). CPU only: Adam runs in
// adam_kernel.h and divergence is read every step, as DivergenceWatch does on the CPU.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/stats/rng.h"
#include "harness/train/ensemble/adam.h"
#include "harness/train/image_classification.h"
#include "harness/train/optim/torch_adam.h"
#include "models/ensemble/ffn_ensemble.h"

namespace claimcheck::train {

/// One run of a group: its standalone model with its initial weights, its lr and data seed.
struct ClassifierMember {
  std::shared_ptr<models::Model> model;
  double lr = 1e-3;
  std::uint64_t data_seed = 0;
};

/// The group key of an image-classification run: the model, task and training block without
/// the learning rate; empty (train alone) off the CPU, for models without a batched variant,
/// for optimizers other than "adam", and when classifier_ensemble_is_exact() is false.
std::string classifier_group_key(const RunConfig& config, torch::Device device);

/// True when, in this process, groups reproduce training alone bit for bit: EnsembleAdam's probe
/// and a short run of two members of each FFN type, above and below the bmm threshold, trained
/// alone and as a group (probed once, ~20 ms). When false, every run trains alone.
bool classifier_ensemble_is_exact();

/// The training images as bytes (uint8) when data.train_x == float(bytes) / 255 exactly, as the
/// IDX reader makes them (row_gather.h); undefined otherwise or off the CPU. ~0.3 s for MNIST.
torch::Tensor training_bytes(const ClassifierData& data);

/// E members stepped together (exposed for the benchmarks; train_classifier_group runs it).
class ClassifierEnsemble {
 public:
  /// `train_bytes`: training_bytes(data) for the cheaper gather, or undefined.
  ClassifierEnsemble(const std::string& type, std::vector<ClassifierMember> members,
                     const optim::AdamOptions& adam, const ClassifierData& data, std::int64_t batch,
                     torch::Tensor train_bytes = {});
  std::int64_t members() const { return static_cast<std::int64_t>(members_.size()); }
  std::int64_t steps_per_epoch() const { return steps_per_epoch_; }
  /// One optimizer step (the step-th of the run, from 0) for every member; returns the members
  /// whose loss became non-finite at this step (each is reported once, then left alone).
  std::vector<std::int64_t> step(std::int64_t step);
  /// Member m's training loss at the last step, as the standalone loss.item() (nll_loss on its
  /// own rows, so the same summation order).
  double last_loss(std::int64_t m) const;
  /// Member m's test metrics with its current weights (copied into its standalone model).
  std::map<std::string, double> metrics(std::int64_t m, double final_train_loss);

 private:
  std::vector<ClassifierMember> members_;
  const ClassifierData& data_;
  torch::Tensor train_bytes_;
  std::int64_t batch_;
  std::int64_t n_;
  std::int64_t steps_per_epoch_;
  models::FfnEnsemble ensemble_;
  EnsembleAdam adam_;
  std::vector<stats::Rng> rngs_;
  std::vector<bool> diverged_;
  torch::Tensor labels_;     // (N): the training labels, contiguous int64
  torch::Tensor order_;      // (E, N): every member's order of the current epoch
  torch::Tensor x_buffer_;   // (E·b, in): the step's inputs, reused while b stays the same
  torch::Tensor y_;          // (E, b): the step's labels (same buffer reuse)
  torch::Tensor grad_logp_;  // (E·b, classes): d(loss)/d(log-probabilities), same
  torch::Tensor logp_;       // (E, b, classes): the last step's log-probabilities
};

/// Trains the members for `loop`'s budget; output i is member i's RunOutput (metrics, steps,
/// diverged; `parameters` left to the caller), equal to train_classifier() on it alone.
std::vector<RunOutput> train_classifier_group(
    const std::string& type, std::vector<ClassifierMember> members, const optim::AdamOptions& adam,
    const ClassifierData& data, const ClassifierLoop& loop, torch::Tensor train_bytes = {});

}  // namespace claimcheck::train
