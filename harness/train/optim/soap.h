// "soap": Adam run in the eigenbasis of Shampoo's preconditioner (Vyas et al., arXiv 2409.11321),
// following nikhilvyas/SOAP soap.py at commit f42d296 (the published version; the later rewrite
// in that repo changes the bias correction). Per 2-D weight W with gradient G:
//   L ← β·L + (1−β)·G·Gᵀ,  R ← β·R + (1−β)·Gᵀ·G      (β = shampoo_beta, default betas.b2)
//   Q_L, Q_R: eigenvectors of L, R by descending eigenvalue (torch::linalg_eigh at the first step;
//             then every `precondition_frequency` steps one power iteration + QR: sort the
//             columns by the estimated eigenvalues diag(QᵀLQ), permute exp_avg_sq to match,
//             Q ← qr(L·Q)), and
//   G' = Q_Lᵀ·G·Q_R;  m ← β₁m + (1−β₁)G';  v ← β₂v + (1−β₂)G'²;
//   W ← W − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · Q_L·(m/(√v + eps))·Q_Rᵀ;   W ← W − lr·weight_decay·W
// then L, R (and, on refresh steps, the bases) are updated with this step's G, so the projection
// never uses the current gradient. The very first step only initialises L, R and the bases (the
// parameters do not move). A side whose size exceeds max_precond_dim keeps the identity basis
// (an embedding of 50,304 rows still gets R); 0-D and 1-D parameters run plain Adam with the same
// step size (the reference's precondition_1d = false).
// Simplifications, each equivalent in exact arithmetic: m is kept in the parameter's own basis
// and projected each step (the reference stores it projected and rotates it back and forth at
// every preconditioner update, as its own later version no longer does); no merge_dims,
// normalize_grads or channels_last (conv weights; parameters of more than 2 dims are rejected).
// The reference retries a failed eigh in float64, and so does this class.
// Host syncs: the first step's eigh checks the solver's status (one sync per parameter, once);
// the later steps (QR, argsort, index_select) do not synchronise.
//
// Options: betas [0.95, 0.95], shampoo_beta (default: betas' b2), eps 1e-8, weight_decay 0.01,
// precondition_frequency 10, max_precond_dim 10000 (the reference's and the source's values).
#pragma once

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "harness/train/optim/optimizer.h"
#include "harness/train/optim/option_reader.h"

namespace claimcheck::train::optim {

/// SOAP's options (JSON keys as the field names).
struct SoapOptions {
  Betas betas{0.95, 0.95};                   ///< Adam's (b1, b2) in the eigenbasis
  double shampoo_beta = 0.95;                ///< EMA of L and R; defaults to betas.b2
  double eps = 1e-8;                         ///< added to √v, >= 0
  double weight_decay = 0.01;                ///< decoupled, after the update, >= 0
  std::int64_t precondition_frequency = 10;  ///< steps between eigenbasis refreshes
  std::int64_t max_precond_dim = 10000;      ///< larger sides stay unrotated
};

/// Reads "soap" options; throws std::invalid_argument naming the bad option.
SoapOptions read_soap_options(const nlohmann::json& options);

/// SOAP over `params` (all groups alike).
class Soap final : public Optimizer {
 public:
  /// Throws std::invalid_argument if lr is not positive or a parameter has more than 2 dims.
  Soap(std::vector<torch::Tensor> params, double lr, SoapOptions options);
  void zero_grad() override;
  void step(const torch::Tensor& loss) override;

  /// One parameter's state; a side's tensors are undefined when that side is not rotated.
  struct State {
    bool initialised = false;
    std::int64_t step = 0;          // Adam steps taken (the initialising step does not count)
    torch::Tensor exp_avg;          // m, in the parameter's own basis
    torch::Tensor exp_avg_sq;       // v, in the eigenbasis
    torch::Tensor left, right;      // L (rows x rows), R (cols x cols)
    torch::Tensor q_left, q_right;  // their eigenbases
  };
  /// The state of parameter `i`, for tests.
  const State& state(std::size_t i) const { return states_.at(i); }

 private:
  void update_preconditioner(const torch::Tensor& g, State& s, bool refresh) const;

  std::vector<torch::Tensor> params_;
  double lr_;
  SoapOptions options_;
  std::vector<State> states_;
};

}  // namespace claimcheck::train::optim
