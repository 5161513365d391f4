// "sgdm": SGD with (Nesterov) momentum whose momentum buffers start random, the "init velocity"
// of the symmetry-breaking source (evasilverstein/symmetry-breaking-files,
// paper_code/gelu_ablation/code/train_gpt_gelu_ablation.py): it builds torch.optim.SGD(lr,
// momentum=0.95, nesterov=True) and then sets, for every parameter,
//   state['momentum_buffer'] = torch.randn_like(p) * sgdm_init_velocity_std      (0.1)
// Because the buffer already exists, PyTorch's SGD never takes its first-step branch
// (buf = clone(grad)); every step, including the first, is
//   d = g + weight_decay·p;   buf ← momentum·buf + d;   d ← nesterov ? d + momentum·buf : buf;
//   p ← p − lr·d
// so with a zero gradient the first step moves p by −lr·momentum²·v0 (Nesterov) or
// −lr·momentum·v0 (plain). Written out here (not wrapped) so the buffers can be pre-filled; the
// ops are LibTorch 1.13's SGD::step ops in the same order, so the steps are bit-identical to it.
//
// The velocity is drawn from the run's `init` generator (a CPU generator), on the CPU, in the
// order of all_parameters() (matrices, embeddings, head, vectors), then moved to each parameter's
// device: the draw is reproducible from the seed and does not depend on the device (the source
// drew on the GPU from the global generator).
//
// Options: momentum 0.95 (in [0, 1)), nesterov true, init_velocity_std 0.1 (>= 0; 0 gives zero
// buffers, which is the same as PyTorch's clone-on-first-step), weight_decay 0 (L2, as torch).
#pragma once

#include <ATen/core/Generator.h>
#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <vector>

#include "harness/train/optim/optimizer.h"

namespace claimcheck::train::optim {

/// SGDM's options (JSON keys as the field names).
struct SgdmOptions {
  double momentum = 0.95;          ///< in [0, 1); > 0 when nesterov
  bool nesterov = true;            ///< Nesterov momentum, as torch.optim.SGD(nesterov=True)
  double init_velocity_std = 0.1;  ///< σ of the N(0, σ²) initial momentum buffers
  double weight_decay = 0.0;       ///< L2 added to the gradient, as torch's SGD
};

/// Reads "sgdm" options; throws std::invalid_argument naming the bad option.
SgdmOptions read_sgdm_options(const nlohmann::json& options);

/// N(0, std²) tensors shaped like `params`: drawn from `init` (CPU) in order, then moved to each
/// parameter's device and dtype.
std::vector<torch::Tensor> draw_initial_velocity(const std::vector<torch::Tensor>& params,
                                                 double std, at::Generator& init);

/// SGD with momentum over `params`, momentum buffers starting at `initial_velocity`.
class Sgdm final : public Optimizer {
 public:
  /// Throws std::invalid_argument if lr is not positive or the velocities do not match params.
  Sgdm(std::vector<torch::Tensor> params, double lr, SgdmOptions options,
       std::vector<torch::Tensor> initial_velocity);
  void zero_grad() override;
  void step(const torch::Tensor& loss) override;
  /// The momentum buffers, one per parameter.
  const std::vector<torch::Tensor>& velocity() const { return buffers_; }

 private:
  std::vector<torch::Tensor> params_;
  double lr_;
  SgdmOptions options_;
  std::vector<torch::Tensor> buffers_;
};

}  // namespace claimcheck::train::optim
