// The registry's contract: the type list, errors that name the bad type or option (without
// building anything), and every type building and descending the toy objective.
#include "harness/train/optim/optimizer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

using testing::cpu_generator;

std::string validation_error(const std::string& type, const nlohmann::json& options) {
  try {
    validate_optimizer({type, options});
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, ListsEveryTypeSorted) {
  EXPECT_EQ(optimizer_types(),
            (std::vector<std::string>{"adam", "adamw", "ecd", "muon", "sgdm", "soap"}));
}

TEST(Registry, UnknownTypeListsTheValidTypes) {
  const std::string message = validation_error("lion", nlohmann::json::object());
  EXPECT_NE(message.find("unknown optimizer type 'lion'"), std::string::npos) << message;
  EXPECT_NE(message.find("adam, adamw, ecd, muon, sgdm, soap"), std::string::npos) << message;
}

TEST(Registry, DefaultOptionsAreValidForEveryType) {
  for (const auto& type : optimizer_types()) {
    EXPECT_NO_THROW(validate_optimizer({type, nlohmann::json::object()})) << type;
  }
}

// One bad option per row: the error names the optimizer and the option.
struct BadOption {
  std::string type;
  nlohmann::json options;
  std::string key;
};

TEST(Registry, EachBadOptionGivesAnErrorNamingIt) {
  const std::vector<BadOption> cases = {
      {"adam", {{"betas", {0.9, 1.0}}}, "betas"},
      {"adam", {{"eps", -1.0}}, "eps"},
      {"adamw", {{"weight_decay", "0.1"}}, "weight_decay"},
      {"adamw", {{"amsgrad", true}}, "amsgrad"},  // unknown key
      {"muon", {{"momentum", 1.0}}, "momentum"},
      {"muon", {{"nesterov", 1}}, "nesterov"},
      {"muon", {{"ns_steps", 0}}, "ns_steps"},
      {"muon", {{"weight_decay", -0.1}}, "weight_decay"},
      {"muon", {{"embedding_lr", 0.0}}, "embedding_lr"},
      {"muon", {{"head_lr", -1.0}}, "head_lr"},
      {"muon", {{"vector_lr", nullptr}}, "vector_lr"},
      {"muon", {{"adam_betas", {0.8}}}, "adam_betas"},
      {"muon", {{"adam_eps", -1e-10}}, "adam_eps"},
      {"muon", {{"adam_weight_decay", -1.0}}, "adam_weight_decay"},
      {"sgdm", {{"momentum", -0.5}}, "momentum"},
      {"sgdm", {{"momentum", 0.0}}, "nesterov"},  // Nesterov needs momentum
      {"sgdm", {{"init_velocity_std", -0.1}}, "init_velocity_std"},
      {"sgdm", {{"weight_decay", -1.0}}, "weight_decay"},
      {"ecd", {{"eta", 0.0}}, "eta"},
      {"ecd", {{"F0", "2"}}, "F0"},
      {"ecd", {{"nu", 0.1}}, "nu"},
      {"ecd", {{"eps", -1.0}}, "eps"},
      {"ecd", {{"f0", 2.0}}, "f0"},  // unknown key: the spelling is "F0"
      {"soap", {{"betas", {0.95, -0.1}}}, "betas"},
      {"soap", {{"shampoo_beta", 1.0}}, "shampoo_beta"},
      {"soap", {{"eps", -1.0}}, "eps"},
      {"soap", {{"weight_decay", -0.01}}, "weight_decay"},
      {"soap", {{"precondition_frequency", 0}}, "precondition_frequency"},
      {"soap", {{"max_precond_dim", 2.5}}, "max_precond_dim"},
  };
  for (const auto& c : cases) {
    const std::string message = validation_error(c.type, c.options);
    const std::string want = "optimizer '" + c.type + "'";
    EXPECT_NE(message.find(want), std::string::npos)
        << c.type << " " << c.options << ": " << message;
    EXPECT_NE(message.find("'" + c.key + "'"), std::string::npos)
        << c.type << " " << c.options << ": " << message;
  }
}

TEST(Registry, NonZeroNuIsRejectedWithAClearMessage) {
  const std::string message = validation_error("ecd", {{"nu", 0.1}});
  EXPECT_NE(message.find("only the noise-free variant (nu = 0)"), std::string::npos) << message;
}

TEST(Registry, MakeRejectsBadOptionsAndLearningRates) {
  const auto& c = testing::reference_case("adam_l2");
  const auto problem = testing::load_problem(c, torch::kFloat32);
  at::Generator init = cpu_generator(0);
  for (const auto& type : optimizer_types()) {
    EXPECT_THROW(make_optimizer({type, {{"typo", 1}}}, 0.1, problem.groups, init),
                 std::invalid_argument)
        << type;
    EXPECT_THROW(make_optimizer({type, nlohmann::json::object()}, 0.0, problem.groups, init),
                 std::invalid_argument)
        << type;
  }
}

// Every type, at its default options and a workable lr, lowers the toy objective of a reference
// case within 40 steps (a smoke test that each one is wired to step the right tensors).
TEST(Registry, EveryTypeDescendsTheToyObjective) {
  const std::vector<std::pair<std::string, double>> runs = {{"adam", 0.05}, {"adamw", 0.05},
                                                            {"ecd", 1.0},   {"muon", 0.02},
                                                            {"sgdm", 0.01}, {"soap", 0.05}};
  const auto& c = testing::reference_case("muon");  // all four roles present, offset 0
  for (const auto& [type, lr] : runs) {
    auto problem = testing::load_problem(c, torch::kFloat32);
    problem.offset = 3.0;  // keeps ECD's F above its default F0 = 2
    at::Generator init = cpu_generator(1);
    auto optimizer = make_optimizer({type, nlohmann::json::object()}, lr, problem.groups, init);
    const double before = problem.loss().item<double>();
    for (int step = 0; step < 40; ++step) {
      optimizer->zero_grad();
      const torch::Tensor loss = problem.loss();
      loss.backward();
      optimizer->step(loss.detach());
    }
    EXPECT_LT(problem.loss().item<double>(), 0.9 * before) << type;
  }
}

}  // namespace
}  // namespace claimcheck::train::optim
