// The per-claim Markdown section: the shared tables, the BH column only inside a suite, the
// fingerprint only when asked, the bless command only when something moved, and the
// environments of the baseline and the runs.
#include "harness/report/markdown.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace claimcheck::report {
namespace {
using test::fake_report;
using test::FakeClaim;

TEST(Markdown, StandaloneSectionHasHeadingAndFingerprint) {
  const std::string md = markdown_report(fake_report({}));
  EXPECT_EQ(md.rfind("## fake (smoke): PASS\n\n> A fake claim\n", 0), 0u) << md;
  EXPECT_NE(md.find("<details><summary>Environment fingerprint</summary>"), std::string::npos);
  EXPECT_EQ(md.find("BH q"), std::string::npos);
  EXPECT_EQ(md.find("claimcheck bless"), std::string::npos) << "nothing moved";
  EXPECT_NE(md.find("| `h0` | b − a > 0 (test_accuracy) | paired, n=4 | +0.0100 | "
                    "[+0.0050, +0.0150] | +0.0200 | 0.0020 | — | **supported** | 0.97 decisive | "
                    "supported | pass |"),
            std::string::npos)
      << md;
}

TEST(Markdown, InsideASuiteWithoutHeadingOrFingerprintWithBhColumn) {
  FakeClaim f;
  f.outcome = "regressed";
  MarkdownOptions options;
  options.heading = false;
  options.fingerprint = false;
  options.suite_q = {{"h0", 0.004}, {"h1", 0.3}};
  const std::string md = markdown_report(fake_report(f), options);
  EXPECT_EQ(md.rfind("| hypothesis |", 0), 0u) << md;
  EXPECT_EQ(md.find("Environment fingerprint"), std::string::npos);
  EXPECT_NE(md.find("| Holm p | BH q (suite) |"), std::string::npos);
  EXPECT_NE(md.find("| 0.0020 | 0.0040 |"), std::string::npos) << md;
  EXPECT_NE(md.find("`claimcheck bless fake --profile smoke`"), std::string::npos);
}

// The report of a CUDA run compared with the CPU baseline (judge.cpp writes "baseline").
nlohmann::json cuda_against_cpu_report() {
  FakeClaim f;
  f.outcome = "regressed";
  nlohmann::json r = fake_report(f);
  r["comparison"]["same_environment"] = false;
  r["comparison"]["exact_required"] = false;
  r["comparison"]["environments"] = {
      {"baseline", "LibTorch 2.13.0, cpu (Xeon), MKL"},
      {"runs", "LibTorch 2.13.0, cuda (NVIDIA H200), deterministic"}};
  r["baseline"] = {{"file", "/src/baselines/fake/smoke.json"},
                   {"own", "/src/baselines/fake/smoke.cuda.json"},
                   {"name", "fake/smoke.cuda.json"},
                   {"device", "cuda"},
                   {"fallback", true}};
  return r;
}

TEST(Markdown, SaysWhichEnvironmentsWereComparedAndHow) {
  const std::string md = markdown_report(cuda_against_cpu_report());
  EXPECT_NE(md.find("Baseline from LibTorch 2.13.0, cpu (Xeon), MKL, runs on LibTorch 2.13.0, "
                    "cuda (NVIDIA H200), deterministic: different environments, so compared "
                    "statistically. No CUDA baseline yet: compared with the CPU baseline (bless "
                    "writes `baselines/fake/smoke.cuda.json`)."),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("and commit `baselines/fake/smoke.cuda.json`"), std::string::npos) << md;

  nlohmann::json same = cuda_against_cpu_report();
  same["comparison"]["same_environment"] = true;
  same["comparison"]["exact_required"] = true;
  same["baseline"]["fallback"] = false;
  EXPECT_NE(markdown_report(same).find(
                "one deterministic environment, so the runs must reproduce the baseline exactly."),
            std::string::npos);
  // A report without a baseline (or written before environments were recorded) says nothing.
  EXPECT_EQ(markdown_report(fake_report({})).find("Baseline from"), std::string::npos);
}

TEST(Markdown, ShowsTheReplicationProbabilityTheGateAndAMoveWithinNoise) {
  FakeClaim f;
  nlohmann::json r = fake_report(f);
  r["comparison"]["hypotheses"][1]["within_noise"] = true;
  r["comparison"]["gate"] = {{"rule", "Gate: the rule in words."},
                             {"replication", "Replication probability: the model in words."}};
  const std::string md = markdown_report(r);
  EXPECT_NE(md.find("| replication |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **inconclusive** | 0.60 fragile | inconclusive | pass (moved within "
                    "noise) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("\nGate: the rule in words.\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\nReplication probability: the model in words.\n"), std::string::npos) << md;
  r["analysis"]["seed_offset"] = 4;
  EXPECT_NE(markdown_report(r).find("Seeds: fresh set 4 (`--seed-offset 4`)"), std::string::npos);
}

TEST(Markdown, EquivalenceClaimEscapesItsBars) {
  nlohmann::json r = fake_report({});
  r["analysis"]["hypotheses"][0]["kind"] = "equivalence";
  r["analysis"]["hypotheses"][0]["margin"] = 0.005;
  EXPECT_NE(markdown_report(r).find("| \\|b − a\\| < 0.005 (test_accuracy) |"), std::string::npos);
}

}  // namespace
}  // namespace claimcheck::report
