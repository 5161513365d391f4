// Tests for harness/pipeline/paths.h: the default directories, the printed command hints and
// the baseline a device class compares with.
#include "harness/pipeline/paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/claims/claims_test_support.h"

namespace claimcheck::pipeline {
namespace {

TEST(Paths, DefaultsAreTheCheckoutTheUserIsIn) {
  // A copied checkout (or a build inside one) uses its own claims/ and baselines/, not the tree
  // the binary was built from.
  const auto copy = claims::test::scratch_dir("copied_checkout");
  std::filesystem::create_directories(copy / "claims");
  std::filesystem::create_directories(copy / "baselines");
  std::filesystem::create_directories(copy / "build" / "sub");
  const auto before = std::filesystem::current_path();
  std::filesystem::current_path(copy / "build" / "sub");
  const Paths paths = Paths::defaults();
  std::filesystem::current_path(before);
  const auto root = std::filesystem::weakly_canonical(copy);
  EXPECT_EQ(paths.claims, root / "claims");
  EXPECT_EQ(paths.baselines, root / "baselines");
}

TEST(Paths, CommandHintNamesOnlyWhatDiffersFromTheDefaults) {
  Paths paths = Paths::defaults();
  paths.store = "shard-1";
  EXPECT_EQ(command_hint(paths, "run c1 --profile smoke"),
            "claimcheck run c1 --profile smoke --store shard-1");
  EXPECT_EQ(command_hint(paths, "list", false), "claimcheck list");
  paths.claims = "/elsewhere/claims";
  EXPECT_EQ(command_hint(paths, "list", false), "claimcheck --claims-dir /elsewhere/claims list");
}

TEST(ChooseBaseline, CudaRunsUseTheirOwnElseTheCpuBaselineAsAFallback) {
  Paths paths = Paths::defaults();
  paths.baselines = claims::test::scratch_dir("choose_baseline");
  const auto cpu = paths.baselines / "c1" / "smoke.json";
  const auto cuda = paths.baselines / "c1" / "smoke.cuda.json";
  // Neither: each device class names its own (which bless would write).
  ChosenBaseline b = choose_baseline(paths, "c1", "smoke", "cuda");
  EXPECT_EQ(b.file, cuda);
  EXPECT_EQ(b.own, cuda);
  EXPECT_FALSE(b.fallback);
  EXPECT_EQ(choose_baseline(paths, "c1", "smoke", "cpu").file, cpu);

  std::filesystem::create_directories(cpu.parent_path());
  claims::test::write_json(cpu, nlohmann::json::object());
  b = choose_baseline(paths, "c1", "smoke", "cuda");
  EXPECT_EQ(b.file, cpu) << "no CUDA baseline yet: the CPU one, statistically";
  EXPECT_EQ(b.own, cuda);
  EXPECT_TRUE(b.fallback);

  claims::test::write_json(cuda, nlohmann::json::object());
  b = choose_baseline(paths, "c1", "smoke", "cuda");
  EXPECT_EQ(b.file, cuda);
  EXPECT_FALSE(b.fallback);
  b = choose_baseline(paths, "c1", "smoke", "cpu");
  EXPECT_EQ(b.file, cpu) << "CPU runs never read the CUDA baseline";
  EXPECT_FALSE(b.fallback);
}

TEST(Paths, StoreFileAndReportDirFollowTheStore) {
  Paths paths = Paths::defaults();
  paths.store = "s";
  EXPECT_EQ(store_file(paths, "c1"), std::filesystem::path("s/c1.jsonl"));
  EXPECT_EQ(report_dir(paths, "c1", "smoke"), std::filesystem::path("s/reports/c1/smoke"));
  paths.report_dir = "r";
  EXPECT_EQ(report_dir(paths, "c1", "smoke"), std::filesystem::path("r"));
}

}  // namespace
}  // namespace claimcheck::pipeline
