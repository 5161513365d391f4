#include "harness/train/ensemble/adam.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <iterator>
#include <stdexcept>

#include "harness/env/generator.h"
#include "harness/train/ensemble/adam_kernel.h"
#include "harness/train/optim/optimizer.h"
#include "models/ensemble/bitwise.h"

namespace claimcheck::train {

EnsembleAdam::EnsembleAdam(std::vector<torch::Tensor> params, std::vector<double> lrs,
                           const optim::AdamOptions& options)
    : params_(std::move(params)),
      lrs_(std::move(lrs)),
      options_(options),
      accumulates_(torch_zero_grad_keeps_buffers()) {
  for (const auto& p : params_) {
    if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat || !p.is_contiguous() ||
        p.dim() < 1 || p.size(0) != static_cast<std::int64_t>(lrs_.size())) {
      throw std::invalid_argument(
          "EnsembleAdam: parameters must be contiguous CPU float tensors (E, ...) with one "
          "learning rate per member");
    }
    // torch::optim::Adam's state starts as zeros_like(p).
    exp_avg_.push_back(torch::zeros_like(p));
    exp_avg_sq_.push_back(torch::zeros_like(p));
  }
}

namespace {

void torch_sqrt(const float* in, float* out, std::int64_t n) {
  const auto options = torch::TensorOptions().dtype(torch::kFloat);
  torch::Tensor dst = torch::from_blob(out, {n}, options);
  at::sqrt_out(dst, torch::from_blob(const_cast<float*>(in), {n}, options));
}

// nullptr where LibTorch's float sqrt is std::sqrt's (correctly rounded) on a million random
// floats over every binade, subnormals, zeros and the specials; torch_sqrt otherwise.
SqrtArray sqrt_for_this_libtorch() {
  static const SqrtArray chosen = []() -> SqrtArray {
    torch::NoGradGuard no_grad;
    at::Generator g = env::cpu_generator(20261203);
    const std::int64_t n = 1 << 20;
    // Random bit patterns of the finite non-negative floats: uniform over the exponents, so every
    // binade and the subnormals (NaN payloads are left out: they say nothing about rounding).
    torch::Tensor bits =
        torch::randint(0, 0x7f800000, {n}, g, torch::TensorOptions().dtype(torch::kInt));
    torch::Tensor x = bits.view(torch::kFloat).clone();
    const float specials[] = {0.0f, -0.0f, 1.0f, 4.0f, INFINITY, 0x1p-149f, 0x1p-126f};
    for (std::size_t i = 0; i < std::size(specials); ++i)
      x[static_cast<std::int64_t>(i)] = specials[i];
    torch::Tensor library = x.sqrt();
    torch::Tensor ours = torch::empty_like(x);
    const float* in = x.data_ptr<float>();
    float* out = ours.data_ptr<float>();
    for (std::int64_t i = 0; i < n; ++i)
      out[i] = std::sqrt(in[i]);
    return models::bitwise_equal(library, ours) ? nullptr : &torch_sqrt;
  }();
  return chosen;
}

}  // namespace

void EnsembleAdam::step(const std::vector<torch::Tensor>& grads) {
  if (grads.size() != params_.size()) throw std::invalid_argument("EnsembleAdam: grads != params");
  ++step_;
  // As torch::optim::Adam::step (adam.cpp): bias corrections in double from the integer step;
  // every scalar reaches ATen's float kernels through Scalar::to<float>().
  const double b1 = options_.betas.b1;
  const double b2 = options_.betas.b2;
  const double bias_correction1 = 1 - std::pow(b1, step_);
  const double bias_correction2 = 1 - std::pow(b2, step_);
  AdamStepScalars s;
  s.beta1 = static_cast<float>(b1);
  s.one_minus_beta1 = static_cast<float>(1 - b1);
  s.beta2 = static_cast<float>(b2);
  s.one_minus_beta2 = static_cast<float>(1 - b2);
  s.weight_decay = static_cast<float>(options_.weight_decay);
  s.eps = static_cast<float>(options_.eps);
  s.sqrt_bias_correction2 = static_cast<float>(std::sqrt(bias_correction2));
  const bool accumulated = accumulates_ && step_ > 1;
  const auto members = static_cast<std::int64_t>(lrs_.size());
  const SqrtArray sqrt_array = sqrt_for_this_libtorch();
  std::vector<torch::Tensor> contiguous_grads;
  for (const auto& g : grads)
    contiguous_grads.push_back(g.contiguous());
  at::parallel_for(0, members, /*grain_size=*/1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t m = begin; m < end; ++m) {
      AdamStepScalars sm = s;
      sm.neg_step_size = static_cast<float>(-(lrs_[m] / bias_correction1));
      for (std::size_t k = 0; k < params_.size(); ++k) {
        const std::int64_t n = params_[k].numel() / members;
        adam_step_kernel(params_[k].data_ptr<float>() + m * n,
                         contiguous_grads[k].data_ptr<float>() + m * n,
                         exp_avg_[k].data_ptr<float>() + m * n,
                         exp_avg_sq_[k].data_ptr<float>() + m * n, n, sm, accumulated, sqrt_array);
      }
    }
  });
}

bool torch_zero_grad_keeps_buffers() {
  static const bool keeps = [] {
    torch::Tensor p = torch::zeros({1}).requires_grad_(true);
    p.mutable_grad() = torch::ones({1});
    torch::optim::Adam probe({p}, torch::optim::AdamOptions(1e-3));
    probe.zero_grad();
    return p.grad().defined();
  }();
  return keeps;
}

namespace {

// Three members (learning rates 1e-1, 1e-3, 1e-4) with parameters of 20, 37 and 6272 elements
// (ATen's vectorised loops leave scalar tails on the odd sizes), six steps of random gradients
// with some exact -0 entries, each gradient delivered by autograd as in training.
bool probe(double weight_decay) {
  torch::AutoGradMode autograd(/*enabled=*/true);  // the standalone side needs backward()
  const std::vector<double> lrs = {1e-1, 1e-3, 1e-4};
  const std::vector<std::int64_t> sizes = {20, 37, 6272};
  const auto members = static_cast<std::int64_t>(lrs.size());
  at::Generator g = env::cpu_generator(20240611);
  optim::AdamOptions options;
  options.weight_decay = weight_decay;
  std::vector<torch::Tensor> stacked;
  for (const auto n : sizes)
    stacked.push_back(torch::randn({members, n}, g));
  std::vector<std::vector<torch::Tensor>> alone(lrs.size());
  std::vector<std::unique_ptr<optim::Optimizer>> optimizers;
  for (std::int64_t m = 0; m < members; ++m) {
    models::ParameterGroups groups;
    for (const auto& s : stacked) {
      alone[m].push_back(s[m].clone().requires_grad_(true));
      groups.matrices.push_back(alone[m].back());
    }
    optimizers.push_back(
        optim::make_optimizer({"adam", {{"weight_decay", weight_decay}}}, lrs[m], groups, g));
  }
  EnsembleAdam ensemble(stacked, lrs, options);
  for (int step = 0; step < 6; ++step) {
    std::vector<torch::Tensor> grads;
    for (const auto n : sizes) {
      torch::Tensor grad = torch::randn({members, n}, g) * (step == 3 ? 1e-4 : 1.0);
      grad.narrow(1, 0, 3).fill_(-0.0);
      grads.push_back(grad);
    }
    for (std::int64_t m = 0; m < members; ++m) {
      optimizers[m]->zero_grad();
      torch::Tensor loss = torch::zeros({});
      for (std::size_t k = 0; k < sizes.size(); ++k)
        loss = loss + (alone[m][k] * grads[k][m]).sum();
      loss.backward();
      optimizers[m]->step(loss.detach());
    }
    ensemble.step(grads);
  }
  torch::NoGradGuard no_grad;
  for (std::int64_t m = 0; m < members; ++m) {
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      if (!models::bitwise_equal(alone[m][k], stacked[k][m])) return false;
    }
  }
  return true;
}

}  // namespace

bool ensemble_adam_is_exact() {
  static const bool exact = probe(/*weight_decay=*/0.0) && probe(/*weight_decay=*/0.01);
  return exact;
}

}  // namespace claimcheck::train
