// The HTML report and its SVG plots: one mark per hypothesis and per run, the baseline's CI and
// the source's claimed effect drawn beside each hypothesis, units on every axis, and a page that
// needs nothing from the network (no script, no external URL). The browser test
// (html_render_test.sh) checks the same page as Chromium renders it.
#include "harness/report/html.h"

#include <gtest/gtest.h>

#include "harness/report/svg_plots.h"
#include "report_test_support.h"

namespace claimcheck::report {
namespace {
using test::count_of;
using test::fake_entry;
using test::FakeClaim;

TEST(Html, OneMarkPerHypothesisAndPerRun) {
  FakeClaim a;
  a.claim = "a";
  a.p_values = {0.01, 0.02, 0.3};
  a.replicates = 7;
  FakeClaim b;
  b.claim = "b";
  b.outcome = "regressed";
  const Suite suite = make_suite({fake_entry(a), fake_entry(b)}, {"runs"});
  const std::string html = suite_html(suite);
  EXPECT_EQ(count_of(html, "class=\"mark-hypothesis"), 3u + 2u);
  EXPECT_EQ(count_of(html, "class=\"mark-run"), 2u * 7u + 2u * 4u);
  EXPECT_EQ(count_of(html, "class=\"mark-source\""), 5u) << "every fake has a source effect";
  EXPECT_NE(html.find("effect: difference in test_accuracy (fraction)"), std::string::npos);
  EXPECT_NE(html.find(">test_accuracy (fraction)</text>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#b--smoke\""), std::string::npos) << "rows link to sections";
  EXPECT_NE(html.find("claimcheck bless b --profile smoke"), std::string::npos);
}

TEST(Html, AReplicationMarkPerHypothesisAndStarredVerdictsKeepTheirColour) {
  FakeClaim a;
  a.p_values = {0.01, 0.3, 0.02};
  SuiteEntry e = fake_entry(a);
  e.report["analysis"]["hypotheses"][1]["note"] = "Holm: CI supported, Holm p 0.6";
  const Suite suite = make_suite({e}, {"runs"});
  const std::string html = suite_html(suite);
  EXPECT_EQ(count_of(html, "class=\"mark-replication replication-decisive\""), 2u);
  EXPECT_EQ(count_of(html, "class=\"mark-replication replication-fragile\""), 1u);
  EXPECT_NE(html.find("h1: a replication of this design is inconclusive again with probability "
                      "0.60 fragile"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"verdict-inconclusive\"><strong>inconclusive*</strong>"),
            std::string::npos)
      << "the star is not part of the CSS class";
  EXPECT_EQ(html.find("verdict-inconclusive*"), std::string::npos);
  EXPECT_NE(html.find("<li><code>h1</code>: Holm: CI supported, Holm p 0.6</li>"),
            std::string::npos)
      << "the note that explains the star";
}

TEST(Html, SelfContainedWithDarkMode) {
  const std::string html = suite_html(make_suite({fake_entry({})}, {"runs"}));
  for (const char* outside : {"http://", "https://", "<script", "src=", "@import", "url("})
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  EXPECT_NE(html.find("prefers-color-scheme: dark"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"icon\" href=\"data:,\">"), std::string::npos)
      << "no favicon request";
}

TEST(Html, BaselineCiBesideEachHypothesisThatHasOne) {
  SuiteEntry e = fake_entry({});
  e.baseline = {{"hypotheses",
                 {{{"id", "h0"},
                   {"estimate", 0.012},
                   {"ci", {{"lo", 0.002}, {"hi", 0.022}}},
                   {"verdict", "supported"}}}}};
  const std::string svg = forest_plot_svg(e.report, e.baseline, e.units);
  EXPECT_EQ(count_of(svg, "class=\"baseline-ci\""), 1u);
  EXPECT_NE(svg.find("h0: baseline +0.0120 [+0.0020, +0.0220] supported"), std::string::npos);
  EXPECT_EQ(count_of(svg, "class=\"zero\""), 1u);
}

TEST(Html, MarginBandForEquivalence) {
  SuiteEntry e = fake_entry({});
  e.report["analysis"]["hypotheses"][0]["kind"] = "equivalence";
  e.report["analysis"]["hypotheses"][0]["margin"] = 0.005;
  const std::string svg = forest_plot_svg(e.report, nullptr, e.units);
  EXPECT_EQ(count_of(svg, "class=\"band\""), 1u);
}

TEST(Html, EveryRowMarksItsClaimedSide) {
  // Superiority "greater" at margin 0: the claimed side runs from 0 to the panel's right edge;
  // equivalence: the margins; "less": from the left edge.
  FakeClaim three;
  three.p_values = {0.01, 0.02, 0.3};
  SuiteEntry e = fake_entry(three);
  auto& hyps = e.report["analysis"]["hypotheses"];
  hyps[1]["kind"] = "equivalence";
  hyps[1]["margin"] = 0.005;
  hyps[2]["direction"] = "less";
  const std::string svg = forest_plot_svg(e.report, nullptr, e.units);
  EXPECT_EQ(count_of(svg, "class=\"claimed-side\""), hyps.size());
  for (const char* side :
       {"h0: the claim is effect &gt; +0", "h1: the claim is |effect| &lt; 0.005",
        "h2: the claim is effect &lt; -0"}) {
    EXPECT_NE(svg.find(side), std::string::npos) << side << " in " << svg;
  }
  EXPECT_NE(svg.find("▬ claimed side"), std::string::npos);
}

TEST(Html, CvHypothesesGetTheirOwnPanelWithTheBoundDrawn) {
  // A CV across arms is a spread, not a difference: never on one axis with the differences.
  SuiteEntry e = fake_entry({});
  auto& h = e.report["analysis"]["hypotheses"][0];
  h["cv_of"] = {"a", "b", "c"};
  h["bound"] = 0.05;
  h["direction"] = "less";
  h["estimate"] = 0.04;
  h["ci"] = {{"lo", 0.01}, {"hi", 0.14}};
  const std::string svg = forest_plot_svg(e.report, nullptr, e.units);
  EXPECT_EQ(count_of(svg, "<svg "), 2u) << "one panel of CVs, one of differences";
  EXPECT_EQ(count_of(svg, "class=\"bound\""), 1u);
  EXPECT_NE(svg.find("h0: bound 0.05"), std::string::npos);
  EXPECT_NE(svg.find("CV across arms of"), std::string::npos);
  EXPECT_NE(svg.find("h0: the claim is CV &lt; +0.05"), std::string::npos) << svg;
  EXPECT_EQ(count_of(svg, "mark-hypothesis"), 2u);
}

TEST(Html, TheHypothesesTableScrollsInItsOwnBox) {
  const std::string page = claim_html(fake_entry({}));
  EXPECT_NE(page.find("<div class=\"table-wrap hypotheses\"><table"), std::string::npos);
  EXPECT_NE(page.find(".table-wrap { overflow-x: auto;"), std::string::npos);
}

TEST(Html, EscapesTitlesAndIds) {
  FakeClaim f;
  f.title = "<img src=x onerror=alert(1)>";
  const std::string page = claim_html(fake_entry(f));
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x"), std::string::npos);
}

TEST(Html, SaysWhichEnvironmentsWereComparedAndHow) {
  SuiteEntry e = fake_entry({});
  e.report["comparison"]["environments"] = {{"baseline", "LibTorch 2.13.0, cpu (Xeon), MKL"},
                                            {"runs", "LibTorch 2.13.0, cuda (NVIDIA H200)"}};
  const std::string page = claim_html(e);
  EXPECT_NE(page.find("<p class=\"environments\">Baseline from LibTorch 2.13.0, cpu (Xeon), "
                      "MKL, runs on LibTorch 2.13.0, cuda (NVIDIA H200): different environments, "
                      "so compared statistically.</p>"),
            std::string::npos)
      << page;
  EXPECT_EQ(claim_html(fake_entry({})).find("Baseline from"), std::string::npos);
}

TEST(Html, MissingRunsPageSaysWhatToRun) {
  const std::string page = claim_html(test::missing_entry("gone", "nightly"));
  EXPECT_NE(page.find("<code>claimcheck run gone --profile nightly</code>"), std::string::npos)
      << page;
}

TEST(Html, ClaimsWithoutTheProfileGetARowAndNoSection) {
  FakeClaim nightly;
  nightly.profile = "nightly";
  const std::string html = suite_html(
      make_suite({fake_entry(nightly)}, {"runs"}, {{"canary-null", "nightly", {"smoke"}}}));
  EXPECT_NE(html.find("<td><code>canary-null</code></td><td>nightly</td><td>no nightly "
                      "profile</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("not run: no nightly profile (it defines smoke)"), std::string::npos);
  EXPECT_EQ(html.find("id=\"canary-null--nightly\""), std::string::npos) << "nothing to show";
}

}  // namespace
}  // namespace claimcheck::report
