// Claim specs: each malformed spec (the real claim with exactly one defect) must be a SpecError
// that names the file, the key path and what is wrong, and exit 2 through the CLI; a valid spec
// round-trips through to_json, and spec_hash changes exactly with what determines the results.
#include "harness/claims/spec.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "claims_test_support.h"
#include "harness/claims/json_reader.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
using test::ThrowsWith;

constexpr const char* kFile = "claims/geglu-vs-relu-mnist.json";

// One malformed spec: the one mutation applied to the real claim, and what the error must say.
struct MalformedCase {
  std::string name;
  std::function<void(json&)> mutate;
  std::vector<std::string> fragments;  // besides the file name, which every message must have
};

// Hypotheses of the real spec, by index: 0 equal-h-2 (geglu-2 vs relu-2), 1 equal-h-4,
// 2 equal-h-8, 3 equal-h-16, 7 search-best-of-2 (random-search, k 2); 9 has k 8.
const std::vector<MalformedCase>& malformed_cases() {
  static const std::vector<MalformedCase> kCases = {
      {"TopLevelTypo",
       [](json& j) {
         j["trainng"] = j["training"];
         j.erase("training");
       },
       {": trainng: unknown key (a typo? valid keys here:", "training"}},
      {"HypothesisKeyTypo",
       [](json& j) { j["hypotheses"][1]["margn"] = 0.0; },
       {": hypotheses[1].margn: unknown key", "margin"}},
      {"TaskKeyTypo",
       [](json& j) { j["task"]["datset"] = "mnist"; },
       {": task.datset: unknown key", "dataset"}},
      {"TrainingKeyTypo",
       [](json& j) { j["training"]["epoch"] = 1; },
       {": training.epoch: unknown key", "epochs"}},
      {"StringWhereIntegerExpected",
       [](json& j) { j["training"]["batch"] = "64"; },
       {": training.batch: has the wrong type (string: \"64\"); expected an integer"}},
      {"UnknownTaskType",
       [](json& j) { j["task"]["type"] = "regression"; },
       {": task.type: unknown task type 'regression' (valid: char-lm, image-classification)"}},
      {"TextDatasetForImages",
       [](json& j) { j["task"]["dataset"] = "tinyshakespeare"; },
       {": task.dataset: 'tinyshakespeare' is not an image data set"}},
      {"TwoBudgets",
       [](json& j) { j["training"]["steps"] = 100; },
       {": training.epochs: give exactly one budget, epochs or steps"}},
      {"CharLmKeyOnImages",
       [](json& j) { j["training"]["context"] = 64; },
       {": training.context: context and eval_windows are char-lm keys"}},
      {"UnknownOptimizer",
       [](json& j) { j["training"]["optimizer"]["type"] = "lion"; },
       {": training.optimizer:", "'lion'", "adam"}},
      {"UnknownOptimizerOption",
       [](json& j) {
         j["training"]["optimizer"]["options"] = {{"beta", 0.9}};
       },
       {": training.optimizer:", "'beta'"}},
      {"BadArmOverride",
       [](json& j) {
         j["arms"][3]["training"] = {{"lr", -1.0}};
       },
       {": arms[3].training.lr: must be a finite number > 0"}},
      {"ArmOverrideTypo",
       [](json& j) {
         j["arms"][3]["training"] = {{"lrate", 0.01}};
       },
       {": arms[3].training.lrate: unknown key"}},
      {"LanguageModelOnImages",
       [](json& j) {
         j["arms"][1]["model"] = {{"type", "gpt"}, {"options", {{"n_layer", 1}}}};
       },
       {": arms[1].model.type: 'gpt' is a language-model; task image-classification needs a "
        "classifier"}},
      {"ContrastAndTreatment",
       [](json& j) {
         j["hypotheses"][0]["contrast"] = {{{"arm", "relu-2"}, {"weight", 1}},
                                           {{"arm", "relu-4"}, {"weight", -1}}};
       },
       {": hypotheses[0].treatment: give either treatment and control, or a contrast"}},
      {"ContrastWeightsDoNotSumToZero",
       [](json& j) {
         j["hypotheses"][0].erase("treatment");
         j["hypotheses"][0].erase("control");
         j["hypotheses"][0]["contrast"] = {{{"arm", "relu-2"}, {"weight", 1}},
                                           {{"arm", "relu-4"}, {"weight", -0.5}}};
       },
       {": hypotheses[0].contrast: weights sum to 0.5"}},
      {"ContrastUnknownArm",
       [](json& j) {
         j["hypotheses"][0].erase("treatment");
         j["hypotheses"][0].erase("control");
         j["hypotheses"][0]["contrast"] = {{{"arm", "relu-2"}, {"weight", 1}},
                                           {{"arm", "relu-5"}, {"weight", -1}}};
       },
       {": hypotheses[0].contrast[1].arm: arm 'relu-5' is not defined"}},
      {"ContrastRepeatedArm",
       [](json& j) {
         j["hypotheses"][0].erase("treatment");
         j["hypotheses"][0].erase("control");
         j["hypotheses"][0]["contrast"] = {{{"arm", "relu-2"}, {"weight", 1}},
                                           {{"arm", "relu-2"}, {"weight", -1}}};
       },
       {": hypotheses[0].contrast[1].arm: arm 'relu-2' appears twice"}},
      {"NonPositiveMinEffect",
       [](json& j) { j["hypotheses"][0]["min_effect"] = 0.0; },
       {": hypotheses[0].min_effect: must be a finite number > 0"}},
      {"FailingParameterCheck",
       [](json& j) {
         j["checks"] = {{{"type", "parameter-ratio"},
                         {"numerator", "geglu-8"},
                         {"denominator", "relu-8"},
                         {"tolerance", 0.01}}};
       },
       {": checks[0]: in profile nightly: parameter ratio geglu-8/relu-8 (total) = 12624/6352",
        "FAILED"}},
      {"CheckUnknownPart",
       [](json& j) {
         j["checks"] = {{{"type", "parameter-ratio"},
                         {"numerator", "geglu-8"},
                         {"denominator", "relu-16"},
                         {"part", "mlp"}}};
       },
       {": checks[0].part:", "no parameter part 'mlp'"}},
      {"CheckUnknownArm",
       [](json& j) {
         j["checks"] = {
             {{"type", "parameter-ratio"}, {"numerator", "geglu-9"}, {"denominator", "relu-16"}}};
       },
       {": checks[0].numerator: arm 'geglu-9' is not defined"}},
      {"StringWhereNumberExpected",
       [](json& j) { j["hypotheses"][2]["margin"] = "0.01"; },
       {": hypotheses[2].margin: has the wrong type", "expected a number"}},
      {"FractionalReplicates",
       [](json& j) { j["profiles"]["smoke"]["replicates"] = 2.5; },
       {": profiles.smoke.replicates: has the wrong type", "expected an integer"}},
      {"UnknownModelType",
       [](json& j) { j["arms"][2]["model"]["type"] = "ffn-swiglu"; },
       {": arms[2].model.type: unknown model type 'ffn-swiglu' (valid:", "ffn-geglu, ffn-relu"}},
      {"UnknownModelOption",
       [](json& j) {
         j["arms"][0]["model"]["options"] = {{"hiden", 2}};
       },
       {": arms[0].model.options:", "option 'hidden' is required",
        "the options given were: hiden"}},
      {"NonPositiveModelOption",
       [](json& j) { j["arms"][5]["model"]["options"]["hidden"] = 0; },
       {": arms[5].model.options:", "'hidden' must be an integer in [1, 32768]"}},
      {"UnknownArmInHypothesis",
       [](json& j) { j["hypotheses"][1]["control"] = "relu-3"; },
       {": hypotheses[1].control: arm 'relu-3' is not defined (arms: relu-2, relu-4"}},
      {"TreatmentEqualsControl",
       [](json& j) { j["hypotheses"][0]["control"] = "geglu-2"; },
       {": hypotheses[0].control: is the same arm as treatment"}},
      {"UnknownMetric",
       [](json& j) { j["hypotheses"][1]["metric"] = "accuracy"; },
       {": hypotheses[1].metric: 'accuracy' is not a metric of image-classification (valid: "
        "test_accuracy, test_loss, final_train_loss)"}},
      {"UnknownKind",
       [](json& j) { j["hypotheses"][3]["kind"] = "better"; },
       {": hypotheses[3].kind:",
        "unknown hypothesis kind 'better' (valid: superiority, "
        "non-inferiority, equivalence)"}},
      {"UnknownDesign",
       [](json& j) { j["hypotheses"][0]["design"] = "unpaired"; },
       {": hypotheses[0].design: 'unpaired' is not valid (valid: paired, random-search, "
        "prediction-difference)"}},
      {"PredictionDifferenceWithoutPredictions",
       [](json& j) { j["hypotheses"][0]["design"] = "prediction-difference"; },
       {": hypotheses[0].treatment: arm 'geglu-2' keeps no predictions", "set \"predictions\""}},
      {"ProfileListsAnUnknownHypothesis",
       [](json& j) {
         j["profiles"]["smoke"]["hypotheses"] = {"equal-h-2", "equal-h-3"};
       },
       {": profiles.smoke.hypotheses: 'equal-h-3' is not a hypothesis id"}},
      {"TallyOfAnUnknownHypothesis",
       [](json& j) {
         j["tallies"] = {{{"id", "t"}, {"hypotheses", {"equal-h-2", "nope"}}}};
       },
       {": tallies[0].hypotheses: 'nope' is not a hypothesis id"}},
      {"BadSeedStream",
       [](json& j) { j["arms"][0]["seed_stream"] = "Own Seeds"; },
       {": arms[0].seed_stream: 'Own Seeds' must match [a-z0-9-]+"}},
      {"EmptyArms",
       [](json& j) { j["arms"] = json::array(); },
       {": arms: must be a non-empty array"}},
      {"MissingArms", [](json& j) { j.erase("arms"); }, {": arms: is required but missing"}},
      {"DuplicateArmName",
       [](json& j) { j["arms"][3]["name"] = "relu-2"; },
       {": arms[3].name: duplicate arm name 'relu-2'"}},
      {"DuplicateHypothesisId",
       [](json& j) { j["hypotheses"][2]["id"] = "equal-h-2"; },
       {": hypotheses[2].id: duplicate id 'equal-h-2'"}},
      {"BadId", [](json& j) { j["id"] = "GeGLU_vs"; }, {": id: 'GeGLU_vs' must match [a-z0-9-]+"}},
      {"BadArmName",
       [](json& j) { j["arms"][1]["name"] = "ReLU 4"; },
       {": arms[1].name: 'ReLU 4' must match [a-z0-9-]+"}},
      {"NegativeMargin",
       [](json& j) { j["hypotheses"][3]["margin"] = -0.01; },
       {": hypotheses[3].margin: must be a finite number >= 0"}},
      {"NonInferiorityWithZeroMargin",
       [](json& j) { j["hypotheses"][0]["kind"] = "non-inferiority"; },
       {": hypotheses[0].margin: must be > 0 for non-inferiority"}},
      {"KOnPairedHypothesis",
       [](json& j) { j["hypotheses"][0]["k"] = 2; },
       {": hypotheses[0].k: only random-search hypotheses take k"}},
      {"RandomSearchWithoutK",
       [](json& j) { j["hypotheses"][8].erase("k"); },
       {": hypotheses[8].k: random-search hypotheses need k >= 1"}},
      {"RandomSearchWithoutSearchSpace",
       [](json& j) { j.erase("search"); },
       {": hypotheses[8].design: random-search needs a top-level \"search\" space"}},
      {"EmptySearchList",
       [](json& j) { j["search"]["lr"] = json::array(); },
       {": search.lr: needs >= 1 value"}},
      {"KAboveSearchTrials",
       [](json& j) { j["profiles"]["smoke"]["search_trials"] = 4; },
       {": profiles.smoke.search_trials: 4 is less than the largest k (8)"}},
      {"UnknownProfileName",
       [](json& j) { j["profiles"]["weekly"] = j["profiles"]["smoke"]; },
       {": profiles.weekly: unknown profile (valid: smoke, nightly)"}},
      {"TooFewReplicates",
       [](json& j) { j["profiles"]["nightly"]["replicates"] = 1; },
       {": profiles.nightly.replicates: must be >= 2"}},
      {"UnknownDevice",
       [](json& j) { j["profiles"]["smoke"]["device"] = "tpu"; },
       {": profiles.smoke.device: 'tpu' is not valid (valid: auto, cpu, cuda)"}},
      {"AlphaOutOfRange",
       [](json& j) { j["profiles"]["smoke"]["alpha"] = 0.5; },
       {": profiles.smoke.alpha: must be in (0, 0.5)"}},
      {"SourceBootstrapUnknownArm",
       [](json& j) { j["source_bootstrap_of_max"]["arms"][1] = "geglu-32"; },
       {": source_bootstrap_of_max.arms: arm 'geglu-32' is not defined"}},
      {"NoProfiles",
       [](json& j) { j["profiles"] = json::object(); },
       {": profiles: must define smoke and/or nightly"}},
      {"ArmNotAnObject",
       [](json& j) { j["arms"][0] = "relu-2"; },
       {": arms[0]: must be a JSON object, got string"}},
  };
  return kCases;
}

// One test for the whole table (each case is one parse, microseconds; a test process costs
// ~0.5 s of LibTorch loading): a failure names its case.
TEST(MalformedSpec, EachDefectIsASpecErrorNamingFileKeyAndWhatIsWrong) {
  const json real = test::real_claim_json();
  ASSERT_NO_THROW(parse_claim(real, kFile)) << "the unmutated real claim must parse";
  EXPECT_GE(malformed_cases().size(), 30u);
  for (const MalformedCase& c : malformed_cases()) {
    json j = real;
    c.mutate(j);
    ASSERT_NE(j, real) << c.name << ": the mutation changed nothing";
    std::vector<std::string> fragments = c.fragments;
    fragments.insert(fragments.begin(), kFile);
    EXPECT_TRUE(ThrowsWith<SpecError>([&] { parse_claim(j, kFile); }, fragments)) << c.name;
  }
}

// Writes `j` as <dir>/<stem>.json.
test::fs::path write_claim(const test::fs::path& dir, const std::string& stem, const json& j) {
  const test::fs::path file = dir / (stem + ".json");
  test::write_json(file, j);
  return file;
}

TEST(LoadClaim, FileLevelDefectsNameTheFile) {
  const auto dir = test::scratch_dir("load_defects");
  const auto broken = dir / "broken.json";
  test::write_text(broken, "{\"id\": \"broken\", \"title\": \n");
  EXPECT_TRUE(ThrowsWith<SpecError>([&] { load_claim(broken); },
                                    {broken.string(), ": not valid JSON (", "parse error"}));

  const auto renamed = write_claim(dir, "geglu-vs-relu", test::real_claim_json());
  EXPECT_TRUE(ThrowsWith<SpecError>(
      [&] { load_claim(renamed); },
      {renamed.string(),
       ": id: 'geglu-vs-relu-mnist' must equal the file name ('geglu-vs-relu')"}));

  const auto missing = dir / "nowhere.json";
  EXPECT_TRUE(ThrowsWith<SpecError>([&] { load_claim(missing); },
                                    {missing.string(), "cannot open the claim spec"}));

  json j = test::real_claim_json();
  j["hypotheses"][1]["metric"] = "acc";
  const auto bad_metric = write_claim(dir, "geglu-vs-relu-mnist", j);
  EXPECT_TRUE(ThrowsWith<SpecError>([&] { load_claim(bad_metric); },
                                    {bad_metric.string() + ": hypotheses[1].metric: 'acc'"}));
}

TEST(LoadClaim, RealClaimLoads) {
  const ClaimSpec spec =
      load_claim(test::fs::path(CLAIMCHECK_SOURCE_DIR) / "claims" / "geglu-vs-relu-mnist.json");
  EXPECT_EQ(spec.id, "geglu-vs-relu-mnist");
  EXPECT_EQ(spec.arms.size(), 8u);
  ASSERT_EQ(spec.hypotheses.size(), 11u);
  EXPECT_EQ(spec.hypotheses[8].design, Design::kRandomSearch);
  EXPECT_EQ(spec.hypotheses[8].k, 2);
  EXPECT_EQ(spec.profile("smoke").replicates, 16);
  EXPECT_EQ(spec.profile("nightly").search_trials, 64);
  // Defaults not written in the spec: alpha 0.05 and 9999 resamples (DESIGN.md, Statistics).
  EXPECT_EQ(spec.profile("smoke").resamples, 9999);
  EXPECT_DOUBLE_EQ(spec.profile("smoke").alpha, 0.05);
  EXPECT_TRUE(ThrowsWith<SpecError>([&] { spec.profile("weekly"); },
                                    {"profiles: no profile 'weekly' (defined: nightly, smoke)"}));
}

// Through the CLI, a malformed spec is exit 2 with the file and key path on stderr, before any
// training (no store file is created).
TEST(MalformedSpecCli, ExitsTwoNamingFileAndKeyBeforeTraining) {
  struct CliCase {
    std::string name;
    std::function<void(const test::fs::path& file)> write;  // writes the spec file (or not)
    std::string profile;
    std::vector<std::string> fragments;  // "@" stands for the spec file's path
  };
  auto mutated = [](std::function<void(json&)> edit) {
    return [edit](const test::fs::path& file) {
      json j = test::real_claim_json();
      edit(j);
      test::write_json(file, j);
    };
  };
  const std::vector<CliCase> cases = {
      {"UnknownArm",
       mutated([](json& j) { j["hypotheses"][4]["treatment"] = "geglu-3"; }),
       "smoke",
       {"spec error", "@: hypotheses[4].treatment: arm 'geglu-3' is not defined"}},
      {"WrongType",
       mutated([](json& j) { j["training"]["lr"] = "1e-3"; }),
       "smoke",
       {"spec error", "@: training.lr: has the wrong type"}},
      {"IdNotTheFileName",
       mutated([](json& j) { j["id"] = "geglu-vs-relu"; }),
       "smoke",
       {"@: id: 'geglu-vs-relu' must equal the file name"}},
      {"InvalidJson",
       [](const test::fs::path& f) { test::write_text(f, "{\"id\": [}"); },
       "smoke",
       {"@: not valid JSON"}},
      {"UndefinedProfile",
       mutated([](json&) {}),
       "nightlyy",
       {"spec error", "profiles: no profile 'nightlyy' (defined: nightly, smoke)"}},
      {"MissingClaim", [](const test::fs::path&) {}, "smoke", {"@: cannot open the claim spec"}},
  };
  for (const CliCase& c : cases) {
    const auto dir = test::scratch_dir("cli_malformed_" + c.name);
    const auto file = dir / "claims" / "geglu-vs-relu-mnist.json";
    test::fs::create_directories(file.parent_path());
    c.write(file);
    const test::CliResult r = test::run_cli(
        {"--claims-dir", (dir / "claims").string(), "--baselines-dir", (dir / "baselines").string(),
         "run", "geglu-vs-relu-mnist", "--profile", c.profile, "--store", (dir / "runs").string()});
    EXPECT_EQ(r.code, cli::kExitUsage) << c.name;
    std::vector<std::string> fragments;
    for (std::string f : c.fragments) {
      if (const auto at = f.find('@'); at != std::string::npos) f.replace(at, 1, file.string());
      fragments.push_back(f);
    }
    EXPECT_TRUE(test::ContainsAll(r.err, fragments)) << c.name;
    EXPECT_FALSE(test::fs::exists(dir / "runs" / "geglu-vs-relu-mnist.jsonl")) << c.name;
  }
}

// ---- Round trip and hash ----

ClaimSpec real_spec() {
  return parse_claim(test::real_claim_json(), kFile);
}

TEST(SpecRoundTrip, ToJsonParsesBackToTheSameJsonAndKeepsWhatTheSpecSaid) {
  for (const json& source : {test::real_claim_json(), test::tiny_claim_json()}) {
    const ClaimSpec spec = parse_claim(source, kFile);
    const json once = to_json(spec);
    const ClaimSpec again = parse_claim(once, kFile);
    EXPECT_EQ(to_json(again), once) << once.dump(1);
    EXPECT_EQ(spec_hash(again, "smoke"), spec_hash(spec, "smoke"));
  }
  // What the real spec said survives (to_json adds defaults, so compare key by key).
  const json j = to_json(real_spec());
  EXPECT_EQ(j["arms"][3]["source_value"], 0.915);
  EXPECT_EQ(j["hypotheses"][10]["k"], 8);
  EXPECT_FALSE(j["hypotheses"][0].contains("k")) << "paired hypotheses take no k";
  EXPECT_EQ(j["hypotheses"][4]["source_effect"], -0.31);
  EXPECT_EQ(j["search"]["lr"], json({0.1, 0.01, 0.001, 0.0001}));
  EXPECT_EQ(j["source_bootstrap_of_max"]["k"], json({2, 4, 8}));
  EXPECT_EQ(j["profiles"]["nightly"]["device"], "auto");
  EXPECT_EQ(j["source"]["repository"], "Kipung/ffn_relu_vs_geglu_mnist");
}

TEST(SpecProfile, ReportOnlyNamesHypothesesItDecidesWithAReason) {
  json j = test::real_claim_json();
  const std::string id = j["hypotheses"][0]["id"];
  j["profiles"]["smoke"]["report_only"] = {{id, "fragile at 16 seeds"}};
  const ClaimSpec spec = parse_claim(j, kFile);
  EXPECT_EQ(spec.profile("smoke").report_only.at(id), "fragile at 16 seeds");
  EXPECT_TRUE(spec.profile("nightly").report_only.empty());
  EXPECT_EQ(to_json(spec)["profiles"]["smoke"]["report_only"][id], "fragile at 16 seeds");
  for (const auto& [value, fragment] : std::vector<std::pair<json, std::string>>{
           {json{{"no-such-hypothesis", "why"}},
            "'no-such-hypothesis' is not a hypothesis this profile decides"},
           {json{{id, ""}}, "the reason must be a non-empty string"},
           {json{{id, false}}, "the reason must be a non-empty string"},
           {json::array({id}), "must be an object"}}) {
    json bad = test::real_claim_json();
    bad["profiles"]["smoke"]["report_only"] = value;
    EXPECT_TRUE(test::ThrowsWith<SpecError>([&] { parse_claim(bad, kFile); },
                                            {"profiles.smoke.report_only", fragment}))
        << value.dump();
  }
}

TEST(SpecHash, IsStableAndSixteenHexDigits) {
  const std::string h = spec_hash(real_spec(), "smoke");
  EXPECT_EQ(h, spec_hash(real_spec(), "smoke"));
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  EXPECT_NE(h, spec_hash(real_spec(), "nightly"));
}

// The hash of the smoke profile after one edit to the real spec.
std::string smoke_hash_after(const std::function<void(json&)>& edit) {
  json j = test::real_claim_json();
  edit(j);
  return spec_hash(parse_claim(j, kFile), "smoke");
}

TEST(SpecHash, ChangesWithWhatDeterminesTheResults) {
  const std::string base = smoke_hash_after([](json&) {});
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["hypotheses"][2]["margin"] = 0.001; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["profiles"]["smoke"]["replicates"] = 17; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["profiles"]["smoke"]["resamples"] = 999; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["training"]["lr"] = 0.002; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["arms"][2]["training"] = {{"lr", 0.002}}; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) {
              j["training"]["optimizer"] = {{"type", "adamw"}};
            }));
  EXPECT_NE(base,
            smoke_hash_after([](json& j) { j["arms"][0]["model"]["options"]["hidden"] = 3; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["search"]["batch"][0] = 16; }));
  EXPECT_NE(base, smoke_hash_after([](json& j) { j["hypotheses"][0]["direction"] = "less"; }));
}

TEST(SpecHash, IgnoresProvenanceAndTheOtherProfile) {
  const std::string base = smoke_hash_after([](json&) {});
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["title"] = "Another title"; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["source"] = {{"paper", "arXiv:2002.05202"}}; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["arms"][6]["source_value"] = 0.5; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["arms"][6].erase("source_value"); }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["hypotheses"][1]["source_effect"] = 0.2; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["hypotheses"][1]["statement"] = "Reworded."; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["profiles"]["nightly"]["replicates"] = 99; }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["profiles"].erase("nightly"); }));
  EXPECT_EQ(base, smoke_hash_after([](json& j) { j["profiles"]["smoke"]["timeout"] = 600; }));
  // Whether a hypothesis gates changes no result, so no baseline goes stale over it.
  EXPECT_EQ(base, smoke_hash_after([](json& j) {
              j["profiles"]["smoke"]["report_only"] = {{j["hypotheses"][0]["id"], "fragile"}};
            }));
  // The same training written per arm instead of at claim level hashes alike.
  EXPECT_EQ(base, smoke_hash_after([](json& j) {
              for (auto& arm : j["arms"])
                arm["training"] = {{"lr", 0.001}};
            }));
}

}  // namespace
}  // namespace claimcheck::claims
