#include "harness/claims/decision.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/claims/sequential_design.h"
#include "harness/stats/anytime_t.h"
#include "harness/stats/descriptives.h"
#include "harness/stats/expected_max.h"
#include "harness/stats/improvement.h"
#include "harness/stats/permutation.h"
#include "harness/stats/power.h"
#include "harness/stats/tost.h"
#include "harness/stats/ttest.h"

namespace claimcheck::claims {
namespace {

// The effect value at which the hypothesis flips: the margin on the claimed side (superiority),
// the margin on the other side (non-inferiority). Equivalence uses TOST against ±margin.
double boundary(const HypothesisSpec& h) {
  const double sign = h.direction == stats::Direction::kGreater ? 1.0 : -1.0;
  return h.kind == stats::HypothesisKind::kSuperiority ? sign * h.margin : -sign * h.margin;
}

std::vector<double> constant(std::size_t n, double value) {
  return std::vector<double>(n, value);
}

// Paired design: the per-replicate contrast d_i = Σ w·x_i goes through one-sample machinery.
void test_paired(HypothesisResult& r, const TestSettings& s) {
  const HypothesisSpec& h = r.spec;
  r.units.assign(static_cast<std::size_t>(r.n), 0.0);
  for (auto& term : r.terms) {
    term.value = stats::mean(term.values);
    for (std::size_t i = 0; i < r.units.size(); ++i)
      r.units[i] += term.weight * term.values[i];
  }
  const double estimate = stats::mean(r.units);
  r.win_rate = stats::paired_win_rate(r.units, constant(r.units.size(), 0.0));
  const bool constant_units =
      std::all_of(r.units.begin(), r.units.end(), [&](double d) { return d == r.units.front(); });
  if (constant_units) {
    // Every replicate gave the same contrast (identical arms, runs collapsed to chance): there is
    // no sampling spread to build an interval from, and the effect is known exactly. The CI is
    // the point; a decided verdict gets p = 0, an undecided one p = 1.
    const double d = r.units.front();
    r.ci = {d,
            d,
            d,
            stats::CiMethod::kBca,
            s.resamples,
            1.0 - s.alpha,
            true,
            fmt::format("all {} replicates give the same contrast {:.6g} (zero variance): the "
                        "interval is that point",
                        r.n, d)};
    r.t_lo = r.t_hi = d;
    r.ci_verdict = stats::decide({d, d}, h.kind, h.direction, h.margin);
    r.p_value = r.ci_verdict == stats::Verdict::kInconclusive ? 1.0 : 0.0;
    r.note = r.ci.note;
    return;
  }
  stats::BootstrapOptions opt;
  opt.resamples = s.resamples;
  opt.confidence = 1.0 - s.alpha;
  opt.seed = s.bootstrap_seed;
  r.ci = stats::bootstrap_ci(
      r.units, [](const std::vector<double>& d) { return stats::mean(d); }, opt);
  r.ci.estimate = estimate;
  const std::vector<double> zeros = constant(r.units.size(), 0.0);
  const stats::TTestResult t =
      stats::paired_t(r.units, zeros, stats::Alternative::kTwoSided, opt.confidence);
  r.t_lo = t.lo;
  r.t_hi = t.hi;
  r.p_value = h.kind == stats::HypothesisKind::kEquivalence
                  ? stats::paired_tost(r.units, zeros, h.margin).p
                  : stats::paired_t(r.units, constant(r.units.size(), boundary(h))).p;
  r.ci_verdict = stats::decide({r.ci.lo, r.ci.hi}, h.kind, h.direction, h.margin);
  if (r.ci.degenerate) r.note = r.ci.note;
  // Design power at the smallest effect of interest (never at the observed effect: that is a
  // function of the p-value; Hoenig & Heisey 2001).
  if (const auto effect = h.effect_of_interest()) {
    const double sd = stats::sd(r.units);
    stats::PowerOptions popt;
    popt.alpha = s.alpha;
    try {
      const stats::BudgetCheck b = stats::check_budget(r.n, *effect, sd, popt);
      r.power = b.power;
      r.seeds_needed = b.seeds_needed;
    } catch (const std::invalid_argument&) {
      // beyond 1e9 seeds: no finite design detects it
    }
  }
}

// Random search: trial j of both arms shares one (batch, lr) draw; the effect is the difference
// of the unbiased expected best of k (Tang et al. 2020) with a paired bootstrap over trials.
void test_random_search(HypothesisResult& r, const TestSettings& s) {
  const HypothesisSpec& h = r.spec;
  const int k = h.k;
  TermUnits& a = r.terms.at(0);
  TermUnits& c = r.terms.at(1);
  a.value = stats::expected_max_tang(a.values, k);
  c.value = stats::expected_max_tang(c.values, k);
  stats::BootstrapOptions opt;
  opt.resamples = s.resamples;
  opt.confidence = 1.0 - s.alpha;
  opt.seed = s.bootstrap_seed;
  r.ci = stats::paired_expected_max_difference(a.values, c.values, k, opt);
  // Within-trial swap test of the expected-max difference: under H0 the two arms of a trial
  // (which share its hyperparameter draw) are exchangeable.
  stats::PermutationOptions perm;
  perm.resamples = s.resamples;
  perm.seed = s.permutation_seed;
  r.p_value = stats::paired_swap_permutation_test(
                  a.values, c.values,
                  [k](const std::vector<double>& x, const std::vector<double>& y) {
                    return stats::expected_max_tang(x, k) - stats::expected_max_tang(y, k);
                  },
                  perm)
                  .p;
  r.win_rate = stats::paired_win_rate(a.values, c.values);
  r.ci_verdict = stats::decide({r.ci.lo, r.ci.hi}, h.kind, h.direction, h.margin);
  if (r.ci.degenerate) r.note = r.ci.note;
}

}  // namespace

HypothesisResult test_hypothesis(const HypothesisSpec& spec, std::vector<TermUnits> terms,
                                 const TestSettings& settings) {
  HypothesisResult r;
  r.spec = spec;
  r.terms = std::move(terms);
  r.n = static_cast<int>(r.terms.at(0).values.size());
  for (const auto& t : r.terms) {
    if (static_cast<int>(t.values.size()) != r.n) {
      throw std::logic_error(spec.id + ": the contrast's arms have different numbers of units");
    }
  }
  if (r.n < 2) {
    throw std::invalid_argument(spec.id + ": " + std::to_string(r.n) +
                                " unit(s); a paired CI needs at least 2 (use --seeds >= 2)");
  }
  if (spec.design == Design::kPaired) {
    test_paired(r, settings);
  } else {
    test_random_search(r, settings);
  }
  return r;
}

HypothesisResult test_sequentially(const ProfilePlan& plan, const HypothesisSpec& spec,
                                   std::vector<TermUnits> terms, const TestSettings& settings) {
  HypothesisResult r = test_hypothesis(spec, std::move(terms), settings);
  const ProfileSpec& p = *plan.settings;
  const SequentialSpec& design = *p.sequential;
  const double alpha = sequential_alpha(plan);
  const double m = p.alpha / alpha;  // paired hypotheses sharing the profile's alpha
  const stats::Interval cs = sequential_interval(plan.claim(), design, spec, r.units, alpha);
  r.ci.lo = cs.lo;
  r.ci.hi = cs.hi;
  r.ci.confidence = 1.0 - alpha;
  r.ci.resamples = 0;
  r.ci.degenerate = false;
  r.ci_verdict = stats::decide(cs, spec.kind, spec.direction, spec.margin);
  if (design.method == "t") {
    // 1/BF at the boundary the hypothesis flips at (both ends for equivalence): anytime-valid.
    const double sign = spec.direction == stats::Direction::kGreater ? 1.0 : -1.0;
    r.p_value = spec.kind == stats::HypothesisKind::kEquivalence
                    ? std::max(stats::anytime_t_p(r.units, spec.margin),
                               stats::anytime_t_p(r.units, -spec.margin))
                    : stats::anytime_t_p(r.units, spec.kind == stats::HypothesisKind::kSuperiority
                                                      ? sign * spec.margin
                                                      : -sign * spec.margin);
  } else {
    r.p_value = r.ci_verdict == stats::Verdict::kInconclusive ? 1.0 : alpha;  // p <= alpha/m
  }
  r.holm_p = std::min(1.0, m * r.p_value);
  r.sequential = HypothesisResult::Sequential{
      design.method == "t" ? "anytime-t" : "empirical-bernstein", design.max_seeds, p.replicates};
  r.note = fmt::format(
      "sequential: {} after {} seeds by the {} confidence sequence at alpha/{:g} = {:.4g} (budget "
      "{}; a fixed design uses {})",
      r.ci_verdict == stats::Verdict::kInconclusive ? "open" : "decided", r.n,
      design.method == "t" ? "anytime-valid t" : "empirical-Bernstein", m, alpha, design.max_seeds,
      p.replicates);
  return r;
}

}  // namespace claimcheck::claims
