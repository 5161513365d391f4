// Tests for harness/base/option_reader.h: defaults at the read site, ranges, wrong types and the
// unknown-key check, each message opening with the reader's subject and naming the option.
#include "harness/base/option_reader.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "tests/base/error_of.h"

namespace claimcheck::base {
namespace {
using claimcheck::test::error_of;
using json = nlohmann::json;

TEST(Interval, ContainsOnlyFiniteValuesInsideAndDescribesItsEnds) {
  EXPECT_TRUE(Interval::closed(0, 1).contains(1.0));
  EXPECT_TRUE(Interval::closed_open(0, 1).contains(0.0));
  EXPECT_FALSE(Interval::closed_open(0, 1).contains(1.0));
  EXPECT_FALSE(Interval::positive().contains(0.0));
  EXPECT_TRUE(Interval::non_negative().contains(0.0));
  EXPECT_FALSE(Interval::non_negative().contains(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(Interval::closed(0, 1).contains(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(Interval::closed_open(0, 1).describe(), "[0.0, 1.0)");
  EXPECT_EQ(Interval::positive().describe(), "(0.0, inf)");
}

TEST(OptionReader, ReadsGivenValuesAndDefaultsForAbsentOnes) {
  const json options = {{"lr", 0.5}, {"depth", 3}, {"bias", false}, {"kind", "b"}};
  OptionReader r("thing 'x'", options);
  EXPECT_EQ(r.number("lr", 1.0, Interval::positive()), 0.5);
  EXPECT_EQ(r.number("eps", 1e-8, Interval::positive()), 1e-8);
  EXPECT_EQ(r.integer("depth", 1, 1, 10), 3);
  EXPECT_EQ(r.integer("width", 7, 1, 10), 7);
  EXPECT_FALSE(r.flag("bias", true));
  EXPECT_EQ(r.choice("kind", {"a", "b"}), "b");
  EXPECT_EQ(r.choice("mode", {"fast", "slow"}), "fast");
  EXPECT_NO_THROW(r.finish());
}

TEST(OptionReader, NamesTheSubjectTheOptionTheValueAndTheValidRange) {
  const json options = {
      {"lr", -1}, {"depth", 11}, {"bias", 1}, {"kind", "c"}, {"huge", 18446744073709551615u}};
  OptionReader r("optimizer 'sgdm'", options);
  EXPECT_EQ(error_of([&] { r.number("lr", 1.0, Interval::positive()); }),
            "optimizer 'sgdm': option 'lr' must be a number in (0.0, inf), got -1");
  EXPECT_EQ(error_of([&] { r.integer("depth", 1, 1, 10); }),
            "optimizer 'sgdm': option 'depth' must be an integer in [1, 10], got 11");
  // 2^64 - 1 would wrap to -1 through int64: it is out of range, not -1.
  EXPECT_EQ(error_of([&] { r.integer("huge", 1, -5, 10); }),
            "optimizer 'sgdm': option 'huge' must be an integer in [-5, 10], got "
            "18446744073709551615");
  EXPECT_EQ(error_of([&] { r.flag("bias", true); }),
            "optimizer 'sgdm': option 'bias' must be true or false, got 1");
  EXPECT_EQ(error_of([&] {
              r.choice("kind", {"a", "b"});
            }),
            "optimizer 'sgdm': option 'kind' must be one of a, b, got \"c\"");
}

TEST(OptionReader, RejectsAnUnreadKeyListingTheValidOnesAndANonObject) {
  const json options = {{"lr", 0.5}, {"lrr", 0.1}};
  OptionReader r("model 'ffn'", options);
  r.number("lr", 1.0, Interval::positive());
  r.flag("bias", true);
  EXPECT_EQ(error_of([&] { r.finish(); }), "model 'ffn': unknown option 'lrr' (valid: bias, lr)");
  EXPECT_EQ(r.given_keys(), "lr, lrr");
  const json not_an_object = json::array({1, 2});
  EXPECT_EQ(error_of([&] { OptionReader("model 'ffn'", not_an_object); }),
            "model 'ffn': options must be a JSON object, got [1,2]");
}

TEST(OptionReader, FindMarksAKeyAsReadEvenWhenAbsent) {
  const json options = {{"a", 1}};
  OptionReader r("task 'x'", options);
  ASSERT_NE(r.find("a"), nullptr);
  EXPECT_EQ(*r.find("a"), 1);
  EXPECT_EQ(r.find("b"), nullptr);
  EXPECT_NO_THROW(r.finish());
}

}  // namespace
}  // namespace claimcheck::base
