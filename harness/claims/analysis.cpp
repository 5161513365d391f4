#include "harness/claims/analysis.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "harness/env/seed.h"
#include "harness/stats/descriptives.h"
#include "harness/stats/expected_max.h"
#include "harness/stats/improvement.h"
#include "harness/stats/multiplicity.h"
#include "harness/stats/permutation.h"
#include "harness/stats/power.h"
#include "harness/stats/rng.h"
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

std::vector<double> shifted(const std::vector<double>& v, double by) {
  std::vector<double> out(v);
  for (double& x : out)
    x += by;
  return out;
}

double metric_of(const nlohmann::json& record, const std::string& metric) {
  const nlohmann::json& value = record.at("metrics").at(metric);
  if (!value.is_number()) {
    // JSON has no NaN/inf: the store holds them as null. Only a diverged run produces them.
    throw std::runtime_error(
        "run " + record.value("arm", std::string("?")) + " " +
        record.value("role", std::string("?")) + " " + std::to_string(record.value("index", -1)) +
        ": metric '" + metric +
        "' is not finite (the run diverged); a hypothesis on this metric cannot be decided. Use a "
        "metric a diverged run still has (test_accuracy) or narrow the learning-rate range");
  }
  return value.get<double>();
}

}  // namespace

ClaimAnalysis analyze(const ClaimSpec& spec, const std::string& profile_name,
                      const std::vector<RunSpec>& runs,
                      const std::map<std::string, nlohmann::json>& records_by_key) {
  const ProfileSpec& profile = spec.profile(profile_name);
  ClaimAnalysis out;
  out.claim = spec.id;
  out.title = spec.title;
  out.profile = profile_name;
  out.spec_hash = spec_hash(spec, profile_name);
  out.alpha = profile.alpha;

  // Units of each arm, by role and index, from the store.
  std::map<std::pair<std::string, RunRole>, std::map<int, const nlohmann::json*>> units;
  std::vector<std::string> missing;
  for (const auto& run : runs) {
    const auto it = records_by_key.find(run.key());
    if (it == records_by_key.end()) {
      missing.push_back(run.arm + " " + to_string(run.role) + " " + std::to_string(run.index));
      continue;
    }
    units[{run.arm, run.role}][run.index] = &it->second;
    nlohmann::json entry = {{"arm", run.arm},
                            {"role", to_string(run.role)},
                            {"index", run.index},
                            {"config", run.config()},
                            {"metrics", it->second.at("metrics")}};
    out.runs[run.key()] = entry;
    out.train_seconds += it->second.value("wall_seconds", 0.0);
    if (out.fingerprint.is_null())
      out.fingerprint = it->second.value("fingerprint", nlohmann::json());
  }
  if (!missing.empty()) {
    throw std::runtime_error(
        spec.id + " (" + profile_name + "): " + std::to_string(missing.size()) +
        " runs are not in the store (first: " + missing.front() + "); run `claimcheck run " +
        spec.id + " --profile " + profile_name + "` to train them");
  }
  auto values = [&](const std::string& arm, RunRole role, const std::string& metric) {
    std::vector<double> v;
    for (const auto& [index, record] : units[{arm, role}])
      v.push_back(metric_of(*record, metric));
    return v;
  };

  std::vector<double> p_values;
  for (const auto& h : spec.hypotheses) {
    HypothesisResult r;
    r.spec = h;
    const RunRole role = h.design == Design::kPaired ? RunRole::kReplicate : RunRole::kTrial;
    r.treatment_units = values(h.treatment, role, h.metric);
    r.control_units = values(h.control, role, h.metric);
    r.n = static_cast<int>(r.treatment_units.size());
    // Every resample draws from a generator seeded from the claim and hypothesis ids.
    stats::BootstrapOptions opt;
    opt.resamples = profile.resamples;
    opt.confidence = 1.0 - profile.alpha;
    opt.seed = env::derive_seed(spec.id, "bootstrap:" + h.id, 0);
    const double b = boundary(h);
    if (h.design == Design::kPaired) {
      r.treatment_value = stats::mean(r.treatment_units);
      r.control_value = stats::mean(r.control_units);
      r.ci = stats::paired_bootstrap_ci(
          r.treatment_units, r.control_units,
          [](const std::vector<double>& a, const std::vector<double>& c) {
            return stats::mean(a) - stats::mean(c);
          },
          opt);
      const stats::TTestResult t = stats::paired_t(r.treatment_units, r.control_units,
                                                   stats::Alternative::kTwoSided, opt.confidence);
      r.t_lo = t.lo;
      r.t_hi = t.hi;
      if (h.kind == stats::HypothesisKind::kEquivalence) {
        r.p_value = stats::paired_tost(r.treatment_units, r.control_units, h.margin).p;
      } else {
        r.p_value = stats::paired_t(r.treatment_units, shifted(r.control_units, b)).p;
      }
      std::vector<double> d(r.treatment_units.size());
      for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = r.treatment_units[i] - r.control_units[i];
      const double sd = stats::sd(d);
      const double target = h.margin > 0 ? h.margin : std::abs(r.ci.estimate);
      if (sd > 0 && target > 0) {
        try {
          r.seeds_needed = stats::seeds_needed(target, sd).seeds;
        } catch (const std::invalid_argument&) {
          r.note = "the observed effect is ~0 relative to its spread (over 1e9 seeds to detect)";
        }
      }
    } else {
      r.treatment_value = stats::expected_max_tang(r.treatment_units, h.k);
      r.control_value = stats::expected_max_tang(r.control_units, h.k);
      r.ci = stats::paired_expected_max_difference(r.treatment_units, r.control_units, h.k, opt);
      // Within-trial swap test of the expected-max difference: under H0 the two arms of a
      // trial (which share its hyperparameter draw) are exchangeable.
      stats::PermutationOptions perm;
      perm.resamples = profile.resamples;
      perm.seed = env::derive_seed(spec.id, "permutation:" + h.id, 0);
      const int k = h.k;
      r.p_value = stats::paired_swap_permutation_test(
                      r.treatment_units, r.control_units,
                      [k](const std::vector<double>& a, const std::vector<double>& c) {
                        return stats::expected_max_tang(a, k) - stats::expected_max_tang(c, k);
                      },
                      perm)
                      .p;
    }
    r.win_rate = stats::paired_win_rate(r.treatment_units, r.control_units);
    r.ci_verdict = stats::decide({r.ci.lo, r.ci.hi}, h.kind, h.direction, h.margin);
    if (r.ci.degenerate) r.note = r.ci.note;
    p_values.push_back(r.p_value);
    out.hypotheses.push_back(r);
  }
  // Holm across the claim's hypotheses: a verdict the CI decides stands only if its adjusted p
  // is below alpha too; otherwise it is inconclusive (never a silent pass).
  const std::vector<double> holm = stats::holm(p_values);
  for (std::size_t i = 0; i < out.hypotheses.size(); ++i) {
    HypothesisResult& r = out.hypotheses[i];
    r.holm_p = holm[i];
    r.verdict = r.ci_verdict;
    if (r.ci_verdict != stats::Verdict::kInconclusive && r.holm_p >= profile.alpha) {
      r.verdict = stats::Verdict::kInconclusive;
      r.note += (r.note.empty() ? "" : "; ") + std::string("the CI decides (") +
                stats::to_string(r.ci_verdict) + ") but Holm-adjusted p " +
                std::to_string(r.holm_p) + " >= alpha";
    }
    // Power (STATISTICS.md, Guenther): an undecided paired hypothesis whose seed budget could not
    // detect the margin (or, with margin 0, an effect of the observed size) says so.
    if (r.verdict == stats::Verdict::kInconclusive && r.seeds_needed && *r.seeds_needed > r.n) {
      r.note += (r.note.empty() ? "" : "; ") + std::string("underpowered: ~") +
                std::to_string(*r.seeds_needed) + " seeds needed to detect an effect of " +
                (r.spec.margin > 0 ? "the margin's size" : "the observed size") +
                " at 80% power, " + std::to_string(r.n) + " used";
    }
  }

  for (const auto& a : spec.arms) {
    ArmSummary s;
    s.name = a.name;
    s.metric = spec.hypotheses.front().metric;
    s.source_value = a.source_value;
    const std::vector<double> reps = values(a.name, RunRole::kReplicate, s.metric);
    s.replicates = static_cast<int>(reps.size());
    if (!reps.empty()) s.mean = stats::mean(reps);
    if (reps.size() > 1) s.sd = stats::sd(reps);
    for (const auto& role : {RunRole::kReplicate, RunRole::kTrial}) {
      for (const auto& [index, record] : units[{a.name, role}])
        s.diverged += record->value("diverged", false) ? 1 : 0;
    }
    const std::vector<double> trials = values(a.name, RunRole::kTrial, s.metric);
    s.trials = static_cast<int>(trials.size());
    if (!trials.empty()) s.best_trial = *std::max_element(trials.begin(), trials.end());
    if (s.replicates + s.trials > 0) out.arms.push_back(s);
  }

  if (spec.source_bootstrap_of_max) {
    const auto& src = *spec.source_bootstrap_of_max;
    for (const auto& arm : src.arms) {
      const std::vector<double> trials = values(arm, RunRole::kTrial, src.metric);
      for (int k : src.k) {
        // The source had only k trials: take our first k and bootstrap the max of resamples.
        const std::vector<double> first(trials.begin(),
                                        trials.begin() + std::min<std::size_t>(k, trials.size()));
        stats::BootstrapOptions opt;
        opt.resamples = src.resamples;
        opt.confidence = src.confidence;
        opt.method = stats::CiMethod::kPercentile;
        opt.seed = env::derive_seed(spec.id, "source-max:" + arm, k);
        SourceMaxResult m;
        m.arm = arm;
        m.k = k;
        m.observed_max = *std::max_element(first.begin(), first.end());
        m.ci = stats::bootstrap_ci(
            first,
            [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); },
            opt);
        out.source_max.push_back(m);
      }
    }
  }
  return out;
}

nlohmann::json to_json(const ClaimAnalysis& a) {
  nlohmann::json hyps = nlohmann::json::array();
  for (const auto& r : a.hypotheses) {
    const HypothesisSpec& h = r.spec;
    nlohmann::json j = to_json(h);
    j.update({{"n", r.n},
              {"treatment_value", r.treatment_value},
              {"control_value", r.control_value},
              {"estimate", r.ci.estimate},
              {"ci",
               {{"lo", r.ci.lo},
                {"hi", r.ci.hi},
                {"method", stats::to_string(r.ci.method)},
                {"confidence", r.ci.confidence},
                {"resamples", r.ci.resamples},
                {"degenerate", r.ci.degenerate}}},
              {"p_value", r.p_value},
              {"holm_p", r.holm_p},
              {"win_rate", r.win_rate},
              {"ci_verdict", stats::to_string(r.ci_verdict)},
              {"verdict", stats::to_string(r.verdict)},
              {"treatment_units", r.treatment_units},
              {"control_units", r.control_units},
              {"note", r.note}});
    if (h.design == Design::kPaired) {
      j["t_interval"] = {{"lo", r.t_lo}, {"hi", r.t_hi}};
      j["seeds_needed"] = r.seeds_needed ? nlohmann::json(*r.seeds_needed) : nlohmann::json();
    }
    hyps.push_back(j);
  }
  nlohmann::json arms = nlohmann::json::array();
  for (const auto& s : a.arms) {
    nlohmann::json j = {{"name", s.name},
                        {"metric", s.metric},
                        {"replicates", s.replicates},
                        {"mean", s.mean},
                        {"sd", s.sd},
                        {"diverged", s.diverged},
                        {"trials", s.trials},
                        {"best_trial", s.best_trial}};
    if (s.source_value) j["source_value"] = *s.source_value;
    arms.push_back(j);
  }
  nlohmann::json source_max = nlohmann::json::array();
  for (const auto& m : a.source_max) {
    source_max.push_back({{"arm", m.arm},
                          {"k", m.k},
                          {"observed_max", m.observed_max},
                          {"ci", {{"lo", m.ci.lo}, {"hi", m.ci.hi}, {"method", "percentile"}}},
                          {"degenerate", m.ci.degenerate}});
  }
  return {{"claim", a.claim},     {"title", a.title},
          {"profile", a.profile}, {"spec_hash", a.spec_hash},
          {"alpha", a.alpha},     {"hypotheses", hyps},
          {"arms", arms},         {"source_bootstrap_of_max", source_max},
          {"runs", a.runs},       {"fingerprint", a.fingerprint}};
}

}  // namespace claimcheck::claims
