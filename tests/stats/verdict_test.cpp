// The verdict rule, table-driven from the semantics in harness/stats/verdict.h (hand-derived).
#include "harness/stats/verdict.h"

#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::ThrowsNaming;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Case {
  Interval ci;
  HypothesisKind kind;
  Direction direction;
  double margin;
  Verdict expected;
};

TEST(Verdict, RuleTable) {
  using H = HypothesisKind;
  using D = Direction;
  using V = Verdict;
  const Case cases[] = {
      // Superiority, claimed increase above margin 0.1.
      {{0.2, 0.5}, H::kSuperiority, D::kGreater, 0.1, V::kSupported},
      {{0.1, 0.5}, H::kSuperiority, D::kGreater, 0.1, V::kInconclusive},  // lo == margin
      {{0.05, 0.5}, H::kSuperiority, D::kGreater, 0.1, V::kInconclusive},
      {{-0.3, 0.09}, H::kSuperiority, D::kGreater, 0.1, V::kRefuted},
      {{-0.3, 0.1}, H::kSuperiority, D::kGreater, 0.1, V::kInconclusive},  // hi == margin
      {{0.2, kInf}, H::kSuperiority, D::kGreater, 0.1, V::kSupported},     // one-sided CI
      // Superiority, claimed decrease (e.g. loss): mirrored.
      {{-0.5, -0.2}, H::kSuperiority, D::kLess, 0.1, V::kSupported},
      {{-0.09, 0.3}, H::kSuperiority, D::kLess, 0.1, V::kRefuted},
      {{-0.2, 0.0}, H::kSuperiority, D::kLess, 0.1, V::kInconclusive},
      // Non-inferiority with margin 0.1: effect > -0.1.
      {{-0.05, 0.2}, H::kNonInferiority, D::kGreater, 0.1, V::kSupported},
      {{-0.15, 0.2}, H::kNonInferiority, D::kGreater, 0.1, V::kInconclusive},
      {{-0.4, -0.11}, H::kNonInferiority, D::kGreater, 0.1, V::kRefuted},
      {{-0.2, 0.05}, H::kNonInferiority, D::kLess, 0.1, V::kSupported},  // mirrored: -0.05..0.2
      {{0.11, 0.4}, H::kNonInferiority, D::kLess, 0.1, V::kRefuted},
      // Equivalence with margin 0.1: |effect| < 0.1.
      {{-0.05, 0.08}, H::kEquivalence, D::kGreater, 0.1, V::kSupported},
      {{-0.1, 0.08}, H::kEquivalence, D::kGreater, 0.1, V::kInconclusive},  // lo == -margin
      {{-0.05, 0.15}, H::kEquivalence, D::kGreater, 0.1, V::kInconclusive},
      {{0.11, 0.3}, H::kEquivalence, D::kGreater, 0.1, V::kRefuted},
      {{-0.3, -0.11}, H::kEquivalence, D::kLess, 0.1, V::kRefuted},
      {{-0.3, 0.3}, H::kEquivalence, D::kLess, 0.1, V::kInconclusive},
      // Margin 0 superiority: the sign of the effect.
      {{0.0, 1.0}, H::kSuperiority, D::kGreater, 0.0, V::kInconclusive},
      {{1e-12, 1.0}, H::kSuperiority, D::kGreater, 0.0, V::kSupported},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(decide(c.ci, c.kind, c.direction, c.margin), c.expected)
        << to_string(c.kind) << " " << to_string(c.direction) << " [" << c.ci.lo << ", " << c.ci.hi
        << "] margin " << c.margin << ": expected " << to_string(c.expected);
  }
}

TEST(Verdict, RejectsBadArguments) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(decide({0.0, 1.0}, HypothesisKind::kSuperiority, Direction::kGreater, -0.1),
               std::invalid_argument);
  EXPECT_THROW(decide({0.0, 1.0}, HypothesisKind::kSuperiority, Direction::kGreater, kInf),
               std::invalid_argument);
  EXPECT_THROW(decide({0.0, 1.0}, HypothesisKind::kSuperiority, Direction::kGreater, nan),
               std::invalid_argument);
  EXPECT_THROW(decide({0.0, 1.0}, HypothesisKind::kEquivalence, Direction::kGreater, 0.0),
               std::invalid_argument);
  EXPECT_THROW(decide({1.0, 0.0}, HypothesisKind::kSuperiority, Direction::kGreater, 0.0),
               std::invalid_argument);
  EXPECT_THROW(decide({nan, 0.0}, HypothesisKind::kSuperiority, Direction::kGreater, 0.0),
               std::invalid_argument);
}

TEST(Verdict, NamesRoundTrip) {
  for (Verdict v : {Verdict::kSupported, Verdict::kRefuted, Verdict::kInconclusive}) {
    EXPECT_EQ(verdict_from_string(to_string(v)), v);
  }
  for (HypothesisKind k : {HypothesisKind::kSuperiority, HypothesisKind::kNonInferiority,
                           HypothesisKind::kEquivalence}) {
    EXPECT_EQ(hypothesis_kind_from_string(to_string(k)), k);
  }
  for (Direction d : {Direction::kGreater, Direction::kLess}) {
    EXPECT_EQ(direction_from_string(to_string(d)), d);
  }
  EXPECT_EQ(to_string(Verdict::kSupported), "supported");
  EXPECT_EQ(to_string(HypothesisKind::kNonInferiority), "non-inferiority");
  EXPECT_EQ(to_string(Direction::kLess), "less");
}

TEST(Verdict, UnknownNameListsValidOnes) {
  try {
    hypothesis_kind_from_string("noninferiority");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("non-inferiority"), std::string::npos) << e.what();
  }
  EXPECT_THROW(verdict_from_string("pass"), std::invalid_argument);
  EXPECT_THROW(direction_from_string("Greater"), std::invalid_argument);
}

TEST(Verdict, DegenerateInputContract) {
  // A point interval (zero variance) and infinite ends are decided by the same rule.
  const auto kSup = HypothesisKind::kSuperiority;
  EXPECT_EQ(decide({0.2, 0.2}, kSup, Direction::kGreater, 0.1), Verdict::kSupported);
  EXPECT_EQ(decide({0.1, 0.1}, kSup, Direction::kGreater, 0.1), Verdict::kInconclusive);
  EXPECT_EQ(decide({-INFINITY, INFINITY}, kSup, Direction::kGreater, 0.0), Verdict::kInconclusive);
  EXPECT_EQ(decide({0.5, INFINITY}, kSup, Direction::kLess, 0.0), Verdict::kRefuted);
  EXPECT_TRUE(ThrowsNaming(
      [&] {
        decide({NAN, 1.0}, kSup, Direction::kGreater, 0.0);
      },
      "decide", "NaN"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        decide({0.0, 1.0}, HypothesisKind::kEquivalence, Direction::kGreater, 0.0);
      },
      "decide", "'margin'"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        decide({0.0, 1.0}, HypothesisKind(7), Direction::kGreater, 0.0);
      },
      "decide", "'kind'"));
}

}  // namespace
}  // namespace claimcheck::stats
