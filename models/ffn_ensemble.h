// Batched variants of the claim-1 FFNs (models/ffn.h): E models of one type and shape, every
// weight stacked with a leading ensemble dimension (E, rows, cols), trained as one. Forward and
// backward are written out instead of left to autograd, so that each member's numbers are exactly
// those autograd computes for the standalone model: the same ATen kernels on the same per-member
// shapes and strides (a bmm is one BLAS gemm per member; log_softmax and the elementwise kernels
// never mix members). Not a registry type: the ensemble executor builds it from standalone
// members, so each member's initial weights are drawn exactly as when it trains alone.
// Shapes: x (E, B, in), hidden (E, B, h), logits (E, B, out).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/model.h"

namespace claimcheck::models {

/// ATen's bmm runs one BLAS gemm per batch member only when contraction·rows·cols >= 400
/// (ATen/native/LinearAlgebra.cpp, bmm_out_or_baddbmm_, 1.13 and 2.x); below that it uses its own
/// loop, whose sums differ from the gemm that mm() calls for a standalone model.
constexpr std::int64_t kBmmGemmMinProduct = 400;

/// a·b per member for a (E, n, k) and b (E, k, m), written into `out` (E, n, m): bit for bit the
/// standalone a[e].mm(b[e]) of each member (bmm, or one mm per member below the threshold).
void member_mm_out(torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b);

/// E FFNs of type "ffn-relu" or "ffn-geglu" as one batched model (CPU or CUDA tensors).
class FfnEnsemble {
 public:
  /// True for the types with a batched variant.
  static bool supports(const std::string& type);
  /// Stacks the members' weights (each a standalone model of `type`, equal shapes).
  FfnEnsemble(const std::string& type, const std::vector<std::shared_ptr<Model>>& members);

  std::int64_t members() const { return members_; }
  /// Logits (E, B, out) for x (E, B, in); keeps what backward() needs.
  torch::Tensor forward(const torch::Tensor& x);
  /// Writes d(loss)/d(weight) into grads() for d(loss)/d(logits) (E, B, out) of the last forward.
  void backward(const torch::Tensor& grad_logits);

  /// Stacked weights in each member's parameters() order (relu: w_in, w_out; geglu: w_in,
  /// w_gate, w_out), contiguous, updated in place by the optimizer; and their gradients.
  const std::vector<torch::Tensor>& weights() const { return weights_; }
  const std::vector<torch::Tensor>& grads() const { return grads_; }
  /// Copies member m's weights into `model` (a standalone model of the same type and shape).
  void copy_member(std::int64_t m, Model& model) const;

 private:
  bool geglu_ = false;
  std::int64_t members_ = 0;
  std::vector<torch::Tensor> weights_;
  std::vector<torch::Tensor> grads_;
  // Saved by forward(): the input, the pre-activations and the hidden layer.
  torch::Tensor x_, pre_, gate_, gate_act_, hidden_;
};

}  // namespace claimcheck::models
