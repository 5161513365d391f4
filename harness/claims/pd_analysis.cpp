#include "harness/claims/pd_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/stats/descriptives.h"
#include "harness/stats/pd_inference.h"
#include "harness/stats/permutation.h"
#include "harness/stats/rng.h"

namespace claimcheck::claims {
namespace {

// The upper triangle of a PD matrix, row-major: the per-pair values reported as units.
std::vector<double> upper_triangle(const stats::PairwiseDifferences& m) {
  std::vector<double> out;
  for (std::size_t i = 0; i < m.models; ++i)
    for (std::size_t j = i + 1; j < m.models; ++j)
      out.push_back(m.at(i, j));
  return out;
}

stats::PairwiseDifferences difference(const stats::PairwiseDifferences& a,
                                      const stats::PairwiseDifferences& b) {
  if (a.models != b.models) {
    throw std::invalid_argument("prediction difference: the two arms have different seed counts (" +
                                std::to_string(a.models) + ", " + std::to_string(b.models) + ")");
  }
  stats::PairwiseDifferences d{a.models, std::vector<double>(a.d.size())};
  for (std::size_t i = 0; i < a.d.size(); ++i)
    d.d[i] = a.d[i] - b.d[i];
  return d;
}

// Paired swap permutation test of PD(A) − PD(B) on the pooled (2M x 2M) matrix of A's models
// then B's: replicate i of both arms shares its seeds, so under H0 (the arms' PDs do not differ)
// A_i and B_i are exchangeable and each seed's pair is swapped or not. Permuting labels across
// seeds instead would pair models that share a seed with models that do not, whose PD is much
// lower, and so break the null. Exact over all 2^M patterns when 2^M <= max(8192, resamples).
double paired_swap_pd_p(const stats::PairwiseDifferences& pooled, std::size_t m,
                        const TestSettings& s) {
  const double pairs = static_cast<double>(m * (m - 1) / 2);
  auto statistic = [&](std::uint64_t swapped) {
    double a = 0.0;
    double b = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
      const bool si = ((swapped >> i) & 1U) != 0;
      for (std::size_t j = i + 1; j < m; ++j) {
        const bool sj = ((swapped >> j) & 1U) != 0;
        a += pooled.at(si ? m + i : i, sj ? m + j : j);
        b += pooled.at(si ? i : m + i, sj ? j : m + j);
      }
    }
    return (a - b) / pairs;
  };
  stats::PermutationTally tally(statistic(0));
  const long long all = m < 62 ? (1LL << m) : -1;
  if (all > 0 && all <= std::max<long long>(stats::kExactArrangements, s.resamples)) {
    for (long long mask = 0; mask < all; ++mask)
      tally.add(statistic(static_cast<std::uint64_t>(mask)));
    return tally.p(all, /*exact=*/true, stats::Alternative::kTwoSided);
  }
  stats::Rng rng(s.permutation_seed);
  for (int b = 0; b < s.resamples; ++b) {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < m; ++i)
      mask |= static_cast<std::uint64_t>(rng.uniform_int(2)) << i;
    tally.add(statistic(mask));
  }
  return tally.p(s.resamples, /*exact=*/false, stats::Alternative::kTwoSided);
}

// One pairwise comparison PD(a) − PD(b): BCa CI over seeds, paired swap p, verdict.
struct PairTest {
  stats::BootstrapCi ci{};
  double p = 1.0;
  stats::Verdict verdict = stats::Verdict::kInconclusive;
};

PairTest pair_test(const std::string& a, const std::string& b, const HypothesisSpec& h,
                   PdTables& tables, const TestSettings& s, stats::Direction direction) {
  const stats::PdMeasure measure = h.pd->measure;
  const stats::PairwiseDifferences d =
      difference(tables.matrix(a, measure), tables.matrix(b, measure));
  stats::BootstrapOptions opt;
  opt.resamples = s.resamples;
  opt.confidence = 1.0 - s.alpha;
  opt.seed = s.bootstrap_seed;
  PairTest t;
  t.ci = stats::pd_bootstrap_ci(d, opt);
  t.p = paired_swap_pd_p(tables.pooled(a, b, measure), tables.seeds(a), s);
  t.verdict =
      stats::decide({t.ci.lo, t.ci.hi}, stats::HypothesisKind::kSuperiority, direction, h.margin);
  return t;
}

// Coefficient of variation (population sd / mean) of values.
double cv(const std::vector<double>& v) {
  const double m = stats::mean(v);
  double ss = 0.0;
  for (double x : v)
    ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size())) / m;
}

// Mean over the pairs (k < l) of resampled seeds that hold distinct seeds.
double resampled_mean(const stats::PairwiseDifferences& m, const std::vector<std::size_t>& s) {
  double sum = 0.0;
  std::size_t pairs = 0;
  for (std::size_t k = 0; k < s.size(); ++k)
    for (std::size_t l = k + 1; l < s.size(); ++l) {
      if (s[k] == s[l]) continue;
      sum += m.at(s[k], s[l]);
      ++pairs;
    }
  return sum / static_cast<double>(pairs);
}

}  // namespace

PdTables::PdTables(const std::vector<RunSpec>& runs,
                   const std::map<std::string, nlohmann::json>& records, PredictionLoader loader)
    : records_(records), loader_(std::move(loader)) {
  std::map<std::string, std::map<int, const RunSpec*>> by_arm;
  for (const auto& r : runs) {
    if (r.role == RunRole::kReplicate) by_arm[r.arm][r.index] = &r;
  }
  for (const auto& [arm, runs_by_index] : by_arm) {
    for (const auto& [index, run] : runs_by_index)
      replicates_[arm].push_back(run);
  }
}

const std::vector<stats::ProbMatrix>& PdTables::models(const std::string& arm) {
  const auto cached = models_.find(arm);
  if (cached != models_.end()) return cached->second;
  std::vector<stats::ProbMatrix> out;
  for (const RunSpec* run : replicates_.at(arm)) {
    LoadedPredictions p = loader_(*run, records_.at(run->key()));
    // Every run must have predicted on the same inputs: the one fixed evaluation set.
    if (eval_hash_.empty()) {
      eval_hash_ = p.eval_hash;
      labels_ = p.labels;
    } else if (p.eval_hash != eval_hash_ || p.labels != labels_) {
      throw std::runtime_error("run " + run->arm + " replicate " + std::to_string(run->index) +
                               " predicted on another evaluation set (hash " + p.eval_hash +
                               ", expected " + eval_hash_ + "): retrain it");
    }
    out.push_back(std::move(p.probabilities));
  }
  return models_.emplace(arm, std::move(out)).first->second;
}

const stats::PairwiseDifferences& PdTables::matrix(const std::string& arm,
                                                   stats::PdMeasure measure) {
  const auto key = std::make_pair(arm, measure);
  const auto it = matrices_.find(key);
  if (it != matrices_.end()) return it->second;
  const auto& m = models(arm);
  return matrices_.emplace(key, stats::pairwise_prediction_differences(m, measure, labels_))
      .first->second;
}

double PdTables::mean(const std::string& arm, stats::PdMeasure measure) {
  return stats::mean_over_pairs(matrix(arm, measure));
}

std::size_t PdTables::seeds(const std::string& arm) {
  return models(arm).size();
}

stats::PairwiseDifferences PdTables::pooled(const std::string& a, const std::string& b,
                                            stats::PdMeasure measure) {
  std::vector<stats::ProbMatrix> all = models(a);
  const auto& more = models(b);
  all.insert(all.end(), more.begin(), more.end());
  return stats::pairwise_prediction_differences(all, measure, labels_);
}

HypothesisResult test_pd_hypothesis(const HypothesisSpec& h, PdTables& tables,
                                    const TestSettings& s) {
  HypothesisResult r;
  r.spec = h;
  const stats::PdMeasure measure = h.pd->measure;
  for (const auto& arm : h.arms_used()) {
    TermUnits t;
    t.arm = arm;
    t.weight = h.pd->form == PdForm::kPair ? (arm == h.treatment() ? 1.0 : -1.0) : 0.0;
    t.values = upper_triangle(tables.matrix(arm, measure));
    t.value = tables.mean(arm, measure);
    r.terms.push_back(t);
  }
  r.n = static_cast<int>(tables.seeds(h.arms_used().front()));
  if (h.pd->form == PdForm::kPair) {
    const PairTest t = pair_test(h.treatment(), h.control(), h, tables, s, h.direction);
    r.ci = t.ci;
    r.p_value = t.p;
    r.ci_verdict = t.verdict;
    r.units = upper_triangle(
        difference(tables.matrix(h.treatment(), measure), tables.matrix(h.control(), measure)));
  } else if (h.pd->form == PdForm::kExtreme) {
    // Intersection-union: supported only if the focus arm beats every other arm; refuted if
    // some other arm beats it; the least favourable comparison is the one reported.
    bool all_supported = true;
    bool any_refuted = false;
    double worst = -INFINITY;
    r.p_value = 0.0;
    const double sign = h.direction == stats::Direction::kLess ? 1.0 : -1.0;
    for (const auto& other : h.pd->others) {
      const PairTest t = pair_test(h.pd->focus, other, h, tables, s, h.direction);
      all_supported = all_supported && t.verdict == stats::Verdict::kSupported;
      any_refuted = any_refuted || t.verdict == stats::Verdict::kRefuted;
      r.p_value = std::max(r.p_value, t.p);
      if (sign * t.ci.estimate > worst) {
        worst = sign * t.ci.estimate;
        r.ci = t.ci;
        r.note = "least favourable comparison: against " + other;
      }
    }
    r.ci_verdict = any_refuted     ? stats::Verdict::kRefuted
                   : all_supported ? stats::Verdict::kSupported
                                   : stats::Verdict::kInconclusive;
  } else {
    std::vector<double> means;
    for (const auto& arm : h.pd->others)
      means.push_back(tables.mean(arm, measure));
    const double observed = cv(means);
    const std::size_t m = tables.seeds(h.pd->others.front());
    stats::Rng rng(s.bootstrap_seed);
    std::vector<double> replicates;
    std::vector<std::size_t> seeds(m);
    for (int b = 0; b < s.resamples; ++b) {
      // Joint resample of seed indices (the arms share seeds); a draw of one seed only has no
      // pair and is redrawn, as the library's self-pair-free bootstrap does.
      do {
        for (auto& x : seeds)
          x = static_cast<std::size_t>(rng.uniform_int(m));
      } while (
          std::all_of(seeds.begin(), seeds.end(), [&](std::size_t x) { return x == seeds[0]; }));
      std::vector<double> boot;
      for (const auto& arm : h.pd->others)
        boot.push_back(resampled_mean(tables.matrix(arm, measure), seeds));
      replicates.push_back(cv(boot));
    }
    std::sort(replicates.begin(), replicates.end());
    const double lo = stats::quantile_sorted(replicates, s.alpha / 2.0);
    const double hi = stats::quantile_sorted(replicates, 1.0 - s.alpha / 2.0);
    r.ci = {observed, lo, hi, stats::CiMethod::kPercentile, s.resamples, 1.0 - s.alpha, false, ""};
    const double at_or_above = static_cast<double>(std::count_if(
        replicates.begin(), replicates.end(), [&](double x) { return x >= h.pd->bound; }));
    const double below = static_cast<double>(replicates.size()) - at_or_above;
    r.p_value = std::min(1.0, 2.0 * (std::min(at_or_above, below) + 1.0) /
                                  (static_cast<double>(replicates.size()) + 1.0));
    r.ci_verdict = hi < h.pd->bound   ? stats::Verdict::kSupported
                   : lo > h.pd->bound ? stats::Verdict::kRefuted
                                      : stats::Verdict::kInconclusive;
    r.note = fmt::format("CV of {} arms' PD; bound {:g}", h.pd->others.size(), h.pd->bound);
  }
  return r;
}

}  // namespace claimcheck::claims
