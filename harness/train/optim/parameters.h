// Small helpers every optimizer shares: one flat parameter list from the role groups, in a fixed
// order (SGDM draws its initial velocity in this order, so the order is part of a run's
// reproducibility), and LibTorch 1.13's zero_grad semantics for the optimizers written here.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "models/model.h"

namespace claimcheck::train::optim {

/// Every parameter of `groups`, in the order matrices, embeddings, head, vectors.
std::vector<torch::Tensor> all_parameters(const models::ParameterGroups& groups);

/// The number of scalars in `params`.
std::int64_t element_count(const std::vector<torch::Tensor>& params);

/// Zeroes every defined gradient in place, as torch::optim::Optimizer::zero_grad does in 1.13.
void zero_gradients(const std::vector<torch::Tensor>& params);

}  // namespace claimcheck::train::optim
