// The registry's contract: the type list, errors that name the bad type or option (without
// building anything), every type building and descending the toy objective, and every type
// following its float64 reference (reference/optim_reference.py) step by step.
#include "harness/train/optim/optimizer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cctype>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "harness/train/optim/parameters.h"
#include "harness/train/optim/sgdm.h"
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

// ---- Every optimizer against its float64 reference ----

// How a reference case's optimizer is built.
enum class Build {
  kRegistry,                   ///< make_optimizer(type, lr, options): what a claim trains with
  kSgdmWithReferenceVelocity,  ///< Sgdm holding the case's initial_velocity (numpy draws, which
                               ///< no generator seed reproduces)
};

// One case of reference/optim_reference.json: how its optimizer is built and the tolerance
// (atol, rtol) of each dtype's run, chosen as the comments in kReferenceChecks say. The observed
// errors are in the test report (FollowsReference records them).
struct ReferenceCheck {
  std::string name;  ///< the case's "name" in optim_reference.json
  testing::Tolerance float64;
  testing::Tolerance float32;
  Build build = Build::kRegistry;
};

void PrintTo(const ReferenceCheck& check, std::ostream* out) {
  *out << check.name;
}

const std::vector<ReferenceCheck> kReferenceChecks = {
    // adam / adamw: float64 runs repeat the reference's arithmetic up to operation order,
    // observed ≤ 1.1e-16, allowed 1e-12. float32 runs carry float32 rounding through six
    // normalised Adam steps, observed ≤ 2.5e-7 on values of a few units, allowed 1e-5.
    {"adam_l2", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    {"adamw", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    // sgdm: the reference's velocities are numpy draws, so these runs build Sgdm directly with
    // them. float64 observed ≤ 4.4e-16, allowed 1e-12; float32 observed ≤ 2.6e-7 over 6 steps on
    // values of a few units, allowed 1e-5.
    {"sgdm_nesterov",
     {/*atol=*/1e-12, /*rtol=*/1e-12},
     {/*atol=*/1e-5, /*rtol=*/1e-5},
     Build::kSgdmWithReferenceVelocity},
    {"sgdm_plain_wd",
     {/*atol=*/1e-12, /*rtol=*/1e-12},
     {/*atol=*/1e-5, /*rtol=*/1e-5},
     Build::kSgdmWithReferenceVelocity},
    // muon (KellerJordan/Muon muon_update + AdamW on the other roles): float64 runs agree with
    // numpy to rounding, observed ≤ 2.2e-16, allowed 1e-12 (Newton–Schulz amplifies errors at
    // most ~3.4⁵ ≈ 490). float32 runs carry float32 rounding through NS5 and Adam's
    // normalisation, observed ≤ 5.4e-7, allowed 1e-5.
    {"muon", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    {"muon_plain_momentum", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    // ecd (ECD_q1_scaled.step line by line): float64 runs repeat the source's arithmetic up to
    // operation order (the velocity is renormalised at the end of a step instead of the start of
    // the next), observed ≤ 1.1e-16, allowed 1e-12. float32: observed ≤ 1.4e-7, allowed 1e-5
    // (the 1/(F − F0) factor is well conditioned here: F − F0 ≥ 7).
    {"ecd", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    {"ecd_defaults", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/1e-5, /*rtol=*/1e-5}},
    // soap (nikhilvyas/SOAP f42d296 line by line, refreshing every step and every 10): float64
    // runs differ from numpy only in LAPACK call order and the m-basis bookkeeping (equal in
    // exact arithmetic), observed ≤ 8.9e-16, allowed 1e-12. float32 runs carry eigh/QR rounding
    // of the bases into Adam's sign-like first update (size lr·√(1−β₂)/(1−β₁) ≈ 4.5·lr): observed
    // ≤ 2.5e-6, allowed 2e-5 (LAPACK builds differ in float32 rounding, hence the wider margin
    // than elsewhere).
    {"soap_refresh_every_step", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/2e-5, /*rtol=*/2e-5}},
    {"soap_refresh_every_10", {/*atol=*/1e-12, /*rtol=*/1e-12}, {/*atol=*/2e-5, /*rtol=*/2e-5}},
};

std::unique_ptr<Optimizer> make_checked_optimizer(const ReferenceCheck& check,
                                                  const nlohmann::json& reference,
                                                  const testing::ReferenceProblem& problem) {
  switch (check.build) {
    case Build::kRegistry:
      return testing::make_reference_optimizer(reference, problem);
    case Build::kSgdmWithReferenceVelocity:
      return std::make_unique<Sgdm>(all_parameters(problem.groups),
                                    reference.at("lr").get<double>(),
                                    read_sgdm_options(reference.at("options")),
                                    testing::to_tensors(reference.at("initial_velocity"),
                                                        problem.params.front().scalar_type()));
  }
  throw std::logic_error("unhandled Build");
}

class OptimizerReference
    : public ::testing::TestWithParam<std::tuple<ReferenceCheck, torch::Dtype>> {};

// The loss before and every parameter after each of the case's steps, within the row's tolerance.
TEST_P(OptimizerReference, MatchesTheFloat64Reference) {
  const auto& [check, dtype] = GetParam();
  const auto& reference = testing::reference_case(check.name);
  auto problem = testing::load_problem(reference, dtype);
  const auto optimizer = make_checked_optimizer(check, reference, problem);
  const testing::Tolerance tolerance = dtype == torch::kFloat64 ? check.float64 : check.float32;
  EXPECT_TRUE(testing::FollowsReference(reference, problem, *optimizer, tolerance));
}

// "soap_refresh_every_10" and float32 -> "SoapRefreshEvery10Float32".
std::string case_label(const ::testing::TestParamInfo<OptimizerReference::ParamType>& info) {
  const auto& [check, dtype] = info.param;
  std::string label;
  bool upper = true;
  for (const char ch : check.name) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    label += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return label + (dtype == torch::kFloat64 ? "Float64" : "Float32");
}

INSTANTIATE_TEST_SUITE_P(EveryOptimizer, OptimizerReference,
                         ::testing::Combine(::testing::ValuesIn(kReferenceChecks),
                                            ::testing::Values(torch::kFloat64, torch::kFloat32)),
                         case_label);

// No case of optim_reference.json goes unchecked, and every registry type has one.
TEST(OptimizerReference, EveryCaseAndEveryTypeIsChecked) {
  std::vector<std::string> checked;
  for (const auto& check : kReferenceChecks)
    checked.push_back(check.name);
  EXPECT_EQ(checked, testing::reference_case_names());
  for (const auto& type : optimizer_types()) {
    bool found = false;
    for (const auto& check : kReferenceChecks)
      found = found || testing::reference_case(check.name).at("type") == type;
    EXPECT_TRUE(found) << "no reference case for optimizer type '" << type << "'";
  }
}

}  // namespace
}  // namespace claimcheck::train::optim
