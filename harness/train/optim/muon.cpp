#include "harness/train/optim/muon.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "harness/train/optim/newton_schulz.h"
#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {

MuonOptions read_muon_options(const nlohmann::json& options) {
  OptionReader reader("muon", options);
  MuonOptions out;
  const Interval unit = Interval::closed_open(0.0, 1.0);
  out.momentum = reader.number("momentum", out.momentum, unit);
  out.nesterov = reader.flag("nesterov", out.nesterov);
  out.ns_steps = reader.integer("ns_steps", out.ns_steps, 1, 20);
  out.weight_decay = reader.number("weight_decay", out.weight_decay, Interval::non_negative());
  out.embedding_lr = reader.number("embedding_lr", out.embedding_lr, Interval::positive());
  out.head_lr = reader.number("head_lr", out.head_lr, Interval::positive());
  out.vector_lr = reader.number("vector_lr", out.vector_lr, Interval::positive());
  out.adam_betas = reader.betas("adam_betas", out.adam_betas);
  out.adam_eps = reader.number("adam_eps", out.adam_eps, Interval::non_negative());
  out.adam_weight_decay =
      reader.number("adam_weight_decay", out.adam_weight_decay, Interval::non_negative());
  reader.finish();
  return out;
}

Muon::Muon(const models::ParameterGroups& groups, double lr, MuonOptions options)
    : matrices_(groups.matrices), all_(all_parameters(groups)), lr_(lr), options_(options) {
  check_learning_rate("muon", lr);
  for (const auto& m : matrices_) {
    if (m.dim() != 2) {
      throw std::invalid_argument(
          "optimizer 'muon': every tensor of the matrices group must be 2-D, got one with " +
          std::to_string(m.dim()) + " dims (put it in vectors or embeddings)");
    }
    momentum_.push_back(torch::zeros_like(m));
  }
  // One AdamW torch group per role, each with its own lr (empty roles are left out).
  std::vector<torch::optim::OptimizerParamGroup> adam_groups;
  std::vector<torch::optim::AdamWOptions> adam_options;
  const auto add = [&](const std::vector<torch::Tensor>& params, double group_lr) {
    if (params.empty()) return;
    torch::optim::AdamWOptions group_options(group_lr);
    group_options.betas(std::make_tuple(options_.adam_betas.b1, options_.adam_betas.b2))
        .eps(options_.adam_eps)
        .weight_decay(options_.adam_weight_decay);
    adam_options.push_back(group_options);
    adam_groups.emplace_back(params, std::make_unique<torch::optim::AdamWOptions>(group_options));
  };
  add(groups.embeddings, options_.embedding_lr);
  add(groups.head, options_.head_lr);
  add(groups.vectors, options_.vector_lr);
  if (!adam_groups.empty()) {
    adamw_ = std::make_unique<torch::optim::AdamW>(adam_groups,
                                                   torch::optim::AdamWOptions(options_.vector_lr));
    // LibTorch 2.x's Optimizer::add_param_group merges a group's options into the constructor's
    // defaults field by field, keeping only the values that differ from a default-constructed
    // AdamWOptions (OptimizerCloneableOptions::_merge_by_comparison, torch/optim/optimizer.h): a
    // head_lr of 1e-3 would silently become vector_lr. So every group gets its options again.
    for (std::size_t i = 0; i < adam_options.size(); ++i) {
      adamw_->param_groups()[i].set_options(
          std::make_unique<torch::optim::AdamWOptions>(adam_options[i]));
    }
  }
}

std::vector<torch::optim::AdamWOptions> Muon::adam_options() const {
  std::vector<torch::optim::AdamWOptions> out;
  if (!adamw_) return out;
  for (const auto& group : adamw_->param_groups())
    out.push_back(static_cast<const torch::optim::AdamWOptions&>(group.options()));
  return out;
}

void Muon::zero_grad() {
  zero_gradients(all_);
}

void Muon::step(const torch::Tensor& /*loss*/) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < matrices_.size(); ++i) {
    torch::Tensor& p = matrices_[i];
    const torch::Tensor& g = p.grad();
    if (!g.defined()) continue;
    torch::Tensor& buf = momentum_[i];
    buf.lerp_(g, 1.0 - options_.momentum);
    torch::Tensor update = options_.nesterov ? torch::lerp(g, buf, options_.momentum) : buf;
    update = newton_schulz5(update, options_.ns_steps);
    const double rows_per_col = static_cast<double>(p.size(0)) / static_cast<double>(p.size(1));
    update.mul_(std::sqrt(std::max(1.0, rows_per_col)));
    if (options_.weight_decay != 0.0) p.mul_(1.0 - lr_ * options_.weight_decay);
    p.add_(update.to(p.scalar_type()), -lr_);
  }
  if (adamw_) adamw_->step();
}

}  // namespace claimcheck::train::optim
