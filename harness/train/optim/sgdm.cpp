#include "harness/train/optim/sgdm.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "harness/train/optim/option_reader.h"
#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {

SgdmOptions read_sgdm_options(const nlohmann::json& options) {
  OptionReader reader("sgdm", options);
  SgdmOptions out;
  out.momentum = reader.number("momentum", out.momentum, Interval::closed_open(0.0, 1.0));
  out.nesterov = reader.flag("nesterov", out.nesterov);
  out.init_velocity_std =
      reader.number("init_velocity_std", out.init_velocity_std, Interval::non_negative());
  out.weight_decay = reader.number("weight_decay", out.weight_decay, Interval::non_negative());
  // torch.optim.SGD's own rule: "Nesterov momentum requires a momentum and zero dampening".
  if (out.nesterov && out.momentum == 0.0) {
    reader.fail("nesterov", "needs momentum > 0 (set nesterov to false or give a momentum)");
  }
  reader.finish();
  return out;
}

std::vector<torch::Tensor> draw_initial_velocity(const std::vector<torch::Tensor>& params,
                                                 double std, at::Generator& init) {
  std::vector<torch::Tensor> velocity;
  velocity.reserve(params.size());
  const auto cpu_float = torch::TensorOptions().dtype(torch::kFloat32).device(torch::kCPU);
  for (const auto& p : params) {
    // randn_like(p) * std, as the source; float32 on the CPU whatever p is, so the draw is the
    // same on every device.
    const torch::Tensor v = torch::randn(p.sizes(), init, cpu_float) * std;
    velocity.push_back(v.to(p.options().requires_grad(false)));
  }
  return velocity;
}

Sgdm::Sgdm(std::vector<torch::Tensor> params, double lr, SgdmOptions options,
           std::vector<torch::Tensor> initial_velocity)
    : params_(std::move(params)),
      lr_(lr),
      options_(options),
      buffers_(std::move(initial_velocity)) {
  check_learning_rate("sgdm", lr);
  if (buffers_.size() != params_.size()) {
    throw std::invalid_argument("optimizer 'sgdm': " + std::to_string(buffers_.size()) +
                                " initial velocities for " + std::to_string(params_.size()) +
                                " parameters");
  }
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (!buffers_[i].sizes().equals(params_[i].sizes())) {
      throw std::invalid_argument("optimizer 'sgdm': initial velocity " + std::to_string(i) +
                                  " has another shape than its parameter");
    }
  }
}

void Sgdm::zero_grad() {
  zero_gradients(params_);
}

void Sgdm::step(const torch::Tensor& /*loss*/) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor& p = params_[i];
    if (!p.grad().defined()) continue;
    // LibTorch 1.13 SGD::step, op for op (dampening 0).
    torch::Tensor d_p = p.grad().data();
    if (options_.weight_decay != 0) d_p = d_p.add(p, options_.weight_decay);
    torch::Tensor& buf = buffers_[i];
    buf.mul_(options_.momentum).add_(d_p, 1.0);
    d_p = options_.nesterov ? d_p.add(buf, options_.momentum) : buf;
    p.data().add_(d_p, -lr_);
  }
}

}  // namespace claimcheck::train::optim
