// Calibration: do the harness's intervals and stopping rules keep their error rates on simulated
// data with a known truth? Every simulation is seeded (deterministic); each assertion states its
// flake budget, i.e. how often it would fail for a correct implementation under another seed.
// Measured rates are printed and attached as test properties (RecordProperty, as strings).
//
// Cost control (stats_test must stay well under 30 s on 2 slow cores): 4,000 simulations per
// cell, and BCa inside the loops uses B = 999 resamples instead of the default 9,999 (the
// coverage of BCa depends on n, not on B once B is in the hundreds; B only adds Monte-Carlo
// noise to the endpoints).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "harness/stats/bootstrap.h"
#include "harness/stats/rng.h"
#include "harness/stats/sequential.h"
#include "harness/stats/ttest.h"
#include "harness/stats/verdict.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::binomial_bounds;
using testing::format;
using testing::reference;

constexpr int kSimulations = 4000;
constexpr int kInnerResamples = 999;
// Per-assertion flake budget for two-sided binomial bounds.
constexpr double kTail = 1e-4;

double mean_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    s += a[i] - b[i];
  return s / static_cast<double>(a.size());
}

Interval bca_interval(const std::vector<double>& d, std::uint64_t seed) {
  const std::vector<double> zeros(d.size(), 0.0);
  BootstrapOptions opt;
  opt.resamples = kInnerResamples;
  opt.seed = seed;
  const BootstrapCi ci = paired_bootstrap_ci(d, zeros, mean_difference, opt);
  return {ci.lo, ci.hi};
}

Interval t_interval(const std::vector<double>& d) {
  const TTestResult t = paired_t(d, std::vector<double>(d.size(), 0.0));
  return {t.lo, t.hi};
}

void report(const std::string& key, double value) {
  ::testing::Test::RecordProperty(key, format(value));
  std::printf("[ calibration ] %s = %s\n", key.c_str(), format(value).c_str());
}

struct AaCounts {
  long long t_greater = 0, t_less = 0, bca_greater = 0, bca_less = 0;
};

// A/A: paired differences of an arm against itself ~ N(0, 1); "supported" for a superiority
// claim with margin 0 in either direction is a false positive. Nominal rate: 2.5% per side
// from a two-sided 95% interval.
AaCounts simulate_aa(int n, std::uint64_t seed) {
  Rng rng(seed);
  AaCounts c;
  std::vector<double> d(static_cast<std::size_t>(n));
  for (int s = 0; s < kSimulations; ++s) {
    for (double& v : d)
      v = rng.normal();
    const Interval t = t_interval(d);
    const Interval bca = bca_interval(d, seed * 100003 + static_cast<std::uint64_t>(s));
    const auto sup = [](const Interval& ci, Direction dir) {
      return decide(ci, HypothesisKind::kSuperiority, dir, 0.0) == Verdict::kSupported ? 1 : 0;
    };
    c.t_greater += sup(t, Direction::kGreater);
    c.t_less += sup(t, Direction::kLess);
    c.bca_greater += sup(bca, Direction::kGreater);
    c.bca_less += sup(bca, Direction::kLess);
  }
  return c;
}

TEST(Calibration, VerdictAaFalsePositiveRate) {
  // t interval: exact for normal data, so each side's count must lie within binomial bounds of
  // 2.5% (flake budget 1e-4 per bound; 6 bounds).
  // BCa: known to undercover at small n (Efron & Tibshirani 1993, sec. 14.3: its accuracy is
  // asymptotic; the bootstrap distribution of a mean of n = 5 is too narrow by about
  // sqrt((n-1)/n) and has no t-like tails). Measured per side at the fixed seeds: ~8.1% at
  // n = 5, ~4.8% at n = 10, ~3.4-3.9% at n = 20. We assert it is not conservative (>= the lower
  // binomial bound of 2.5%) and stays below a per-side ceiling of 10.5% / 7% / 5.5%: each >= 5
  // binomial SEs above the measured rate (flake budget < 1e-6 per ceiling), and low enough to
  // catch a broken interval (e.g. a 90% interval gives >= 5% per side at every n).
  const auto bounds = binomial_bounds(kSimulations, 0.025, kTail);
  const struct {
    int n;
    double bca_ceiling;
  } cells[] = {{5, 0.105}, {10, 0.07}, {20, 0.055}};
  for (const auto& cell : cells) {
    const AaCounts c = simulate_aa(cell.n, 1000 + static_cast<std::uint64_t>(cell.n));
    const std::string n = "n" + std::to_string(cell.n);
    report("aa_t_greater_" + n, static_cast<double>(c.t_greater) / kSimulations);
    report("aa_t_less_" + n, static_cast<double>(c.t_less) / kSimulations);
    report("aa_bca_greater_" + n, static_cast<double>(c.bca_greater) / kSimulations);
    report("aa_bca_less_" + n, static_cast<double>(c.bca_less) / kSimulations);
    for (long long count : {c.t_greater, c.t_less}) {
      EXPECT_GE(count, bounds.lo) << n;
      EXPECT_LE(count, bounds.hi) << n;
    }
    for (long long count : {c.bca_greater, c.bca_less}) {
      EXPECT_GE(count, bounds.lo) << n;
      EXPECT_LE(static_cast<double>(count) / kSimulations, cell.bca_ceiling) << n;
    }
  }
}

enum class Shape { kNormal, kSkewed };

// Coverage of the 95% t and BCa intervals for the mean paired difference at n = 10. Normal:
// N(0.5, 1). Skewed: exponential(1) (skewness 2), true mean 1.
TEST(Calibration, CoverageAtTenSeeds) {
  constexpr int kN = 10;
  // t, normal data: exact, so within binomial bounds of 95% (flake budget 1e-4 per bound).
  // The other cells have no exact target. Measured at the fixed seeds: t skewed ~0.90, BCa
  // normal ~0.90, BCa skewed ~0.875 (BCa undercovers at n = 10; reported, not hidden). Floors
  // 0.875 / 0.875 / 0.85 sit ~5 binomial SEs (SE ~0.005) below (flake budget ~1e-6 each);
  // ceilings are the upper binomial bound of 95% (flake budget 5e-5): nothing over-covers.
  const auto bounds = binomial_bounds(kSimulations, 0.95, kTail);
  const struct {
    Shape shape;
    const char* name;
    double truth;
    double t_floor;  // unused for normal data (exact binomial bounds instead)
    double bca_floor;
  } cells[] = {{Shape::kNormal, "normal", 0.5, /*t_floor=*/0.0, /*bca_floor=*/0.875},
               {Shape::kSkewed, "skewed", 1.0, /*t_floor=*/0.875, /*bca_floor=*/0.85}};
  for (const auto& cell : cells) {
    Rng rng(cell.shape == Shape::kNormal ? 77 : 78);
    long long t_cover = 0, bca_cover = 0;
    std::vector<double> d(kN);
    for (int s = 0; s < kSimulations; ++s) {
      for (double& v : d) {
        v = cell.shape == Shape::kNormal ? 0.5 + rng.normal() : -std::log1p(-rng.uniform());
      }
      const Interval t = t_interval(d);
      const Interval bca = bca_interval(d, 500000 + static_cast<std::uint64_t>(s));
      t_cover += (t.lo <= cell.truth && cell.truth <= t.hi) ? 1 : 0;
      bca_cover += (bca.lo <= cell.truth && cell.truth <= bca.hi) ? 1 : 0;
    }
    const double t_rate = static_cast<double>(t_cover) / kSimulations;
    const double bca_rate = static_cast<double>(bca_cover) / kSimulations;
    report(std::string("coverage_t_") + cell.name + "_n10", t_rate);
    report(std::string("coverage_bca_") + cell.name + "_n10", bca_rate);
    if (cell.shape == Shape::kNormal) {
      EXPECT_GE(t_cover, bounds.lo);
    } else {
      EXPECT_GE(t_rate, cell.t_floor) << cell.name;
    }
    EXPECT_LE(t_cover, bounds.hi) << cell.name;
    EXPECT_GE(bca_rate, cell.bca_floor) << cell.name;
    EXPECT_LE(bca_cover, bounds.hi) << cell.name;
  }
}

TEST(Calibration, ConfidenceSequenceNullErrorCheckedEveryRound) {
  // 4,000 null sequences of paired differences uniform on [-1, 1] (mean 0), checked after every
  // observation up to 200; a superiority claim with margin 0 is wrongly decided when the CS
  // excludes 0 on either side. Anytime validity bounds the total by alpha = 5%; assert the
  // count <= the upper binomial bound at 5% (flake budget 5e-5). Positive control: with mean
  // 0.3 the CS must decide "supported" in most sequences (a CS that never decides passes the
  // null check vacuously): >= 90% within 200 observations.
  constexpr int kSequences = 4000;
  constexpr int kRounds = 200;
  const auto run = [&](double shift, std::uint64_t seed) {
    Rng rng(seed);
    long long supported = 0, refuted = 0;
    for (int s = 0; s < kSequences; ++s) {
      EmpiricalBernsteinCs cs;
      for (int r = 0; r < kRounds; ++r) {
        const double d = std::clamp(shift + 2.0 * rng.uniform() - 1.0, -1.0, 1.0);
        const SequentialDecision decision = cs.add(d).decision;
        if (decision == SequentialDecision::kSupported) ++supported;
        if (decision == SequentialDecision::kRefuted) ++refuted;
        if (decision != SequentialDecision::kContinue) break;
      }
    }
    return std::pair{supported, refuted};
  };
  const auto [null_sup, null_ref] = run(0.0, 4242);
  report("cs_null_error_rate", static_cast<double>(null_sup + null_ref) / kSequences);
  EXPECT_LE(null_sup + null_ref, binomial_bounds(kSequences, 0.05, kTail).hi);
  const auto [alt_sup, alt_ref] = run(0.3, 4343);
  report("cs_power_shift_0.3_within_200", static_cast<double>(alt_sup) / kSequences);
  EXPECT_GE(static_cast<double>(alt_sup) / kSequences, 0.90);
  EXPECT_EQ(alt_ref, 0);
}

TEST(Calibration, SprtNullErrorCheckedEveryRound) {
  // 4,000 sequences of up to 100 paired wins/losses, checked after every pair. Under p = 0.5
  // the chance of "supported" within 100 pairs is 4.27% exactly (dynamic programming in
  // generate_reference.py, reference.json "sprt"); under p = 0.75 "supported" has 96.1%. Both
  // counts must lie within binomial bounds of those exact values (flake budget 1e-4 each), and
  // the null rate is <= alpha = 5% as Wald's bound requires.
  constexpr int kSequences = 4000;
  const auto& ref = reference()["sprt"];
  const int rounds = ref["rounds"];
  const auto run = [&](double p_win, std::uint64_t seed) {
    Rng rng(seed);
    long long supported = 0;
    for (int s = 0; s < kSequences; ++s) {
      Sprt sprt;
      for (int r = 0; r < rounds; ++r) {
        const SequentialDecision decision = sprt.add(rng.uniform() < p_win ? 1.0 : -1.0).decision;
        if (decision == SequentialDecision::kSupported) ++supported;
        if (decision != SequentialDecision::kContinue) break;
      }
    }
    return supported;
  };
  const double p_null = ref["null_supported"];
  const long long null_sup = run(0.5, 777);
  report("sprt_null_supported_rate", static_cast<double>(null_sup) / kSequences);
  const auto nb = binomial_bounds(kSequences, p_null, kTail);
  EXPECT_GE(null_sup, nb.lo);
  EXPECT_LE(null_sup, nb.hi);
  EXPECT_LE(p_null, 0.05);
  const double p_alt = ref["alt_supported"];
  const long long alt_sup = run(0.75, 778);
  report("sprt_alt_supported_rate", static_cast<double>(alt_sup) / kSequences);
  const auto ab = binomial_bounds(kSequences, p_alt, kTail);
  EXPECT_GE(alt_sup, ab.lo);
  EXPECT_LE(alt_sup, ab.hi);
}

}  // namespace
}  // namespace claimcheck::stats
