// The classifier trainer on synthetic data (step counts, determinism, divergence from crafted
// huge weights) and the executor on MNIST with an absurd learning rate: a diverged run is a
// flagged result in the store, never an exception.
#include "harness/train/classifier_trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "claims_test_support.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/train/executor.h"

namespace claimcheck::train {
namespace {
using json = nlohmann::json;

// 100 random "images" of 784 features in [0, 1) with random labels, on the CPU.
ClassifierData synthetic_data() {
  torch::manual_seed(7);
  return {torch::rand({100, 784}), torch::randint(10, {100}, torch::kInt64), torch::rand({50, 784}),
          torch::randint(10, {50}, torch::kInt64)};
}

std::shared_ptr<models::ClassifierImpl> relu_model(std::uint64_t seed) {
  torch::manual_seed(seed);
  return models::make_classifier("ffn-relu", {{"hidden", 4}});
}

TEST(TrainClassifier, KeepsTheLastPartialBatchAndIsDeterministic) {
  const ClassifierData data = synthetic_data();
  const ClassifierTrainConfig config{"adam", 1e-3, /*batch=*/32, /*epochs=*/2};
  const ClassifierMetrics a = train_classifier(*relu_model(1), data, config, /*data_seed=*/11);
  // ceil(100 / 32) = 4 steps per epoch (32, 32, 32, 4), as PyTorch's DataLoader by default.
  EXPECT_EQ(a.steps, 8);
  EXPECT_FALSE(a.diverged);
  EXPECT_TRUE(std::isfinite(a.final_train_loss));
  EXPECT_GE(a.test_accuracy, 0.0);
  EXPECT_LE(a.test_accuracy, 1.0);
  // The same init seed and data seed reproduce bit for bit; another data order does not.
  const ClassifierMetrics b = train_classifier(*relu_model(1), data, config, 11);
  EXPECT_EQ(a.final_train_loss, b.final_train_loss);
  EXPECT_EQ(a.test_loss, b.test_loss);
  const ClassifierMetrics c = train_classifier(*relu_model(1), data, config, 12);
  EXPECT_NE(a.final_train_loss, c.final_train_loss);
}

TEST(TrainClassifier, HugeWeightsDivergeAtTheFirstStep) {
  const ClassifierData data = synthetic_data();
  auto model = relu_model(1);
  {
    // Inputs in [0, 1) and weights 1e20: hidden ~ 784 * 0.5 * 1e20 ~ 4e22 (ReLU passes it) and
    // logits ~ 4 * 1e20 * 4e22 overflow float32 (max 3.4e38) to inf; the loss is inf − inf = NaN.
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters())
      p.fill_(1e20);
  }
  const ClassifierMetrics m = train_classifier(*model, data, {"adam", 1e-3, 32, 3}, 11);
  EXPECT_TRUE(m.diverged);
  EXPECT_EQ(m.steps, 1) << "training stops at the first non-finite loss, in every epoch";
  EXPECT_FALSE(std::isfinite(m.final_train_loss));
}

TEST(TrainClassifier, RejectsABadConfigNamingIt) {
  const ClassifierData data = synthetic_data();
  auto model = relu_model(1);
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] {
        train_classifier(*model, data, {"sgd", 1e-3, 32, 1}, 1);
      },
      {"optimizer 'sgd' is not supported (valid: adam)"}));
  EXPECT_THROW(train_classifier(*model, data, {"adam", 0.0, 32, 1}, 1), std::invalid_argument);
  EXPECT_THROW(train_classifier(*model, data, {"adam", 1e-3, 0, 1}, 1), std::invalid_argument);
  EXPECT_THROW(train_classifier(*model, data, {"adam", 1e-3, 32, 0}, 1), std::invalid_argument);
}

TEST(ExecuteRuns, AbsurdLearningRateIsRecordedAsDivergedWithoutThrowing) {
  // GeGLU(2) on MNIST with Adam at lr 1e12: every weight moves by ~1e12 in the first step, the
  // second step's logits overflow float32 and its loss is NaN (found by trying 1e4..1e20: below
  // 1e12 the GELU gate saturates at 0 and the loss sticks at ln 10 instead).
  const claims::ClaimSpec spec = claims::parse_claim(claims::test::tiny_claim_json(), "tiny.json");
  std::vector<claims::RunSpec> runs = claims::plan(spec, "smoke", "cpu");
  ASSERT_EQ(runs.front().arm, "geglu");
  claims::RunSpec run = runs.front();
  run.lr = 1e12;
  const auto file = claims::test::scratch_dir("executor_diverged") / "tiny.jsonl";
  claims::RunStore store(file);
  ExecuteSummary summary;
  ASSERT_NO_THROW(summary = execute_runs({run}, store, {torch::kCPU, /*workers=*/1, nullptr}));
  EXPECT_EQ(summary.trained, 1u);
  EXPECT_EQ(summary.diverged, 1u);

  const claims::RunStore reloaded(file);
  ASSERT_TRUE(reloaded.warnings().empty());
  ASSERT_TRUE(reloaded.contains(run.key()));
  const json& r = reloaded.at(run.key());
  EXPECT_EQ(r["diverged"], true);
  EXPECT_EQ(r["metrics"]["diverged"], true);
  EXPECT_EQ(r["metrics"]["steps"], 2);
  EXPECT_EQ(r["config"]["lr"], 1e12);
  EXPECT_TRUE(r["metrics"]["final_train_loss"].is_null()) << "JSON has no NaN: written as null";
  EXPECT_TRUE(r["metrics"]["test_accuracy"].is_number());

  // A second call finds it in the store and trains nothing.
  const ExecuteSummary again = execute_runs({run}, store, {torch::kCPU, 1, nullptr});
  EXPECT_EQ(again.cached, 1u);
  EXPECT_EQ(again.trained, 0u);
}

}  // namespace
}  // namespace claimcheck::train
