// Building blocks of the activation-reproducibility model family (CLAIMS.md §4; the source is
// pankajtakawale/llm-reproducibility-activations, model*.py): the source's init formulas (drawn
// from the run's `init` generator: LibTorch's torch::nn::Conv1d / LSTM draw a default init from
// the global generator, which claimcheck models never touch), the activated FFN every
// architecture shares, the per-forward dropout, and the family's Model base class. Linear and
// Embedding are the ones every model shares (models/layers.h).
// Init order: every module draws its weights in its constructor, in registration order, so a
// model's draws follow its parameters() order.
// Shape convention: B batch, T time, C channels (n_embd), H FFN hidden width.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "models/activations.h"
#include "models/layers.h"
#include "models/model.h"

namespace claimcheck::models::charlm {

/// The source's init for Linear, Embedding and Conv1d weights: N(0, 0.02²) (model.py
/// CharLM._init_weights and the same in every model_*.py), i.e. Init::normal(kInitStd, init).
/// nn.MultiheadAttention's in_proj_weight, which _init_weights never reaches, keeps the module's
/// own Init::xavier_uniform. Biases start at zero.
constexpr double kInitStd = 0.02;

/// torch.nn.init.orthogonal_ on (rows, cols): QR of a N(0, 1) matrix (transposed when wide), Q's
/// columns signed by diag(R) so the result is Haar-distributed.
torch::Tensor orthogonal_init(std::int64_t rows, std::int64_t cols, at::Generator& init);

/// The dropout of one forward pass: models::dropout with probability p from the run's generator
/// while training; the identity in eval mode or when p is 0. Made by FamilyModel::dropout_for.
class ForwardDropout {
 public:
  /// The identity.
  ForwardDropout() = default;
  /// Drops with probability p, drawing from `generator` (which must outlive the pass).
  ForwardDropout(double p, at::Generator& generator) : p_(p), generator_(&generator) {}
  torch::Tensor operator()(const torch::Tensor& x) const;

 private:
  double p_ = 0.0;
  at::Generator* generator_ = nullptr;  // null: identity
};

/// Where an FFN applies dropout.
enum class FfnDropout {
  kOutput,           ///< after c_proj (CharLM, MiniGPT, TinyLSTM)
  kHiddenAndOutput,  ///< after the activation and after c_proj (HybridLM's ff)
};

/// c_proj(act(c_fc x)) with biases: C→fc→(activation)→hidden→C (widths from ffn_widths; the
/// source's nn.Sequential(Linear, activation, Linear, Dropout) with the SwiGLU doubling).
struct FfnImpl : torch::nn::Module {
  FfnImpl(std::int64_t n_embd, std::int64_t hidden, Activation activation, FfnDropout where,
          at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const ForwardDropout& drop);  // (B, T, C)
  Activation activation;
  FfnDropout where;
  Linear c_fc{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(Ffn);

/// Base of the family's models: dropout for one forward pass, parameters grouped by role.
struct FamilyModel : Model {
  /// embeddings: the tensors in embeddings_; head: those in head_; the rest by rank (matrices
  /// are 2-D and higher: attention, FFN, conv kernels (C_out, C_in, k), LSTM weight_ih / weight_hh;
  /// vectors are biases and LayerNorm gains).
  ParameterGroups parameter_groups() override;

 protected:
  /// The dropout for this pass: probability p from the run's generator in training mode, the
  /// identity otherwise (so eval needs no generator).
  ForwardDropout dropout_for(double p);
  std::vector<torch::Tensor> embeddings_;  ///< token (and position) embeddings
  std::vector<torch::Tensor> head_;        ///< the untied output projection's weight
};

/// Throws std::invalid_argument unless idx is (B, T) with 1 <= T <= context.
void check_tokens(const torch::Tensor& idx, std::int64_t context, const char* model);

}  // namespace claimcheck::models::charlm
