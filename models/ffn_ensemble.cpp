#include "models/ffn_ensemble.h"

#include <torch/torch.h>

#include <stdexcept>

#include "models/ffn.h"

namespace claimcheck::models {

void member_mm_out(torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b) {
  if (a.size(2) * a.size(1) * b.size(2) >= kBmmGemmMinProduct) {
    at::bmm_out(out, a, b);
    return;
  }
  for (std::int64_t e = 0; e < a.size(0); ++e) {
    torch::Tensor r = out.select(0, e);
    at::mm_out(r, a.select(0, e), b.select(0, e));
  }
}

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
    const bool ok = geglu_ ? dynamic_cast<FfnGegluImpl*>(member.get()) != nullptr
                           : dynamic_cast<FfnReluImpl*>(member.get()) != nullptr;
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

torch::Tensor FfnEnsemble::forward(const torch::Tensor& x) {
  // As FfnReluImpl / FfnGegluImpl::forward, per member.
  x_ = x;
  const std::int64_t hidden = weights_.front().size(2);
  const auto options = x.options();
  pre_ = torch::empty({members_, x.size(1), hidden}, options);
  member_mm_out(pre_, x, weights_[0]);  // (E, B, h)
  if (geglu_) {
    gate_ = torch::empty_like(pre_);
    member_mm_out(gate_, x, weights_[1]);
    gate_act_ = torch::gelu(gate_);  // exact erf GELU, as the standalone model
    hidden_ = pre_ * gate_act_;
  } else {
    hidden_ = torch::relu(pre_);
  }
  const torch::Tensor& w_out = weights_.back();
  torch::Tensor logits = torch::empty({members_, x.size(1), w_out.size(2)}, options);
  member_mm_out(logits, hidden_, w_out);  // (E, B, out)
  return logits;
}

void FfnEnsemble::backward(const torch::Tensor& grad_logits) {
  // What autograd runs for the standalone graph (torch/csrc/autograd/FunctionsManual.cpp):
  // MmBackward: mat1.t().mm(grad) and grad.mm(mat2.t()); ReluBackward: threshold_backward(grad,
  // result, 0); MulBackward: grad * other; GeluBackward: gelu_backward(grad, self, "none").
  const torch::Tensor& w_out = weights_.back();
  member_mm_out(grads_.back(), hidden_.transpose(1, 2), grad_logits);  // (E, h, out)
  torch::Tensor grad_hidden = torch::empty_like(hidden_);
  member_mm_out(grad_hidden, grad_logits, w_out.transpose(1, 2));  // (E, B, h)
  const torch::Tensor x_t = x_.transpose(1, 2);                    // (E, in, B)
  if (geglu_) {
    const torch::Tensor grad_pre = grad_hidden * gate_act_;
    const torch::Tensor grad_gate = at::gelu_backward(grad_hidden * pre_, gate_, "none");
    member_mm_out(grads_[0], x_t, grad_pre);  // (E, in, h)
    member_mm_out(grads_[1], x_t, grad_gate);
  } else {
    const torch::Tensor grad_pre = at::threshold_backward(grad_hidden, hidden_, 0);
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
