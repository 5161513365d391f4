#include "harness/claims/sequential_design.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "harness/stats/anytime_t.h"
#include "harness/stats/sequential.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

// The contrast units Σ w·x_i of replicates 0..n−1, or empty when a run is not stored yet.
std::vector<double> stored_units(const HypothesisSpec& h, int n,
                                 const std::map<std::pair<std::string, int>, std::string>& keys,
                                 const std::map<std::string, nlohmann::json>& records) {
  std::vector<double> units(static_cast<std::size_t>(n), 0.0);
  for (const auto& term : h.contrast) {
    for (int i = 0; i < n; ++i) {
      const auto key = keys.find({term.arm, i});
      if (key == keys.end()) return {};
      const auto record = records.find(key->second);
      if (record == records.end()) return {};
      const nlohmann::json& value = record->second.at("metrics").at(h.metric);
      if (!value.is_number()) {
        throw std::runtime_error("run " + term.arm + " replicate " + std::to_string(i) +
                                 ": metric '" + h.metric +
                                 "' is not finite (the run diverged): a sequential design cannot "
                                 "decide on it");
      }
      units[static_cast<std::size_t>(i)] += term.weight * value.get<double>();
    }
  }
  return units;
}

}  // namespace

double sequential_alpha(const ProfilePlan& plan) {
  std::size_t paired = 0;
  for (const auto& h : plan.hypotheses)
    paired += h.design == Design::kPaired ? 1 : 0;
  return plan.settings->alpha / static_cast<double>(std::max<std::size_t>(1, paired));
}

stats::Interval sequential_interval(const ClaimSpec& spec, const SequentialSpec& design,
                                    const HypothesisSpec& h, const std::vector<double>& units,
                                    double alpha) {
  if (design.method == "t") return stats::anytime_t_interval(units, alpha).ci;
  double range = 0.0;
  for (const auto& m : train::task(spec.task.type).metrics()) {
    if (m.name == h.metric) range = m.hi - m.lo;
  }
  double weights = 0.0;
  for (const auto& t : h.contrast)
    weights += std::abs(t.weight);
  stats::ConfidenceSequenceOptions opt;
  opt.bound = weights * range / 2.0;
  opt.alpha = alpha;
  stats::EmpiricalBernsteinCs cs(opt);
  return cs.add_round(units).interval;
}

SequentialState design_state(const ProfilePlan& plan,
                             const std::map<std::string, nlohmann::json>& records) {
  if (plan.sequential()) return sequential_state(plan, records);
  SequentialState state;
  state.runs = plan.runs;
  state.complete = std::all_of(state.runs.begin(), state.runs.end(),
                               [&](const RunSpec& r) { return records.count(r.key()) != 0; });
  return state;
}

SequentialState sequential_state(const ProfilePlan& plan,
                                 const std::map<std::string, nlohmann::json>& records) {
  const ClaimSpec& spec = plan.claim();
  if (!plan.sequential() || plan.shard.count != 1) {
    throw std::logic_error(spec.id + " (" + plan.profile +
                           "): sequential_state needs the whole plan of a sequential profile");
  }
  const SequentialSpec& seq = *plan.settings->sequential;
  const std::vector<RunSpec>& all = plan.runs;
  std::map<std::pair<std::string, int>, std::string> keys;
  for (const auto& r : all) {
    if (r.role == RunRole::kReplicate) keys[{r.arm, r.index}] = r.key();
  }
  std::vector<HypothesisSpec> paired;
  for (const auto& h : plan.hypotheses) {
    if (h.design == Design::kPaired) paired.push_back(h);
  }
  const double alpha = sequential_alpha(plan);

  SequentialState state;
  std::set<std::string> open;
  for (const auto& h : paired)
    open.insert(h.id);
  int n = seq.min_seeds;
  while (true) {
    state.round_seeds = n;
    bool missing = false;
    for (const auto& h : paired) {
      if (!open.count(h.id)) continue;
      const std::vector<double> units = stored_units(h, n, keys, records);
      if (units.empty()) {
        missing = true;
        continue;
      }
      const stats::Interval ci = sequential_interval(spec, seq, h, units, alpha);
      if (stats::decide(ci, h.kind, h.direction, h.margin) != stats::Verdict::kInconclusive) {
        state.stop[h.id] = n;
      }
    }
    if (missing) break;  // this round's runs are not all stored yet: train them next
    for (const auto& [id, at] : state.stop)
      open.erase(id);
    if (open.empty() || n == seq.max_seeds) {
      for (const auto& id : open)
        state.stop[id] = n;  // the budget is spent: stops undecided
      state.complete = true;
      break;
    }
    n = std::min(n + seq.round, seq.max_seeds);
  }
  // The runs needed: each arm's replicates up to the largest n any of its hypotheses needs
  // (the stop, or the current round while open); search trials in full.
  std::map<std::string, int> needed;
  for (const auto& h : paired) {
    const auto stop = state.stop.find(h.id);
    const int upto = stop != state.stop.end() ? stop->second : n;
    for (const auto& t : h.contrast)
      needed[t.arm] = std::max(needed[t.arm], upto);
  }
  for (const auto& r : all) {
    if (r.role == RunRole::kTrial || r.index < needed[r.arm]) state.runs.push_back(r);
  }
  return state;
}

}  // namespace claimcheck::claims
