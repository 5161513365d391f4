#include "harness/claims/pd_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/stats/pd_comparison.h"

namespace claimcheck::claims {
namespace {

// One pairwise comparison PD(a) − PD(b): BCa CI over seeds, paired swap p, verdict.
struct PairTest {
  stats::BootstrapCi ci{};
  double p = 1.0;
  stats::Verdict verdict = stats::Verdict::kInconclusive;
};

PairTest pair_test(const std::string& a, const std::string& b, const HypothesisSpec& h,
                   PdTables& tables, const TestSettings& s, stats::Direction direction) {
  const stats::PdMeasure measure = h.pd->measure;
  stats::PdPairOptions opt;
  opt.resamples = s.resamples;
  opt.confidence = 1.0 - s.alpha;
  opt.bootstrap_seed = s.bootstrap_seed;
  opt.permutation_seed = s.permutation_seed;
  const stats::PdPairComparison c = stats::compare_pd_pair(
      tables.matrix(a, measure), tables.matrix(b, measure), tables.pooled(a, b, measure), opt);
  PairTest t;
  t.ci = c.ci;
  t.p = c.test.p;
  t.verdict =
      stats::decide({t.ci.lo, t.ci.hi}, stats::HypothesisKind::kSuperiority, direction, h.margin);
  return t;
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
    t.values = stats::pd_upper_triangle(tables.matrix(arm, measure));
    t.value = tables.mean(arm, measure);
    r.terms.push_back(t);
  }
  r.n = static_cast<int>(tables.seeds(h.arms_used().front()));
  if (h.pd->form == PdForm::kPair) {
    const PairTest t = pair_test(h.treatment(), h.control(), h, tables, s, h.direction);
    r.ci = t.ci;
    r.p_value = t.p;
    r.ci_verdict = t.verdict;
    r.units = stats::pd_upper_triangle(stats::pd_matrix_difference(
        tables.matrix(h.treatment(), measure), tables.matrix(h.control(), measure)));
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
    std::vector<stats::PairwiseDifferences> arms;
    for (const auto& arm : h.pd->others)
      arms.push_back(tables.matrix(arm, measure));
    stats::PdCvOptions opt;
    opt.resamples = s.resamples;
    opt.alpha = s.alpha;
    opt.seed = s.bootstrap_seed;
    const stats::PdCvResult cv = stats::pd_cv_bootstrap(arms, h.pd->bound, opt);
    r.ci = cv.ci;
    r.p_value = cv.p;
    const double lo = cv.ci.lo;
    const double hi = cv.ci.hi;
    r.ci_verdict = hi < h.pd->bound   ? stats::Verdict::kSupported
                   : lo > h.pd->bound ? stats::Verdict::kRefuted
                                      : stats::Verdict::kInconclusive;
    r.note = fmt::format("CV of {} arms' PD; bound {:g}", h.pd->others.size(), h.pd->bound);
  }
  return r;
}

}  // namespace claimcheck::claims
