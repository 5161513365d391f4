// `claimcheck list`: every claim, its profiles, the arms each profile trains, the hypotheses
// with what each claims and which profiles decide it, and, where a profile has a baseline, how
// decisive each verdict is and the seeds a decisive one would need.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>

#include "harness/base/text.h"
#include "harness/claims/baseline.h"
#include "harness/claims/replication.h"
#include "harness/claims/spec.h"
#include "harness/cli/cli.h"
#include "harness/cli/commands.h"
#include "harness/stats/verdict.h"

namespace claimcheck::cli {
namespace {

// The arms a profile trains: those its hypotheses use (a profile deciding a subset trains a
// subset), in spec order.
std::vector<const claims::ArmSpec*> trained_arms(const claims::ClaimSpec& spec,
                                                 const std::string& profile) {
  std::set<std::string> used;
  for (const auto& h : spec.hypotheses_in(profile)) {
    for (const auto& arm : h.arms_used())
      used.insert(arm);
  }
  std::vector<const claims::ArmSpec*> arms;
  for (const auto& a : spec.profile(profile).arms) {
    if (used.count(a.name) != 0) arms.push_back(&a);
  }
  return arms;
}

void list_profile_arms(const claims::ClaimSpec& spec, const std::string& name,
                       const claims::ProfileSpec& p, std::ostream& out) {
  const std::vector<const claims::ArmSpec*> arms = trained_arms(spec, name);
  std::size_t width = 0;
  for (const auto* a : arms)
    width = std::max(width, a->name.size());
  out << fmt::format("  arms ({}, {} of {}):\n", name, arms.size(), p.arms.size());
  for (const auto* a : arms) {
    const std::string parts = base::join(a->parameters.parts, ", ", [](const auto& part) {
      return fmt::format("{} {}", part.first, part.second);
    });
    out << fmt::format("    {:<{}}  {} {}: {} parameters ({}); {}, lr {:g}, batch {}\n", a->name,
                       width, a->model.type, a->model.options.dump(), a->parameters.total, parts,
                       a->training.optimizer.type, a->training.lr, a->training.batch);
  }
  for (const auto& c : p.check_results)
    out << "    check: " << c.text << "\n";
}

void list_hypotheses(const claims::ClaimSpec& spec, std::ostream& out) {
  out << "  hypotheses:\n";
  for (const auto& h : spec.hypotheses) {
    std::vector<std::string> deciding;
    for (const auto& [name, p] : spec.profiles) {
      if (p.hypotheses.empty() ||
          std::find(p.hypotheses.begin(), p.hypotheses.end(), h.id) != p.hypotheses.end()) {
        deciding.push_back(name);
      }
    }
    out << fmt::format("    - {}: {} on {} ({}, {}); decided by {}\n", h.id, h.claimed(), h.metric,
                       claims::to_string(h.design), stats::to_string(h.kind),
                       deciding.empty() ? "no profile" : base::join(deciding));
  }
}

// What a profile's committed baseline says of each hypothesis's design: its replication
// probability, whether it gates, and the units a decisive verdict would need at the observed
// effect and at the smallest effect of interest (claims/replication.h).
void list_profile_design(const Paths& paths, const claims::ClaimSpec& spec, const std::string& name,
                         const claims::ProfileSpec& p, std::ostream& out) {
  const std::filesystem::path file = claims::baseline_path(paths.baselines, spec.id, name);
  if (!std::filesystem::exists(file)) return;
  nlohmann::json baseline;
  try {
    baseline = claims::read_baseline(file);
  } catch (const std::exception& e) {
    out << fmt::format("  design ({}): the baseline cannot be read: {}\n", name, e.what());
    return;
  }
  const bool stale = baseline.at("spec_hash") != claims::spec_hash(spec, name);
  out << fmt::format("  design ({}, from {}{}):\n", name, file.string(),
                     stale ? "; stale: the spec changed since" : "");
  const double alpha = baseline.at("alpha").get<double>();
  for (const auto& h : baseline.at("hypotheses")) {
    const std::string id = h.at("id").get<std::string>();
    const auto r = claims::replication_of(h, alpha);
    const bool sequential = h.contains("sequential");
    const std::string unit = h.value("design", "paired") == "random-search" ? "trials" : "seeds";
    const int n = h.at("n").get<int>();
    std::string line = fmt::format("    - {}: {} at {} {}, replication probability {} ({}{})", id,
                                   h.at("verdict").get<std::string>(), n, unit,
                                   r ? fmt::format("{:.2f}", r->probability) : "?",
                                   r && r->decisive() ? "decisive" : "fragile",
                                   p.report_only.count(id) != 0 ? ", report-only" : ", gates");
    if (sequential) {
      line += "; sequential: its seeds follow from its stopping rule";
    } else if (!r || !r->decisive()) {
      auto needed = [&](std::optional<double> effect) {
        const auto units = claims::units_for_decisive(h, alpha, effect);
        return units ? fmt::format("~{} {}", *units, unit) : fmt::format("> {} {}", 40 * n, unit);
      };
      line += "; decisive at the observed effect with " + needed(std::nullopt);
      const auto spec_h = std::find_if(spec.hypotheses.begin(), spec.hypotheses.end(),
                                       [&](const claims::HypothesisSpec& s) { return s.id == id; });
      if (spec_h != spec.hypotheses.end() && spec_h->kind == stats::HypothesisKind::kSuperiority &&
          spec_h->effect_of_interest()) {
        const double sign = spec_h->direction == stats::Direction::kGreater ? 1.0 : -1.0;
        const double e = sign * *spec_h->effect_of_interest();
        line += fmt::format(", at min_effect {:g} with {}", e, needed(e));
      }
    }
    out << line << "\n";
  }
}

}  // namespace

int command_list(const Paths& paths, std::ostream& out) {
  for (const auto& spec : claims::load_all_claims(paths.claims)) {
    const std::string profiles = base::join(spec.profiles, ", ", [&](const auto& entry) {
      const auto& [name, p] = entry;
      std::string text = fmt::format("{} ({} seeds, {} trials, device {})", name, p.replicates,
                                     p.search_trials, p.device);
      if (!p.hypotheses.empty()) {
        text += fmt::format(" deciding {} of {} hypotheses", p.hypotheses.size(),
                            spec.hypotheses.size());
      }
      return text;
    });
    out << fmt::format("{}: {}\n  task: {}, profiles: {}\n", spec.id, spec.title, spec.task.type,
                       profiles);
    for (const auto& [name, p] : spec.profiles)
      list_profile_arms(spec, name, p, out);
    list_hypotheses(spec, out);
    for (const auto& [name, p] : spec.profiles)
      list_profile_design(paths, spec, name, p, out);
  }
  return kExitOk;
}

}  // namespace claimcheck::cli
