// The executor: a diverged run is a flagged record, never an exception; runs already stored are
// not retrained; identical runs train once; a run's numbers do not depend on how many workers
// train beside it, even for a model that draws random numbers in forward (dropout), nor on the
// ensemble group it trains in; a resumed execution trains only the missing runs, to the same
// numbers, and stores each run once.
#include "harness/pipeline/executor.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sstream>

#include "harness/claims/planner.h"
#include "harness/claims/run_record.h"
#include "harness/claims/run_store.h"
#include "models/model.h"
#include "models/options.h"
#include "models/registry.h"
#include "tests/claims/analysis_test_support.h"
#include "tests/claims/claims_test_support.h"

namespace claimcheck::pipeline {
using namespace claimcheck::train;  // the tasks and run configs the tests build runs from
namespace {
using json = nlohmann::json;

// Options that set only the number of parallel workers.
ExecuteOptions workers(int n) {
  ExecuteOptions options;
  options.workers = n;
  return options;
}

// A test-only classifier with dropout on its hidden layer: relu(x·W_in) -> dropout -> ·W_out.
// Its forward draws from the run's generator, so two workers must not share a stream.
struct FfnDropoutImpl : models::Model {
  FfnDropoutImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, double p,
                 at::Generator& init)
      : p_(p) {
    w_in = register_parameter("w_in", torch::randn({in, hidden}, init) * 0.02);
    w_out = register_parameter("w_out", torch::randn({hidden, out}, init) * 0.02);
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    const torch::Tensor h = torch::relu(x.matmul(w_in));  // (B, h)
    return models::dropout(h, p_, is_training(), generator()).matmul(w_out);
  }
  double p_;
  torch::Tensor w_in;
  torch::Tensor w_out;
};

void register_dropout_model() {
  static const bool registered = [] {
    models::ModelType t;
    t.name = "test-ffn-dropout";
    t.family = models::ModelFamily::kClassifier;
    auto hidden = [](const json& options) {
      models::OptionReader r("test-ffn-dropout", options);
      const std::int64_t h = r.positive_int("hidden");
      r.finish();
      return h;
    };
    t.validate = [hidden](const json& options) { hidden(options); };
    t.count = [hidden](const json& options, const models::ModelDims& d) {
      models::ParameterCount c;
      c.total = (d.inputs + d.classes) * hidden(options);
      c.parts["all"] = c.total;
      return c;
    };
    t.build = [hidden](const json& options, const models::ModelDims& d,
                       at::Generator& init) -> std::shared_ptr<models::Model> {
      return std::make_shared<FfnDropoutImpl>(d.inputs, hidden(options), d.classes, 0.5, init);
    };
    models::register_model_type(t);
    return true;
  }();
  (void)registered;
}

// Four dropout arms (different widths) x 3 seeds on MNIST, 60 steps each: 12 short runs.
claims::ClaimSpec dropout_claim() {
  register_dropout_model();
  json j = claims::test::tiny_claim_json();
  j["training"] = {{"optimizer", {{"type", "adam"}}}, {"steps", 60}, {"batch", 32}, {"lr", 0.003}};
  j["arms"] = json::array();
  for (int h : {3, 4, 5, 6}) {
    j["arms"].push_back({{"name", "drop-" + std::to_string(h)},
                         {"model", {{"type", "test-ffn-dropout"}, {"options", {{"hidden", h}}}}}});
  }
  j["hypotheses"] = {{{"id", "a"}, {"treatment", "drop-3"}, {"control", "drop-4"}},
                     {{"id", "b"}, {"treatment", "drop-5"}, {"control", "drop-6"}}};
  return claims::parse_claim(j, "dropout.json");
}

std::map<std::string, json> metrics_by_key(const claims::RunStore& store) {
  std::map<std::string, json> out;
  for (const auto& r : store.records())
    out[r.at("key").get<std::string>()] = r.at("metrics");
  return out;
}

TEST(ExecuteRuns, ResultsDoNotDependOnHowManyWorkersRanBeside) {
  const claims::ClaimSpec spec = dropout_claim();
  const auto runs = claims::plan(spec, "smoke", "cpu");
  ASSERT_EQ(runs.size(), 12u);
  const auto dir = claims::test::scratch_dir("executor_workers");
  claims::RunStore one(dir / "one.jsonl");
  claims::RunStore two(dir / "two.jsonl");
  execute_runs(runs, one, workers(1));
  execute_runs(runs, two, workers(2));
  const auto a = metrics_by_key(one);
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a, metrics_by_key(two)) << "bit-identical metrics with 1 and 2 workers";
  // Dropout really draws: another noise seed changes the result.
  claims::RunSpec other = runs.front();
  other.run.noise_seed += 1;
  other.seal();
  claims::RunStore three(dir / "three.jsonl");
  execute_runs({other}, three, workers(1));
  EXPECT_NE(three.records().front().at("metrics"), a.at(runs.front().key()));
}

TEST(ExecuteRuns, AbsurdLearningRateIsRecordedAsDivergedWithoutThrowing) {
  // GeGLU(2) on MNIST with Adam at lr 1e12: every weight moves by ~1e12 in the first step, the
  // second step's logits overflow float32 and its loss is NaN (found by trying 1e4..1e20: below
  // 1e12 the GELU gate saturates at 0 and the loss sticks at ln 10 instead).
  const claims::ClaimSpec spec = claims::parse_claim(claims::test::tiny_claim_json(), "tiny.json");
  std::vector<claims::RunSpec> runs = claims::plan(spec, "smoke", "cpu");
  ASSERT_EQ(runs.front().arm, "geglu");
  claims::RunSpec run = runs.front();
  run.run.training.lr = 1e12;
  run.seal();
  const auto file = claims::test::scratch_dir("executor_diverged") / "tiny.jsonl";
  claims::RunStore store(file);
  ExecuteSummary summary;
  ASSERT_NO_THROW(summary = execute_runs({run}, store, workers(1)));
  EXPECT_EQ(summary.trained, 1u);
  EXPECT_EQ(summary.diverged, 1u);

  const claims::RunStore reloaded(file);
  ASSERT_TRUE(reloaded.warnings().empty());
  ASSERT_TRUE(reloaded.contains(run.key()));
  const json& r = reloaded.at(run.key());
  EXPECT_EQ(r["format"], claims::kRunRecordFormat);
  EXPECT_EQ(r["diverged"], true);
  EXPECT_EQ(r["steps"], 2);
  EXPECT_EQ(r["parameters"], 1578 * 2);
  EXPECT_EQ(r["config"]["training"]["lr"], 1e12);
  EXPECT_TRUE(r["metrics"]["final_train_loss"].is_null()) << "JSON has no NaN: written as null";
  EXPECT_TRUE(r["metrics"]["test_accuracy"].is_number());

  // A second call finds it in the store and trains nothing.
  const ExecuteSummary again = execute_runs({run}, store, workers(1));
  EXPECT_EQ(again.cached, 1u);
  EXPECT_EQ(again.trained, 0u);
}

TEST(ExecuteRuns, TrainsOnTheRunsOwnDeviceAndRefusesTwoDevicesInOneCall) {
  // The device is the plan's, in every run's key: there is no second device to disagree with.
  const claims::ClaimSpec spec = claims::test::tiny_spec();
  const claims::RunSpec cpu = claims::plan(spec, "smoke", "cpu").front();
  const claims::RunSpec cuda = claims::plan(spec, "smoke", "cuda").front();
  claims::RunStore store(claims::test::scratch_dir("executor_two_devices") / "tiny.jsonl");
  try {
    execute_runs({cpu, cuda}, store, workers(1));
    FAIL() << "runs of two devices were executed";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("one device"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store.records().empty()) << "nothing was trained";
}

TEST(ExecuteRuns, IdenticalRunsOfTwoArmsTrainOnce) {
  json j = claims::test::tiny_claim_json();
  j["arms"][1]["model"] = j["arms"][0]["model"];  // geglu is now relu under another name
  j["training"]["epochs"] = 0;
  j["training"]["steps"] = 5;
  const claims::ClaimSpec spec = claims::parse_claim(j, "tiny.json");
  const auto runs = claims::plan(spec, "smoke", "cpu");
  ASSERT_EQ(runs.size(), 6u) << "both arms are planned (they are different arms)";
  claims::RunStore store(claims::test::scratch_dir("executor_dedup") / "tiny.jsonl");
  const ExecuteSummary s = execute_runs(runs, store, workers(1));
  EXPECT_EQ(s.trained, 3u) << "but each distinct config is trained once";
  EXPECT_EQ(store.records().size(), 3u);
}

TEST(ExecuteRuns, SaysWhatItTrainsAtOnceAndWhileARunIsStillTraining) {
  // A line before the first run, and a "still training" heartbeat when no line came for
  // heartbeat_seconds (here 10 ms; 30 s by default), so a long first run is never silent.
  json j = claims::test::tiny_claim_json();
  j["training"]["epochs"] = 0;
  j["training"]["steps"] = 2000;
  const auto runs = claims::plan(claims::parse_claim(j, "tiny.json"), "smoke", "cpu");
  claims::RunStore store(claims::test::scratch_dir("executor_heartbeat") / "tiny.jsonl");
  std::ostringstream progress;
  ExecuteOptions options = workers(1);
  options.max_group = 1;
  options.progress = &progress;
  options.heartbeat_seconds = 0.01;
  ASSERT_EQ(execute_runs(runs, store, options).trained, 6u);
  const std::string text = progress.str();
  EXPECT_EQ(text.find("training 6 runs in 6 group(s) on 1 worker(s) (cpu)"), 0u) << text;
  EXPECT_NE(text.find("still training 1 group(s), the oldest "), std::string::npos) << text;
  EXPECT_NE(text.find("[   6/6]"), std::string::npos) << text;
  EXPECT_NE(text.find("ETA 0 s"), std::string::npos) << "the last run leaves nothing: " << text;
}

// The tiny claim at batch 8 for 30 steps, 5 seeds: two groups (relu, geglu) of 5 runs.
std::vector<claims::RunSpec> tiny_grouped_plan() {
  json j = claims::test::tiny_claim_json();
  j["training"]["epochs"] = 0;
  j["training"]["steps"] = 30;
  j["training"]["batch"] = 8;
  j["profiles"]["smoke"]["replicates"] = 5;
  return claims::plan(claims::parse_claim(j, "tiny.json"), "smoke", "cpu");
}

// Every stored field that a run's numbers determine, by key.
std::map<std::string, json> results_by_key(const claims::RunStore& store) {
  std::map<std::string, json> out;
  for (const auto& r : store.records()) {
    out[r.at("key").get<std::string>()] = {r.at("metrics"), r.at("steps"), r.at("diverged"),
                                           r.at("parameters")};
  }
  return out;
}

TEST(ExecuteRuns, GroupedRunsStoreExactlyWhatRunsAloneStore) {
  const auto runs = tiny_grouped_plan();
  ASSERT_EQ(runs.size(), 10u);
  const auto dir = claims::test::scratch_dir("executor_grouped");
  claims::RunStore alone(dir / "alone.jsonl");
  claims::RunStore grouped(dir / "grouped.jsonl");
  claims::RunStore uneven(dir / "uneven.jsonl");
  ExecuteOptions options = workers(2);
  options.max_group = 1;
  execute_runs(runs, alone, options);
  options.max_group = 0;  // the default cap: one group per arm
  execute_runs(runs, grouped, options);
  options.max_group = 2;  // groups of 2, 2, 1 per arm
  const ExecuteSummary s = execute_runs(runs, uneven, options);
  EXPECT_EQ(s.trained, 10u);
  ASSERT_EQ(results_by_key(alone).size(), 10u);
  EXPECT_EQ(results_by_key(alone), results_by_key(grouped));
  EXPECT_EQ(results_by_key(alone), results_by_key(uneven));
}

TEST(ExecuteRuns, ResumeTrainsOnlyTheMissingRunsAndStoresTheSameNumbers) {
  const auto runs = tiny_grouped_plan();
  const auto dir = claims::test::scratch_dir("executor_group_resume");
  claims::RunStore full(dir / "full.jsonl");
  execute_runs(runs, full, workers(1));
  // An interrupted execution kept two runs of the relu group and one of the geglu group; the
  // other seven now train in new groups (of 3 and 4) and must come out as before.
  const auto file = dir / "resumed.jsonl";
  {
    claims::RunStore partial(file);
    for (const std::size_t i : {0u, 2u, 3u})
      partial.append(full.at(runs[i].key()));
  }
  claims::RunStore resumed(file);
  const ExecuteSummary s = execute_runs(runs, resumed, workers(1));
  EXPECT_EQ(s.cached, 3u);
  EXPECT_EQ(s.trained, 7u);
  EXPECT_EQ(claims::RunStore(file).records().size(), 10u) << "no run stored twice";
  EXPECT_EQ(results_by_key(claims::RunStore(file)), results_by_key(full));
}

}  // namespace
}  // namespace claimcheck::pipeline
