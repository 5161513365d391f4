#include "harness/train/optim/newton_schulz.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace claimcheck::train::optim {

double newton_schulz_polynomial(double sigma) {
  const double s2 = sigma * sigma;
  return sigma * (kNsA + s2 * (kNsB + s2 * kNsC));
}

torch::Tensor newton_schulz5(const torch::Tensor& g, std::int64_t steps) {
  if (g.dim() != 2) {
    throw std::invalid_argument("newton_schulz5: needs a 2-D tensor, got " +
                                std::to_string(g.dim()) + " dims");
  }
  const bool tall = g.size(0) > g.size(1);
  torch::Tensor x = g.to(torch::promote_types(g.scalar_type(), torch::kFloat32));
  if (tall) x = x.t();  // (rows <= cols): A = X·Xᵀ is the smaller Gram matrix
  // Frobenius norm >= spectral norm, so every singular value starts in [0, 1].
  x = x / (x.norm() + 1e-7);
  for (std::int64_t i = 0; i < steps; ++i) {
    const torch::Tensor a = x.mm(x.t());
    const torch::Tensor b = kNsB * a + kNsC * a.mm(a);
    x = kNsA * x + b.mm(x);
  }
  return tall ? x.t() : x;
}

}  // namespace claimcheck::train::optim
