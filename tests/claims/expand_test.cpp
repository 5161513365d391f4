// Arm grids and hypothesis templates expand into plain arms and hypotheses before validation:
// the product of the axes in order (last axis fastest) minus exclusions, names from the pattern,
// options and training merged axis by axis, templates substituted per axis value; errors name
// the key. The real claim activation-reproducibility expands to 41 arms.
#include "harness/claims/expand.h"

#include <gtest/gtest.h>

#include "claims_test_support.h"
#include "harness/claims/json_reader.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;

json grid_claim() {
  json j = test::tiny_claim_json();
  j.erase("arms");
  j["arm_grid"] = json::parse(R"({
    "name": "{width}-{kind}",
    "axes": [
      {"axis": "width", "values": [{"value": "narrow", "model_options": {"hidden": 2}},
                                   {"value": "wide", "model_options": {"hidden": 4},
                                    "training": {"lr": 0.002}}]},
      {"axis": "kind", "values": [{"value": "relu", "model": {"type": "ffn-relu"}},
                                  {"value": "geglu", "model": {"type": "ffn-geglu"}}]}],
    "exclude": [{"width": "wide", "kind": "geglu"}],
    "source_values": {"narrow-relu": 0.4}
  })");
  j["hypotheses"] = json::array();
  j["hypothesis_templates"] = json::parse(R"([
    {"for_each": {"width": ["narrow"]},
     "hypothesis": {"id": "geglu-beats-relu-{width}", "treatment": "{width}-geglu",
                    "control": "{width}-relu"}},
    {"for_each": "kind",
     "hypothesis": {"id": "wide-vs-narrow-{kind}-acc", "treatment": "narrow-{kind}",
                    "control": "narrow-relu", "metric": "test_accuracy"}}])");
  return j;
}

TEST(ExpandSpec, GridIsTheProductMinusExclusionsInAxisOrder) {
  const json e = expand_spec(grid_claim(), "grid.json");
  EXPECT_FALSE(e.contains("arm_grid"));
  EXPECT_FALSE(e.contains("hypothesis_templates"));
  ASSERT_EQ(e["arms"].size(), 3u);
  EXPECT_EQ(e["arms"][0]["name"], "narrow-relu");
  EXPECT_EQ(e["arms"][1]["name"], "narrow-geglu");
  EXPECT_EQ(e["arms"][2]["name"], "wide-relu");
  EXPECT_EQ(e["arms"][0]["model"],
            json::parse(R"({"type": "ffn-relu", "options": {"hidden": 2}})"));
  EXPECT_EQ(e["arms"][2]["training"], json::parse(R"({"lr": 0.002})"));
  EXPECT_EQ(e["arms"][0]["source_value"], 0.4);
  EXPECT_FALSE(e["arms"][1].contains("source_value"));
  ASSERT_EQ(e["hypotheses"].size(), 3u);
  EXPECT_EQ(e["hypotheses"][0]["id"], "geglu-beats-relu-narrow");
  EXPECT_EQ(e["hypotheses"][0]["treatment"], "narrow-geglu");
  EXPECT_EQ(e["hypotheses"][1]["id"], "wide-vs-narrow-relu-acc");
  EXPECT_EQ(e["hypotheses"][2]["treatment"], "narrow-geglu");
  // A spec without a grid is returned as it is.
  EXPECT_EQ(expand_spec(test::tiny_claim_json(), "tiny.json"), test::tiny_claim_json());
}

TEST(ExpandSpec, TheExpandedSpecValidatesAndRoundTripsInPlainForm) {
  json j = grid_claim();
  j["hypotheses"] = json::array();
  j["hypothesis_templates"].erase(1);
  const ClaimSpec spec = parse_claim(j, "grid.json");
  EXPECT_EQ(spec.arms.size(), 3u);
  EXPECT_EQ(spec.hypotheses.size(), 1u);
  const json plain = to_json(spec);
  EXPECT_FALSE(plain.contains("arm_grid"));
  EXPECT_EQ(to_json(parse_claim(plain, "grid.json")), plain);
}

TEST(ExpandSpec, ErrorsNameTheKey) {
  json bad_axis = grid_claim();
  bad_axis["arm_grid"]["axes"][1]["values"][0].erase("value");
  EXPECT_TRUE(
      test::ThrowsWith<SpecError>([&] { expand_spec(bad_axis, "g.json"); },
                                  {"g.json: arm_grid.axes[1].values[0].value: is required"}));
  json typo = grid_claim();
  typo["arm_grid"]["axes"][0]["values"][0]["model_option"] = json::object();
  EXPECT_TRUE(
      test::ThrowsWith<SpecError>([&] { expand_spec(typo, "g.json"); },
                                  {"arm_grid.axes[0].values[0].model_option: unknown key"}));
  json unknown_axis = grid_claim();
  unknown_axis["hypothesis_templates"][1]["for_each"] = "depth";
  EXPECT_TRUE(test::ThrowsWith<SpecError>(
      [&] { expand_spec(unknown_axis, "g.json"); },
      {"hypothesis_templates[1].for_each: 'depth' is not an axis of the arm_grid"}));
  // An exclusion or a source value that matches nothing would silently do nothing.
  json exclude_axis = grid_claim();
  exclude_axis["arm_grid"]["exclude"] = json::array({{{"depth", "deep"}}});
  EXPECT_TRUE(test::ThrowsWith<SpecError>(
      [&] { expand_spec(exclude_axis, "g.json"); },
      {"g.json: arm_grid.exclude[0]: names axis 'depth', which the grid does not have",
       "axes: width, kind"}));
  json exclude_value = grid_claim();
  exclude_value["arm_grid"]["exclude"] = json::array({{{"width", "medium"}}});
  EXPECT_TRUE(test::ThrowsWith<SpecError>([&] { expand_spec(exclude_value, "g.json"); },
                                          {"arm_grid.exclude[0]: axis 'width' has no value "
                                           "\"medium\" (its values: narrow, wide)"}));
  json source = grid_claim();
  source["arm_grid"]["source_values"] = {{"medium-relu", 0.5}};
  EXPECT_TRUE(test::ThrowsWith<SpecError>(
      [&] { expand_spec(source, "g.json"); },
      {"arm_grid.source_values: names arm 'medium-relu', which the grid does not make"}));
}

TEST(ExpandSpec, RealActivationClaimHas41ArmsAnd21Hypotheses) {
  const ClaimSpec spec = load_claim(test::fs::path(CLAIMCHECK_SOURCE_DIR) / "claims" /
                                    "activation-reproducibility.json");
  EXPECT_EQ(spec.arms.size(), 6u * 7u - 1u) << "convlm has no swiglu-matched";
  EXPECT_EQ(spec.hypotheses.size(), 21u);
  EXPECT_NO_THROW(spec.arm("tinylstm-smelu-05"));
  EXPECT_THROW(spec.arm("convlm-swiglu-matched"), std::invalid_argument);
  EXPECT_EQ(spec.arm("charlm-gelu").model.options["activation"], "gelu");
  EXPECT_EQ(spec.arm("charlm-swiglu").source_value, 0.5935);
}

}  // namespace
}  // namespace claimcheck::claims
