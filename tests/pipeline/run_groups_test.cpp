// Grouping a plan into ensembles: every distinct run lands in exactly one group; a group holds
// runs of one arm configuration and batch (different learning rates allowed); groups are split
// evenly below the cap (group_cap of the batch) and listed wave by wave (replicate-major); runs on
// CUDA or with a cap of 1 train alone.
#include "harness/pipeline/run_groups.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness/claims/planner.h"
#include "tests/claims/claims_test_support.h"

namespace claimcheck::pipeline {
using namespace claimcheck::train;  // the tasks and run configs the tests build runs from
namespace {

std::vector<claims::RunSpec> nightly_plan() {
  const claims::ClaimSpec spec =
      claims::parse_claim(claims::test::real_claim_json(), "geglu-vs-relu-mnist.json");
  return claims::plan(spec, "nightly", "cpu");
}

TEST(GroupRuns, ClaimOneNightlyFormsOneGroupPerArmAndBatch) {
  const auto runs = nightly_plan();
  ASSERT_EQ(runs.size(), 368u);  // 8 arms × 30 replicates + 2 search arms × 64 trials
  const auto groups = group_runs(runs, torch::kCPU);
  std::set<std::string> keys;
  std::map<std::string, std::size_t> per_arm_batch;
  for (const auto& g : groups) {
    ASSERT_FALSE(g.runs.empty());
    EXPECT_LE(g.runs.size(), group_cap(g.runs.front()->run.training.batch));
    EXPECT_GT(g.cost, 0.0);
    for (const auto* r : g.runs) {
      EXPECT_TRUE(keys.insert(r->key()).second) << "a run in two groups";
      EXPECT_EQ(r->arm, g.runs.front()->arm);
      EXPECT_EQ(r->run.training.batch, g.runs.front()->run.training.batch);
      per_arm_batch[r->arm + "/" + std::to_string(r->run.training.batch)] += 1;
    }
  }
  EXPECT_EQ(keys.size(), 368u);
  // One bucket per (arm, batch): the 8 paired arms at batch 64 (relu-8's and geglu-8's batch-64
  // search trials join their replicates: only the learning rate differs) and the two search arms
  // at batch 8; a bucket is split into the fewest groups the cap allows.
  EXPECT_EQ(per_arm_batch.size(), 10u);
  std::size_t expected = 0;
  for (const auto& [name, n] : per_arm_batch) {
    const std::size_t cap = group_cap(std::stoll(name.substr(name.find('/') + 1)));
    expected += (n + cap - 1) / cap;
  }
  EXPECT_EQ(groups.size(), expected);
  EXPECT_EQ(per_arm_batch.at("relu-2/64"), 30u);
}

TEST(GroupRuns, SplitsEvenlyInPlanOrderAndDeterministically) {
  auto runs = nightly_plan();
  const auto a = group_runs(runs, torch::kCPU, /*max_members=*/8);
  const auto b = group_runs(runs, torch::kCPU, 8);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].runs, b[i].runs);
  // relu-2's 30 replicates at batch 64's cap of 4: six groups of 4, then 3, 3, in replicate order.
  std::vector<std::size_t> sizes;
  int last_index = -1;
  for (const auto& g : a) {
    if (g.runs.front()->arm != "relu-2") continue;
    sizes.push_back(g.runs.size());
    for (const auto* r : g.runs) {
      EXPECT_GT(r->index, last_index);
      last_index = r->index;
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 4, 4, 4, 4, 3, 3}));
  // Duplicated runs (equal keys) are grouped once.
  runs.push_back(runs.front());
  std::size_t total = 0;
  for (const auto& g : group_runs(runs, torch::kCPU, 8))
    total += g.runs.size();
  EXPECT_EQ(total, 368u);
}

TEST(GroupRuns, ListsGroupsWaveByWaveSoReplicatesCompleteInOrder) {
  // At a cap of 8 every paired arm's 30 replicates split 8, 8, 7, 7 (batch 32, where the row cap
  // allows 8): wave w of every arm covers the same replicates, and all of wave w is listed before
  // any of wave w + 1.
  auto plan = nightly_plan();
  for (auto& run : plan) {
    run.run.training.batch = 32;
    run.seal();
  }
  const auto groups = group_runs(plan, torch::kCPU, /*max_members=*/8);
  std::size_t last_wave = 0;
  std::map<std::size_t, std::set<std::pair<int, int>>> ranges;  // wave -> replicate ranges
  for (const auto& g : groups) {
    EXPECT_GE(g.wave, last_wave) << "a group of an earlier wave listed late";
    last_wave = g.wave;
    // Two arms without search trials at their batch (relu-8's and geglu-8's join theirs).
    const std::string arm = g.runs.front()->arm;
    if (arm != "relu-2" && arm != "geglu-2") continue;
    ranges[g.wave].insert({g.runs.front()->index, g.runs.back()->index});
  }
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_EQ(ranges.at(0), (std::set<std::pair<int, int>>{{0, 7}}));  // both arms alike
  EXPECT_EQ(ranges.at(1), (std::set<std::pair<int, int>>{{8, 15}}));
  EXPECT_EQ(ranges.at(3), (std::set<std::pair<int, int>>{{23, 29}}));
}

TEST(GroupRuns, CapKeepsAGroupStepWithinKMaxGroupRows) {
  EXPECT_EQ(group_cap(8), kMaxGroupMembers);   // 256 / 8 = 32, capped at 8
  EXPECT_EQ(group_cap(32), kMaxGroupMembers);  // 256 / 32 = 8
  EXPECT_EQ(group_cap(64), 4u);
  EXPECT_EQ(group_cap(100), 2u);
  EXPECT_EQ(group_cap(256), 1u);
  EXPECT_EQ(group_cap(512), 1u);
  EXPECT_EQ(group_cap(4096), 1u);
}

TEST(GroupRuns, CapOfOneOrCudaTrainsEveryRunAlone) {
  const auto runs = nightly_plan();
  EXPECT_EQ(group_runs(runs, torch::kCPU, /*max_members=*/1).size(), 368u);
  EXPECT_EQ(group_runs(runs, torch::Device(torch::kCUDA)).size(), 368u);
}

}  // namespace
}  // namespace claimcheck::pipeline
