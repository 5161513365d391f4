#include "harness/claims/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "harness/claims/decision.h"
#include "harness/claims/environment.h"
#include "harness/claims/pd_analysis.h"
#include "harness/claims/sequential_design.h"
#include "harness/env/seed.h"
#include "harness/stats/descriptives.h"
#include "harness/stats/multiplicity.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

std::string run_name(const nlohmann::json& record) {
  return record.value("arm", std::string("?")) + " " + record.value("role", std::string("?")) +
         " " + std::to_string(record.value("index", -1));
}

double metric_of(const nlohmann::json& record, const std::string& metric) {
  const nlohmann::json& metrics = record.at("metrics");
  if (!metrics.contains(metric)) {
    throw MissingMetric("run " + run_name(record) + " has no metric '" + metric +
                            "' (a record written by another version of claimcheck?); `claimcheck "
                            "run` with the same options trains it again",
                        record.value("key", std::string()));
  }
  const nlohmann::json& value = metrics.at(metric);
  if (!value.is_number()) {
    // JSON has no NaN/inf: the store holds them as null. Only a diverged run produces them.
    throw NonFiniteMetric(
        "run " + run_name(record) + ": metric '" + metric +
            "' is not finite (the run diverged); a hypothesis on this metric cannot be decided. "
            "Use a metric a diverged run still has (an accuracy) or narrow the learning-rate range",
        record.value("key", std::string()));
  }
  return value.get<double>();
}

using UnitIndex = std::map<std::pair<std::string, RunRole>, std::map<int, const nlohmann::json*>>;

std::vector<double> values(const UnitIndex& units, const std::string& arm, RunRole role,
                           const std::string& metric) {
  std::vector<double> v;
  const auto it = units.find({arm, role});
  if (it == units.end()) return v;
  for (const auto& [index, record] : it->second)
    v.push_back(metric_of(*record, metric));
  return v;
}

std::vector<SourceMaxResult> source_bootstrap_of_max(const ClaimSpec& spec,
                                                     const UnitIndex& units) {
  std::vector<SourceMaxResult> out;
  const auto& src = *spec.source_bootstrap_of_max;
  for (const auto& arm : src.arms) {
    const std::vector<double> trials = values(units, arm, RunRole::kTrial, src.metric);
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
          first, [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); },
          opt);
      out.push_back(m);
    }
  }
  return out;
}

}  // namespace

MissingRuns::MissingRuns(std::string claim_id, std::string profile_name,
                         std::vector<std::string> missing_runs, std::size_t planned_runs)
    : std::runtime_error(
          claim_id + " (" + profile_name + "): " + std::to_string(missing_runs.size()) + " of " +
          std::to_string(planned_runs) +
          " runs are not in the store (first: " + missing_runs.front() + "); run `claimcheck run " +
          claim_id + " --profile " + profile_name + "` to train them"),
      claim(std::move(claim_id)),
      profile(std::move(profile_name)),
      missing(std::move(missing_runs)),
      planned(planned_runs) {}

namespace {

// Joins the runs with their records: each arm's units by role and index, and the analysis's
// run table, wall time and fingerprint. Throws MissingRuns naming every run not stored.
UnitIndex join_runs(const ProfilePlan& plan, const std::vector<RunSpec>& runs,
                    const std::map<std::string, nlohmann::json>& records_by_key,
                    ClaimAnalysis& out) {
  UnitIndex units;
  std::vector<std::string> missing;
  EnvironmentTally environments;
  std::set<std::string> tallied;  // identical arms share a run (and its record)
  for (const auto& run : runs) {
    const auto it = records_by_key.find(run.key());
    if (it == records_by_key.end()) {
      missing.push_back(run.arm + " " + to_string(run.role) + " " + std::to_string(run.index));
      continue;
    }
    units[{run.arm, run.role}][run.index] = &it->second;
    out.runs[run.key()] = {{"arm", run.arm},
                           {"role", to_string(run.role)},
                           {"index", run.index},
                           {"config", run.config()},
                           {"metrics", it->second.at("metrics")},
                           {"diverged", it->second.value("diverged", false)}};
    out.train_seconds += it->second.value("wall_seconds", 0.0);
    if (out.fingerprint.is_null())
      out.fingerprint = it->second.value("fingerprint", nlohmann::json());
    if (tallied.insert(run.key()).second)
      environments.add(it->second.value("fingerprint", nlohmann::json()), run.device_type);
  }
  out.environments = environments.to_json();
  if (!missing.empty()) throw MissingRuns(plan.claim().id, plan.profile, missing, runs.size());
  return units;
}

// Decides every hypothesis of the plan from its units (Holm is applied after, by the caller).
// `pd_used` collects the (arm, measure) pairs the prediction-difference hypotheses read.
void test_all(const ProfilePlan& plan, const UnitIndex& units, PdTables& pd_tables,
              const SequentialState& design, ClaimAnalysis& out,
              std::set<std::pair<std::string, stats::PdMeasure>>& pd_used) {
  const ClaimSpec& spec = plan.claim();
  for (const auto& h : plan.hypotheses) {
    TestSettings settings;
    settings.alpha = plan.settings->alpha;
    settings.resamples = plan.settings->resamples;
    // Every resample draws from a generator seeded from the claim and hypothesis ids.
    settings.bootstrap_seed = env::derive_seed(spec.id, "bootstrap:" + h.id, 0);
    settings.permutation_seed = env::derive_seed(spec.id, "permutation:" + h.id, 0);
    if (h.design == Design::kPredictionDifference) {
      out.hypotheses.push_back(test_pd_hypothesis(h, pd_tables, settings));
      for (const auto& arm : h.arms_used())
        pd_used.insert({arm, h.pd->measure});
      continue;
    }
    const RunRole role = h.design == Design::kPaired ? RunRole::kReplicate : RunRole::kTrial;
    std::vector<TermUnits> terms;
    for (const auto& term : h.contrast)
      terms.push_back({term.arm, term.weight, values(units, term.arm, role, h.metric)});
    if (plan.sequential() && h.design == Design::kPaired) {
      // Truncated to the seeds at which the design stopped this hypothesis (an arm shared with
      // a hypothesis that went on has more).
      const int stop = design.stop.at(h.id);
      for (auto& t : terms)
        t.values.resize(std::min<std::size_t>(t.values.size(), static_cast<std::size_t>(stop)));
      out.hypotheses.push_back(test_sequentially(plan, h, std::move(terms), settings));
      continue;
    }
    out.hypotheses.push_back(test_hypothesis(h, std::move(terms), settings));
  }
}

// Holm across the claim's hypotheses: a verdict the CI decides stands only if its adjusted p is
// below alpha too; otherwise it is inconclusive (never a silent pass). A sequential hypothesis
// was decided by its confidence sequence at alpha/m already (Bonferroni, holm_p set by
// test_sequentially).
void apply_holm(double alpha, std::vector<HypothesisResult>& hypotheses) {
  std::vector<double> p_values;
  for (const auto& r : hypotheses)
    p_values.push_back(r.p_value);
  const std::vector<double> holm = stats::holm(p_values);
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    HypothesisResult& r = hypotheses[i];
    if (r.sequential) {
      r.verdict = r.ci_verdict;
      continue;
    }
    r.holm_p = holm[i];
    r.verdict = r.ci_verdict;
    auto add_note = [&r](const std::string& text) {
      r.note += (r.note.empty() ? "" : "; ") + text;
    };
    if (r.ci_verdict != stats::Verdict::kInconclusive && r.holm_p >= alpha) {
      r.verdict = stats::Verdict::kInconclusive;
      add_note(fmt::format("the CI decides ({}) but Holm-adjusted p {:.4g} >= alpha",
                           stats::to_string(r.ci_verdict), r.holm_p));
    }
    // Power at the smallest effect of interest (STATISTICS.md, Power): an undecided hypothesis
    // whose design could not detect that effect says so.
    if (r.verdict == stats::Verdict::kInconclusive && r.power && *r.power < 0.8) {
      add_note(fmt::format(
          "underpowered: power {:.2f} to detect an effect of {:g} (paired t approximation with "
          "the observed sd); ~{} seeds needed for 80%, {} used",
          *r.power, *r.spec.effect_of_interest(), r.seeds_needed.value_or(0), r.n));
    }
  }
}

// The spec's tallies over the decided hypotheses (a tally none of whose hypotheses is in this
// profile is left out).
std::vector<TallyResult> tallies_of(const ClaimSpec& spec,
                                    const std::vector<HypothesisResult>& hypotheses) {
  std::vector<TallyResult> out;
  for (const auto& t : spec.tallies) {
    TallyResult tally;
    tally.spec = t;
    for (const auto& r : hypotheses) {
      if (std::find(t.hypotheses.begin(), t.hypotheses.end(), r.spec.id) == t.hypotheses.end()) {
        continue;
      }
      ++(r.verdict == stats::Verdict::kSupported ? tally.supported
         : r.verdict == stats::Verdict::kRefuted ? tally.refuted
                                                 : tally.inconclusive);
    }
    if (tally.supported + tally.refuted + tally.inconclusive > 0) out.push_back(tally);
  }
  return out;
}

// One arm's summary on `metric`: its replicates' mean and sd, every task metric's mean, its
// mean PDs, diverged runs and best search trial.
ArmSummary summarize_arm(const ClaimSpec& spec, const ArmSpec& a, const std::string& metric,
                         const UnitIndex& units, PdTables& pd_tables,
                         const std::set<std::pair<std::string, stats::PdMeasure>>& pd_used) {
  ArmSummary s;
  s.name = a.name;
  s.metric = metric;
  s.source_value = a.source_value;
  s.parameters = a.parameters.total;
  const std::vector<double> reps = values(units, a.name, RunRole::kReplicate, s.metric);
  s.replicates = static_cast<int>(reps.size());
  if (!reps.empty()) s.mean = stats::mean(reps);
  if (reps.size() > 1) s.sd = stats::sd(reps);
  // Every metric of the task beside any PD (a near-unigram model has trivially low PD).
  const auto it = units.find({a.name, RunRole::kReplicate});
  if (it != units.end()) {
    s.replicates = static_cast<int>(it->second.size());
    for (const auto& name : train::metric_names(train::task(spec.task.type))) {
      std::vector<double> v;
      for (const auto& [index, record] : it->second) {
        const nlohmann::json& m = record->at("metrics");
        if (m.contains(name) && m[name].is_number()) v.push_back(m[name].get<double>());
      }
      if (v.size() == it->second.size() && !v.empty()) s.metric_means[name] = stats::mean(v);
    }
  }
  for (const auto& [arm, measure] : pd_used) {
    if (arm == a.name) s.pd[stats::to_string(measure)] = pd_tables.mean(arm, measure);
  }
  for (const auto& role : {RunRole::kReplicate, RunRole::kTrial}) {
    const auto found = units.find({a.name, role});
    if (found == units.end()) continue;
    for (const auto& [index, record] : found->second)
      s.diverged += record->value("diverged", false) ? 1 : 0;
  }
  const std::vector<double> trials = values(units, a.name, RunRole::kTrial, s.metric);
  s.trials = static_cast<int>(trials.size());
  if (!trials.empty()) s.best_trial = *std::max_element(trials.begin(), trials.end());
  return s;
}

}  // namespace

ClaimAnalysis analyze(const ProfilePlan& plan,
                      const std::map<std::string, nlohmann::json>& records_by_key,
                      const std::function<LoadedPredictions(const RunSpec&, const nlohmann::json&)>&
                          load_predictions) {
  const ClaimSpec& spec = plan.claim();
  const ProfileSpec& profile = *plan.settings;
  ClaimAnalysis out;
  out.claim = spec.id;
  out.title = spec.title;
  out.profile = plan.profile;
  out.seed_offset = plan.seed_offset;
  out.seeds_override = plan.seeds_override;
  out.profile_seeds = profile.sequential ? 0 : profile.replicates;
  out.spec_hash = spec_hash(spec, plan.profile);
  out.source = spec.source;
  out.alpha = profile.alpha;
  out.checks = profile.check_results;

  // Sequential designs: where the stored runs stopped each paired hypothesis (the same rule the
  // run used, so analyze and a resumed run agree).
  const SequentialState design = design_state(plan, records_by_key);
  const std::vector<RunSpec>& runs = design.runs;
  const UnitIndex units = join_runs(plan, runs, records_by_key, out);
  if (!design.complete) {  // a fixed design's missing runs are named by join_runs already
    throw MissingRuns(
        spec.id, plan.profile,
        {"the runs of the sequential round at " + std::to_string(design.round_seeds) + " seeds"},
        design.runs.size());
  }
  PdTables pd_tables(runs, records_by_key, [&](const RunSpec& run, const nlohmann::json& record) {
    if (!load_predictions) {
      throw std::logic_error("analyze: prediction-difference hypotheses need a prediction loader");
    }
    return load_predictions(run, record);
  });
  std::set<std::pair<std::string, stats::PdMeasure>> pd_used;
  test_all(plan, units, pd_tables, design, out, pd_used);
  apply_holm(profile.alpha, out.hypotheses);
  for (auto& r : out.hypotheses) {
    const auto it = profile.report_only.find(r.spec.id);
    if (it != profile.report_only.end()) r.report_only = it->second;
  }
  out.tallies = tallies_of(spec, out.hypotheses);

  // Arms are summarised on the first hypothesis's metric, or on the task's first metric when
  // that is a prediction difference (a metric of pairs, shown in its own column).
  const std::string arm_metric = plan.hypotheses.front().metric.rfind("pd:", 0) == 0
                                     ? train::task(spec.task.type).metrics().front().name
                                     : plan.hypotheses.front().metric;
  for (const auto& a : profile.arms) {
    ArmSummary s = summarize_arm(spec, a, arm_metric, units, pd_tables, pd_used);
    if (s.replicates + s.trials > 0) out.arms.push_back(std::move(s));
  }
  if (spec.source_bootstrap_of_max) out.source_max = source_bootstrap_of_max(spec, units);
  return out;
}

}  // namespace claimcheck::claims
