#include "harness/base/registry.h"

#include <gtest/gtest.h>

#include "harness/base/text.h"

namespace claimcheck::base {
namespace {

TEST(Registry, LooksUpWhatWasAdded) {
  Registry<int> r("widget");
  r.add("b", 2);
  r.add("a", 1);
  EXPECT_EQ(r.at("a"), 1);
  EXPECT_EQ(r.at("b"), 2);
  EXPECT_TRUE(r.contains("a"));
  EXPECT_FALSE(r.contains("c"));
  EXPECT_EQ(r.names(), (std::vector<std::string>{"a", "b"}));
}

TEST(Registry, UnknownNameListsTheValidOnes) {
  Registry<int> r("widget");
  r.add("x", 1);
  r.add("y", 2);
  try {
    r.at("z");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown widget 'z' (valid: x, y)");
  }
}

TEST(Registry, ATakenNameIsAnError) {
  Registry<int> r("widget");
  r.add("x", 1);
  EXPECT_THROW(r.add("x", 2), std::invalid_argument);
  EXPECT_EQ(r.at("x"), 1);
}

TEST(Text, JoinSeparatesItems) {
  EXPECT_EQ(join(std::vector<std::string>{}), "");
  EXPECT_EQ(join(std::vector<std::string>{"a"}), "a");
  EXPECT_EQ(join(std::vector<std::string>{"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(join(std::vector<int>{1, 2}, "+", [](int i) { return std::to_string(i); }), "1+2");
}

}  // namespace
}  // namespace claimcheck::base
