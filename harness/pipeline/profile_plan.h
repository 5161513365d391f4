// Resolving a claim × profile to one ProfilePlan (claims/planner.h), once, on one device:
// `run` plans on the device the user chose; `analyze`, `bless` and `report` plan on the device
// the store's records say they ran on. Nothing after this guesses a device or plans again.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness/claims/planner.h"
#include "harness/claims/spec.h"

namespace claimcheck::pipeline {

/// The device types ("cpu", "cuda") that the stored runs of `claim` (records whose "claim" is
/// the id) name in their config.
std::set<std::string> stored_devices(const std::string& claim,
                                     const std::map<std::string, nlohmann::json>& records);

/// A plan of stored runs: the runs its design needs given the records (all of the plan's; a
/// sequential profile's up to where its stopping rule is), and whether all of them are stored
/// (a sequential design: and its rule has stopped).
struct StoredPlan {
  claims::ProfilePlan plan;
  std::vector<claims::RunSpec> needed;
  bool complete = false;
};

/// `plan` against `records`: see StoredPlan.
StoredPlan against_store(claims::ProfilePlan plan,
                         const std::map<std::string, nlohmann::json>& records);

/// The plan of `profile` on the device its stored runs ran on, read, never guessed: `device`
/// ("cpu" or "cuda") when the user names one; else the one device this claim's stored runs
/// name; none stored: the profile's device when it names one, else cpu (every run is then
/// missing anyway). Runs of both devices: the device whose plan has stored runs; a profile with
/// stored runs on both is an error that says to keep one store per device. `seed_offset`: the
/// seed set the runs were planned at (planner.h; 0, the profile's own); `seeds`: the number of
/// seeds `run --seeds` planned them at (0, the profile's).
StoredPlan stored_plan(const claims::ClaimSpec& spec, const std::string& profile,
                       const std::map<std::string, nlohmann::json>& records,
                       const std::string& device = "", int seed_offset = 0, int seeds = 0);

}  // namespace claimcheck::pipeline
