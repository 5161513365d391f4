// Batched variants of the claim-1 FFNs (models/ffn.h): E models of one type and shape, every
// weight stacked with a leading ensemble dimension (E, rows, cols), trained as one. Forward and
// backward are written out instead of left to autograd, so that each member's numbers are exactly
// those autograd computes for the standalone model: the same kernels on the same per-member
// shapes and strides (member_gemm.h: each product is the sgemm_ call mm() makes for the member
// alone; log_softmax and the elementwise kernels never mix members). Not a registry type: the
// ensemble executor builds it from standalone members, so each member's initial weights are drawn
// exactly as when it trains alone. Shapes: x (E, B, in), hidden (E, B, h), logits (E, B, out).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/ensemble/member_gemm.h"
#include "models/model.h"

namespace claimcheck::models {

/// E FFNs of type "ffn-relu" or "ffn-geglu" as one batched model (CPU or CUDA tensors). The
/// generic "ffn" type has no batched variant, even with activation relu or geglu: the harness
/// groups runs by type name, and a generic FFN trains alone (the plain path).
class FfnEnsemble {
 public:
  /// True for the types with a batched variant.
  static bool supports(const std::string& type);
  /// Stacks the members' weights (each a standalone model of `type`, equal shapes).
  FfnEnsemble(const std::string& type, const std::vector<std::shared_ptr<Model>>& members);

  std::int64_t members() const { return members_; }
  /// Logits (E, B, out) for x (E, B, in); keeps what backward() needs. The logits live in a
  /// buffer the next forward() overwrites.
  const torch::Tensor& forward(const torch::Tensor& x);
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
  void ensure_buffers(std::int64_t batch);
  // Saved by forward(): the input, the pre-activations and the hidden layer; then the logits and
  // backward()'s intermediates. Allocated once per batch size.
  torch::Tensor x_, pre_, gate_, gate_act_, hidden_, logits_;
  torch::Tensor grad_hidden_, grad_pre_, grad_gate_in_, grad_gate_;
};

}  // namespace claimcheck::models
