#include "harness/stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/check.h"
#include "harness/stats/rng.h"

namespace claimcheck::stats {
namespace {

// Fills one resample row of indices into [0, row.size()).
using IndexSource = std::function<void(std::vector<std::size_t>&)>;

IndexSource from_rng(Rng& rng) {
  return [&rng](std::vector<std::size_t>& row) {
    for (auto& i : row)
      i = static_cast<std::size_t>(rng.uniform_int(row.size()));
  };
}

IndexSource from_table(const ResampleIndices& table, const char* fn, const char* arg) {
  return [&table, fn, arg, b = std::size_t{0}](std::vector<std::size_t>& row) mutable {
    const auto& given = table[b];
    if (given.size() != row.size()) {
      detail::fail(fn, std::string("argument '") + arg + "' row " + std::to_string(b) + " has " +
                           std::to_string(given.size()) + " indices, expected " +
                           std::to_string(row.size()));
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (given[i] >= row.size()) {
        detail::fail(fn, std::string("argument '") + arg + "' row " + std::to_string(b) +
                             " has index " + std::to_string(given[i]) + " >= sample size " +
                             std::to_string(row.size()));
      }
      row[i] = given[i];
    }
    ++b;
  };
}

double checked(double value, const char* fn, const char* where) {
  if (!std::isfinite(value)) {
    detail::fail(fn, std::string("the statistic returned a non-finite value (") +
                         std::to_string(value) + ") on " + where);
  }
  return value;
}

void check_common(const Statistic* stat1, const PairedStatistic* stat2, int resamples,
                  CiMethod method, double confidence, std::size_t n, const char* fn) {
  if ((stat1 != nullptr && !*stat1) || (stat2 != nullptr && !*stat2)) {
    detail::fail(fn, "argument 'stat' is empty");
  }
  detail::require_resamples(resamples, fn);
  detail::require_confidence(confidence, fn);
  if (method == CiMethod::kBca && n < 2) {
    detail::fail(fn, "BCa needs at least 2 observations per sample for the jackknife");
  }
}

void check_table(const ResampleIndices& table, const char* fn, const char* arg) {
  if (table.empty()) detail::fail(fn, std::string("argument '") + arg + "' has no resamples");
}

// Leave-one-out: out[i] = stat with observation i of `x` removed, `other` held as given.
template <typename Eval>
std::vector<double> jackknife(std::size_t n, const Eval& eval_without) {
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = eval_without(i);
  return out;
}

std::vector<double> without(const std::vector<double>& x, std::size_t skip) {
  std::vector<double> out;
  out.reserve(x.size() - 1);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i != skip) out.push_back(x[i]);
  }
  return out;
}

BootstrapCi one_sample(const std::vector<double>& x, const Statistic& stat, int resamples,
                       const IndexSource& source, CiMethod method, double confidence,
                       const char* fn) {
  BootstrapDistribution dist;
  dist.estimate = checked(stat(x), fn, "the original sample");
  std::vector<std::size_t> row(x.size());
  std::vector<double> xs(x.size());
  dist.replicates.reserve(static_cast<std::size_t>(resamples));
  for (int b = 0; b < resamples; ++b) {
    source(row);
    for (std::size_t i = 0; i < row.size(); ++i)
      xs[i] = x[row[i]];
    dist.replicates.push_back(checked(stat(xs), fn, "a bootstrap resample"));
  }
  if (method == CiMethod::kBca) {
    dist.jackknife.push_back(jackknife(x.size(), [&](std::size_t i) {
      return checked(stat(without(x, i)), fn, "a jackknife sample");
    }));
  }
  return interval_from_distribution(dist, method, confidence);
}

BootstrapCi paired(const std::vector<double>& a, const std::vector<double>& b,
                   const PairedStatistic& stat, int resamples, const IndexSource& source,
                   CiMethod method, double confidence, const char* fn) {
  BootstrapDistribution dist;
  dist.estimate = checked(stat(a, b), fn, "the original samples");
  std::vector<std::size_t> row(a.size());
  std::vector<double> as(a.size());
  std::vector<double> bs(b.size());
  dist.replicates.reserve(static_cast<std::size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    source(row);
    for (std::size_t i = 0; i < row.size(); ++i) {
      as[i] = a[row[i]];
      bs[i] = b[row[i]];
    }
    dist.replicates.push_back(checked(stat(as, bs), fn, "a bootstrap resample"));
  }
  if (method == CiMethod::kBca) {
    dist.jackknife.push_back(jackknife(a.size(), [&](std::size_t i) {
      return checked(stat(without(a, i), without(b, i)), fn, "a jackknife sample");
    }));
  }
  return interval_from_distribution(dist, method, confidence);
}

BootstrapCi two_sample(const std::vector<double>& a, const std::vector<double>& b,
                       const PairedStatistic& stat, int resamples, const IndexSource& source_a,
                       const IndexSource& source_b, CiMethod method, double confidence,
                       const char* fn) {
  BootstrapDistribution dist;
  dist.estimate = checked(stat(a, b), fn, "the original samples");
  std::vector<std::size_t> row_a(a.size());
  std::vector<std::size_t> row_b(b.size());
  std::vector<double> as(a.size());
  std::vector<double> bs(b.size());
  dist.replicates.reserve(static_cast<std::size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    source_a(row_a);
    source_b(row_b);
    for (std::size_t i = 0; i < row_a.size(); ++i)
      as[i] = a[row_a[i]];
    for (std::size_t i = 0; i < row_b.size(); ++i)
      bs[i] = b[row_b[i]];
    dist.replicates.push_back(checked(stat(as, bs), fn, "a bootstrap resample"));
  }
  if (method == CiMethod::kBca) {
    dist.jackknife.push_back(jackknife(a.size(), [&](std::size_t i) {
      return checked(stat(without(a, i), b), fn, "a jackknife sample");
    }));
    dist.jackknife.push_back(jackknife(b.size(), [&](std::size_t i) {
      return checked(stat(a, without(b, i)), fn, "a jackknife sample");
    }));
  }
  return interval_from_distribution(dist, method, confidence);
}

}  // namespace

BootstrapCi bootstrap_ci(const std::vector<double>& x, const Statistic& stat,
                         const BootstrapOptions& opt) {
  constexpr const char* kFn = "bootstrap_ci";
  detail::require_sample(x, kFn, "x");
  check_common(&stat, nullptr, opt.resamples, opt.method, opt.confidence, x.size(), kFn);
  Rng rng(opt.seed);
  return one_sample(x, stat, opt.resamples, from_rng(rng), opt.method, opt.confidence, kFn);
}

BootstrapCi paired_bootstrap_ci(const std::vector<double>& a, const std::vector<double>& b,
                                const PairedStatistic& stat, const BootstrapOptions& opt) {
  constexpr const char* kFn = "paired_bootstrap_ci";
  detail::require_sample(a, kFn, "a");
  detail::require_sample(b, kFn, "b");
  detail::require_same_length(a, b, kFn);
  check_common(nullptr, &stat, opt.resamples, opt.method, opt.confidence, a.size(), kFn);
  Rng rng(opt.seed);
  return paired(a, b, stat, opt.resamples, from_rng(rng), opt.method, opt.confidence, kFn);
}

BootstrapCi two_sample_bootstrap_ci(const std::vector<double>& a, const std::vector<double>& b,
                                    const PairedStatistic& stat, const BootstrapOptions& opt) {
  constexpr const char* kFn = "two_sample_bootstrap_ci";
  detail::require_sample(a, kFn, "a");
  detail::require_sample(b, kFn, "b");
  check_common(nullptr, &stat, opt.resamples, opt.method, opt.confidence,
               std::min(a.size(), b.size()), kFn);
  Rng rng(opt.seed);
  const IndexSource source = from_rng(rng);
  return two_sample(a, b, stat, opt.resamples, source, source, opt.method, opt.confidence, kFn);
}

BootstrapCi bootstrap_ci_from_indices(const std::vector<double>& x, const Statistic& stat,
                                      const ResampleIndices& indices, CiMethod method,
                                      double confidence) {
  constexpr const char* kFn = "bootstrap_ci_from_indices";
  detail::require_sample(x, kFn, "x");
  check_table(indices, kFn, "indices");
  check_common(&stat, nullptr, static_cast<int>(indices.size()), method, confidence, x.size(), kFn);
  return one_sample(x, stat, static_cast<int>(indices.size()), from_table(indices, kFn, "indices"),
                    method, confidence, kFn);
}

BootstrapCi paired_bootstrap_ci_from_indices(const std::vector<double>& a,
                                             const std::vector<double>& b,
                                             const PairedStatistic& stat,
                                             const ResampleIndices& indices, CiMethod method,
                                             double confidence) {
  constexpr const char* kFn = "paired_bootstrap_ci_from_indices";
  detail::require_sample(a, kFn, "a");
  detail::require_sample(b, kFn, "b");
  detail::require_same_length(a, b, kFn);
  check_table(indices, kFn, "indices");
  check_common(nullptr, &stat, static_cast<int>(indices.size()), method, confidence, a.size(), kFn);
  return paired(a, b, stat, static_cast<int>(indices.size()), from_table(indices, kFn, "indices"),
                method, confidence, kFn);
}

BootstrapCi two_sample_bootstrap_ci_from_indices(const std::vector<double>& a,
                                                 const std::vector<double>& b,
                                                 const PairedStatistic& stat,
                                                 const ResampleIndices& indices_a,
                                                 const ResampleIndices& indices_b, CiMethod method,
                                                 double confidence) {
  constexpr const char* kFn = "two_sample_bootstrap_ci_from_indices";
  detail::require_sample(a, kFn, "a");
  detail::require_sample(b, kFn, "b");
  check_table(indices_a, kFn, "indices_a");
  if (indices_b.size() != indices_a.size()) {
    detail::fail(kFn, "arguments 'indices_a' and 'indices_b' have different numbers of resamples");
  }
  check_common(nullptr, &stat, static_cast<int>(indices_a.size()), method, confidence,
               std::min(a.size(), b.size()), kFn);
  return two_sample(a, b, stat, static_cast<int>(indices_a.size()),
                    from_table(indices_a, kFn, "indices_a"),
                    from_table(indices_b, kFn, "indices_b"), method, confidence, kFn);
}

}  // namespace claimcheck::stats
