// The whole claim pipeline through the CLI in-process, on the tiny claim (6 MNIST runs, ~1-2 s
// of training per test): bless and compare (pass, tampered baseline, stale spec, CI refusal),
// resume after losing runs, analyze == run, shards, determinism across fresh stores, baselines
// per device class, and --device cuda where there is none.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../claims/claims_test_support.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/cli/cli.h"
#include "harness/env/device.h"
#include "harness/env/fingerprint.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;
using test::ContainsAll;

class TinyClaimCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::scratch_dir(std::string("cli_") +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    claims_ = dir_ / "claims";
    baselines_ = dir_ / "baselines";
    store_ = dir_ / "runs";
    fs::create_directories(claims_);
    test::write_json(claims_ / "tiny.json", test::tiny_claim_json());
  }

  test::CliResult cli(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--claims-dir", claims_.string(), "--baselines-dir", baselines_.string()});
    return test::run_cli(args);
  }
  test::CliResult run(const fs::path& store, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"run",   "tiny",    "--profile",
                                     "smoke", "--store", store.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }
  test::CliResult bless() {
    return cli({"bless", "tiny", "--profile", "smoke", "--store", store_.string()});
  }
  json report(const fs::path& store) const {
    return test::read_json(store / "reports" / "tiny" / "smoke" / "report.json");
  }
  fs::path store_file(const fs::path& store) const { return store / "tiny.jsonl"; }
  fs::path baseline_file() const { return baselines_ / "tiny" / "smoke.json"; }

  // Per-run metrics of a store, by run key.
  std::map<std::string, json> metrics_by_key(const fs::path& store) const {
    std::map<std::string, json> out;
    for (const auto& line : test::lines_of(store_file(store))) {
      const json r = json::parse(line);
      json m = r.at("metrics");
      m["steps"] = r.at("steps");  // what the run did, beside what it measured
      m["diverged"] = r.at("diverged");
      out[r.at("key").get<std::string>()] = m;
    }
    return out;
  }

  fs::path dir_, claims_, baselines_, store_;
};

TEST_F(TinyClaimCli, BlessThenCompareDetectsTamperingAndSpecEdits) {
  test::ScopedEnv no_ci("CI", nullptr);
  test::CliResult r = run(store_);
  ASSERT_EQ(r.code, cli::kExitMismatch) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"tiny (smoke): 6 runs on cpu", "tiny (smoke): no-baseline"}));
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 6u);
  EXPECT_EQ(report(store_)["execution"]["trained"], 6);
  EXPECT_EQ(report(store_)["comparison"]["outcome"], "no-baseline");

  {
    test::ScopedEnv ci("CI", "true");
    r = bless();
    EXPECT_EQ(r.code, cli::kExitUsage);
    EXPECT_TRUE(ContainsAll(r.err, {"bless: refused", "CI"}));
    EXPECT_FALSE(fs::exists(baseline_file()));
  }

  r = bless();
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.out, {"new verdicts for tiny (smoke)",
                                  "geglu-more-accurate:", "wrote " + baseline_file().string()}));
  const json baseline = test::read_json(baseline_file());
  EXPECT_EQ(baseline, report(store_)["analysis"]);

  // `list` reads the baseline: how decisive each verdict is, and what a decisive one needs.
  r = cli({"list"});
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.out, {"design (smoke, from " + baseline_file().string(),
                                  "geglu-more-accurate: ", "replication probability", "gates"}))
      << r.out;

  // Blessing the same evidence again from another commit writes nothing, and says so.
  json other_commit = baseline;
  other_commit["fingerprint"]["git_commit"] = "0000000000000000000000000000000000000000";
  test::write_json(baseline_file(), other_commit);
  const std::string before = test::read_text(baseline_file());
  r = bless();
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.out, {"the evidence is unchanged", "not rewritten"})) << r.out;
  EXPECT_EQ(test::read_text(baseline_file()), before);
  test::write_json(baseline_file(), baseline);

  r = run(store_);
  EXPECT_EQ(r.code, cli::kExitOk) << r.out;
  EXPECT_TRUE(ContainsAll(r.err, {"6 of 6 runs already in", "tiny (smoke): pass"}));
  EXPECT_EQ(report(store_)["comparison"]["same_environment"], true);
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 6u) << "nothing retrained";

  // Tamper with one hypothesis's estimate: far outside its CI, toward the claim ("less").
  json tampered = baseline;
  for (auto& h : tampered["hypotheses"]) {
    if (h["id"] == "geglu-lower-loss") h["estimate"] = h["estimate"].get<double>() + 1.0;
  }
  test::write_json(baseline_file(), tampered);
  r = run(store_);
  EXPECT_EQ(r.code, cli::kExitMismatch) << r.out;
  // The bless hint carries the same directories, so copying it works.
  EXPECT_TRUE(ContainsAll(
      r.out,
      {"geglu-lower-loss: estimate", "incompatible with the baseline",
       "`claimcheck --claims-dir " + claims_.string() + " --baselines-dir " + baselines_.string() +
           " bless tiny --profile smoke --store " + store_.string() + "`"}));
  EXPECT_EQ(r.out.find("geglu-more-accurate: "), std::string::npos) << "only the tampered one";
  EXPECT_TRUE(ContainsAll(r.err, {"tiny (smoke): improved"}));
  EXPECT_EQ(report(store_)["comparison"]["outcome"], "improved");

  // Restored, it passes again; then a margin edit after blessing makes the baseline stale.
  test::write_json(baseline_file(), baseline);
  ASSERT_EQ(run(store_).code, cli::kExitOk);
  json spec = test::tiny_claim_json();
  spec["hypotheses"][0]["margin"] = 0.001;
  test::write_json(claims_ / "tiny.json", spec);
  r = run(store_);
  EXPECT_EQ(r.code, cli::kExitMismatch);
  EXPECT_TRUE(ContainsAll(r.err, {"tiny (smoke): stale"}));
  EXPECT_TRUE(ContainsAll(
      r.out, {"the spec changed since the baseline", "geglu-more-accurate: margin 0.0 -> 0.001"}))
      << r.out;
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 6u) << "a margin is not part of any run";

  // Re-blessing shows the hash move and makes the edited spec pass.
  r = bless();
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(
      ContainsAll(r.out, {"old vs new for tiny (smoke)",
                          "spec hash: " + baseline["spec_hash"].get<std::string>() + " -> "}));
  EXPECT_EQ(run(store_).code, cli::kExitOk);
}

// The CPU store's records as if they had trained on CUDA: each under its CUDA run's key and
// config, with a CUDA fingerprint recording deterministic settings (no GPU needed to judge).
void write_as_cuda_runs(const fs::path& cpu_store, const fs::path& cuda_store) {
  const ClaimSpec spec = parse_claim(test::tiny_claim_json(), "tiny.json");
  std::map<std::string, RunSpec> cuda_runs;  // "arm role index" -> run
  for (const auto& run : plan(spec, "smoke", "cuda"))
    cuda_runs.emplace(run.arm + " " + to_string(run.role) + " " + std::to_string(run.index), run);
  fs::create_directories(cuda_store);
  std::ofstream out(cuda_store / "tiny.jsonl");
  for (const auto& line : test::lines_of(cpu_store / "tiny.jsonl")) {
    json r = json::parse(line);
    const RunSpec& run =
        cuda_runs.at(r.at("arm").get<std::string>() + " " + r.at("role").get<std::string>() + " " +
                     std::to_string(r.at("index").get<int>()));
    r["key"] = run.key();
    r["config"] = run.config();
    r["fingerprint"] = test::as_cuda_fingerprint(r["fingerprint"]);
    out << r.dump() << "\n";
  }
}

TEST_F(TinyClaimCli, CudaRunsCompareWithTheirOwnBaselineElseTheCpuOneStatistically) {
  test::ScopedEnv no_ci("CI", nullptr);
  ASSERT_EQ(run(store_).code, cli::kExitMismatch);  // no baseline yet
  ASSERT_EQ(bless().code, cli::kExitOk);
  const fs::path cuda_store = dir_ / "cuda-runs";
  write_as_cuda_runs(store_, cuda_store);

  // No CUDA baseline: the CPU one, as a statistical comparison, and every report says so.
  test::CliResult r =
      cli({"analyze", "tiny", "--profile", "smoke", "--store", cuda_store.string()});
  EXPECT_EQ(r.code, cli::kExitOk) << r.err << r.out;
  json rep = report(cuda_store);
  EXPECT_EQ(rep["baseline"]["fallback"], true);
  EXPECT_EQ(rep["baseline"]["file"], baseline_file().string());
  EXPECT_EQ(rep["comparison"]["same_environment"], false) << "a CPU baseline of this very host";
  EXPECT_EQ(rep["comparison"]["exact_required"], false);
  const std::string md = test::read_text(cuda_store / "reports" / "tiny" / "smoke" / "report.md");
  EXPECT_TRUE(ContainsAll(md, {"Baseline from LibTorch", ", cpu (", "runs on LibTorch",
                               "cuda (NVIDIA H200, compute capability 9.0)",
                               "different environments, so compared statistically",
                               "No CUDA baseline yet", "baselines/tiny/smoke.cuda.json"}))
      << md;

  // bless on CUDA runs writes the CUDA baseline beside the CPU one, which stays as it was.
  const std::string cpu_baseline = test::read_text(baseline_file());
  r = cli({"bless", "tiny", "--profile", "smoke", "--store", cuda_store.string()});
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(fs::exists(baselines_ / "tiny" / "smoke.cuda.json")) << r.out;
  EXPECT_EQ(test::read_text(baseline_file()), cpu_baseline);

  // Now the CUDA runs compare with their own: one deterministic environment, exactly.
  r = cli({"analyze", "tiny", "--profile", "smoke", "--store", cuda_store.string()});
  EXPECT_EQ(r.code, cli::kExitOk) << r.err;
  rep = report(cuda_store);
  EXPECT_EQ(rep["baseline"]["fallback"], false);
  EXPECT_EQ(rep["comparison"]["exact_required"], true);
  // The suite report draws the baseline the comparison used: the CUDA one, with no CPU one left
  // (before, it read the CPU baseline whatever the runs' device, and drew no baseline CIs here).
  {
    const fs::path cpu_copy = dir_ / "cpu-baseline.json";
    fs::rename(baseline_file(), cpu_copy);
    const fs::path out = dir_ / "suite-cuda";
    r = cli({"report", "--store", cuda_store.string(), "--report-dir", out.string()});
    EXPECT_EQ(r.code, cli::kExitOk) << r.err;
    EXPECT_NE(test::read_text(out / "tiny" / "smoke" / "report.html").find("baseline-ci"),
              std::string::npos);
    fs::rename(cpu_copy, baseline_file());
  }
  // ... and CPU runs still with theirs.
  ASSERT_EQ(run(store_).code, cli::kExitOk);
  EXPECT_EQ(report(store_)["baseline"]["file"], baseline_file().string());
  EXPECT_EQ(report(store_)["comparison"]["exact_required"], true);
}

TEST_F(TinyClaimCli, ExplicitCudaWithoutCudaIsAnErrorAndAGpuProfileSkips) {
  if (env::cuda_available()) GTEST_SKIP() << "a CUDA device is visible: nothing to refuse";
  test::CliResult r = run(store_, {"--device", "cuda"});
  EXPECT_EQ(r.code, cli::kExitUsage) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"--device cuda: ", env::no_cuda_reason(),
                                  "README's section \"Building on a CUDA machine\""}))
      << r.err;
  if (!env::cuda_built()) EXPECT_TRUE(ContainsAll(r.err, {"LibTorch was built without CUDA"}));
  EXPECT_FALSE(fs::exists(store_file(store_))) << "nothing trained on the CPU instead";

  // A profile that needs a GPU is skipped (CTest's 77), not an error.
  json gpu = test::tiny_claim_json();
  gpu["profiles"]["smoke"]["device"] = "cuda";
  test::write_json(claims_ / "tiny.json", gpu);
  r = run(store_);
  EXPECT_EQ(r.code, cli::kExitSkipped) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"skipped: the profile needs CUDA"})) << r.err;
}

TEST_F(TinyClaimCli, JudgingWithoutRunsExitsOneAndNamesTheCommandThatTrainsThem) {
  // analyze and bless on a store that does not exist: exit 1, the command to train the runs with
  // the same flags, and the store directory is not created.
  const fs::path missing = dir_ / "no-such-store";
  test::ScopedEnv no_ci("CI", nullptr);  // CI runners set CI=true, under which bless refuses
  for (const char* verb : {"analyze", "bless"}) {
    const test::CliResult r =
        cli({verb, "tiny", "--profile", "smoke", "--store", missing.string()});
    EXPECT_EQ(r.code, cli::kExitMismatch) << verb << ": " << r.err;
    EXPECT_TRUE(ContainsAll(
        r.err,
        {"tiny (smoke): 6 of 6 runs are not in the store", "first: geglu replicate 0",
         "`claimcheck --claims-dir " + claims_.string() + " --baselines-dir " +
             baselines_.string() + " run tiny --profile smoke --store " + missing.string() + "`"}))
        << r.err;
    EXPECT_FALSE(fs::exists(missing)) << verb << " created the store directory";
  }
  EXPECT_FALSE(fs::exists(baseline_file())) << "bless wrote nothing without runs";
  // An unknown profile is a spec error (2), not missing runs.
  EXPECT_EQ(cli({"analyze", "tiny", "--profile", "weekly", "--store", missing.string()}).code,
            cli::kExitUsage);
}

TEST_F(TinyClaimCli, OptionsWorkBeforeOrAfterTheSubcommandAndSeedsNeedTwo) {
  const test::CliResult after =
      test::run_cli({"analyze", "tiny", "--profile", "smoke", "--store", (dir_ / "none").string(),
                     "--claims-dir", claims_.string(), "--baselines-dir", baselines_.string()});
  EXPECT_EQ(after.code, cli::kExitMismatch) << after.err;  // parsed; just no runs
  EXPECT_TRUE(ContainsAll(after.err, {"6 of 6 runs are not in the store"}));
  const test::CliResult one = run(store_, {"--seeds", "1"});
  EXPECT_EQ(one.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(one.err, {"--seeds: must be an integer >= 2", "got '1'"})) << one.err;
  EXPECT_FALSE(fs::exists(store_file(store_))) << "rejected before training";
  const test::CliResult extra = run(store_, {"unexpected"});
  EXPECT_EQ(extra.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(extra.err, {"not expected: unexpected"})) << extra.err;
}

TEST_F(TinyClaimCli, SeedOffsetReplicatesTheDesignOnFreshSeedsAndComparesStatistically) {
  test::ScopedEnv no_ci("CI", nullptr);
  ASSERT_EQ(run(store_).code, cli::kExitMismatch);
  ASSERT_EQ(bless().code, cli::kExitOk);
  const fs::path fresh = dir_ / "fresh";
  const test::CliResult r = run(fresh, {"--seed-offset", "3"});
  ASSERT_NE(r.code, cli::kExitUsage) << r.err;
  const json rep = report(fresh);
  EXPECT_EQ(rep["analysis"]["seed_offset"], 3);
  EXPECT_EQ(rep["comparison"]["seed_offset"], 3);
  EXPECT_EQ(rep["comparison"]["baseline_seed_offset"], 0);
  EXPECT_EQ(rep["comparison"]["exact_required"], false) << "fresh seeds: never exact";
  EXPECT_TRUE(ContainsAll(r.out, {"Seeds: fresh set 3 (`--seed-offset 3`)", "replication"}))
      << r.out;
  // Six new runs, none sharing a key or a seed with the profile's own, each recording K.
  std::set<std::string> own_seeds;
  for (const auto& line : test::lines_of(store_file(store_))) {
    const json c = json::parse(line).at("config");
    own_seeds.insert(c.at("data_seed").dump());
    EXPECT_FALSE(c.contains("seed_offset"));
  }
  const auto lines = test::lines_of(store_file(fresh));
  ASSERT_EQ(lines.size(), 6u);
  for (const auto& line : lines) {
    const json c = json::parse(line).at("config");
    EXPECT_EQ(c.at("seed_offset"), 3);
    EXPECT_EQ(own_seeds.count(c.at("data_seed").dump()), 0u);
  }
  // Judging the fresh set names its offset; without it the profile's own runs are missing.
  const test::CliResult again = cli(
      {"analyze", "tiny", "--profile", "smoke", "--store", fresh.string(), "--seed-offset", "3"});
  EXPECT_EQ(again.code, r.code) << again.err;
  EXPECT_EQ(cli({"analyze", "tiny", "--profile", "smoke", "--store", fresh.string()}).code,
            cli::kExitMismatch);
  // K must be >= 1, and bless has no offset: a baseline is the profile's own seeds.
  const test::CliResult zero = run(fresh, {"--seed-offset", "0"});
  EXPECT_EQ(zero.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(zero.err, {"--seed-offset", "must be an integer >= 1"})) << zero.err;
  EXPECT_EQ(
      cli({"bless", "tiny", "--profile", "smoke", "--store", fresh.string(), "--seed-offset", "3"})
          .code,
      cli::kExitUsage);
}

TEST_F(TinyClaimCli, SeedsAreARecordedDesignChangeComparedStatistically) {
  // `run --seeds N` is another design of the same question: recorded in the analysis, compared
  // statistically (not stale, not exact), judged again by `analyze --seeds N`, and the report
  // says how to make it the profile's design instead of suggesting a bless of other seeds.
  test::ScopedEnv no_ci("CI", nullptr);
  ASSERT_EQ(run(store_).code, cli::kExitMismatch);
  ASSERT_EQ(bless().code, cli::kExitOk);
  const std::string blessed = test::read_text(baseline_file());
  const test::CliResult r = run(store_, {"--seeds", "5"});
  ASSERT_NE(r.code, cli::kExitUsage) << r.err;
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 10u) << "seeds 0-2 are reused";
  const json rep = report(store_);
  EXPECT_EQ(rep["analysis"]["seeds_override"], 5);
  EXPECT_EQ(rep["analysis"]["profile_seeds"], 3);
  EXPECT_NE(rep["comparison"]["outcome"], "stale");
  EXPECT_EQ(rep["comparison"]["exact_required"], false);
  EXPECT_EQ(rep["comparison"]["seeds_override"], 5);
  EXPECT_TRUE(ContainsAll(rep["comparison"]["messages"].dump(),
                          {"design: --seeds 5 here, the profile's 3 seeds in the baseline"}));
  EXPECT_TRUE(
      ContainsAll(r.out, {"Design: `--seeds 5` (the profile has 3)", "analyze tiny --profile smoke",
                          "--seeds 5`", "`profiles.smoke.replicates` to 5 in `claims/tiny.json`"}))
      << r.out;
  EXPECT_FALSE(ContainsAll(r.out, {"If this change is intended"})) << r.out;
  for (const auto& h : rep["analysis"]["hypotheses"])
    EXPECT_EQ(h["n"], 5) << h["id"];
  // analyze --seeds 5 judges the same runs to the same analysis; bless, which blesses the
  // profile's own seeds, finds them unchanged and writes nothing.
  const test::CliResult again =
      cli({"analyze", "tiny", "--profile", "smoke", "--store", store_.string(), "--seeds", "5"});
  EXPECT_EQ(again.code, r.code) << again.err;
  json a = report(store_)["analysis"];
  json b = rep["analysis"];
  EXPECT_EQ(a["hypotheses"], b["hypotheses"]);
  EXPECT_EQ(a["seeds_override"], 5);
  EXPECT_EQ(bless().code, cli::kExitOk);
  EXPECT_EQ(test::read_text(baseline_file()), blessed);
}

TEST_F(TinyClaimCli, RunsOfAnotherBuildAreTrainedAgainUnlessAnyBuild) {
  // The store is a cache of runs keyed by what they train; the code that trained them is its
  // validity key (fingerprint.build_id): another build's runs are trained again, so a test never
  // passes on the numbers of the code before a change.
  ASSERT_EQ(run(store_).code, cli::kExitMismatch);
  const auto trained = metrics_by_key(store_);
  const std::vector<std::string> lines = test::lines_of(store_file(store_));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(json::parse(lines[0])["fingerprint"]["build_id"], env::build_id());
  EXPECT_FALSE(env::build_id().empty());
  EXPECT_NE(env::build_id(), "unknown");
  {
    std::ofstream out(store_file(store_), std::ios::trunc);
    for (const auto& line : lines) {
      json r = json::parse(line);
      r["fingerprint"]["build_id"] = "0123456789abcdef0123";
      out << r.dump() << "\n";
    }
  }
  // --any-build reuses them; without it, all six are trained again, to the same numbers.
  const test::CliResult kept = run(store_, {"--any-build"});
  EXPECT_EQ(kept.code, cli::kExitMismatch) << kept.err;
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 6u);
  const test::CliResult r = run(store_);
  EXPECT_EQ(r.code, cli::kExitMismatch) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"6 of 6 stored runs", "were trained by another build",
                                  "build 0123456789ab", "--any-build"}))
      << r.err;
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 12u) << "the old lines are kept";
  EXPECT_EQ(metrics_by_key(store_), trained);
  const test::CliResult third = run(store_);
  EXPECT_FALSE(ContainsAll(third.err, {"another build"})) << third.err;
  EXPECT_EQ(test::lines_of(store_file(store_)).size(), 12u);
}

TEST_F(TinyClaimCli, ASecondRunOnTheSameStoreIsRefusedNamingTheHolder) {
  const claims::StoreWriterLock holder(store_file(store_));  // as another `run` would hold it
  const test::CliResult r = run(store_);
  EXPECT_EQ(r.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(
      r.err, {"another claimcheck is writing this store", "PID " + std::to_string(::getpid())}))
      << r.err;
  EXPECT_FALSE(fs::exists(store_file(store_))) << "nothing trained, nothing written";
}

TEST_F(TinyClaimCli, BlessReplacesACorruptBaselineAfterSayingSo) {
  test::ScopedEnv no_ci("CI", nullptr);
  ASSERT_EQ(run(store_).code, cli::kExitMismatch);
  ASSERT_EQ(bless().code, cli::kExitOk);
  const json good = test::read_json(baseline_file());
  // A verdict that is not a verdict: compared, it would pass or fail by accident. It is an
  // error naming file and key, and bless can replace it.
  json maybe = good;
  maybe["hypotheses"][0]["verdict"] = "maybe";
  test::write_json(baseline_file(), maybe);
  test::CliResult r = run(store_);
  EXPECT_EQ(r.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(r.err, {baseline_file().string(), "hypotheses[0].verdict",
                                  "unknown verdict 'maybe'", "re-bless"}))
      << r.err;
  test::write_text(baseline_file(), "{\"format\": 2, \"claim\": ");  // truncated
  r = bless();
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.out, {"the old baseline cannot be read and is replaced",
                                  "is not valid JSON", "wrote " + baseline_file().string()}));
  EXPECT_EQ(test::read_json(baseline_file()), good);
  EXPECT_EQ(run(store_).code, cli::kExitOk);
}

TEST_F(TinyClaimCli, ResumeRetrainsOnlyTheLostRunsAndReproducesTheAnalysis) {
  test::CliResult r = run(store_);
  ASSERT_EQ(r.code, cli::kExitMismatch) << r.err;  // no baseline
  const json first = report(store_)["analysis"];
  const std::map<std::string, json> first_metrics = metrics_by_key(store_);

  // `analyze` recomputes the same analysis from the store, without training.
  r = cli({"analyze", "tiny", "--profile", "smoke", "--store", store_.string()});
  ASSERT_EQ(r.code, cli::kExitMismatch) << r.err;
  EXPECT_EQ(report(store_)["analysis"].dump(), first.dump());
  EXPECT_EQ(report(store_)["execution"]["trained"], 0);

  // Lose the last K = 2 runs (a crash), then run again: exactly those two are retrained.
  std::vector<std::string> lines = test::lines_of(store_file(store_));
  ASSERT_EQ(lines.size(), 6u);
  lines.resize(4);
  std::string kept;
  for (const auto& line : lines)
    kept += line + "\n";
  test::write_text(store_file(store_), kept);
  r = run(store_);
  ASSERT_EQ(r.code, cli::kExitMismatch) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"4 of 6 runs already in", "[   2/2]"}));
  EXPECT_EQ(r.err.find("[   3/"), std::string::npos) << r.err;
  EXPECT_EQ(report(store_)["execution"]["trained"], 2);
  EXPECT_EQ(report(store_)["execution"]["cached"], 4);
  EXPECT_EQ(metrics_by_key(store_), first_metrics) << "the retrained runs reproduce exactly";
  // Byte-identical except the wall-clock sum, which the two retrained runs changed.
  const json resumed = report(store_)["analysis"];
  EXPECT_EQ(resumed.dump(), first.dump());
  EXPECT_EQ(resumed["hypotheses"].dump(), first["hypotheses"].dump());
}

TEST_F(TinyClaimCli, FreshStoresAndShardsGiveIdenticalMetrics) {
  const fs::path whole = dir_ / "whole";
  const fs::path sharded = dir_ / "sharded";
  ASSERT_EQ(run(whole).code, cli::kExitMismatch);  // no baseline
  const test::CliResult s0 = run(sharded, {"--shard", "1/2"});
  ASSERT_EQ(s0.code, cli::kExitOk) << s0.err;
  EXPECT_TRUE(ContainsAll(s0.err, {"shard 1/2: 3 runs trained, 0 already stored"}));
  EXPECT_EQ(test::lines_of(store_file(sharded)).size(), 3u);
  const test::CliResult s1 = run(sharded, {"--shard", "2/2"});
  ASSERT_EQ(s1.code, cli::kExitOk) << s1.err;

  const std::map<std::string, json> a = metrics_by_key(whole);
  const std::map<std::string, json> b = metrics_by_key(sharded);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a, b) << "same spec, seeds and device: the same numbers, bit for bit";
  int learned = 0;
  for (const auto& [key, m] : a) {
    EXPECT_EQ(m["steps"], 938) << "ceil(60000 / 64) steps";
    EXPECT_EQ(m["diverged"], false);
    EXPECT_LT(m["test_accuracy"].get<double>(), 0.99) << key;
    learned += m["test_accuracy"].get<double>() > 0.3 ? 1 : 0;
  }
  // One epoch of a 2-unit FFN reaches 0.37-0.59 here, but a 2-unit ReLU net can also collapse
  // to one class (0.098, seen for one seed): a trainer that does not learn fails 4 of 6.
  EXPECT_GE(learned, 4);
  // Paired replicates of different arms differ (the arms are different models).
  std::set<double> accuracies;
  for (const auto& [key, m] : a)
    accuracies.insert(m["test_accuracy"].get<double>());
  EXPECT_GE(accuracies.size(), 4u);

  // The merged shards analyze to the same hypotheses as the whole store.
  ASSERT_EQ(cli({"analyze", "tiny", "--profile", "smoke", "--store", sharded.string()}).code,
            cli::kExitMismatch);
  EXPECT_EQ(report(sharded)["analysis"]["hypotheses"], report(whole)["analysis"]["hypotheses"]);

  // Shards on separate machines write separate stores; `report` merges them.
  const fs::path p0 = dir_ / "p0";
  const fs::path p1 = dir_ / "p1";
  ASSERT_EQ(run(p0, {"--shard", "1/2"}).code, cli::kExitOk);
  ASSERT_EQ(run(p1, {"--shard", "2/2"}).code, cli::kExitOk);
  const test::CliResult merged =
      cli({"report", "--store", p0.string(), "--store", p1.string(), "--format", "json"});
  ASSERT_EQ(merged.code, cli::kExitMismatch) << merged.err;  // no baseline yet
  const json reports = json::parse(merged.out);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0]["analysis"], report(whole)["analysis"]);
}

TEST_F(TinyClaimCli, RunAllNamesClaimsWithoutTheProfileAndRefusesOneNoneDefines) {
  json later = test::tiny_claim_json();
  later["id"] = "later";
  later["profiles"] = {{"nightly", {{"replicates", 3}, {"device", "cpu"}, {"resamples", 999}}}};
  test::write_json(claims_ / "later.json", later);
  // Shard 7 of 7 of a 6-run plan trains (almost) nothing: this is about what --all says.
  const test::CliResult r =
      cli({"run", "--all", "--profile", "nightly", "--shard", "7/7", "--store", store_.string()});
  EXPECT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"tiny: no nightly profile, not run", "shard 7/7"})) << r.err;
  EXPECT_EQ(r.err.find("later: no nightly profile"), std::string::npos) << r.err;
  // A profile no claim defines used to run nothing and exit 0.
  const test::CliResult typo =
      cli({"run", "--all", "--profile", "nightlyy", "--store", store_.string()});
  EXPECT_EQ(typo.code, cli::kExitUsage);
  EXPECT_TRUE(ContainsAll(typo.err, {"--profile nightlyy", "no claim", "defines this profile"}))
      << typo.err;
}

TEST_F(TinyClaimCli, RunAllSaysWhereTheSuiteIs) {
  json twin = test::tiny_claim_json();
  twin["id"] = "twin";
  test::write_json(claims_ / "twin.json", twin);
  const test::CliResult r =
      cli({"run", "--all", "--profile", "smoke", "--shard", "7/7", "--store", store_.string()});
  EXPECT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_TRUE(ContainsAll(r.err, {"== claim 1/2: tiny (smoke), 0 s elapsed", "== claim 2/2: twin",
                                  "== 2 claims (smoke) in "}))
      << r.err;
}

}  // namespace
}  // namespace claimcheck::claims
