// `claimcheck report` through the CLI in-process, on the tiny claim (6 MNIST runs, trained once
// for the whole suite, ~2 s): it never passes on nothing (empty store, one shard of two, an
// unknown profile, a store that does not exist), merges shards to the whole store's numbers,
// writes every file under --report-dir and nothing into the stores it reads, and reads runs
// shared with another profile without calling that profile incomplete.
#include "harness/cli/report_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <map>

#include "../claims/claims_test_support.h"
#include "harness/claims/planner.h"
#include "harness/cli/cli.h"

namespace claimcheck::cli {
namespace {
namespace fs = std::filesystem;
using claims::test::ContainsAll;
using json = nlohmann::json;

// Every file under `dir`: path -> size, mtime and content (a store must stay byte-identical).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string mtime =
        std::to_string(fs::last_write_time(e.path()).time_since_epoch().count());
    out[fs::relative(e.path(), dir).string()] =
        e.is_regular_file() ? mtime + ":" + claims::test::read_text(e.path()) : mtime + ":dir";
  }
  return out;
}

class ReportCommand : public ::testing::Test {
 protected:
  // One trained store for every test: the tiny claim with a nightly profile whose first three
  // replicates are smoke's runs (the same seeds and configs, so the same run keys).
  static void SetUpTestSuite() {
    // One directory per test process: CTest runs each test in its own process, several at
    // once under -j, and scratch_dir starts by deleting the directory it is given.
    std::string name = "report_command_" + ::testing::GTEST_FLAG(filter);
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    root_ = new fs::path(claims::test::scratch_dir(name));
    json spec = claims::test::tiny_claim_json();
    spec["profiles"]["nightly"] = {{"replicates", 4}, {"device", "cpu"}, {"resamples", 999}};
    fs::create_directories(*root_ / "claims");
    claims::test::write_json(*root_ / "claims" / "tiny.json", spec);
    const auto r = cli({"run", "tiny", "--profile", "smoke", "--store", store().string()});
    ASSERT_EQ(r.code, kExitMismatch) << r.err;  // trained; no baseline yet
    // Shards: every other line of the whole store (what `run --shard I/2` would have written).
    const auto lines = claims::test::lines_of(store() / "tiny.jsonl");
    ASSERT_EQ(lines.size(), 6u);
    for (int shard = 0; shard < 2; ++shard) {
      fs::create_directories(*root_ / ("shard" + std::to_string(shard)));
      std::ofstream out(*root_ / ("shard" + std::to_string(shard)) / "tiny.jsonl");
      for (std::size_t i = static_cast<std::size_t>(shard); i < lines.size(); i += 2)
        out << lines[i] << "\n";
    }
    fs::remove_all(store() / "reports");
  }
  static void TearDownTestSuite() { delete root_; }

  static fs::path store() { return *root_ / "runs"; }
  static fs::path shard(int i) { return *root_ / ("shard" + std::to_string(i)); }
  static fs::path scratch(const std::string& name) {
    const fs::path dir = *root_ / name;
    fs::remove_all(dir);
    return dir;
  }
  static claims::test::CliResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--claims-dir", (*root_ / "claims").string(), "--baselines-dir",
                               (*root_ / "baselines").string()});
    return claims::test::run_cli(args);
  }
  static fs::path* root_;
};
fs::path* ReportCommand::root_ = nullptr;

TEST_F(ReportCommand, EmptyStoreFailsNamingTheCommandThatTrains) {
  const fs::path empty = scratch("empty");
  fs::create_directories(empty);
  const auto r =
      cli({"report", "--store", empty.string(), "--report-dir", scratch("empty-reports").string()});
  EXPECT_EQ(r.code, kExitMismatch) << "an empty report is never a pass";
  EXPECT_TRUE(ContainsAll(r.err, {"nothing was tested", "run --all --profile smoke --store"}));
  EXPECT_TRUE(ContainsAll(r.out, {"nothing to report"}));
}

TEST_F(ReportCommand, OneShardOfTwoFailsNamingTheMissingRuns) {
  const auto r = cli({"report", "--store", shard(0).string(), "--profile", "smoke", "--report-dir",
                      scratch("one-shard").string()});
  EXPECT_EQ(r.code, kExitMismatch) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"tiny (smoke): 3 of 6 runs are not in the stores",
                                  "run tiny --profile smoke --store " + shard(0).string()}));
  EXPECT_TRUE(ContainsAll(r.out, {"1 incomplete", "| `tiny` | smoke | ❌ incomplete |"}));
}

TEST_F(ReportCommand, BothShardsReportWhatTheWholeStoreReports) {
  const auto merged = cli({"report", "--store", shard(0).string(), "--store", shard(1).string(),
                           "--format", "json", "--report-dir", scratch("merged").string()});
  const auto whole = cli({"report", "--store", store().string(), "--format", "json", "--report-dir",
                          scratch("whole").string()});
  ASSERT_EQ(merged.code, kExitMismatch) << merged.err;  // no baseline yet
  ASSERT_EQ(whole.code, kExitMismatch) << whole.err;
  const json a = json::parse(merged.out);
  const json b = json::parse(whole.out);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0]["analysis"], b[0]["analysis"]);
  EXPECT_EQ(a[0]["comparison"], b[0]["comparison"]);
}

TEST_F(ReportCommand, UnknownProfileIsAUsageError) {
  const auto r = cli({"report", "--store", store().string(), "--profile", "nightlyy",
                      "--report-dir", scratch("unknown").string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_TRUE(ContainsAll(r.err, {"nightlyy", "nightly, smoke"}));
}

TEST_F(ReportCommand, StoreThatDoesNotExistIsAUsageError) {
  const auto r = cli({"report", "--store", (*root_ / "no-such-store").string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_TRUE(ContainsAll(r.err, {"no-such-store", "no such directory"}));
}

TEST_F(ReportCommand, ReportDirHoldsEveryFileAndTheStoreIsUntouched) {
  const auto before = snapshot(store());
  const fs::path out = scratch("report-dir");
  const auto r = cli({"report", "--store", store().string(), "--report-dir", out.string()});
  EXPECT_EQ(r.code, kExitMismatch) << r.err;
  for (const char* f : {"suite.md", "suite.html", "suite.json", "tiny/smoke/report.json",
                        "tiny/smoke/report.md", "tiny/smoke/report.html"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  EXPECT_EQ(claims::test::read_text(out / "suite.md"), r.out) << "stdout is the suite report";
  EXPECT_EQ(snapshot(store()), before) << "report wrote into a store it only reads";
}

TEST_F(ReportCommand, ReadOnlyStoreWritesElsewhere) {
  const auto before = snapshot(store());
  fs::permissions(store(),
                  fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                  fs::perm_options::remove);
  if (geteuid() != 0) {  // root writes anyway: only an unprivileged user can see the refusal
    const auto r = cli({"report", "--store", store().string()});
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_TRUE(ContainsAll(r.err, {"cannot write reports", "--report-dir"}));
  }
  const auto r = cli({"report", "--store", store().string(), "--report-dir",
                      scratch("read-only-reports").string()});
  fs::permissions(store(), fs::perms::owner_write, fs::perm_options::add);
  EXPECT_EQ(r.code, kExitMismatch) << r.err;
  EXPECT_EQ(snapshot(store()), before);
}

TEST_F(ReportCommand, RunsSharedWithAnotherProfileDoNotMakeItIncomplete) {
  // The store holds smoke (3 seeds); nightly's first 3 seeds are the same runs. Without
  // --profile only smoke is reported; asking for nightly names its missing seed.
  const auto all =
      cli({"report", "--store", store().string(), "--report-dir", scratch("found").string()});
  EXPECT_EQ(all.code, kExitMismatch) << all.err;  // no baseline
  EXPECT_EQ(all.out.find("nightly"), std::string::npos) << all.out;
  const auto nightly = cli({"report", "--store", store().string(), "--profile", "nightly",
                            "--report-dir", scratch("nightly").string()});
  EXPECT_EQ(nightly.code, kExitMismatch);
  EXPECT_TRUE(ContainsAll(nightly.err, {"tiny (nightly): 2 of 8 runs are not in the stores",
                                        "run tiny --profile nightly"}));
}

TEST_F(ReportCommand, OneShardMissingDoesNotMakeNightlyIncompleteToo) {
  // Without --profile, an incomplete smoke (one shard of two) is reported as smoke only: its
  // runs are nightly's first seeds too, but nobody ran a nightly.
  const auto r = cli(
      {"report", "--store", shard(0).string(), "--report-dir", scratch("one-shard-all").string()});
  EXPECT_EQ(r.code, kExitMismatch) << r.err;
  EXPECT_TRUE(ContainsAll(r.out, {"| `tiny` | smoke | ❌ incomplete |"})) << r.out;
  EXPECT_EQ(r.out.find("nightly"), std::string::npos) << r.out;
}

TEST_F(ReportCommand, PlansEachClaimAndProfileExactlyOnce) {
  // Two profiles of one claim, over two shard stores: two plans, whatever the profiles found.
  const std::size_t before = claims::plans_made();
  const auto r = cli({"report", "--store", shard(0).string(), "--store", shard(1).string(),
                      "--report-dir", scratch("plan-count").string()});
  EXPECT_EQ(r.code, kExitMismatch) << r.err;  // no baseline
  EXPECT_EQ(claims::plans_made() - before, 2u);
  const std::size_t one = claims::plans_made();
  cli({"report", "--store", store().string(), "--profile", "smoke", "--report-dir",
       scratch("plan-count-smoke").string()});
  EXPECT_EQ(claims::plans_made() - one, 1u);
}

TEST_F(ReportCommand, HintsNameTheStoreThatHoldsTheClaimsRuns) {
  // The claim's runs are in the second store: the bless hint must name it, not the first.
  const fs::path empty = scratch("empty-first");
  fs::create_directories(empty);
  const auto r = cli({"report", "--store", empty.string(), "--store", store().string(), "--format",
                      "json", "--report-dir", scratch("hint-store").string()});
  EXPECT_EQ(r.code, kExitMismatch) << r.err;  // no baseline
  const json reports = json::parse(r.out);
  ASSERT_EQ(reports.size(), 1u);
  const std::string bless = reports[0]["commands"]["bless"];
  EXPECT_NE(bless.find("--store " + store().string()), std::string::npos) << bless;
  EXPECT_EQ(bless.find(empty.string()), std::string::npos) << bless;
}

TEST_F(ReportCommand, BlessedClaimPassesWithExitZero) {
  claims::test::ScopedEnv no_ci("CI", nullptr);
  ASSERT_EQ(cli({"bless", "tiny", "--profile", "smoke", "--store", store().string()}).code,
            kExitOk);
  const fs::path out = scratch("blessed");
  const auto r = cli({"report", "--store", store().string(), "--report-dir", out.string()});
  fs::remove_all(*root_ / "baselines");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("✅ **claimcheck: all 1 pass**", 0), 0u) << r.out;
  // The per-claim page draws the baseline's CI beside each hypothesis.
  EXPECT_NE(claims::test::read_text(out / "tiny/smoke/report.html").find("baseline-ci"),
            std::string::npos);
}

TEST_F(ReportCommand, ProfileSomeClaimsLackListsThemAndPasses) {
  // The nightly over a suite whose canary defines only smoke (claims/canary-*.json): before,
  // `report --profile nightly` exited 2 and the nightly merge wrote no report at all. Now the
  // nightly claim is reported, the canary listed as "no nightly profile", and the suite passes.
  claims::test::ScopedEnv no_ci("CI", nullptr);
  const fs::path dir = scratch("no-profile");
  fs::create_directories(dir / "claims");
  fs::copy_file(*root_ / "claims" / "tiny.json", dir / "claims" / "tiny.json");
  json canary = claims::test::tiny_claim_json();  // smoke only
  canary["id"] = "canary";
  claims::test::write_json(dir / "claims" / "canary.json", canary);
  const fs::path runs = dir / "runs";
  fs::create_directories(runs);
  fs::copy_file(store() / "tiny.jsonl", runs / "tiny.jsonl");  // smoke = nightly's first 3 seeds
  const auto in_dir = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--claims-dir", (dir / "claims").string(), "--baselines-dir",
                               (dir / "baselines").string()});
    return claims::test::run_cli(args);
  };
  ASSERT_EQ(in_dir({"run", "tiny", "--profile", "nightly", "--store", runs.string()}).code,
            kExitMismatch);  // trained nightly's fourth seed; no baseline yet
  ASSERT_EQ(in_dir({"bless", "tiny", "--profile", "nightly", "--store", runs.string()}).code,
            kExitOk);

  const fs::path out = dir / "reports";
  const auto r = in_dir(
      {"report", "--store", runs.string(), "--profile", "nightly", "--report-dir", out.string()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(
      r.out, {"✅ **claimcheck: all 1 pass**", "1 claim has no nightly profile (listed, not run)",
              "| `tiny` | nightly | ✅ pass |", "| `canary` | nightly | ➖ no nightly profile |"}))
      << r.out;
  const json suite = claims::test::read_json(out / "suite.json");
  ASSERT_EQ(suite["no_profile"].size(), 1u);
  EXPECT_EQ(suite["no_profile"][0]["claim"], "canary");
  EXPECT_EQ(suite["entries"].size(), 1u);
  EXPECT_TRUE(ContainsAll(claims::test::read_text(out / "suite.html"),
                          {"<td><code>canary</code></td><td>nightly</td><td>no nightly profile"}));
  EXPECT_FALSE(fs::exists(out / "canary")) << "a listed claim has no report files";

  // Naming the claim that lacks the profile stays a usage error: it was asked for.
  const auto named = in_dir({"report", "--store", runs.string(), "--profile", "nightly", "--claim",
                             "canary", "--report-dir", (dir / "named").string()});
  EXPECT_EQ(named.code, kExitUsage);
  EXPECT_TRUE(ContainsAll(named.err, {"no profile 'nightly'", "smoke"})) << named.err;
}

}  // namespace
}  // namespace claimcheck::cli
