// The one interface every claimcheck model implements, whatever its task: a torch::nn::Module
// with forward(x), its parameters split by role (so an optimizer such as Muon can treat block
// matrices and embeddings differently), and an optional per-run generator for randomness inside
// forward (dropout, random attention biases). Models never touch LibTorch's global generator:
// every random draw comes from a generator the run owns, so a run's numbers do not depend on what
// trains beside it.
#pragma once

#include <ATen/core/Generator.h>
#include <c10/util/Optional.h>
#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace claimcheck::models {

/// Sizes a model takes from its task rather than from its options.
struct ModelDims {
  std::int64_t inputs = 0;   ///< image-classification: features per example (784 for MNIST)
  std::int64_t classes = 0;  ///< image-classification: number of classes
  std::int64_t vocab = 0;    ///< char-lm: vocabulary size (65 for Tiny Shakespeare)
  std::int64_t context = 0;  ///< char-lm: the longest sequence forward() must accept
};

/// Trainable parameters by role; every parameter is in exactly one group.
struct ParameterGroups {
  std::vector<torch::Tensor> matrices;    ///< 2-D weights inside the blocks (attention, MLP)
  std::vector<torch::Tensor> embeddings;  ///< token / position embeddings (and a tied head)
  std::vector<torch::Tensor> head;        ///< an untied output projection (lm_head)
  std::vector<torch::Tensor> vectors;     ///< 1-D and scalar: biases, norm gains, PReLU slopes
};

/// A model: classifiers map (B, inputs) float -> (B, classes) logits; language models map
/// (B, T) int64 token ids -> (B, T, vocab) logits.
struct Model : torch::nn::Module {
  /// Logits for a batch (shapes above).
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
  /// Parameters by role. Default: 2-D tensors are matrices, everything else vectors; models
  /// with embeddings or a head override it.
  virtual ParameterGroups parameter_groups();
  /// The generator used by random draws inside forward() (dropout, random biases), on the
  /// model's device. Without one, a model that needs randomness in training mode throws.
  void set_generator(c10::optional<at::Generator> generator) { generator_ = std::move(generator); }

 protected:
  /// The run's generator; throws std::logic_error naming the model when none was set.
  at::Generator& generator();

 private:
  c10::optional<at::Generator> generator_;
};

/// Inverted dropout drawn from `generator` (torch::dropout cannot take a generator): in training
/// mode each element is zeroed with probability p and the rest scaled by 1/(1-p); identity when
/// not training or p == 0.
torch::Tensor dropout(const torch::Tensor& x, double p, bool training, at::Generator& generator);

/// The number of trainable scalars in a module.
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace claimcheck::models
