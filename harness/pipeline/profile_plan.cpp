#include "harness/pipeline/profile_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "harness/base/text.h"
#include "harness/claims/sequential_design.h"

namespace claimcheck::pipeline {

std::set<std::string> stored_devices(const std::string& claim,
                                     const std::map<std::string, nlohmann::json>& records) {
  std::set<std::string> devices;
  for (const auto& [key, r] : records) {
    if (r.value("claim", "") != claim) continue;
    const auto config = r.find("config");
    if (config != r.end() && config->is_object() && config->contains("device") &&
        config->at("device").is_string()) {
      devices.insert(config->at("device").get<std::string>());
    }
  }
  return devices;
}

StoredPlan against_store(claims::ProfilePlan plan,
                         const std::map<std::string, nlohmann::json>& records) {
  claims::SequentialState state = claims::design_state(plan, records);
  return {std::move(plan), std::move(state.runs), state.complete};
}

namespace {

StoredPlan stored_on(const claims::ClaimSpec& spec, const std::string& profile,
                     const std::string& device_type,
                     const std::map<std::string, nlohmann::json>& records, int seed_offset,
                     int seeds) {
  return against_store(claims::plan_profile(spec, profile, device_type, seeds, {}, seed_offset),
                       records);
}

bool any_stored(const claims::ProfilePlan& plan,
                const std::map<std::string, nlohmann::json>& records) {
  return std::any_of(plan.runs.begin(), plan.runs.end(),
                     [&](const claims::RunSpec& r) { return records.count(r.key()) != 0; });
}

}  // namespace

StoredPlan stored_plan(const claims::ClaimSpec& spec, const std::string& profile,
                       const std::map<std::string, nlohmann::json>& records,
                       const std::string& device, int seed_offset, int seeds) {
  if (!device.empty()) return stored_on(spec, profile, device, records, seed_offset, seeds);
  const std::set<std::string> devices = stored_devices(spec.id, records);
  if (devices.size() <= 1) {
    const std::string named = spec.profile(profile).device;
    return stored_on(spec, profile,
                     devices.empty() ? (named == "cuda" ? "cuda" : "cpu") : *devices.begin(),
                     records, seed_offset, seeds);
  }
  std::vector<StoredPlan> with_runs;
  for (const auto& d : devices) {
    StoredPlan p = stored_on(spec, profile, d, records, seed_offset, seeds);
    if (any_stored(p.plan, records)) with_runs.push_back(std::move(p));
  }
  if (with_runs.size() > 1) {
    throw std::runtime_error(fmt::format(
        "{} ({}): the store holds runs of this profile on {}: a verdict mixes no devices (their "
        "numbers differ); keep one store per device (run --store DIR) and analyze or report "
        "each, or name one with --device",
        spec.id, profile, base::join(devices, " and ")));
  }
  if (with_runs.empty())
    return stored_on(spec, profile, *devices.begin(), records, seed_offset, seeds);
  return std::move(with_runs.front());
}

}  // namespace claimcheck::pipeline
