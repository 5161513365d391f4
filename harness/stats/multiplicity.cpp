#include "harness/stats/multiplicity.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

// Indices that sort p ascending (stable, so tied p keep input order), after validation.
std::vector<std::size_t> ascending_order(const std::vector<double>& p, const char* fn) {
  // A family of no hypotheses adjusts to nothing (e.g. a report whose claims are all
  // incomplete): a defined, empty result rather than an error.
  if (p.empty()) return {};
  detail::require_sample(p, fn, "p");
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] < 0.0 || p[i] > 1.0) {
      detail::fail(fn, "argument 'p' has a value outside [0, 1] (" + std::to_string(p[i]) +
                           ") at index " + std::to_string(i));
    }
  }
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&p](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  return order;
}

}  // namespace

std::vector<double> holm(const std::vector<double>& p) {
  const auto order = ascending_order(p, "holm");
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 0.0;  // max over j <= i: the adjusted values never decrease
  for (std::size_t i = 0; i < order.size(); ++i) {
    const double scaled = std::min(1.0, (m - static_cast<double>(i)) * p[order[i]]);
    running = std::max(running, scaled);
    out[order[i]] = running;
  }
  return out;
}

std::vector<double> benjamini_hochberg(const std::vector<double>& p) {
  const auto order = ascending_order(p, "benjamini_hochberg");
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 1.0;  // min over j >= i, taken from the largest p down
  for (std::size_t i = order.size(); i-- > 0;) {
    const double scaled = std::min(1.0, m * p[order[i]] / static_cast<double>(i + 1));
    running = std::min(running, scaled);
    out[order[i]] = running;
  }
  return out;
}

}  // namespace claimcheck::stats
