// The planner on the real claim: common random numbers (replicate i of every arm shares its
// seeds; trial j of every arm shares its (batch, lr) draw), stable distinct keys, the --seeds
// override, and shards that partition the run list exactly.
#include "harness/claims/planner.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "claims_test_support.h"
#include "harness/claims/json_reader.h"

namespace claimcheck::claims {
namespace {

ClaimSpec real_spec() {
  return parse_claim(test::real_claim_json(), "claims/geglu-vs-relu-mnist.json");
}

// (arm, role, index): a run's place in the design, unique within one plan.
using Place = std::tuple<std::string, RunRole, int>;
Place place_of(const RunSpec& r) {
  return {r.arm, r.role, r.index};
}

TEST(Planner, RealSmokePlanHasEveryArmReplicateAndSearchTrialOnce) {
  const ClaimSpec spec = real_spec();
  const std::vector<RunSpec> runs = plan(spec, "smoke", "cpu");
  // 8 arms x 16 replicates, plus relu-8 and geglu-8 x 64 search trials (shared by the three
  // random-search hypotheses and the source's bootstrap-of-max: planned once).
  EXPECT_EQ(runs.size(), 8u * 16u + 2u * 64u);
  std::set<Place> places;
  for (const auto& r : runs)
    EXPECT_TRUE(places.insert(place_of(r)).second) << r.arm << r.index;
  for (const auto& a : spec.arms) {
    EXPECT_EQ(places.count({a.name, RunRole::kReplicate, 15}), 1u) << a.name;
    EXPECT_EQ(places.count({a.name, RunRole::kReplicate, 16}), 0u) << a.name;
  }
  EXPECT_EQ(places.count({"relu-8", RunRole::kTrial, 23}), 1u);
  EXPECT_EQ(places.count({"relu-4", RunRole::kTrial, 0}), 0u) << "relu-4 is in no search";
}

TEST(Planner, ReplicateIOfEveryArmSharesItsSeedsAndReplicatesDiffer) {
  const ClaimSpec spec = real_spec();
  std::map<int, std::pair<std::uint64_t, std::uint64_t>> seeds_of_replicate;
  std::set<std::uint64_t> data_seeds;
  std::set<std::uint64_t> init_seeds;
  for (const auto& r : plan(spec, "smoke", "cpu")) {
    if (r.role != RunRole::kReplicate) continue;
    EXPECT_EQ(r.run.training.batch, spec.arm(r.arm).training.batch);
    EXPECT_EQ(r.run.training.lr, spec.arm(r.arm).training.lr);
    EXPECT_EQ(r.run.model.type, spec.arm(r.arm).model.type);
    EXPECT_EQ(r.run.model.options, spec.arm(r.arm).model.options);
    const auto [it, first] =
        seeds_of_replicate.emplace(r.index, std::pair{r.run.data_seed, r.run.init_seed});
    if (!first) {
      EXPECT_EQ(it->second.first, r.run.data_seed) << r.arm << " replicate " << r.index;
      EXPECT_EQ(it->second.second, r.run.init_seed) << r.arm << " replicate " << r.index;
    }
    EXPECT_NE(r.run.data_seed, r.run.init_seed) << "data order and init come from separate streams";
    data_seeds.insert(r.run.data_seed);
    init_seeds.insert(r.run.init_seed);
  }
  EXPECT_EQ(seeds_of_replicate.size(), 16u);
  EXPECT_EQ(data_seeds.size(), 16u) << "each replicate has its own data order";
  EXPECT_EQ(init_seeds.size(), 16u) << "each replicate has its own init";
}

TEST(Planner, SearchTrialJSharesItsDrawAcrossArmsAndSmokeIsAPrefixOfNightly) {
  const ClaimSpec spec = real_spec();
  std::map<int, RunSpec> relu;
  std::map<int, RunSpec> geglu;
  for (const auto& r : plan(spec, "nightly", "cpu")) {
    if (r.role != RunRole::kTrial) continue;
    (r.arm == "relu-8" ? relu : geglu)[r.index] = r;
  }
  ASSERT_EQ(relu.size(), 64u);
  ASSERT_EQ(geglu.size(), 64u);
  std::set<std::pair<std::int64_t, double>> draws;
  for (int j = 0; j < 64; ++j) {
    EXPECT_EQ(relu[j].run.training.batch, geglu[j].run.training.batch) << "trial " << j;
    EXPECT_EQ(relu[j].run.training.lr, geglu[j].run.training.lr) << "trial " << j;
    EXPECT_EQ(relu[j].run.data_seed, geglu[j].run.data_seed) << "trial " << j;
    EXPECT_EQ(relu[j].run.init_seed, geglu[j].run.init_seed) << "trial " << j;
    const TrialDraw d = draw_trial(spec, j);
    EXPECT_EQ(d.batch, relu[j].run.training.batch);
    EXPECT_EQ(d.lr, relu[j].run.training.lr);
    EXPECT_NE(spec.search->batch.end(),
              std::find(spec.search->batch.begin(), spec.search->batch.end(), d.batch));
    EXPECT_NE(spec.search->lr.end(),
              std::find(spec.search->lr.begin(), spec.search->lr.end(), d.lr));
    draws.insert({d.batch, d.lr});
  }
  // 64 uniform draws from 2 x 4 = 8 cells: a draw that ignores the trial index (one cell) or one
  // list (<= 4 cells) fails here; missing a cell at random has probability < 8 (7/8)^64 ~ 1e-3,
  // and the draws are fixed by the claim id, so this is checked once, not flaky.
  EXPECT_EQ(draws.size(), 8u);

  std::map<Place, std::string> nightly_keys;
  for (const auto& r : plan(spec, "nightly", "cpu"))
    nightly_keys[place_of(r)] = r.key();
  int smoke_trials = 0;
  for (const auto& r : plan(spec, "smoke", "cpu")) {
    if (r.role != RunRole::kTrial) continue;
    ++smoke_trials;
    EXPECT_EQ(nightly_keys.at(place_of(r)), r.key()) << r.arm << " trial " << r.index;
  }
  EXPECT_EQ(smoke_trials, 2 * 64);  // smoke has as many trials as nightly: the same ones
}

TEST(Planner, TrialSeedsDifferFromReplicateSeeds) {
  const ClaimSpec spec = real_spec();
  std::map<Place, RunSpec> by_place;
  for (const auto& r : plan(spec, "smoke", "cpu"))
    by_place[place_of(r)] = r;
  const RunSpec& rep = by_place.at({"relu-8", RunRole::kReplicate, 0});
  const RunSpec& trial = by_place.at({"relu-8", RunRole::kTrial, 0});
  EXPECT_NE(rep.run.data_seed, trial.run.data_seed);
  EXPECT_NE(rep.run.init_seed, trial.run.init_seed);
}

TEST(Planner, KeysAreStableDistinctAndDependOnEverythingInTheConfig) {
  const ClaimSpec spec = real_spec();
  const std::vector<RunSpec> a = plan(spec, "nightly", "cpu");
  const std::vector<RunSpec> b = plan(real_spec(), "nightly", "cpu");
  ASSERT_EQ(a.size(), b.size());
  std::set<std::string> keys;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].key(), b[i].key()) << "plan order and keys are stable";
    EXPECT_EQ(a[i].key().size(), 16u);
    keys.insert(a[i].key());
  }
  EXPECT_EQ(keys.size(), a.size()) << "no two runs of the real claim share a key";

  RunSpec unsealed;
  unsealed.arm = "hand-made";
  EXPECT_THROW(unsealed.key(), std::logic_error) << "a key is computed once, by seal()";
  const RunSpec base = a.front();
  auto key_with = [&](auto edit) {
    RunSpec r = base;
    edit(r);
    r.seal();
    return r.key();
  };
  EXPECT_EQ(key_with([](RunSpec& r) { r.arm = "renamed"; }), base.key())
      << "the key is the config's: an arm name is not part of what is trained";
  EXPECT_NE(key_with([](RunSpec& r) { r.device_type = "cuda"; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.training.lr *= 2; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.training.batch += 1; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.training.epochs = 2; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.training.optimizer.type = "adamw"; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.training.optimizer.options["eps"] = 1e-6; }),
            base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.data_seed += 1; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.init_seed += 1; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.noise_seed += 1; }), base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.task.options["dataset"] = "fashion-mnist"; }),
            base.key());
  EXPECT_NE(key_with([](RunSpec& r) { r.run.model.options["hidden"] = 3; }), base.key());
}

TEST(Planner, KeyOfAKnownRunIsPinned) {
  // Stores and baselines are keyed by this hash: if it changes, every stored run is silently
  // retrained and every analysis of an old store fails. The value was computed by this code at
  // the commit that added this test; change it only together with a note in the changelog.
  const ClaimSpec spec = real_spec();
  const std::vector<RunSpec> runs = plan(spec, "smoke", "cpu");
  const RunSpec& first = runs.front();
  EXPECT_EQ(first.arm, "geglu-2") << "the first arm of the first hypothesis, replicate 0";
  EXPECT_EQ(first.index, 0);
  EXPECT_EQ(first.config().dump(),
            R"({"data_seed":259618211494835738,"device":"cpu","init_seed":14657476554772440074,)"
            R"("model":{"options":{"hidden":2},"type":"ffn-geglu"},)"
            R"("noise_seed":16230085935225121753,)"
            R"("task":{"dataset":"mnist","type":"image-classification"},)"
            R"("training":{"batch":64,"epochs":1,"lr":0.001,"optimizer":{"options":{},)"
            R"("type":"adam"}}})");
  EXPECT_EQ(first.key(), "64e359f4537f6c0c");
}

TEST(Planner, PlanIsReplicateMajorSoAnInterruptedRunLeavesCompleteGroups) {
  const std::vector<RunSpec> runs = plan(real_spec(), "smoke", "cpu");
  // Within the plan, every run of unit index i comes before any run of index i + 1, and the
  // first 8 runs are replicate 0 of all 8 arms.
  int last_index = 0;
  for (const auto& r : runs) {
    EXPECT_GE(r.index, last_index) << r.arm << " " << r.index;
    last_index = r.index;
  }
  std::set<std::string> first_group;
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(runs[i].role, RunRole::kReplicate);
    EXPECT_EQ(runs[i].index, 0);
    first_group.insert(runs[i].arm);
  }
  EXPECT_EQ(first_group.size(), 8u);
  EXPECT_EQ(runs[8].role, RunRole::kTrial) << "then trial 0 of both search arms";
}

TEST(Planner, SeedsOverrideReplacesTheReplicatesAndKeepsThePrefix) {
  const ClaimSpec spec = real_spec();
  std::map<Place, std::string> full;
  for (const auto& r : plan(spec, "smoke", "cpu"))
    full[place_of(r)] = r.key();
  const std::vector<RunSpec> few = plan(spec, "smoke", "cpu", /*replicates_override=*/3);
  EXPECT_EQ(few.size(), 8u * 3u + 2u * 64u) << "--seeds leaves the search trials alone";
  for (const auto& r : few) {
    if (r.role == RunRole::kReplicate) {
      EXPECT_LT(r.index, 3);
    }
    EXPECT_EQ(full.at(place_of(r)), r.key()) << "seed i is the same run with or without --seeds";
  }
  const std::vector<RunSpec> more = plan(spec, "smoke", "cpu", /*replicates_override=*/20);
  EXPECT_EQ(more.size(), 8u * 20u + 2u * 64u);
}

TEST(Planner, SeedOffsetDrawsADisjointSetOfSeedsAndTrials) {
  // --seed-offset K: the same design on fresh seeds (and fresh search draws), disjoint from the
  // profile's own (which the baselines use) and from every other K; offset 0 is the profile's.
  const ClaimSpec spec = real_spec();
  const std::vector<RunSpec> own = plan(spec, "smoke", "cpu");
  std::set<std::uint64_t> seeds;
  std::set<std::string> keys;
  auto note = [&](const RunSpec& r) {
    for (const std::uint64_t s : {r.run.data_seed, r.run.init_seed, r.run.noise_seed})
      seeds.insert(s);
    keys.insert(r.key());
  };
  for (const auto& r : own)
    note(r);
  EXPECT_EQ(plan(spec, "smoke", "cpu", 0, {}, 0).front().key(), own.front().key());
  EXPECT_FALSE(own.front().config().contains("seed_offset"))
      << "offset 0 keeps the keys the stores were written with";
  const std::size_t own_seeds = seeds.size();
  int trials_drawn_differently = 0;
  std::size_t sets = 1;
  for (const int k : {1, 2, 7}) {
    const ProfilePlan p = plan_profile(spec, "smoke", "cpu", 0, {}, k);
    EXPECT_EQ(p.seed_offset, k);
    ASSERT_EQ(p.runs.size(), own.size()) << "the same design";
    for (std::size_t i = 0; i < own.size(); ++i) {
      const RunSpec& r = p.runs[i];
      EXPECT_EQ(place_of(r), place_of(own[i]));
      EXPECT_EQ(r.config().at("seed_offset"), k) << "recorded in every run's config";
      note(r);
      if (r.role == RunRole::kTrial && (r.run.training.batch != own[i].run.training.batch ||
                                        r.run.training.lr != own[i].run.training.lr)) {
        ++trials_drawn_differently;
      }
    }
    // Common random numbers within the fresh set: replicate i of every arm shares its seeds.
    std::map<int, std::uint64_t> data_seed_of;
    for (const auto& r : p.runs) {
      if (r.role != RunRole::kReplicate) continue;
      const auto [it, first] = data_seed_of.emplace(r.index, r.run.data_seed);
      EXPECT_EQ(it->second, r.run.data_seed) << r.arm << " " << r.index;
    }
    ++sets;
    EXPECT_EQ(seeds.size(), sets * own_seeds) << "set " << k << " shares no seed with another";
  }
  EXPECT_EQ(keys.size(), 4 * own.size()) << "no run of one set is a run of another";
  EXPECT_GT(trials_drawn_differently, 0) << "search trials draw fresh (batch, lr) too";
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [&] { plan(spec, "smoke", "cpu", 0, {}, -1); }, {"seed offset -1", "K >= 1"}));
}

TEST(Planner, UnknownProfileIsASpecError) {
  EXPECT_TRUE(test::ThrowsWith<SpecError>([] { plan(real_spec(), "weekly", "cpu"); },
                                          {"no profile 'weekly'"}));
}

TEST(ParseShard, NumbersShardsFromOneAndRejectsTheRest) {
  const Shard s = parse_shard("1/4");
  EXPECT_EQ(s.index, 0);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.text(), "1/4");
  const Shard last = parse_shard("4/4");
  EXPECT_EQ(last.index, 3);
  EXPECT_EQ(last.count, 4);
  EXPECT_EQ(last.text(), "4/4");
  EXPECT_EQ(parse_shard("1/1").count, 1);
  for (const char* bad :
       {"5/4", "-1/2", "a/b", "1/0", "0/0", "1", "1/", "/2", "1/4x", "0-4", "1/2/3", ""}) {
    EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
        [&] { parse_shard(bad); }, {"--shard '" + std::string(bad) + "'", "1 <= I <= N"}))
        << "'" << bad << "'";
  }
  // A 0-based habit is named, never silently read as another shard.
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [] { parse_shard("0/2"); }, {"--shard '0/2'", "numbered from 1", "1/2 ... 2/2"}));
}

TEST(Shards, PartitionTheRunListExactly) {
  const ClaimSpec spec = real_spec();
  const std::vector<RunSpec> all = plan(spec, "smoke", "cpu");
  std::set<Place> everything;
  for (const auto& r : all)
    everything.insert(place_of(r));
  for (int count : {1, 2, 3, 4, 7, 200}) {
    std::set<Place> seen;
    std::size_t total = 0;
    std::size_t smallest = all.size();
    std::size_t largest = 0;
    for (int index = 0; index < count; ++index) {
      const std::vector<RunSpec> mine = plan(spec, "smoke", "cpu", 0, Shard{index, count});
      total += mine.size();
      smallest = std::min(smallest, mine.size());
      largest = std::max(largest, mine.size());
      for (const auto& r : mine) {
        EXPECT_TRUE(seen.insert(place_of(r)).second)
            << r.arm << " " << r.index << " is in two shards of " << count;
      }
    }
    EXPECT_EQ(total, all.size()) << count << " shards";
    EXPECT_EQ(seen, everything) << count << " shards";
    EXPECT_LE(largest - smallest, 1u) << "round-robin shards are balanced (" << count << ")";
  }
}

}  // namespace
}  // namespace claimcheck::claims
