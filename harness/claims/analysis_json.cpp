#include "harness/claims/analysis.h"
#include "harness/claims/replication.h"

namespace claimcheck::claims {

nlohmann::json to_json(const ClaimAnalysis& a) {
  nlohmann::json hyps = nlohmann::json::array();
  for (const auto& r : a.hypotheses) {
    nlohmann::json j = to_json(r.spec);
    nlohmann::json terms = nlohmann::json::array();
    for (const auto& t : r.terms) {
      terms.push_back(
          {{"arm", t.arm}, {"weight", t.weight}, {"value", t.value}, {"units", t.values}});
    }
    // What reports read for every design (a PD hypothesis's spec form has no metric or kind).
    j["metric"] = r.spec.metric;
    j["kind"] = stats::to_string(r.spec.kind);
    j["direction"] = stats::to_string(r.spec.direction);
    j.update({{"formula", r.spec.formula()},
              {"n", r.n},
              {"terms", terms},
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
              {"note", r.note}});
    if (r.sequential) {
      j["ci"]["method"] = r.sequential->method;
      j["sequential"] = {{"seeds", r.n},
                         {"max_seeds", r.sequential->max_seeds},
                         {"fixed_design_seeds", r.sequential->fixed_seeds}};
    }
    if (r.spec.design == Design::kPaired) {
      j["units"] = r.units;
      j["t_interval"] = {{"lo", r.t_lo}, {"hi", r.t_hi}};
      j["power"] = r.power ? nlohmann::json(*r.power) : nlohmann::json();
      j["seeds_needed"] = r.seeds_needed ? nlohmann::json(*r.seeds_needed) : nlohmann::json();
    }
    j["replication"] = to_json(replication_of(j, a.alpha));
    j["gate"] = r.report_only.empty();
    if (!r.report_only.empty()) j["report_only"] = r.report_only;
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
                        {"best_trial", s.best_trial},
                        {"parameters", s.parameters},
                        {"metric_means", s.metric_means}};
    if (!s.pd.empty()) j["pd"] = s.pd;
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
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : a.checks)
    checks.push_back(to_json(c));
  nlohmann::json tallies = nlohmann::json::array();
  for (const auto& t : a.tallies) {
    tallies.push_back({{"id", t.spec.id},
                       {"statement", t.spec.statement},
                       {"hypotheses", t.spec.hypotheses},
                       {"source", t.spec.source},
                       {"supported", t.supported},
                       {"refuted", t.refuted},
                       {"inconclusive", t.inconclusive},
                       {"of", t.supported + t.refuted + t.inconclusive}});
  }
  nlohmann::json out = {{"format", kAnalysisFormat},
                        {"claim", a.claim},
                        {"title", a.title},
                        {"profile", a.profile},
                        {"spec_hash", a.spec_hash},
                        {"source", a.source},
                        {"alpha", a.alpha},
                        {"seed_offset", a.seed_offset},
                        {"hypotheses", hyps},
                        {"arms", arms},
                        {"checks", checks},
                        {"tallies", tallies},
                        {"source_bootstrap_of_max", source_max},
                        {"runs", a.runs},
                        {"fingerprint", a.fingerprint},
                        {"environments", a.environments}};
  // Only when --seeds changed the design: the profile's own analyses (and baselines) keep
  // their bytes.
  if (a.seeds_override > 0) {
    out["seeds_override"] = a.seeds_override;
    out["profile_seeds"] = a.profile_seeds;
  }
  return out;
}

}  // namespace claimcheck::claims
