#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {

std::vector<torch::Tensor> all_parameters(const models::ParameterGroups& groups) {
  std::vector<torch::Tensor> all;
  for (const auto* group : {&groups.matrices, &groups.embeddings, &groups.head, &groups.vectors}) {
    all.insert(all.end(), group->begin(), group->end());
  }
  return all;
}

std::int64_t element_count(const std::vector<torch::Tensor>& params) {
  std::int64_t n = 0;
  for (const auto& p : params)
    n += p.numel();
  return n;
}

void zero_gradients(const std::vector<torch::Tensor>& params) {
  for (auto p : params) {
    if (p.mutable_grad().defined()) {
      p.mutable_grad().detach_();
      p.mutable_grad().zero_();
    }
  }
}

}  // namespace claimcheck::train::optim
