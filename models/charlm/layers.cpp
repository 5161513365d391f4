// The orthogonal initialiser, FFN and the family base class (see layers.h); the init formulas
// are those of the _init_weights methods in model*.py of
// pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/layers.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace claimcheck::models::charlm {

torch::Tensor orthogonal_init(std::int64_t rows, std::int64_t cols, at::Generator& init) {
  // torch.nn.init.orthogonal_ written out: QR of a Gaussian matrix, tall side first.
  const bool wide = rows < cols;
  torch::Tensor a = torch::randn({rows, cols}, init);
  if (wide) a = a.t();
  auto [q, r] = at::linalg_qr(a);          // q (max, min) with orthonormal columns
  q = q * torch::diag(r, 0).sign();        // sign fix: unique, Haar-distributed
  return (wide ? q.t() : q).contiguous();  // (rows, cols)
}

torch::Tensor ForwardDropout::operator()(const torch::Tensor& x) const {
  if (generator_ == nullptr) return x;
  return dropout(x, p_, /*training=*/true, *generator_);
}

FfnImpl::FfnImpl(std::int64_t n_embd, std::int64_t hidden, Activation activation_kind,
                 FfnDropout dropout_where, at::Generator& init)
    : activation(activation_kind), where(dropout_where) {
  const FfnWidths w = ffn_widths(activation, n_embd, hidden);
  c_fc =
      register_module("c_fc", Linear(n_embd, w.fc, Bias::kLearned, Init::normal(kInitStd, init)));
  c_proj = register_module("c_proj",
                           Linear(w.hidden, n_embd, Bias::kLearned, Init::normal(kInitStd, init)));
}

torch::Tensor FfnImpl::forward(const torch::Tensor& x, const ForwardDropout& drop) {
  torch::Tensor h = activate(activation, c_fc(x));  // (B, T, fc) -> (B, T, hidden)
  if (where == FfnDropout::kHiddenAndOutput) h = drop(h);
  return drop(c_proj(h));  // (B, T, C)
}

ParameterGroups FamilyModel::parameter_groups() {
  const auto in = [](const std::vector<torch::Tensor>& list, const torch::Tensor& p) {
    for (const auto& t : list) {
      if (t.is_same(p)) return true;
    }
    return false;
  };
  ParameterGroups groups;
  for (const auto& p : parameters()) {
    if (in(embeddings_, p)) {
      groups.embeddings.push_back(p);
    } else if (in(head_, p)) {
      groups.head.push_back(p);
    } else {
      (p.dim() >= 2 ? groups.matrices : groups.vectors).push_back(p);
    }
  }
  return groups;
}

ForwardDropout FamilyModel::dropout_for(double p) {
  if (!is_training() || p == 0.0) return ForwardDropout();
  return ForwardDropout(p, generator());
}

void check_tokens(const torch::Tensor& idx, std::int64_t context, const char* model) {
  if (idx.dim() != 2 || idx.size(1) < 1 || idx.size(1) > context) {
    throw std::invalid_argument(std::string(model) + ": expects (B, T) token ids with 1 <= T <= " +
                                std::to_string(context) + ", got " + std::to_string(idx.dim()) +
                                "-D input of length " +
                                std::to_string(idx.dim() > 0 ? idx.size(-1) : 0));
  }
}

}  // namespace claimcheck::models::charlm
