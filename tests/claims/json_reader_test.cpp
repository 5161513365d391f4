// The strict JSON parser for hand-edited files (specs, baselines): a key repeated within one
// object is an error naming the key path (plain JSON parsers keep the last one silently), so is
// nesting deeper than kMaxJsonDepth; everything else parses as nlohmann::json::parse does.
#include "harness/claims/json_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "claims_test_support.h"

namespace claimcheck::claims {
namespace {

TEST(ParseJsonStrict, ParsesWhatParseParses) {
  const std::string text =
      R"({"a": [1, {"b": 2, "c": [3, 4]}, "x"], "d": {"e": null}, "f": 1.5e3, "g": []})";
  EXPECT_EQ(parse_json_strict(text), nlohmann::json::parse(text));
  // The same key in different objects is fine.
  EXPECT_NO_THROW(parse_json_strict(R"({"lr": 1, "arms": [{"lr": 2}, {"lr": 3}]})"));
}

TEST(ParseJsonStrict, ADuplicateKeyIsAnErrorNamingItsPath) {
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [] { parse_json_strict(R"({"id": "a", "id": "b"})"); },
      {"the top-level object: duplicate key 'id'", "remove one"}));
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [] { parse_json_strict(R"({"training": {"lr": -5, "batch": 8, "lr": 0.001}})"); },
      {"training: duplicate key 'lr'"}));
  // Array indices count every element, whatever its type.
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>(
      [] {
        parse_json_strict(
            R"({"arms": [{"name": "a"}, 7, [1, 2], {"model": {"options": {"h": 1, "h": 2}}}]})");
      },
      {"arms[3].model.options: duplicate key 'h'"}));
}

TEST(ParseJsonStrict, RefusesAbsurdNestingAndKeepsParseErrors) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_NO_THROW(parse_json_strict(ok));
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_TRUE(test::ThrowsWith<std::invalid_argument>([&] { parse_json_strict(deep); },
                                                      {"nested deeper than 256 levels"}));
  EXPECT_THROW(parse_json_strict(R"({"a": 1,})"), nlohmann::json::parse_error);
  EXPECT_THROW(parse_json_strict("1e999"), nlohmann::json::out_of_range);
}

}  // namespace
}  // namespace claimcheck::claims
