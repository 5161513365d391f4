#include "harness/claims/spec_profile.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "harness/claims/spec_arms.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

// The profile's "hypotheses": ids it decides, each one of the claim's.
void parse_decided(ObjectReader& r, const ClaimSpec& spec, ProfileSpec& p) {
  if (!r.has("hypotheses")) return;
  p.hypotheses = r.get<std::vector<std::string>>("hypotheses");
  if (p.hypotheses.empty()) r.fail("hypotheses", "must list at least one id (or be absent)");
  for (const auto& id : p.hypotheses) {
    if (std::none_of(spec.hypotheses.begin(), spec.hypotheses.end(),
                     [&](const HypothesisSpec& h) { return h.id == id; })) {
      r.fail("hypotheses", "'" + id + "' is not a hypothesis id of this claim");
    }
  }
}

// The profile's "report_only": {id: reason}, each id one the profile decides, each reason said.
void parse_report_only(ObjectReader& r, const ClaimSpec& spec, ProfileSpec& p) {
  if (!r.has("report_only")) return;
  const nlohmann::json& map = r.raw("report_only");
  if (!map.is_object()) {
    r.fail("report_only", "must be an object {\"<hypothesis id>\": \"<why it does not gate>\"}");
  }
  for (const auto& [id, reason] : map.items()) {
    const bool decided =
        std::any_of(spec.hypotheses.begin(), spec.hypotheses.end(),
                    [&](const HypothesisSpec& h) { return h.id == id; }) &&
        (p.hypotheses.empty() ||
         std::find(p.hypotheses.begin(), p.hypotheses.end(), id) != p.hypotheses.end());
    if (!decided) {
      r.fail("report_only", "'" + id + "' is not a hypothesis this profile decides");
    }
    if (!reason.is_string() || reason.get<std::string>().empty()) {
      r.fail("report_only", "'" + id +
                                "': the reason must be a non-empty string saying why it does not "
                                "gate (e.g. its replication probability at these seeds)");
    }
    p.report_only[id] = reason.get<std::string>();
  }
}

// The largest k of the hypotheses the profile decides and of the source's bootstrap of the max.
int largest_k(const ClaimSpec& spec, const ProfileSpec& p) {
  int max_k = 0;
  for (const auto& h : spec.hypotheses) {
    if (p.hypotheses.empty() ||
        std::find(p.hypotheses.begin(), p.hypotheses.end(), h.id) != p.hypotheses.end()) {
      max_k = std::max(max_k, h.k);
    }
  }
  if (spec.source_bootstrap_of_max) {
    for (int k : spec.source_bootstrap_of_max->k)
      max_k = std::max(max_k, k);
  }
  return max_k;
}

// Sequential designs decide paired hypotheses only; "eb" also needs each one's metric bounded.
void check_sequential_hypotheses(ObjectReader& q, const ClaimSpec& spec,
                                 const SequentialSpec& seq) {
  for (const auto& h : spec.hypotheses) {
    if (h.design == Design::kPredictionDifference) {
      q.fail("method", "hypothesis '" + h.id +
                           "' is a prediction difference: sequential designs decide paired "
                           "hypotheses only; decide it in a fixed profile");
    }
    if (h.design != Design::kPaired || seq.method != "eb") continue;
    for (const auto& m : train::task(spec.task.type).metrics()) {
      if (m.name == h.metric && !(std::isfinite(m.lo) && std::isfinite(m.hi))) {
        q.fail("method", "eb needs bounded metrics; hypothesis '" + h.id + "' decides '" +
                             h.metric + "', which is unbounded (use method t)");
      }
    }
  }
}

// The "sequential" block; max_seeds defaults to the profile's replicates.
SequentialSpec parse_sequential(ObjectReader q, const ClaimSpec& spec, int replicates) {
  SequentialSpec seq;
  seq.min_seeds = q.optional<int>("min_seeds", seq.min_seeds);
  seq.max_seeds = q.optional<int>("max_seeds", replicates);
  seq.round = q.optional<int>("round", seq.round);
  seq.method = q.optional<std::string>("method", seq.method);
  q.finish();
  if (seq.min_seeds < 2) q.fail("min_seeds", "must be >= 2 (a confidence sequence needs two)");
  if (seq.max_seeds < seq.min_seeds) q.fail("max_seeds", "must be >= min_seeds");
  if (seq.round < 1) q.fail("round", "must be >= 1 seed per round");
  if (seq.method != "t" && seq.method != "eb") {
    q.fail("method", "'" + seq.method + "' is not valid (valid: t, eb)");
  }
  check_sequential_hypotheses(q, spec, seq);
  return seq;
}

// The profile's "training" and "model_options" overrides (objects, applied to every arm).
void parse_overrides(ObjectReader& r, ProfileSpec& p) {
  if (r.has("training")) {
    r.child("training");
    p.training_override = r.raw("training");
  }
  if (r.has("model_options")) {
    r.child("model_options");
    p.model_override = r.raw("model_options");
  }
}

// The claim's arms with the profile's overrides, and the claim's checks on them (all must pass).
void resolve_profile_arms(const ObjectReader& r, const ClaimSpec& spec, const std::string& name,
                          ProfileSpec& p) {
  std::map<std::string, models::ParameterCount> counts;
  // The base arms were validated already: anything that fails now is the profile's doing.
  const ResolveWhere where{r.key_path("training"), r.key_path("model_options")};
  for (const auto& a : spec.arms) {
    p.arms.push_back(resolve_arm(a, spec, p.training_override, p.model_override, where));
    counts[a.name] = p.arms.back().parameters;
  }
  for (std::size_t i = 0; i < spec.checks.size(); ++i) {
    const CheckResult result = evaluate_check(spec.checks[i], counts);
    if (!result.passed) {
      throw SpecError(spec.file + ": checks[" + std::to_string(i) + "]: in profile " + name + ": " +
                      result.text +
                      ". The arms are not matched as the claim says: change the model options or "
                      "the check's expected ratio / tolerance");
    }
    p.check_results.push_back(result);
  }
}

}  // namespace

ProfileSpec parse_profile(ObjectReader r, const ClaimSpec& spec, const std::string& name) {
  ProfileSpec p;
  p.replicates = r.optional<int>("replicates", p.replicates);
  if (p.replicates < 2) r.fail("replicates", "must be >= 2 (a paired CI needs two seeds)");
  p.search_trials = r.optional<int>("search_trials", p.search_trials);
  parse_decided(r, spec, p);
  parse_report_only(r, spec, p);
  if (const int max_k = largest_k(spec, p); p.search_trials < max_k) {
    r.fail("search_trials", std::to_string(p.search_trials) + " is less than the largest k (" +
                                std::to_string(max_k) +
                                "); the expected best of k needs k <= trials");
  }
  p.device = r.optional<std::string>("device", p.device);
  if (p.device != "auto" && p.device != "cpu" && p.device != "cuda") {
    r.fail("device", "'" + p.device + "' is not valid (valid: auto, cpu, cuda)");
  }
  p.gpu = r.optional<bool>("gpu", p.gpu);
  p.alpha = r.optional<double>("alpha", p.alpha);
  if (!(p.alpha > 0 && p.alpha < 0.5)) r.fail("alpha", "must be in (0, 0.5)");
  p.resamples = r.optional<int>("resamples", p.resamples);
  if (p.resamples < 99) r.fail("resamples", "must be >= 99");
  p.timeout = r.optional<int>("timeout", p.timeout);
  if (p.timeout < 0) r.fail("timeout", "must be >= 0 seconds (0: CTest's default for claims)");
  parse_overrides(r, p);
  if (r.has("sequential"))
    p.sequential = parse_sequential(r.child("sequential"), spec, p.replicates);
  r.finish();
  resolve_profile_arms(r, spec, name, p);
  return p;
}

}  // namespace claimcheck::claims
