// Sequential stopping: SPRT known answers from STATISTICS.md (p0 = 0.5 vs p1 = 0.75,
// alpha = beta = 0.05: thresholds +-ln 19, 8 straight wins accept, 5 straight losses reject),
// and the empirical-Bernstein confidence sequence against a from-the-paper Python transcription
// in generate_reference.py. Error rates under the null: calibration_test.cpp.
#include "harness/stats/sequential.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

TEST(Sprt, ThresholdsAreLn19) {
  const Sprt sprt;
  EXPECT_DOUBLE_EQ(sprt.upper_threshold(), std::log(19.0));
  EXPECT_DOUBLE_EQ(sprt.lower_threshold(), -std::log(19.0));
}

TEST(Sprt, EightStraightWinsAccept) {
  Sprt sprt;
  for (int i = 1; i <= 7; ++i) {
    EXPECT_EQ(sprt.add(0.1).decision, SequentialDecision::kContinue) << i;  // 7 ln 1.5 < ln 19
  }
  const SprtStep s = sprt.add(0.1);  // 8 ln 1.5 = 3.24 >= ln 19 = 2.94
  EXPECT_EQ(s.decision, SequentialDecision::kSupported);
  EXPECT_EQ(s.wins, 8);
  EXPECT_DOUBLE_EQ(s.log_likelihood_ratio, 8 * std::log(1.5));
}

TEST(Sprt, FiveStraightLossesReject) {
  Sprt sprt;
  EXPECT_EQ(sprt.add_round({-1, -1, -1, -1}).decision, SequentialDecision::kContinue);
  const SprtStep s = sprt.add(-1);  // 5 ln 0.5 = -3.47 <= -ln 19
  EXPECT_EQ(s.decision, SequentialDecision::kRefuted);
  EXPECT_EQ(s.losses, 5);
}

TEST(Sprt, TiesAreDroppedAndLessMirrors) {
  SprtOptions opt;
  opt.direction = Direction::kLess;
  Sprt sprt(opt);
  const SprtStep s = sprt.add_round({-0.2, 0.0, -0.1, 0.3});
  EXPECT_EQ(s.wins, 2);
  EXPECT_EQ(s.losses, 1);
  EXPECT_EQ(s.ties, 1);
  EXPECT_DOUBLE_EQ(s.log_likelihood_ratio, 2 * std::log(1.5) + std::log(0.5));
}

TEST(Sprt, RejectsBadOptions) {
  SprtOptions opt;
  opt.p1 = 0.4;
  EXPECT_THROW(Sprt{opt}, std::invalid_argument);
  opt = {};
  opt.alpha = 0.0;
  EXPECT_THROW(Sprt{opt}, std::invalid_argument);
  EXPECT_THROW(Sprt().add(NAN), std::invalid_argument);
}

TEST(ConfidenceSequence, MatchesPaperTranscription) {
  // reference.json "confidence_sequence": 40 differences in [-2, 2], alpha 0.05. The Python
  // recomputes every sum from scratch each step; ~1e-15 apart, so 1e-12.
  const auto& ref = reference()["confidence_sequence"];
  ConfidenceSequenceOptions opt;
  opt.bound = ref["bound"];
  opt.alpha = ref["alpha"];
  EmpiricalBernsteinCs cs(opt);
  const auto diffs = numbers(ref["differences"]);
  int informative = 0;
  for (std::size_t i = 0; i < diffs.size(); ++i) {
    const ConfidenceSequenceStep s = cs.add(diffs[i]);
    const auto& e = ref["intervals"][i];
    EXPECT_TRUE(Near(s.interval.lo, e[0].get<double>(), 1e-12, 1e-12)) << "step " << i;
    EXPECT_TRUE(Near(s.interval.hi, e[1].get<double>(), 1e-12, 1e-12)) << "step " << i;
    EXPECT_EQ(s.observations, static_cast<int>(i + 1));
    informative += e[0].get<double>() > -2.0 ? 1 : 0;
  }
  EXPECT_GT(informative, 20);  // the comparison is not all clipped at [-c, c]
}

TEST(ConfidenceSequence, DecidesWithTheVerdictRule) {
  ConfidenceSequenceOptions opt;  // superiority over 0, c = 1
  EmpiricalBernsteinCs cs(opt);
  EXPECT_EQ(cs.state().decision, SequentialDecision::kContinue);
  EXPECT_EQ(cs.state().interval.lo, -1.0);
  ConfidenceSequenceStep s = cs.state();
  for (int i = 0; i < 200 && s.decision == SequentialDecision::kContinue; ++i) {
    s = cs.add(i % 2 == 0 ? 0.9 : 0.5);  // mean 0.7, clearly positive
  }
  EXPECT_EQ(s.decision, SequentialDecision::kSupported);
  EXPECT_GT(s.interval.lo, 0.0);
  EXPECT_LT(s.observations, 40);

  EmpiricalBernsteinCs worse(opt);
  for (int i = 0; i < 200 && s.decision != SequentialDecision::kRefuted; ++i) {
    s = worse.add(-0.6);
  }
  EXPECT_EQ(s.decision, SequentialDecision::kRefuted);
}

TEST(ConfidenceSequence, RejectsBadInput) {
  EmpiricalBernsteinCs cs;
  EXPECT_THROW(cs.add(1.5), std::invalid_argument);  // outside [-1, 1]
  EXPECT_THROW(cs.add(NAN), std::invalid_argument);
  EXPECT_THROW(cs.add_round({}), std::invalid_argument);
  ConfidenceSequenceOptions opt;
  opt.bound = 0.0;
  EXPECT_THROW(EmpiricalBernsteinCs{opt}, std::invalid_argument);
  opt = {};
  opt.margin = -1.0;
  EXPECT_THROW(EmpiricalBernsteinCs{opt}, std::invalid_argument);
  EXPECT_EQ(to_string(SequentialDecision::kContinue), "continue");
}

TEST(ConfidenceSequence, DegenerateInputContract) {
  // Every difference at the bound (zero variance at the edge) or exactly 0: finite intervals
  // inside [-c, c] that shrink, decided by the verdict rule.
  for (const double d : {1.0, 0.0, -1.0}) {
    EmpiricalBernsteinCs cs;
    ConfidenceSequenceStep step = cs.state();
    for (int i = 0; i < 200; ++i)
      step = cs.add(d);
    EXPECT_TRUE(std::isfinite(step.interval.lo) && std::isfinite(step.interval.hi)) << d;
    EXPECT_LE(-1.0, step.interval.lo);
    EXPECT_LE(step.interval.hi, 1.0);
    EXPECT_LE(step.interval.lo, d);
    EXPECT_GE(step.interval.hi, d);
    EXPECT_LT(step.interval.hi - step.interval.lo, 0.5) << d;
  }
  ConfidenceSequenceOptions huge;
  huge.bound = 1e308;  // 2c overflows: every interval would be NaN
  EXPECT_TRUE(ThrowsNaming([&] { EmpiricalBernsteinCs cs(huge); }, "EmpiricalBernsteinCs", "2 *"));
  EmpiricalBernsteinCs cs;
  EXPECT_TRUE(ThrowsNaming([&] { cs.add(NAN); }, "EmpiricalBernsteinCs::add", "'difference'"));
  EXPECT_TRUE(ThrowsNaming([&] { cs.add_round({}); }, "EmpiricalBernsteinCs::add_round", "empty"));
}

TEST(Sprt, DegenerateInputContract) {
  // Ties only: no information, the LLR stays 0 and the test continues.
  Sprt s;
  const SprtStep ties = s.add_round({0.0, 0.0, 0.0});
  EXPECT_EQ(ties.ties, 3);
  EXPECT_EQ(ties.log_likelihood_ratio, 0.0);
  EXPECT_EQ(ties.decision, SequentialDecision::kContinue);
  // Denormal p0 or alpha make a log ratio infinite (and 0 wins * inf = NaN): refused.
  SprtOptions p0;
  p0.p0 = 5e-324;
  EXPECT_TRUE(ThrowsNaming([&] { Sprt bad(p0); }, "Sprt", "ln(p1 / p0)"));
  SprtOptions alpha;
  alpha.alpha = 5e-324;
  EXPECT_TRUE(ThrowsNaming([&] { Sprt bad(alpha); }, "Sprt", "upper threshold"));
  EXPECT_TRUE(ThrowsNaming([&] { s.add(INFINITY); }, "Sprt::add", "'difference'"));
  EXPECT_TRUE(ThrowsNaming([&] { s.add_round({}); }, "Sprt::add_round", "empty"));
}

}  // namespace
}  // namespace claimcheck::stats
