// The optimizer option reader: defaults at the read site, every bad value or unknown key an
// std::invalid_argument that names the optimizer, the option and the valid range.
#include "harness/train/optim/option_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "tests/base/error_of.h"

namespace claimcheck::train::optim {
namespace {
using claimcheck::test::error_of;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(OptionReader, AbsentKeysGiveTheDefault) {
  const nlohmann::json options = nlohmann::json::object();
  OptionReader reader("demo", options);
  EXPECT_EQ(reader.number("eps", 1e-8, Interval::non_negative()), 1e-8);
  EXPECT_EQ(reader.integer("steps", 5, 1, 10), 5);
  EXPECT_TRUE(reader.flag("nesterov", true));
  const Betas betas = reader.betas("betas", {0.8, 0.95});
  EXPECT_EQ(betas.b1, 0.8);
  EXPECT_EQ(betas.b2, 0.95);
  EXPECT_NO_THROW(reader.finish());
}

TEST(OptionReader, PresentKeysAreRead) {
  const nlohmann::json options = {{"eps", 0.5}, {"steps", 7}, {"betas", {0.5, 0.25}}};
  OptionReader reader("demo", options);
  EXPECT_EQ(reader.number("eps", 1e-8, Interval::non_negative()), 0.5);
  EXPECT_EQ(reader.integer("steps", 5, 1, 10), 7);
  EXPECT_EQ(reader.betas("betas", {}).b2, 0.25);
  EXPECT_NO_THROW(reader.finish());
}

TEST(OptionReader, BadValuesNameTheOptimizerTheOptionAndTheRange) {
  const nlohmann::json options = {
      {"momentum", 1.0}, {"steps", 2.5}, {"flag", 1}, {"betas", {0.9}}, {"lr2", "x"}};
  OptionReader reader("muon", options);
  const std::string momentum =
      error_of([&] { reader.number("momentum", 0.9, Interval::closed_open(0, 1)); });
  EXPECT_TRUE(contains(momentum, "optimizer 'muon': option 'momentum'")) << momentum;
  EXPECT_TRUE(contains(momentum, "[0.0, 1.0)")) << momentum;
  EXPECT_TRUE(contains(error_of([&] { reader.integer("steps", 5, 1, 10); }), "'steps'"));
  EXPECT_TRUE(contains(error_of([&] { reader.flag("flag", true); }), "'flag'"));
  EXPECT_TRUE(contains(error_of([&] { reader.betas("betas", {}); }), "'betas'"));
  EXPECT_TRUE(contains(error_of([&] { reader.number("lr2", 1, Interval::positive()); }), "'lr2'"));
}

TEST(OptionReader, UnknownKeysAreErrorsListingTheValidOnes) {
  const nlohmann::json options = {{"momentun", 0.9}};
  OptionReader reader("sgdm", options);
  reader.number("momentum", 0.95, Interval::closed_open(0, 1));
  const std::string message = error_of([&] { reader.finish(); });
  EXPECT_TRUE(contains(message, "unknown option 'momentun' (valid: momentum)")) << message;
}

TEST(OptionReader, OptionsMustBeAnObject) {
  const nlohmann::json options = nlohmann::json::array();
  EXPECT_TRUE(contains(error_of([&] { OptionReader("adam", options); }), "JSON object"));
}

TEST(CheckLearningRate, AcceptsOnlyFinitePositiveNumbers) {
  EXPECT_NO_THROW(check_learning_rate("adam", 1e-3));
  EXPECT_THROW(check_learning_rate("adam", 0.0), std::invalid_argument);
  EXPECT_THROW(check_learning_rate("adam", -1.0), std::invalid_argument);
  EXPECT_THROW(check_learning_rate("adam", std::nan("")), std::invalid_argument);
  EXPECT_TRUE(contains(error_of([] { check_learning_rate("ecd", -2.0); }), "optimizer 'ecd': lr"));
}

}  // namespace
}  // namespace claimcheck::train::optim
