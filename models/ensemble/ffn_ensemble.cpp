#include "models/ensemble/ffn_ensemble.h"

#include <torch/torch.h>

#include <stdexcept>

#include "models/ffn.h"

namespace claimcheck::models {

bool FfnEnsemble::supports(const std::string& type) {
  return type == "ffn-relu" || type == "ffn-geglu";
}

FfnEnsemble::FfnEnsemble(const std::string& type,
                         const std::vector<std::shared_ptr<Model>>& members)
    : geglu_(type == "ffn-geglu"), members_(static_cast<std::int64_t>(members.size())) {
  if (!supports(type) || members.empty()) {
    throw std::invalid_argument("FfnEnsemble: '" + type +
                                "' has no batched variant, or no members (valid: ffn-relu, "
                                "ffn-geglu)");
  }
  std::vector<std::vector<torch::Tensor>> by_weight;
  for (const auto& member : members) {
    // The batched forward and backward are written for exactly these two activations.
    const auto* ffn = dynamic_cast<const FfnClassifierImpl*>(member.get());
    const bool ok =
        ffn != nullptr && ffn->activation == (geglu_ ? Activation::kGeglu : Activation::kRelu);
    if (!ok) throw std::invalid_argument("FfnEnsemble: every member must be a '" + type + "'");
    const auto params = member->parameters();
    by_weight.resize(params.size());
    for (std::size_t k = 0; k < params.size(); ++k)
      by_weight[k].push_back(params[k].detach());
  }
  torch::NoGradGuard no_grad;
  for (const auto& w : by_weight) {
    weights_.push_back(torch::stack(w).contiguous());  // (E, rows, cols); throws on unequal shapes
    grads_.push_back(torch::zeros_like(weights_.back()));
  }
}

void FfnEnsemble::ensure_buffers(std::int64_t batch) {
  // Every step of one batch size reuses the same tensors (a step allocates nothing here).
  if (pre_.defined() && pre_.size(1) == batch) return;
  const std::int64_t hidden = weights_.front().size(2);
  const std::int64_t out = weights_.back().size(2);
  const auto options = weights_.front().options();
  pre_ = torch::empty({members_, batch, hidden}, options);
  logits_ = torch::empty({members_, batch, out}, options);
  grad_hidden_ = torch::empty({members_, batch, hidden}, options);
  if (geglu_) {
    gate_ = torch::empty_like(pre_);
    gate_act_ = torch::empty_like(pre_);
    hidden_ = torch::empty_like(pre_);
    grad_pre_ = torch::empty_like(pre_);
    grad_gate_in_ = torch::empty_like(pre_);
    grad_gate_ = torch::empty_like(pre_);
  }
}

const torch::Tensor& FfnEnsemble::forward(const torch::Tensor& x) {
  // As FfnClassifierImpl::forward with relu / geglu, per member.
  x_ = x;
  ensure_buffers(x.size(1));
  member_mm_out(pre_, x, weights_[0]);  // (E, B, h)
  if (geglu_) {
    member_mm_out(gate_, x, weights_[1]);
    at::gelu_out(gate_act_, gate_);  // exact erf GELU, as the standalone model
    at::mul_out(hidden_, pre_, gate_act_);
  } else {
    hidden_ = torch::relu(pre_);
  }
  member_mm_out(logits_, hidden_, weights_.back());  // (E, B, out)
  return logits_;
}

void FfnEnsemble::backward(const torch::Tensor& grad_logits) {
  // What autograd runs for the standalone graph (torch/csrc/autograd/FunctionsManual.cpp):
  // MmBackward: mat1.t().mm(grad) and grad.mm(mat2.t()); ReluBackward: threshold_backward(grad,
  // result, 0); MulBackward: grad * other; GeluBackward: gelu_backward(grad, self, "none").
  const torch::Tensor& w_out = weights_.back();
  member_mm_out(grads_.back(), hidden_.transpose(1, 2), grad_logits);  // (E, h, out)
  member_mm_out(grad_hidden_, grad_logits, w_out.transpose(1, 2));     // (E, B, h)
  const torch::Tensor x_t = x_.transpose(1, 2);                        // (E, in, B)
  if (geglu_) {
    at::mul_out(grad_pre_, grad_hidden_, gate_act_);
    at::mul_out(grad_gate_in_, grad_hidden_, pre_);
    at::gelu_backward_out(grad_gate_, grad_gate_in_, gate_, "none");
    member_mm_out(grads_[0], x_t, grad_pre_);  // (E, in, h)
    member_mm_out(grads_[1], x_t, grad_gate_);
  } else {
    const torch::Tensor grad_pre = at::threshold_backward(grad_hidden_, hidden_, 0);
    member_mm_out(grads_[0], x_t, grad_pre);
  }
}

void FfnEnsemble::copy_member(std::int64_t m, Model& model) const {
  torch::NoGradGuard no_grad;
  auto params = model.parameters();
  if (params.size() != weights_.size()) throw std::invalid_argument("FfnEnsemble: wrong model");
  for (std::size_t k = 0; k < params.size(); ++k)
    params[k].copy_(weights_[k][m]);
}

}  // namespace claimcheck::models
