// The suite model: report-level Benjamini–Hochberg across claims (known answers from
// statsmodels), the counts behind the verdict line, worst-first order, and what moved in words.
#include "harness/report/suite.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace claimcheck::report {
namespace {
using test::fake_entry;
using test::FakeClaim;

TEST(Suite, BenjaminiHochbergSpansEveryHypothesisOfEveryClaim) {
  // statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.2, 0.5], method='fdr_bh')
  // -> [0.05, 0.0666667, 0.0666667, 0.25, 0.5]: the five p values of two claims are one family.
  FakeClaim a;
  a.claim = "a";
  a.p_values = {0.01, 0.04};
  FakeClaim b;
  b.claim = "b";
  b.p_values = {0.03, 0.2, 0.5};
  const Suite suite = make_suite({fake_entry(a), fake_entry(b)}, {"runs"});
  ASSERT_EQ(suite.entries.size(), 2u);
  const auto& qa = suite.entries[0].suite_q;
  const auto& qb = suite.entries[1].suite_q;
  constexpr double kTol = 1e-7;  // exact arithmetic; statsmodels printed 7 digits
  EXPECT_NEAR(qa.at("h0"), 0.05, kTol);
  EXPECT_NEAR(qa.at("h1"), 0.2 / 3, kTol);
  EXPECT_NEAR(qb.at("h0"), 0.2 / 3, kTol);
  EXPECT_NEAR(qb.at("h1"), 0.25, kTol);
  EXPECT_NEAR(qb.at("h2"), 0.5, kTol);
  EXPECT_EQ(suite.counts.hypotheses, 5);
  EXPECT_EQ(suite.counts.discoveries, 1) << "only q = 0.05 <= alpha";
}

TEST(Suite, VerdictLineCountsWhatDidNotPass) {
  FakeClaim pass;
  pass.claim = "p";
  FakeClaim regressed;
  regressed.claim = "r";
  regressed.outcome = "regressed";
  FakeClaim stale;
  stale.claim = "s";
  stale.outcome = "stale";
  const Suite suite = make_suite({fake_entry(pass), fake_entry(regressed), fake_entry(stale),
                                  test::missing_entry("m", "smoke")},
                                 {"runs"});
  EXPECT_FALSE(all_pass(suite));
  EXPECT_EQ(
      verdict_line(suite).rfind("❌ **claimcheck: 1 incomplete, 1 regressed, 1 stale** (1 of 4 "
                                "pass)",
                                0),
      0u)
      << verdict_line(suite);
  // Worst first: incomplete, regressed, stale, pass.
  EXPECT_EQ(suite.entries[0].claim, "m");
  EXPECT_EQ(suite.entries[1].claim, "r");
  EXPECT_EQ(suite.entries[2].claim, "s");
  EXPECT_EQ(suite.entries[3].claim, "p");
}

TEST(Suite, AllPassAndEmpty) {
  const Suite passing = make_suite({fake_entry({})}, {"runs"});
  EXPECT_TRUE(all_pass(passing));
  EXPECT_EQ(verdict_line(passing).rfind("✅ **claimcheck: all 1 pass**", 0), 0u)
      << verdict_line(passing);
  const Suite empty = make_suite({}, {"runs"});
  EXPECT_FALSE(all_pass(empty)) << "an empty report is never a pass";
  EXPECT_NE(verdict_line(empty).find("nothing to report"), std::string::npos);
}

TEST(Suite, MovedTextSaysWhatMovedAndByHowMuch) {
  FakeClaim f;
  f.outcome = "regressed";
  const Suite suite = make_suite({fake_entry(f)}, {"runs"});
  EXPECT_EQ(moved_text(suite.entries[0]),
            "`h0`: refuted → supported, effect +0.0270 → +0.0100 (Δ -0.0170, z -4.1)");
  EXPECT_EQ(decided_text(suite.entries[0]), "1 of 2 decided (1 supported, 0 refuted)");
  f.outcome = "no-baseline";
  EXPECT_EQ(moved_text(fake_entry(f)), "no baseline yet");
}

TEST(Suite, JsonListsEveryEntryWithItsQValues) {
  FakeClaim f;
  f.outcome = "regressed";
  const nlohmann::json j =
      to_json(make_suite({fake_entry(f), test::missing_entry("m", "nightly")}, {"a", "b"}));
  EXPECT_EQ(j.at("all_pass"), false);
  ASSERT_EQ(j.at("entries").size(), 2u);
  EXPECT_EQ(j["entries"][0]["outcome"], "incomplete");
  EXPECT_NE(j["entries"][0]["missing"].get<std::string>().find("claimcheck run m"),
            std::string::npos);
  EXPECT_EQ(j["entries"][1]["hypotheses"].size(), 2u);
  EXPECT_TRUE(j["entries"][1]["hypotheses"][0].contains("bh_q"));
  EXPECT_EQ(j["entries"][1]["runs"], 8);
  EXPECT_EQ(j["entries"][1]["bless"], "claimcheck bless fake --profile smoke");
}

TEST(Suite, ClaimsWithoutTheProfileAreListedNotFailed) {
  // `report --profile nightly` over a suite whose canaries define only smoke: the canaries are
  // listed, sorted by claim, and the nightly claim that passed still makes the suite pass.
  FakeClaim nightly;
  nightly.profile = "nightly";
  const Suite suite = make_suite(
      {fake_entry(nightly)}, {"runs"},
      {{"canary-null", "nightly", {"smoke"}}, {"canary-injected", "nightly", {"smoke", "gpu"}}});
  EXPECT_TRUE(all_pass(suite)) << "a claim without the profile is not a failure";
  ASSERT_EQ(suite.not_defined.size(), 2u);
  EXPECT_EQ(suite.not_defined[0].claim, "canary-injected");
  EXPECT_EQ(not_defined_text(suite.not_defined[0]), "no nightly profile (it defines smoke, gpu)");
  const std::string line = verdict_line(suite);
  EXPECT_EQ(line.rfind("✅ **claimcheck: all 1 pass**", 0), 0u) << line;
  EXPECT_NE(line.find("; 2 claims have no nightly profile (listed, not run)"), std::string::npos)
      << line;
  EXPECT_EQ(verdict_line(make_suite({fake_entry(nightly)}, {"runs"})).find("no nightly"),
            std::string::npos)
      << "nothing listed, nothing said";

  const nlohmann::json j = to_json(suite);
  EXPECT_EQ(j.at("all_pass"), true);
  EXPECT_EQ(j["counts"]["no_profile"], 2);
  ASSERT_EQ(j.at("no_profile").size(), 2u);
  EXPECT_EQ(j["no_profile"][1]["claim"], "canary-null");
  EXPECT_EQ(j["no_profile"][1]["profile"], "nightly");
  EXPECT_EQ(j["no_profile"][1]["defines"], nlohmann::json::array({"smoke"}));
  EXPECT_EQ(j["no_profile"][1]["text"], "no nightly profile (it defines smoke)");
  EXPECT_EQ(j.at("entries").size(), 1u) << "listed claims are not entries";
}

}  // namespace
}  // namespace claimcheck::report
