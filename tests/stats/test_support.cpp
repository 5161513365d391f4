#include "tests/stats/test_support.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <boost/math/distributions/binomial.hpp>

namespace claimcheck::stats::testing {

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    const std::string path =
        std::string(CLAIMCHECK_SOURCE_DIR) + "/tests/stats/reference/reference.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path + " (run generate_reference.py)");
    return nlohmann::json::parse(in);
  }();
  return ref;
}

double number(const nlohmann::json& value) {
  if (value.is_string()) {
    const auto s = value.get<std::string>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    throw std::runtime_error("reference: unexpected string '" + s + "' where a number belongs");
  }
  return value.get<double>();
}

std::vector<double> numbers(const nlohmann::json& array) {
  std::vector<double> out;
  for (const auto& v : array)
    out.push_back(number(v));
  return out;
}

::testing::AssertionResult Near(double actual, double expected, double atol, double rtol) {
  if (std::isinf(expected) || std::isinf(actual)) {
    if (actual == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected;
  }
  const double diff = std::abs(actual - expected);
  const double tol = atol + rtol * std::abs(expected);
  if (diff <= tol) return ::testing::AssertionSuccess();
  std::ostringstream msg;
  msg.precision(17);
  msg << "actual " << actual << " vs expected " << expected << ": |diff| " << diff
      << " > tolerance " << tol << " (atol " << atol << " + rtol " << rtol << " * |expected|)";
  return ::testing::AssertionFailure() << msg.str();
}

::testing::AssertionResult AllNear(const std::vector<double>& actual,
                                   const std::vector<double>& expected, double atol, double rtol) {
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << "length " << actual.size() << " vs expected " << expected.size();
  }
  std::ostringstream msg;
  int bad = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const auto r = Near(actual[i], expected[i], atol, rtol);
    if (!r && ++bad <= 5) msg << "\n  [" << i << "] " << r.message();
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << actual.size() << " differ:" << msg.str();
}

BinomialBounds binomial_bounds(long long trials, double p, double tail) {
  // Integer quantiles rounded outwards, so each tail beyond the bounds has mass <= tail / 2.
  using boost::math::policies::discrete_quantile;
  using boost::math::policies::integer_round_outwards;
  using Policy = boost::math::policies::policy<discrete_quantile<integer_round_outwards>>;
  const boost::math::binomial_distribution<double, Policy> d(static_cast<double>(trials), p);
  const double lo = boost::math::quantile(d, tail / 2.0);
  const double hi = boost::math::quantile(boost::math::complement(d, tail / 2.0));
  return {static_cast<long long>(lo), static_cast<long long>(hi)};
}

std::string format(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  return buf;
}

}  // namespace claimcheck::stats::testing
