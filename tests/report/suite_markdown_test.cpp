// The suite Markdown: verdict first, a row per claim × profile, details collapsed, the bless
// commands for what moved, the environment once, and GitHub's 65,536-character comment limit
// kept however many claims there are (details go first, the summary last).
#include "harness/report/suite_markdown.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report_test_support.h"

namespace claimcheck::report {
namespace {
using test::count_of;
using test::fake_entry;
using test::FakeClaim;

std::vector<SuiteEntry> many(int n, int regressed_every, int hypotheses) {
  std::vector<SuiteEntry> entries;
  for (int i = 0; i < n; ++i) {
    FakeClaim f;
    f.claim = "claim-" + std::to_string(i);
    f.outcome = regressed_every > 0 && i % regressed_every == 0 ? "regressed" : "pass";
    f.p_values.assign(static_cast<std::size_t>(hypotheses), 0.01);
    f.replicates = 20;
    entries.push_back(fake_entry(f));
  }
  return entries;
}

TEST(SuiteMarkdown, VerdictFirstThenOneRowPerClaimThenDetails) {
  FakeClaim moved;
  moved.claim = "moved";
  moved.outcome = "regressed";
  const Suite suite = make_suite(
      {fake_entry({}), fake_entry(moved), test::missing_entry("gone", "nightly")}, {"runs"});
  const std::string md = suite_markdown(suite);
  EXPECT_EQ(md.substr(0, md.find('\n')), verdict_line(suite));
  EXPECT_NE(md.find("| `gone` | nightly | ❌ incomplete |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `moved` | smoke | ❌ regressed | 1 of 2 decided (1 supported, 0 refuted) | "
                    "`h0`: refuted → supported, effect +0.0270 → +0.0100 (Δ -0.0170, z -4.1) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `fake` | smoke | ✅ pass |"), std::string::npos) << md;
  EXPECT_NE(md.find("```sh\nclaimcheck bless moved --profile smoke\n```"), std::string::npos);
  EXPECT_EQ(md.find("claimcheck bless fake"), std::string::npos) << "only what moved is blessed";
  EXPECT_NE(md.find("### Missing runs"), std::string::npos);
  EXPECT_EQ(count_of(md, "<details><summary><b>"), 2u) << "one details block per complete claim";
  EXPECT_NE(md.find("BH q (suite)"), std::string::npos);
  EXPECT_NE(md.find("Benjamini–Hochberg across all 4 hypotheses"), std::string::npos);
  EXPECT_EQ(count_of(md, "### Environment"), 1u);
  EXPECT_EQ(count_of(md, "\"libtorch\""), 1u) << "the fingerprint once, not per claim";
  EXPECT_EQ(md.find("Environment fingerprint"), std::string::npos);
}

TEST(SuiteMarkdown, ManyClaimsLoseDetailsNeverTheSummary) {
  // 300 claims × 12 hypotheses: ~2 MB of details; every fifth claim regressed.
  const Suite suite = make_suite(many(300, 5, 12), {"runs"});
  const std::string md = suite_markdown(suite);
  EXPECT_LE(md.size(), kGitHubCommentLimit - 1024);
  EXPECT_EQ(md.substr(0, md.find('\n')), verdict_line(suite));
  for (const auto& e : suite.entries) {
    if (e.outcome() == "regressed") {
      EXPECT_NE(md.find("| `" + e.claim + "` | smoke | ❌ regressed |"), std::string::npos)
          << e.claim;
      EXPECT_NE(md.find("claimcheck bless " + e.claim + " --profile smoke\n"), std::string::npos);
    }
  }
  EXPECT_NE(md.find("are left out to stay under GitHub's 65536-character comment limit"),
            std::string::npos);
  EXPECT_NE(md.find("### Environment"), std::string::npos) << "the environment is kept";
  // Worst first: the details that fit are the regressed claims'.
  EXPECT_NE(md.find("<details><summary><b>claim-0</b>"), std::string::npos);
}

TEST(SuiteMarkdown, ThousandsOfFailingClaimsStillFit) {
  const Suite suite = make_suite(many(3000, 1, 3), {"runs"});
  const std::string md = suite_markdown(suite);
  EXPECT_LE(md.size(), kGitHubCommentLimit - 1024);
  EXPECT_EQ(md.substr(0, md.find('\n')), verdict_line(suite));
  EXPECT_NE(md.find("more rows that did not pass are cut"), std::string::npos);
}

TEST(SuiteMarkdown, PassingRowsFoldBeforeFailingOnesAreCut) {
  // 1,200 passing + 40 regressed: the rows do not fit, the regressed ones must all stay.
  const Suite suite = make_suite(many(1240, 31, 2), {"runs"});
  const std::string md = suite_markdown(suite);
  EXPECT_LE(md.size(), kGitHubCommentLimit - 1024);
  EXPECT_EQ(count_of(md, "❌ regressed |"), 40u);
  EXPECT_NE(md.find("1200 more claim × profile pass"), std::string::npos);
}

TEST(SuiteMarkdown, EscapesWhatWouldBreakTheTable) {
  FakeClaim f;
  f.title = "a <script> | b";
  const std::string md = suite_markdown(make_suite({fake_entry(f)}, {"runs"}));
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
}

TEST(SuiteMarkdown, ClaimsWithoutTheProfileGetARowEach) {
  FakeClaim nightly;
  nightly.profile = "nightly";
  const Suite suite =
      make_suite({fake_entry(nightly)}, {"runs"}, {{"canary-null", "nightly", {"smoke"}}});
  const std::string md = suite_markdown(suite);
  EXPECT_NE(md.find("| `canary-null` | nightly | ➖ no nightly profile | — | not run: no nightly "
                    "profile (it defines smoke) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `fake` | nightly | ✅ pass |"), std::string::npos) << md;
  EXPECT_EQ(md.find("Missing runs"), std::string::npos) << "not missing: not defined";
}

}  // namespace
}  // namespace claimcheck::report
