// Prediction difference against explicit loops in generate_reference.py (8 models, 7 inputs,
// 3 classes, Dirichlet probabilities): per pair, mean over pairs, leave-one-model-out jackknife
// recomputed from predictions, and the exact seed-level permutation test over all C(8, 4) splits.
#include "harness/stats/prediction_difference.h"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "harness/stats/pd_inference.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

// Sums of a few dozen terms in another order (and t quantiles from Boost vs cephes): ~1e-15;
// 1e-12 is generous, a wrong measure or pair set is off by >= 1e-3.
constexpr double kTol = 1e-12;

std::vector<ProbMatrix> models() {
  std::vector<ProbMatrix> out;
  for (const auto& m : reference()["prediction_difference"]["models"]) {
    ProbMatrix p;
    p.rows = m.size();
    p.cols = m[0].size();
    for (const auto& row : m) {
      for (const auto& v : row)
        p.p.push_back(v.get<double>());
    }
    out.push_back(p);
  }
  return out;
}

std::vector<std::int64_t> labels() {
  return reference()["prediction_difference"]["labels"].get<std::vector<std::int64_t>>();
}

TEST(PredictionDifference, MeasuresMatchReference) {
  const auto all = models();
  const std::vector<ProbMatrix> first4(all.begin(), all.begin() + 4);
  for (const auto& [name, e] : reference()["prediction_difference"]["measures"].items()) {
    const PdMeasure measure = pd_measure_from_string(name);
    EXPECT_TRUE(Near(prediction_difference(all[0], all[1], measure, labels()),
                     e["pair01"].get<double>(), kTol, kTol))
        << name;
    const PairwiseDifferences pd = pairwise_prediction_differences(first4, measure, labels());
    EXPECT_TRUE(Near(mean_over_pairs(pd), e["mean_first4"].get<double>(), kTol, kTol)) << name;
    const PdJackknifeCi jk = pd_jackknife_ci(pd);
    EXPECT_TRUE(Near(jk.standard_error, e["jackknife_se_first4"].get<double>(), kTol, kTol));
    EXPECT_TRUE(Near(jk.lo, e["jackknife_ci95_first4"][0].get<double>(), kTol, kTol)) << name;
    EXPECT_TRUE(Near(jk.hi, e["jackknife_ci95_first4"][1].get<double>(), kTol, kTol)) << name;
  }
}

TEST(PredictionDifference, PermutationMatchesExactEnumeration) {
  const auto all = models();
  const std::vector<ProbMatrix> a(all.begin(), all.begin() + 4), b(all.begin() + 4, all.end());
  for (const auto& [name, e] : reference()["prediction_difference"]["measures"].items()) {
    for (const char* alt : {"two-sided", "greater", "less"}) {
      PermutationOptions opt;
      opt.alternative = alternative_from_string(alt);
      const PermutationResult r =
          pd_permutation_test(a, b, pd_measure_from_string(name), labels(), opt);
      EXPECT_TRUE(r.exact);
      EXPECT_EQ(r.arrangements, 70);
      EXPECT_TRUE(Near(r.statistic, e["permutation_statistic"].get<double>(), kTol, kTol));
      EXPECT_TRUE(Near(r.p, e["permutation_p"][alt].get<double>(), 1e-15, 0)) << name << alt;
    }
  }
}

TEST(PredictionDifference, PermutationSampledWhenSplitsAreMany) {
  // 2 x 9 models: C(18, 9) = 48,620 splits > 9,999, so random splits and (b+1)/(B+1).
  PairwiseDifferences pd{18, std::vector<double>(18 * 18, 0.0)};
  for (std::size_t i = 0; i < 18; ++i) {
    for (std::size_t j = 0; j < 18; ++j) {
      if (i != j) pd.d[i * 18 + j] = (i < 9 && j < 9) ? 0.3 : 0.1;  // group A far more diverse
    }
  }
  PermutationOptions opt;
  opt.alternative = Alternative::kGreater;
  const PermutationResult r = pd_permutation_test(pd, 9, opt);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.arrangements, 9999);
  // Only the observed split (and none of B random ones, each with chance 1/48,620) is as extreme.
  EXPECT_LT(r.p, 5.0 / 10000.0);
  EXPECT_GT(r.p, 0.0);
}

TEST(PredictionDifference, TopOneTieTakesFirstMaximum) {
  // Model 2, input 4 is [0.4, 0.4, 0.2]: argmax 0. Against a one-hot class-1 model: disagree.
  ProbMatrix tie{1, 3, {0.4, 0.4, 0.2}}, one{1, 3, {0.0, 1.0, 0.0}}, zero{1, 3, {1.0, 0.0, 0.0}};
  EXPECT_EQ(prediction_difference(tie, one, PdMeasure::kTopOne), 1.0);
  EXPECT_EQ(prediction_difference(tie, zero, PdMeasure::kTopOne), 0.0);
  EXPECT_DOUBLE_EQ(prediction_difference(tie, one, PdMeasure::kTotalVariation), 0.6);
}

TEST(PredictionDifference, RelativeMatchesReference) {
  const auto& ref = reference()["prediction_difference"]["relative"];
  std::vector<std::vector<double>> probs;
  for (const auto& p : ref["probs"])
    probs.push_back(numbers(p));
  EXPECT_TRUE(Near(relative_prediction_difference(probs[0], probs[1]), ref["pair01"].get<double>(),
                   kTol, kTol));
  EXPECT_TRUE(Near(mean_over_pairs(pairwise_relative_differences(probs)), ref["mean"].get<double>(),
                   kTol, kTol));
}

TEST(PredictionDifference, BootstrapNeverPairsAModelWithItself) {
  // Every distinct pair differs by exactly 0.25. If a resample paired a model with itself (PD 0)
  // some replicate would fall below 0.25; never doing so makes every replicate exactly 0.25.
  PairwiseDifferences pd{5, std::vector<double>(25, 0.25)};
  for (std::size_t i = 0; i < 5; ++i)
    pd.d[i * 5 + i] = 0.0;
  BootstrapOptions opt;
  opt.resamples = 2000;
  const BootstrapCi ci = pd_bootstrap_ci(pd, opt);
  EXPECT_TRUE(ci.degenerate);
  EXPECT_EQ(ci.lo, 0.25);
  EXPECT_EQ(ci.hi, 0.25);
  // Real data: the interval brackets the estimate.
  const auto all = models();
  const BootstrapCi real =
      pd_bootstrap_ci(pairwise_prediction_differences(all, PdMeasure::kTotalVariation), opt);
  EXPECT_FALSE(real.degenerate);
  EXPECT_LT(real.lo, real.estimate);
  EXPECT_GT(real.hi, real.estimate);
}

TEST(PredictionDifference, RejectsBadInput) {
  const auto all = models();
  ProbMatrix bad_shape{2, 3, {0.5, 0.5, 0.0}};
  ProbMatrix out_of_range{1, 2, {1.5, -0.5}};
  ProbMatrix small{1, 3, {0.2, 0.3, 0.5}};
  EXPECT_THROW(prediction_difference(all[0], bad_shape, PdMeasure::kTotalVariation),
               std::invalid_argument);
  EXPECT_THROW(prediction_difference(out_of_range, out_of_range, PdMeasure::kTopOne),
               std::invalid_argument);
  EXPECT_THROW(prediction_difference(all[0], small, PdMeasure::kTopOne), std::invalid_argument);
  EXPECT_THROW(prediction_difference(all[0], all[1], PdMeasure::kTrueLabel, {}),
               std::invalid_argument);  // labels needed
  auto wrong = labels();
  wrong[0] = 3;
  EXPECT_THROW(prediction_difference(all[0], all[1], PdMeasure::kTrueLabel, wrong),
               std::invalid_argument);
  EXPECT_THROW(pairwise_prediction_differences({all[0]}, PdMeasure::kTopOne),
               std::invalid_argument);
  const auto pd2 = pairwise_prediction_differences({all[0], all[1]}, PdMeasure::kTopOne);
  EXPECT_THROW(pd_jackknife_ci(pd2), std::invalid_argument);  // needs 3 models
  EXPECT_THROW(pd_bootstrap_ci(pd2), std::invalid_argument);
  EXPECT_THROW(pd_permutation_test(pairwise_prediction_differences(all, PdMeasure::kTopOne), 1),
               std::invalid_argument);
  EXPECT_THROW(relative_prediction_difference({0.5}, {0.5, 0.1}), std::invalid_argument);
  EXPECT_THROW(pd_measure_from_string("tv"), std::invalid_argument);
}

TEST(PredictionDifference, DegenerateInputContract) {
  // Identical models: every PD is 0; the jackknife interval is the point 0 (se 0), the bootstrap
  // interval a degenerate point, the permutation p 1 (every split ties).
  const std::vector<ProbMatrix> same(5, models()[0]);
  for (PdMeasure m : {PdMeasure::kTotalVariation, PdMeasure::kTrueLabel, PdMeasure::kTopOne}) {
    const PairwiseDifferences pd = pairwise_prediction_differences(same, m, labels());
    EXPECT_EQ(mean_over_pairs(pd), 0.0) << to_string(m);
    const PdJackknifeCi jack = pd_jackknife_ci(pd);
    EXPECT_EQ(jack.standard_error, 0.0);
    EXPECT_EQ(jack.lo, 0.0);
    EXPECT_EQ(jack.hi, 0.0);
    BootstrapOptions opt;
    opt.resamples = 99;
    EXPECT_TRUE(pd_bootstrap_ci(pd, opt).degenerate);
    EXPECT_EQ(pd_permutation_test(pd, 2).p, 1.0);
  }
  EXPECT_EQ(relative_prediction_difference({0.0, 0.3}, {0.0, 0.3}), 0.0);
  EXPECT_EQ(mean_over_pairs(pairwise_relative_differences({{0.0, 0.3}, {0.0, 0.3}})), 0.0);
  const std::vector<ProbMatrix> two(2, models()[0]);
  EXPECT_EQ(pd_permutation_test(two, two, PdMeasure::kTotalVariation).p, 1.0);
  // Shapes whose product overflows size_t, NaN probabilities, a matrix too big to be M x M.
  ProbMatrix wrapped;
  wrapped.rows = std::size_t{1} << 33;
  wrapped.cols = std::size_t{1} << 31;  // rows * cols = 2^64 wraps to 0 == p.size()
  EXPECT_TRUE(ThrowsNaming([&] { prediction_difference(wrapped, wrapped, PdMeasure::kTopOne); },
                           "prediction_difference", "'p1'"));
  ProbMatrix nan = models()[0];
  nan.p[0] = NAN;
  EXPECT_TRUE(ThrowsNaming([&] { prediction_difference(nan, nan, PdMeasure::kTopOne); },
                           "prediction_difference", "NaN"));
  const PairwiseDifferences huge{std::size_t{1} << 32, {}};  // M * M wraps to 0 == d.size()
  EXPECT_TRUE(ThrowsNaming([&] { mean_over_pairs(huge); }, "mean_over_pairs", "M x M"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        pd_jackknife_ci({3, std::vector<double>(9, 0.0)}, 1 - 1e-17);
      },
      "pd_jackknife_ci", "'confidence'"));
}

}  // namespace
}  // namespace claimcheck::stats
