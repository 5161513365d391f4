#include "harness/stats/improvement.h"

#include <algorithm>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

// Bouthillier et al. (2021), sec. 3.3: an improvement is meaningful when P(A > B) >= 0.75 and
// the lower end of its CI exceeds 0.5.
constexpr double kMeaningfulProbability = 0.75;

// Ties count 1/2, as in the Mann-Whitney form (rliable; Bouthillier et al. 2021): accuracies on
// a finite test set tie often, and counting a tie as a loss would bias P(A > B) downwards.
double win_rate_unchecked(const std::vector<double>& a, const std::vector<double>& b) {
  double wins = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i)
    wins += a[i] > b[i] ? 1.0 : a[i] == b[i] ? 0.5 : 0.0;
  return wins / static_cast<double>(a.size());
}

// Counts in O((n_a + n_b) log) with sorted b: U = #{b_j < a_i} + 1/2 #{b_j == a_i}, summed.
double mann_whitney_unchecked(const std::vector<double>& a, std::vector<double> b) {
  std::sort(b.begin(), b.end());
  double u = 0.0;
  for (double x : a) {
    const auto lo = std::lower_bound(b.begin(), b.end(), x) - b.begin();
    const auto hi = std::upper_bound(b.begin(), b.end(), x) - b.begin();
    u += static_cast<double>(lo) + 0.5 * static_cast<double>(hi - lo);
  }
  return u / (static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

ImprovementResult finish(double probability, BootstrapCi ci) {
  const bool meaningful = probability >= kMeaningfulProbability && ci.lo > 0.5;
  return {probability, std::move(ci), meaningful};
}

}  // namespace

double paired_win_rate(const std::vector<double>& a, const std::vector<double>& b) {
  detail::require_sample(a, "paired_win_rate", "a");
  detail::require_sample(b, "paired_win_rate", "b");
  detail::require_same_length(a, b, "paired_win_rate");
  return win_rate_unchecked(a, b);
}

double mann_whitney_probability(const std::vector<double>& a, const std::vector<double>& b) {
  detail::require_sample(a, "mann_whitney_probability", "a");
  detail::require_sample(b, "mann_whitney_probability", "b");
  return mann_whitney_unchecked(a, b);
}

ImprovementResult paired_probability_of_improvement(const std::vector<double>& a,
                                                    const std::vector<double>& b,
                                                    const BootstrapOptions& opt) {
  const double p = paired_win_rate(a, b);
  return finish(p, paired_bootstrap_ci(a, b, win_rate_unchecked, opt));
}

ImprovementResult probability_of_improvement(const std::vector<double>& a,
                                             const std::vector<double>& b,
                                             const BootstrapOptions& opt) {
  const double p = mann_whitney_probability(a, b);
  return finish(p, two_sample_bootstrap_ci(
                       a, b,
                       [](const std::vector<double>& x, const std::vector<double>& y) {
                         return mann_whitney_unchecked(x, y);
                       },
                       opt));
}

}  // namespace claimcheck::stats
