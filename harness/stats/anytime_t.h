// An anytime-valid t confidence sequence for the mean of normal data with unknown variance: the
// set of means mu0 at which the scale-invariant Bayes factor of the one-sample t-test stays below
// 1/alpha. With the right-Haar prior on sigma and a N(0, g) prior on the standardised effect
// delta = (mu − mu0)/sigma, the Bayes factor of n observations is
//   BF(t, n) = (1 + n g)^(−1/2) · [(1 + t²/ν) / (1 + t²/((1 + n g) ν))]^((ν+1)/2),  ν = n − 1
// (Rouder et al. 2009, eq. 1 with a point mass on g), where t = (x̄ − mu0)/(s/√n). Under
// H0: mu = mu0 it is a nonnegative martingale in the filtration of the maximal invariant
// (Pérez-Ortiz, Lardy, de Heide & Grünwald 2024, "E-statistics, group invariance and anytime-valid
// testing", Ann. Statist.; Lindon et al. 2022), so by Ville's inequality P(∃n: BF ≥ 1/alpha)
// ≤ alpha: the interval x̄ ± t*(n)·s/√n with BF(t*, n) = 1/alpha holds at every n at once, and a
// sequential design may look after every round and stop (never re-running a fixed-n t interval).
// 1/BF at a hypothesised value is an anytime-valid p-value.
//
// Versus the empirical-Bernstein CS (sequential.h): that one needs only bounded data, but at the
// few seeds of a claim it cannot decide even large effects (its bet per observation is capped at
// 1/2); this one assumes normal data and decides d_z ≈ 3 effects within ~8 observations.
#pragma once

#include <vector>

#include "harness/stats/verdict.h"

namespace claimcheck::stats {

/// The anytime-valid t CS after the observations in `x`.
struct AnytimeTInterval {
  double estimate;  ///< the sample mean
  Interval ci;      ///< x̄ ± t*·s/√n; the whole line when t* does not exist (n too small)
  double t_star;    ///< the critical |t|, +inf when no finite one exists at this n
  int n;            ///< observations
};

/// The (1 − alpha) CS for the mean of `x` (n >= 2, finite) with prior scale g > 0 (default 1:
/// a unit-variance prior on the standardised effect). Zero spread gives the point x̄ once a
/// finite t* exists. Throws std::invalid_argument naming the argument otherwise.
AnytimeTInterval anytime_t_interval(const std::vector<double>& x, double alpha, double g = 1.0);

/// BF(t, n) above; n >= 2, g > 0.
double anytime_t_bayes_factor(double t, int n, double g = 1.0);

/// The anytime-valid p-value of mu0: min(1, 1/BF(t(mu0), n)); 0 when all values equal and
/// differ from mu0, 1 when they all equal mu0.
double anytime_t_p(const std::vector<double>& x, double mu0, double g = 1.0);

}  // namespace claimcheck::stats
