// Checks a claim asserts about its own design: the parameter ratio between two arms, by total
// or by part, with the tolerance applied exactly; failures and bad parts are named.
#include "harness/claims/checks.h"

#include <gtest/gtest.h>

#include "claims_test_support.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;

std::map<std::string, models::ParameterCount> counts() {
  models::ParameterCount a;
  a.parts = {{"mlp", 2162688}, {"attention", 1000}};
  a.total = 2163688;
  models::ParameterCount b;
  b.parts = {{"mlp", 2097152}, {"attention", 1000}};
  b.total = 2098152;
  return {{"swiglu", a}, {"relu2", b}};
}

TEST(ParameterRatio, ComparesTheNamedPartWithTheTolerance) {
  CheckSpec c;
  c.numerator = "swiglu";
  c.denominator = "relu2";
  c.part = "mlp";
  c.expected = 1.03125;  // 3·512·1408 / (8·512²): the source's "matched" pair at d = 512
  CheckResult r = evaluate_check(c, counts());
  EXPECT_TRUE(r.passed) << r.text;
  EXPECT_DOUBLE_EQ(r.ratio, 1.03125);
  EXPECT_EQ(r.numerator_count, 2162688);
  c.expected = 1.0;
  r = evaluate_check(c, counts());
  EXPECT_FALSE(r.passed);
  EXPECT_TRUE(test::ContainsAll(r.text, {"swiglu/relu2 (mlp)", "1.03125", "FAILED"})) << r.text;
  c.tolerance = 0.0313;
  EXPECT_TRUE(evaluate_check(c, counts()).passed);
  c.tolerance = 0.0312;
  EXPECT_FALSE(evaluate_check(c, counts()).passed);
  c.part = "total";
  c.tolerance = 0.05;
  EXPECT_TRUE(evaluate_check(c, counts()).passed);
  c.part = "embedding";
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [&] { evaluate_check(c, counts()); },
      {"no parameter part 'embedding'", "valid: total, attention, mlp"}));
}

TEST(ParameterRatio, RealClaimCheckPassesAndIsReportedInTheSpec) {
  json j = test::real_claim_json();
  j["checks"] = {{{"type", "parameter-ratio"},
                  {"numerator", "geglu-8"},
                  {"denominator", "relu-16"},
                  {"expected", 1.0},
                  {"tolerance", 0.01}}};
  const ClaimSpec spec = parse_claim(j, "claims/geglu-vs-relu-mnist.json");
  ASSERT_EQ(spec.profile("smoke").check_results.size(), 1u);
  EXPECT_TRUE(spec.profile("smoke").check_results[0].passed);
  EXPECT_EQ(spec.profile("smoke").check_results[0].numerator_count, 1578 * 8);
  EXPECT_EQ(spec.profile("smoke").check_results[0].denominator_count, 794 * 16);
  EXPECT_EQ(to_json(spec)["checks"][0]["numerator"], "geglu-8");
  EXPECT_EQ(spec.arm("geglu-8").parameters.total, 12624);
}

}  // namespace
}  // namespace claimcheck::claims
