// The spec back to JSON (round-trips through parse_claim) and its hash per profile (spec.h).
#include "harness/claims/spec.h"

#include <nlohmann/json.hpp>

#include "harness/base/hash.h"

namespace claimcheck::claims {

nlohmann::json to_json(const HypothesisSpec& h) {
  nlohmann::json j = {{"id", h.id}, {"statement", h.statement}, {"design", to_string(h.design)}};
  if (h.pd) {
    j["measure"] = stats::to_string(h.pd->measure);
    if (h.pd->form == PdForm::kPair) {
      j["treatment"] = h.treatment();
      j["control"] = h.control();
      j["direction"] = stats::to_string(h.direction);
    } else if (h.pd->form == PdForm::kExtreme) {
      j["extreme"] = h.direction == stats::Direction::kLess ? "lowest" : "highest";
      j["arm"] = h.pd->focus;
      j["among"] = h.pd->others;
    } else {
      j["cv_of"] = h.pd->others;
      j["bound"] = h.pd->bound;
      j["direction"] = "less";
    }
    j["margin"] = h.margin;
    if (h.source_effect) j["source_effect"] = *h.source_effect;
    return j;
  }
  if (h.two_arm) {
    j["treatment"] = h.treatment();
    j["control"] = h.control();
  } else {
    j["contrast"] = nlohmann::json::array();
    for (const auto& t : h.contrast)
      j["contrast"].push_back({{"arm", t.arm}, {"weight", t.weight}});
  }
  j.update({{"metric", h.metric},
            {"kind", stats::to_string(h.kind)},
            {"direction", stats::to_string(h.direction)},
            {"margin", h.margin}});
  if (h.design == Design::kRandomSearch) j["k"] = h.k;
  if (h.min_effect) j["min_effect"] = *h.min_effect;
  if (h.source_effect) j["source_effect"] = *h.source_effect;
  return j;
}

nlohmann::json to_json(const ClaimSpec& spec) {
  nlohmann::json j;
  j["id"] = spec.id;
  j["title"] = spec.title;
  j["source"] = spec.source;
  j["task"] = train::to_json(spec.task);
  if (!spec.training.empty()) j["training"] = spec.training;
  j["arms"] = nlohmann::json::array();
  for (const auto& a : spec.arms) {
    nlohmann::json arm = {{"name", a.name}, {"model", train::to_json(a.model)}};
    if (!a.training_override.empty()) arm["training"] = a.training_override;
    if (!a.seed_stream.empty()) arm["seed_stream"] = a.seed_stream;
    if (a.source_value) arm["source_value"] = *a.source_value;
    j["arms"].push_back(arm);
  }
  if (spec.search) j["search"] = {{"batch", spec.search->batch}, {"lr", spec.search->lr}};
  j["hypotheses"] = nlohmann::json::array();
  for (const auto& h : spec.hypotheses)
    j["hypotheses"].push_back(to_json(h));
  for (const auto& t : spec.tallies) {
    j["tallies"].push_back({{"id", t.id},
                            {"statement", t.statement},
                            {"hypotheses", t.hypotheses},
                            {"source", t.source}});
  }
  if (!spec.checks.empty()) {
    j["checks"] = nlohmann::json::array();
    for (const auto& c : spec.checks)
      j["checks"].push_back(to_json(c));
  }
  if (spec.source_bootstrap_of_max) {
    const auto& b = *spec.source_bootstrap_of_max;
    j["source_bootstrap_of_max"] = {{"arms", b.arms},
                                    {"k", b.k},
                                    {"metric", b.metric},
                                    {"resamples", b.resamples},
                                    {"confidence", b.confidence}};
  }
  for (const auto& [name, p] : spec.profiles) {
    j["profiles"][name] = {{"replicates", p.replicates}, {"search_trials", p.search_trials},
                           {"device", p.device},         {"gpu", p.gpu},
                           {"alpha", p.alpha},           {"resamples", p.resamples},
                           {"timeout", p.timeout}};
    if (!p.training_override.empty()) j["profiles"][name]["training"] = p.training_override;
    if (!p.model_override.empty()) j["profiles"][name]["model_options"] = p.model_override;
    if (!p.hypotheses.empty()) j["profiles"][name]["hypotheses"] = p.hypotheses;
    if (!p.report_only.empty()) j["profiles"][name]["report_only"] = p.report_only;
    if (p.sequential) {
      j["profiles"][name]["sequential"] = {{"min_seeds", p.sequential->min_seeds},
                                           {"max_seeds", p.sequential->max_seeds},
                                           {"round", p.sequential->round},
                                           {"method", p.sequential->method}};
    }
  }
  return j;
}

std::string spec_hash(const ClaimSpec& spec, const std::string& profile) {
  nlohmann::json j = to_json(spec);
  j.erase("title");
  j.erase("source");
  j.erase("tallies");  // a count over verdicts, not something that changes them
  // What each arm trains, resolved (defaults filled in): the same training written at claim
  // level or per arm hashes alike.
  j.erase("training");
  const ProfileSpec& chosen_profile = spec.profile(profile);
  for (std::size_t i = 0; i < spec.arms.size(); ++i) {
    j["arms"][i].erase("source_value");
    j["arms"][i]["training"] = train::to_json(chosen_profile.arms[i].training);
    j["arms"][i]["model"] = train::to_json(chosen_profile.arms[i].model);
  }
  j["hypotheses"] = nlohmann::json::array();  // only those this profile decides
  for (const auto& h : spec.hypotheses_in(profile)) {
    nlohmann::json hj = to_json(h);
    hj.erase("source_effect");
    hj.erase("statement");
    j["hypotheses"].push_back(hj);
  }
  nlohmann::json chosen = j["profiles"][profile];
  chosen.erase("timeout");      // how long CTest waits does not change a result
  chosen.erase("report_only");  // nor does whether a hypothesis gates (baseline.h)
  chosen.erase("training");     // resolved into the arms above
  chosen.erase("model_options");
  j["profiles"] = {{profile, chosen}};
  return base::hash_hex(j.dump());
}

}  // namespace claimcheck::claims
