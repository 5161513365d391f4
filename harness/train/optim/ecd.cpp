#include "harness/train/optim/ecd.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness/train/optim/option_reader.h"
#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {
namespace {

// A gradient that was never populated is a zero gradient (the parameter does not affect F).
torch::Tensor gradient_of(const torch::Tensor& p) {
  return p.grad().defined() ? p.grad() : torch::zeros_like(p);
}

}  // namespace

EcdOptions read_ecd_options(const nlohmann::json& options) {
  OptionReader reader("ecd", options);
  EcdOptions out;
  const double inf = std::numeric_limits<double>::infinity();
  out.eta = reader.number("eta", out.eta, Interval::positive());
  out.f0 = reader.number("F0", out.f0, Interval{-inf, inf, true, true});
  out.nu = reader.number("nu", out.nu, Interval::non_negative());
  if (out.nu != 0.0) {
    reader.fail("nu", "must be 0: only the noise-free variant (nu = 0) is implemented, got " +
                          nlohmann::json(out.nu).dump());
  }
  out.eps = reader.number("eps", out.eps, Interval::non_negative());
  reader.finish();
  return out;
}

Ecd::Ecd(std::vector<torch::Tensor> params, double lr, EcdOptions options)
    : params_(std::move(params)),
      lr_scaled_(lr / std::sqrt(options.eta)),
      dim_(element_count(params_)),
      options_(options) {
  check_learning_rate("ecd", lr);
  if (dim_ < 2) {
    throw std::invalid_argument("optimizer 'ecd': needs at least 2 parameters (d/(d-1)), got " +
                                std::to_string(dim_));
  }
}

void Ecd::zero_grad() {
  zero_gradients(params_);
}

void Ecd::step(const torch::Tensor& loss) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  for (const auto& p : params_)
    grads.push_back(gradient_of(p));

  if (velocity_.empty()) {
    // p = −g, normalised by the global norm: p·sqrt(1/Σ|g_t|²) as the source.
    torch::Tensor g2 = torch::zeros({}, params_.front().options().requires_grad(false));
    for (const auto& g : grads)
      g2 = g2 + g.square().sum();
    const torch::Tensor scale = torch::sqrt(1.0 / g2);
    for (const auto& g : grads)
      velocity_.push_back(-g * scale);
  }

  const torch::Tensor excess = loss.detach() - options_.f0;  // F − F0
  const torch::Tensor active = excess > options_.eps;
  // Divide by 1 when skipping, so the discarded branch stays finite.
  const torch::Tensor denom = torch::where(active, excess, torch::ones_like(excess));
  const double d = static_cast<double>(dim_);
  const double prefactor = -0.5 * lr_scaled_ * options_.eta * d / (d - 1.0);
  const torch::Tensor coef = prefactor / denom;

  std::vector<torch::Tensor> moved;
  torch::Tensor p2 = torch::zeros({}, velocity_.front().options());
  for (std::size_t t = 0; t < params_.size(); ++t) {
    const torch::Tensor& p = velocity_[t];
    const torch::Tensor dot = torch::dot(p.reshape(-1), grads[t].reshape(-1));  // per tensor
    moved.push_back(p + coef * (grads[t] - p * dot));
    p2 = p2 + moved.back().square().sum();
  }
  const torch::Tensor pnorm = torch::sqrt(p2);
  for (std::size_t t = 0; t < params_.size(); ++t) {
    const torch::Tensor step =
        torch::where(active, lr_scaled_ * moved[t], torch::zeros_like(moved[t]));
    params_[t].add_(step);
    velocity_[t] = torch::where(active, moved[t] / pnorm, velocity_[t]);
  }
}

}  // namespace claimcheck::train::optim
