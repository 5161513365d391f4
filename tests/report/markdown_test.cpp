// The per-claim Markdown section: the shared tables, the BH column only inside a suite, the
// fingerprint only when asked, and the bless command only when something moved.
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
                    "[+0.0050, +0.0150] | +0.0200 | 0.0020 | — | **supported** | supported | "
                    "pass |"),
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

TEST(Markdown, EquivalenceClaimEscapesItsBars) {
  nlohmann::json r = fake_report({});
  r["analysis"]["hypotheses"][0]["kind"] = "equivalence";
  r["analysis"]["hypotheses"][0]["margin"] = 0.005;
  EXPECT_NE(markdown_report(r).find("| \\|b − a\\| < 0.005 (test_accuracy) |"), std::string::npos);
}

}  // namespace
}  // namespace claimcheck::report
