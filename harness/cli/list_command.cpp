// `claimcheck list`: every claim, its profiles, the arms each profile trains and the hypotheses
// with what each claims and which profiles decide it.
#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <set>

#include "harness/base/text.h"
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
  }
  return kExitOk;
}

}  // namespace claimcheck::cli
