// "ecd": energy-conserving descent, the q = 1 variant of the symmetry-breaking paper (CLAIMS.md
// §3), as ECD_q1_scaled.step implements it in evasilverstein/symmetry-breaking-files
// (paper_code/ecd_symbreak/optimizer.py; symmetry_breaking_paper_code/optimizers/ECD_q1_scaled.py
// is the same code). What the source does, with F the step's loss, g the gradients, θ the
// parameters:
//   * d is the total number of scalars over *all* parameters (`self.dim += q.numel()`), and
//     lr' = lr/√η (rescaled once, at the first step).
//   * First call: the velocity p = −g/|g|, with |g| the norm over all parameters together.
//   * If F − F0 > eps (eps2 = 1e-40 in the source): rescale p to unit global norm, then per
//     tensor t
//         p_t ← p_t − (½·lr'·η·d/(d−1)) / (F − F0) · (g_t − p_t·⟨p_t, g_t⟩)
//     where ⟨p_t, g_t⟩ is the dot product of *that tensor only* (torch.dot per parameter, not a
//     global projection, so p does not stay exactly tangent to the sphere), then θ ← θ + lr'·p
//     with the updated, not yet renormalised p (|p| ≥ 1). With ν > 0 the direction is then
//     rotated by N(0, ν²/d) noise; ν = 0 here (the claim's setting), so it is unchanged.
//   * If F − F0 ≤ eps the whole step is skipped: θ, p and the iteration count stay as they are.
// Two deliberate differences, both invisible in the claim's runs: (1) the source rescales p to
// unit norm at the start of the next active step (skipping it when |p|² is within 1e-10 of 1);
// this class stores the rescaled p at the end of the step instead, which is the same vector up
// to rounding and keeps the stored velocity a unit vector. (2) The source re-initialises p on
// every call until the first active step (and then double-counts d); here p is initialised on
// the first call whatever F is. Weight decay (0 in the claim) is not supported.
//
// No host sync: F arrives as a 0-d tensor on the device, and the skip is a torch::where on
// (F − F0 > eps), never an .item().
//
// Options: eta 100 (η), F0 2.0, nu 0 (only 0 is supported), eps 1e-40. lr is make_optimizer's
// (1.0 in the claim).
#pragma once

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "harness/train/optim/optimizer.h"

namespace claimcheck::train::optim {

/// ECD's options (JSON keys "eta", "F0", "nu", "eps").
struct EcdOptions {
  double eta = 100.0;  ///< η > 0: concentration; lr' = lr/√η
  double f0 = 2.0;     ///< F0: the loss offset, must stay below the reachable loss
  double nu = 0.0;     ///< ν: bounce noise; only 0 is supported
  double eps = 1e-40;  ///< the step runs only while F − F0 > eps (>= 0)
};

/// Reads "ecd" options; throws std::invalid_argument naming the bad option (nu ≠ 0 included).
EcdOptions read_ecd_options(const nlohmann::json& options);

/// ECD q = 1 over `params` (all groups alike).
class Ecd final : public Optimizer {
 public:
  /// Throws std::invalid_argument if lr is not positive or there are fewer than 2 scalars.
  Ecd(std::vector<torch::Tensor> params, double lr, EcdOptions options);
  void zero_grad() override;
  /// One ECD step for the loss value `loss` (0-d, on the parameters' device).
  void step(const torch::Tensor& loss) override;
  /// The velocity (unit norm over all tensors); empty before the first step.
  const std::vector<torch::Tensor>& velocity() const { return velocity_; }

 private:
  std::vector<torch::Tensor> params_;
  double lr_scaled_;  // lr' = lr/√η
  std::int64_t dim_;  // d
  EcdOptions options_;
  std::vector<torch::Tensor> velocity_;
};

}  // namespace claimcheck::train::optim
