// "adam" and "adamw": thin wrappers over torch::optim::Adam / torch::optim::AdamW, so their steps
// are bit-identical to LibTorch's (and, op for op, to torch.optim.Adam / AdamW). Every parameter
// group goes into one torch group with the given lr: these optimizers do not treat roles
// differently. Deliberately no amsgrad: no claim uses it.
//   adam:  betas [0.9, 0.999], eps 1e-8, weight_decay 0     (L2: added to the gradient)
//   adamw: betas [0.9, 0.999], eps 1e-8, weight_decay 0.01  (decoupled: p <- p·(1 - lr·wd))
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "harness/train/optim/optimizer.h"
#include "harness/train/optim/option_reader.h"

namespace claimcheck::train::optim {

/// Options shared by adam and adamw (defaults: torch's, except weight_decay per type).
struct AdamOptions {
  Betas betas{0.9, 0.999};    ///< "betas": [b1, b2], each in [0, 1)
  double eps = 1e-8;          ///< "eps": added to sqrt(v̂), >= 0
  double weight_decay = 0.0;  ///< "weight_decay": >= 0; adam's default 0, adamw's 0.01
};

/// Reads "adam" options; throws std::invalid_argument naming the bad option.
AdamOptions read_adam_options(const nlohmann::json& options);
/// Reads "adamw" options (weight_decay defaults to 0.01, as torch's AdamW).
AdamOptions read_adamw_options(const nlohmann::json& options);

/// torch::optim::Adam over every parameter of `groups`.
std::unique_ptr<Optimizer> make_adam(const AdamOptions& options, double lr,
                                     const models::ParameterGroups& groups);
/// torch::optim::AdamW over every parameter of `groups`.
std::unique_ptr<Optimizer> make_adamw(const AdamOptions& options, double lr,
                                      const models::ParameterGroups& groups);

}  // namespace claimcheck::train::optim
