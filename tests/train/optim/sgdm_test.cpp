// SGDM with a pre-filled momentum buffer: the first step moves by the initial velocity as the
// source does (torch.optim.SGD(nesterov) after `state['momentum_buffer'] = randn_like(p)·0.1`),
// every step is bit-identical to LibTorch's SGD holding the same buffer, and the draw is
// reproducible from the generator's seed. The float64 reference path is checked with every other
// optimizer's in optimizer_test.cpp.
#include "harness/train/optim/sgdm.h"

#include <gtest/gtest.h>
#include <torch/optim/sgd.h>
#include <torch/torch.h>

#include <sstream>
#include <string>
#include <type_traits>

#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

using testing::cpu_generator;

// The key of a parameter in LibTorch's optimizer state map: the TensorImpl pointer itself since
// LibTorch 2.2, its printed address (what c10::guts::to_string wrote) in 1.13.
template <typename StateMap>
typename StateMap::key_type state_key(const StateMap& /*state*/, const torch::Tensor& p) {
  using Key = typename StateMap::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream address;
    address << p.unsafeGetTensorImpl();
    return address.str();
  } else {
    return static_cast<Key>(p.unsafeGetTensorImpl());
  }
}

struct SmallModel {
  std::vector<torch::Tensor> params;  // (3, 4) matrix, (4) vector
  models::ParameterGroups groups;
};

SmallModel make_small_model() {
  at::Generator g = cpu_generator(5);
  SmallModel s;
  s.params = {torch::randn({3, 4}, g).requires_grad_(true),
              torch::randn({4}, g).requires_grad_(true)};
  s.groups.matrices = {s.params[0]};
  s.groups.vectors = {s.params[1]};
  return s;
}

std::unique_ptr<Optimizer> make_sgdm(const SmallModel& s, const nlohmann::json& options, double lr,
                                     std::uint64_t seed) {
  at::Generator init = cpu_generator(seed);
  return make_optimizer({"sgdm", options}, lr, s.groups, init);
}

// PyTorch's SGD with a buffer that already exists: buf ← μ·buf + g; d = g + μ·buf; p ← p − lr·d.
// So the first step is p − lr·(g + μ·(μ·v0 + g)), and with g = 0 exactly −lr·μ²·v0.
TEST(Sgdm, FirstStepMovesByTheInitialVelocityAsTheSourceDoes) {
  SmallModel s = make_small_model();
  auto optimizer = make_sgdm(s, nlohmann::json::object(), /*lr=*/0.03, /*seed=*/42);
  const auto& sgdm = dynamic_cast<const Sgdm&>(*optimizer);
  const torch::Tensor v0_w = sgdm.velocity()[0].clone();
  const torch::Tensor v0_b = sgdm.velocity()[1].clone();
  const torch::Tensor w0 = s.params[0].detach().clone();
  const torch::Tensor b0 = s.params[1].detach().clone();
  at::Generator g = cpu_generator(6);
  const torch::Tensor grad_w = torch::randn({3, 4}, g);
  s.params[0].mutable_grad() = grad_w.clone();
  s.params[1].mutable_grad() = torch::zeros({4});
  optimizer->step(torch::zeros({}));
  const double lr = 0.03, mu = 0.95;
  // float32 rounding of a handful of ops: 1e-6 absolute on values of size ~1.
  EXPECT_TRUE(
      testing::AllClose(s.params[0], w0 - lr * (grad_w + mu * (mu * v0_w + grad_w)), 1e-6, 1e-6));
  EXPECT_TRUE(testing::AllClose(s.params[1] - b0, -lr * mu * mu * v0_b, 1e-7, 1e-5));
  EXPECT_GT(v0_b.abs().max().item<double>(), 0.0);  // the move is really the velocity's
}

TEST(Sgdm, EveryStepIsBitIdenticalToTorchSgdWithThePrefilledBuffer) {
  for (const bool nesterov : {true, false}) {
    SmallModel s = make_small_model();
    std::vector<torch::Tensor> theirs;
    for (const auto& p : s.params)
      theirs.push_back(p.detach().clone().requires_grad_(true));
    auto optimizer =
        make_sgdm(s, {{"nesterov", nesterov}, {"weight_decay", 0.01}}, /*lr=*/0.05, 42);
    const auto& velocity = dynamic_cast<const Sgdm&>(*optimizer).velocity();
    torch::optim::SGD torch_sgd(
        theirs,
        torch::optim::SGDOptions(0.05).momentum(0.95).nesterov(nesterov).weight_decay(0.01));
    // What the source does to torch.optim.SGD's state, through LibTorch's state map (keyed as
    // LibTorch 1.13's SGD::step looks it up).
    for (std::size_t k = 0; k < theirs.size(); ++k) {
      auto state = std::make_unique<torch::optim::SGDParamState>();
      state->momentum_buffer(velocity[k].clone());
      torch_sgd.state()[state_key(torch_sgd.state(), theirs[k])] = std::move(state);
    }
    at::Generator g = cpu_generator(8);
    EXPECT_TRUE(
        testing::StepsBitIdentically(*optimizer, s.params, torch_sgd, theirs, /*steps=*/5, g))
        << "nesterov " << nesterov;
  }
}

TEST(Sgdm, VelocityDrawIsReproducibleFromTheGeneratorSeed) {
  SmallModel s = make_small_model();
  const nlohmann::json options = {{"init_velocity_std", 0.2}};
  const auto velocity_of = [&](std::uint64_t seed) {
    auto optimizer = make_sgdm(s, options, 0.01, seed);
    return dynamic_cast<const Sgdm&>(*optimizer).velocity();
  };
  const auto a = velocity_of(7);
  const auto b = velocity_of(7);
  const auto c = velocity_of(8);
  // The draw is randn from the generator, in all_parameters() order, times the std.
  at::Generator fresh = cpu_generator(7);
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_TRUE(torch::equal(a[k], b[k])) << k;
    EXPECT_FALSE(torch::equal(a[k], c[k])) << k;
    EXPECT_TRUE(torch::equal(a[k], torch::randn(s.params[k].sizes(), fresh) * 0.2)) << k;
  }
}

// init_velocity_std = 0: zero buffers, which give exactly PyTorch's clone-on-first-step SGD.
TEST(Sgdm, ZeroVelocityIsPlainTorchSgd) {
  SmallModel s = make_small_model();
  std::vector<torch::Tensor> theirs;
  for (const auto& p : s.params)
    theirs.push_back(p.detach().clone().requires_grad_(true));
  auto optimizer = make_sgdm(s, {{"init_velocity_std", 0.0}}, 0.05, 1);
  torch::optim::SGD torch_sgd(theirs, torch::optim::SGDOptions(0.05).momentum(0.95).nesterov(true));
  at::Generator g = cpu_generator(9);
  EXPECT_TRUE(
      testing::StepsBitIdentically(*optimizer, s.params, torch_sgd, theirs, /*steps=*/4, g));
}

}  // namespace
}  // namespace claimcheck::train::optim
