// "muon": Muon for the block matrices, AdamW for everything else, as in Keller Jordan's
// SingleDeviceMuonWithAuxAdam (KellerJordan/Muon muon.py) and karpathy/autoresearch train.py.
//
// Matrices (ParameterGroups::matrices, each 2-D), per step, from KellerJordan/Muon muon_update:
//   buf ← lerp(buf, g, 1 − momentum)                         (buf = momentum·buf + (1−momentum)·g)
//   u   ← nesterov ? lerp(g, buf, momentum) : buf
//   u   ← newton_schulz5(u, ns_steps) · √max(1, rows/cols)   (shape scaling of KellerJordan/Muon;
//                                                             autoresearch scales lr by the same)
//   p   ← p·(1 − lr·weight_decay) − lr·u                     (decoupled weight decay)
// `lr` (make_optimizer's) is this Muon lr. Embeddings, head and vectors run torch::optim::AdamW,
// one torch group each, with their own lr.
//
// Options and defaults:
//   momentum 0.95, nesterov true, ns_steps 5, weight_decay 0 (Keller's default; autoresearch's
//     cautious, scheduled weight decay is not implemented);
//   embedding_lr 0.6, head_lr 0.004: autoresearch's EMBEDDING_LR and UNEMBEDDING_LR, taken as
//     constants (autoresearch also multiplies them by (d_model/768)^−½; a spec at another width
//     sets them explicitly);
//   vector_lr 0.04: the scalar-parameter lr of Keller's MuonWithAuxAdam example (autoresearch's
//     only 1-D parameters are its residual-mixing scalars, with their own lrs);
//   adam_betas [0.8, 0.95], adam_eps 1e-10 (both sources), adam_weight_decay 0 (autoresearch's
//     for embeddings and head).
// Not implemented from autoresearch: Polar Express coefficients, NorMuon variance reduction,
// cautious weight decay and the momentum warmup schedule (see newton_schulz.h).
#pragma once

#include <torch/optim/adamw.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "harness/train/optim/optimizer.h"
#include "harness/train/optim/option_reader.h"

namespace claimcheck::train::optim {

/// Muon's options (JSON keys as the field names).
struct MuonOptions {
  double momentum = 0.95;          ///< in [0, 1)
  bool nesterov = true;            ///< Nesterov-style lerp of gradient and buffer
  std::int64_t ns_steps = 5;       ///< Newton–Schulz iterations, in [1, 20]
  double weight_decay = 0.0;       ///< decoupled, on the matrices, >= 0
  double embedding_lr = 0.6;       ///< AdamW lr of ParameterGroups::embeddings
  double head_lr = 0.004;          ///< AdamW lr of ParameterGroups::head
  double vector_lr = 0.04;         ///< AdamW lr of ParameterGroups::vectors
  Betas adam_betas{0.8, 0.95};     ///< AdamW betas
  double adam_eps = 1e-10;         ///< AdamW eps
  double adam_weight_decay = 0.0;  ///< AdamW decoupled weight decay
};

/// Reads "muon" options; throws std::invalid_argument naming the bad option.
MuonOptions read_muon_options(const nlohmann::json& options);

/// Muon on the matrices plus AdamW on the other groups.
class Muon final : public Optimizer {
 public:
  /// Throws std::invalid_argument if a matrix is not 2-D or lr is not positive.
  Muon(const models::ParameterGroups& groups, double lr, MuonOptions options);
  void zero_grad() override;
  void step(const torch::Tensor& loss) override;
  /// The options AdamW steps each non-empty role with (embeddings, head, vectors, in order).
  std::vector<torch::optim::AdamWOptions> adam_options() const;

 private:
  std::vector<torch::Tensor> matrices_;
  std::vector<torch::Tensor> momentum_;  // one buffer per matrix, zero at start
  std::vector<torch::Tensor> all_;
  double lr_;
  MuonOptions options_;
  std::unique_ptr<torch::optim::AdamW> adamw_;  // null when only matrices exist
};

}  // namespace claimcheck::train::optim
