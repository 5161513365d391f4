// Resolving a plan from the store: the device is read off the records, never guessed; one
// plan per resolution; a profile whose stored runs name two devices is an error; --device wins
// over the records; a sequential plan knows which of its runs its stopping rule needs.
#include "harness/pipeline/profile_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "harness/claims/planner.h"
#include "tests/claims/analysis_test_support.h"

namespace claimcheck::pipeline {
namespace {
using json = nlohmann::json;

// Records as the executor writes them (claim, config with its device, metrics).
std::map<std::string, json> records_of(const std::vector<claims::RunSpec>& runs) {
  std::map<std::string, json> records = claims::test::synthetic_records(runs);
  for (const auto& run : runs) {
    records[run.key()]["claim"] = run.claim;
    records[run.key()]["config"] = run.config();
  }
  return records;
}

TEST(StoredPlan, ReadsTheDeviceTheStoredRunsRanOnAndPlansOnce) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  const auto cuda_runs = claims::plan(spec, "smoke", "cuda");
  const auto records = records_of(cuda_runs);
  const std::size_t before = claims::plans_made();
  const StoredPlan stored = stored_plan(spec, "smoke", records);
  EXPECT_EQ(claims::plans_made() - before, 1u) << "one plan for one device";
  EXPECT_EQ(stored.plan.device_type, "cuda") << "the profile says cpu; the records say cuda";
  EXPECT_TRUE(stored.complete);
  ASSERT_EQ(stored.needed.size(), cuda_runs.size());
  for (std::size_t i = 0; i < cuda_runs.size(); ++i)
    EXPECT_EQ(stored.needed[i].key(), cuda_runs[i].key());
  EXPECT_EQ(stored_devices(spec.id, records), (std::set<std::string>{"cuda"}));
}

TEST(StoredPlan, WithNothingStoredPlansOnTheProfilesDevice) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  const StoredPlan stored = stored_plan(spec, "smoke", {});
  EXPECT_EQ(stored.plan.device_type, "cpu");
  EXPECT_FALSE(stored.complete);
  EXPECT_EQ(stored.plan.runs.size(), stored.needed.size());
}

TEST(StoredPlan, AnExplicitDeviceWinsOverTheRecords) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  const auto records = records_of(claims::plan(spec, "smoke", "cuda"));
  const StoredPlan stored = stored_plan(spec, "smoke", records, "cpu");
  EXPECT_EQ(stored.plan.device_type, "cpu");
  EXPECT_FALSE(stored.complete) << "the cpu runs are not stored";
}

TEST(StoredPlan, RunsOfOneProfileOnTwoDevicesAreAnError) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  auto records = records_of(claims::plan(spec, "smoke", "cuda"));
  for (auto& [key, r] : records_of(claims::plan(spec, "smoke", "cpu")))
    records.emplace(key, r);
  try {
    stored_plan(spec, "smoke", records);
    FAIL() << "a store mixing devices was planned";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cpu and cuda"), std::string::npos) << what;
    EXPECT_NE(what.find("one store per device"), std::string::npos) << what;
  }
  // Naming the device resolves it.
  EXPECT_TRUE(stored_plan(spec, "smoke", records, "cpu").complete);
}

TEST(StoredPlan, AnotherClaimsRunsDoNotDecideTheDevice) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  auto records = records_of(claims::plan(spec, "smoke", "cpu"));
  json foreign = records.begin()->second;
  foreign["claim"] = "another-claim";
  foreign["config"]["device"] = "cuda";
  records.emplace("ffffffffffffffff", foreign);
  const StoredPlan stored = stored_plan(spec, "smoke", records);
  EXPECT_EQ(stored.plan.device_type, "cpu");
  EXPECT_TRUE(stored.complete);
}

TEST(ProfilePlan, IsOnCpuOrCudaOnly) {
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  EXPECT_THROW(claims::plan_profile(spec, "smoke", "mps"), std::invalid_argument);
  const claims::ProfilePlan plan = claims::plan_profile(spec, "smoke", "cpu");
  EXPECT_EQ(&plan.claim(), &spec);
  EXPECT_EQ(plan.settings, &spec.profile("smoke"));
  EXPECT_EQ(plan.hypotheses.size(), spec.hypotheses_in("smoke").size());
  EXPECT_FALSE(plan.sequential());
}

}  // namespace
}  // namespace claimcheck::pipeline
