// The subcommands in-process. `list` validates every spec and prints parameter counts without
// building a single model: a model type whose constructor throws proves it.
#include "harness/cli/commands.h"

#include <gtest/gtest.h>

#include <atomic>

#include "harness/cli/cli.h"
#include "models/registry.h"
#include "tests/claims/claims_test_support.h"

namespace claimcheck::cli {
namespace {
using json = nlohmann::json;

std::atomic<int> builds{0};

// A classifier type that validates and counts like an FFN but refuses to be built.
void register_unbuildable_model() {
  static const bool registered = [] {
    models::ModelType t;
    t.name = "test-unbuildable";
    t.family = models::ModelFamily::kClassifier;
    t.validate = [](const json& options) {
      if (!options.contains("hidden")) throw std::invalid_argument("hidden is required");
    };
    t.count = [](const json& options, const models::ModelDims& d) {
      models::ParameterCount c;
      c.total = (d.inputs + d.classes) * options.at("hidden").get<std::int64_t>();
      c.parts["all"] = c.total;
      return c;
    };
    t.build = [](const json&, const models::ModelDims&,
                 at::Generator&) -> std::shared_ptr<models::Model> {
      ++builds;
      throw std::logic_error("test-unbuildable: built during validation");
    };
    models::register_model_type(t);
    return true;
  }();
  (void)registered;
}

TEST(ListCommand, ValidatesEverySpecAndPrintsCountsWithoutBuildingAModel) {
  register_unbuildable_model();
  const auto dir = claims::test::scratch_dir("list_builds_nothing");
  const auto claims_dir = dir / "claims";
  std::filesystem::create_directories(claims_dir);
  json j = claims::test::tiny_claim_json();
  j["arms"][0]["model"] = {{"type", "test-unbuildable"}, {"options", {{"hidden", 3}}}};
  j["checks"] = {{{"type", "parameter-ratio"},
                  {"numerator", "relu"},
                  {"denominator", "geglu"},
                  {"expected", 2382.0 / 3156.0},
                  {"tolerance", 1e-9}}};
  claims::test::write_json(claims_dir / "tiny.json", j);
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_cli({"--claims-dir", claims_dir.string(), "list"}, out, err);
  EXPECT_EQ(code, kExitOk) << err.str();
  EXPECT_EQ(builds.load(), 0) << "list built a model";
  // 794·3 = 2382 for the unbuildable arm (by formula), 1578·2 = 3156 for GeGLU(2).
  EXPECT_TRUE(claims::test::ContainsAll(
      out.str(), {"relu   test-unbuildable {\"hidden\":3}: 2382 parameters",
                  "geglu  ffn-geglu {\"hidden\":2}: 3156 parameters",
                  "check: parameter ratio relu/geglu (total) = 2382/3156", ": ok"}))
      << out.str();
  // analyze and report read specs the same way: also no model (they fail for want of runs).
  run_cli({"--claims-dir", claims_dir.string(), "analyze", "tiny", "--profile", "smoke", "--store",
           (dir / "runs").string()},
          out, err);
  EXPECT_EQ(builds.load(), 0);
}

TEST(ListCommand, PrintsWhatEachHypothesisClaimsAndWhichProfilesDecideIt) {
  const auto dir = claims::test::scratch_dir("list_claims");
  const auto claims_dir = dir / "claims";
  std::filesystem::create_directories(claims_dir);
  json j = claims::test::tiny_claim_json();
  // A name past 16 characters keeps the columns aligned.
  const std::string long_name = "relu-with-a-long-arm-name";
  j["arms"][0]["name"] = long_name;
  for (auto& h : j["hypotheses"])
    h["control"] = long_name;
  j["hypotheses"][0]["kind"] = "equivalence";
  j["hypotheses"][0]["margin"] = 0.01;
  j["hypotheses"][1]["kind"] = "non-inferiority";
  j["hypotheses"][1]["margin"] = 0.02;
  j["profiles"]["nightly"] = j["profiles"]["smoke"];
  j["profiles"]["smoke"]["hypotheses"] = {"geglu-lower-loss"};
  claims::test::write_json(claims_dir / "tiny.json", j);
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_cli({"--claims-dir", claims_dir.string(), "list"}, out, err), kExitOk) << err.str();
  EXPECT_TRUE(claims::test::ContainsAll(
      out.str(), {"- geglu-more-accurate: |geglu − " + long_name + "| < 0.01 on test_accuracy",
                  "(paired, equivalence); decided by nightly\n",
                  "- geglu-lower-loss: geglu − " + long_name + " < 0.02 on test_loss",
                  "(paired, non-inferiority); decided by nightly, smoke\n",
                  long_name + "  ffn-relu", "geglu                      ffn-geglu"}))
      << out.str();
}

}  // namespace
}  // namespace claimcheck::cli
