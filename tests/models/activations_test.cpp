// The activations of claim activation-reproducibility (models/activations.h): known values,
// SmeLU against its piecewise definition (Shamir et al., arXiv 2010.09931, eq. 1) and its C¹
// continuity at ±β, SwiGLU's gate/value split, and the FFN sizing rules of the two SwiGLU forms.
#include "models/activations.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <vector>

namespace claimcheck::models {
namespace {

// The definition, in double precision, as a scalar reference.
double smelu_reference(double x, double beta) {
  if (x <= -beta) return 0.0;
  if (x >= beta) return x;
  return (x + beta) * (x + beta) / (4.0 * beta);
}

double value_at(Activation a, double x) {
  return activate(a, torch::tensor({x}, torch::kFloat64)).item<double>();
}

// d/dx of the activation at x, by autograd in float64.
double slope_at(Activation a, double x) {
  torch::Tensor t = torch::tensor({x}, torch::dtype(torch::kFloat64).requires_grad(true));
  activate(a, t).sum().backward();
  return t.grad().item<double>();
}

TEST(Activations, KnownValues) {
  // Reference values: Φ(1) = 0.841344746068543 (erf table), σ(1) = 0.731058578630005.
  constexpr double kTol = 1e-12;  // float64 evaluation of closed forms
  EXPECT_EQ(value_at(Activation::kRelu, -1.0), 0.0);
  EXPECT_EQ(value_at(Activation::kRelu, 2.0), 2.0);
  EXPECT_NEAR(value_at(Activation::kGelu, 1.0), 0.841344746068543, kTol);
  EXPECT_NEAR(value_at(Activation::kGelu, -1.0), -0.158655253931457, kTol);
  EXPECT_NEAR(value_at(Activation::kSwish, 1.0), 0.731058578630005, kTol);
  EXPECT_NEAR(value_at(Activation::kSwish, -1.0), -0.268941421369995, kTol);
  EXPECT_NEAR(value_at(Activation::kSmelu05, 0.0), 0.125, kTol);  // β/4
  EXPECT_NEAR(value_at(Activation::kSmelu10, 0.0), 0.25, kTol);
  EXPECT_NEAR(value_at(Activation::kSmelu10, 0.5), 0.5625, kTol);  // 1.5²/4
  EXPECT_EQ(value_at(Activation::kSmelu05, -0.7), 0.0);
  EXPECT_EQ(value_at(Activation::kSmelu05, 0.7), 0.7);
  // GELU is the exact erf form, not the tanh approximation (which gives 0.841191990 at 1).
  EXPECT_GT(std::abs(value_at(Activation::kGelu, 1.0) - 0.841191990), 1e-4);
}

TEST(Activations, SmeluMatchesThePiecewiseDefinition) {
  for (const double beta : {0.5, 1.0}) {
    const Activation a = beta == 0.5 ? Activation::kSmelu05 : Activation::kSmelu10;
    const torch::Tensor x = torch::linspace(-3.0, 3.0, 1201, torch::kFloat64);  // step 0.005
    const torch::Tensor y = activate(a, x);
    for (std::int64_t i = 0; i < x.size(0); ++i) {
      const double xi = x[i].item<double>();
      ASSERT_NEAR(y[i].item<double>(), smelu_reference(xi, beta), 1e-15) << "x = " << xi;
    }
    // float32, as the models use it: same values to float32 rounding.
    const torch::Tensor y32 = activate(a, x.to(torch::kFloat32)).to(torch::kFloat64);
    EXPECT_TRUE(torch::allclose(y32, y, /*rtol=*/1e-6, /*atol=*/1e-7));
  }
}

TEST(Activations, SmeluIsContinuousWithContinuousSlopeAtPlusMinusBeta) {
  constexpr double kEps = 1e-9;  // the quadratic's slope changes by 1/(2β)·ε across ±β ± ε
  for (const double beta : {0.5, 1.0}) {
    const Activation a = beta == 0.5 ? Activation::kSmelu05 : Activation::kSmelu10;
    // Exact values at the joints: 0 at −β, β at +β.
    EXPECT_EQ(value_at(a, -beta), 0.0);
    EXPECT_EQ(value_at(a, beta), beta);
    for (const double joint : {-beta, beta}) {
      const double left = value_at(a, joint - kEps), right = value_at(a, joint + kEps);
      EXPECT_NEAR(left, right, 4 * kEps) << "value jumps at " << joint;
      const double slope_left = slope_at(a, joint - kEps), slope_right = slope_at(a, joint + kEps);
      EXPECT_NEAR(slope_left, slope_right, 1e-8) << "slope jumps at " << joint;
      // The one-sided slopes are those of the outer pieces: 0 at −β, 1 at +β.
      EXPECT_NEAR(slope_right, joint < 0 ? 0.0 : 1.0, 1e-8);
    }
  }
  // A control that the check can fail: ReLU's slope jumps from 0 to 1 at 0.
  EXPECT_NEAR(slope_at(Activation::kRelu, 1e-9) - slope_at(Activation::kRelu, -1e-9), 1.0, 1e-12);
}

TEST(Activations, SwigluGatesTheSecondHalfWithTheFirst) {
  const torch::Tensor x = torch::tensor({1.0, -1.0, 2.0, 3.0}, torch::kFloat64);  // gate | value
  const torch::Tensor y = activate(Activation::kSwiglu, x);
  ASSERT_EQ(y.size(0), 2);
  EXPECT_NEAR(y[0].item<double>(), 0.731058578630005 * 2.0, 1e-12);   // silu(1)·2
  EXPECT_NEAR(y[1].item<double>(), -0.268941421369995 * 3.0, 1e-12);  // silu(−1)·3
  EXPECT_TRUE(torch::equal(activate(Activation::kSwigluMatched, x), y));
  EXPECT_TRUE(is_gated(Activation::kSwiglu));
  EXPECT_FALSE(is_gated(Activation::kSmelu10));
}

TEST(Activations, Relu2AndGegluKnownValues) {
  // Φ(1) = 0.841344746068543 (erf table): gelu(1) = Φ(1), gelu(−1) = −(1 − Φ(1)).
  EXPECT_EQ(value_at(Activation::kRelu2, 3.0), 9.0);
  EXPECT_EQ(value_at(Activation::kRelu2, -3.0), 0.0);
  const torch::Tensor x = torch::tensor({1.0, -1.0, 2.0, 3.0}, torch::kFloat64);  // gate | value
  const torch::Tensor y = activate(Activation::kGeglu, x);
  ASSERT_EQ(y.size(0), 2);
  EXPECT_NEAR(y[0].item<double>(), 0.841344746068543 * 2.0, 1e-12);
  EXPECT_NEAR(y[1].item<double>(), -0.158655253931457 * 3.0, 1e-12);
  EXPECT_TRUE(is_gated(Activation::kGeglu));
  EXPECT_FALSE(is_gated(Activation::kRelu2));
}

TEST(Activations, GatedOnSeparateProjectionsEqualsTheSplitForm) {
  const torch::Tensor gate = torch::tensor({0.5, -2.0}, torch::kFloat64);
  const torch::Tensor value = torch::tensor({3.0, 0.25}, torch::kFloat64);
  for (const Activation a : {Activation::kGeglu, Activation::kSwiglu, Activation::kSwigluMatched}) {
    EXPECT_TRUE(torch::equal(gated(a, gate, value), activate(a, torch::cat({gate, value}))))
        << to_string(a);
  }
  EXPECT_THROW(gated(Activation::kGelu, gate, value), std::invalid_argument);
}

TEST(Activations, NamesRoundTripAndUnknownNamesListTheValidOnes) {
  for (const auto& name : activation_names())
    EXPECT_EQ(to_string(activation_from_name(name)), name);
  try {
    activation_from_name("smelu");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("smelu-0.5, smelu-1.0"), std::string::npos) << e.what();
    // The registry's error: every name, sorted.
    EXPECT_EQ(std::string(e.what()),
              "unknown activation 'smelu' (valid: geglu, gelu, relu, relu2, smelu-0.5, smelu-1.0, "
              "swiglu, swiglu-matched, swish)");
  }
}

TEST(Activations, SwigluSizingRules) {
  // Source-size CharLM FFN, C = 128, H = 4C = 512 (CLAIMS.md §4):
  EXPECT_EQ(ffn_parameter_count(Activation::kRelu, 128, 512), 131712);    // 2·128·512 + 512 + 128
  EXPECT_EQ(ffn_parameter_count(Activation::kSwiglu, 128, 512), 197760);  // C→8C, 4C→C: +50%
  EXPECT_EQ(swiglu_matched_hidden(128, 512), 341);
  EXPECT_EQ(ffn_parameter_count(Activation::kSwigluMatched, 128, 512), 131754);  // +0.03%
  // The matched width is the best integer: no neighbour is closer to the elementwise count.
  for (const std::int64_t C : {16, 32, 64, 100, 128, 384}) {
    for (const std::int64_t H : std::vector<std::int64_t>{2 * C, 4 * C, 7}) {
      const std::int64_t target = ffn_parameter_count(Activation::kRelu, C, H);
      const auto gated_count = [C](std::int64_t h) { return (3 * C + 2) * h + C; };
      const std::int64_t h = swiglu_matched_hidden(C, H);
      EXPECT_EQ(ffn_parameter_count(Activation::kSwigluMatched, C, H), gated_count(h));
      EXPECT_LE(std::abs(gated_count(h) - target), std::abs(gated_count(h + 1) - target));
      if (h > 1) {
        EXPECT_LE(std::abs(gated_count(h) - target), std::abs(gated_count(h - 1) - target));
      }
    }
  }
}

}  // namespace
}  // namespace claimcheck::models
