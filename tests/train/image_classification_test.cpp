// The image-classification task's loop on synthetic data (step counts, determinism, divergence
// from crafted huge weights, budgets in epochs or steps) and its validation of training blocks.
#include "harness/train/image_classification.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "harness/env/generator.h"
#include "harness/train/task.h"
#include "tests/claims/claims_test_support.h"

namespace claimcheck::train {
namespace {

// 100 random "images" of 784 features in [0, 1) with random labels, on the CPU.
ClassifierData synthetic_data() {
  at::Generator g = env::cpu_generator(7);
  return {torch::rand({100, 784}, g), torch::randint(10, {100}, g, torch::kInt64),
          torch::rand({50, 784}, g), torch::randint(10, {50}, g, torch::kInt64)};
}

struct Trained {
  RunOutput out;
  std::shared_ptr<models::Model> model;
};

Trained train_relu(std::uint64_t init_seed, const ClassifierLoop& loop, std::uint64_t data_seed,
                   const std::function<void(models::Model&)>& tamper = {}) {
  at::Generator init = env::cpu_generator(init_seed);
  auto model = models::make_model("ffn-relu", {{"hidden", 4}}, {784, 10}, init);
  if (tamper) tamper(*model);
  auto opt = optim::make_optimizer({"adam", nlohmann::json::object()}, 1e-3,
                                   model->parameter_groups(), init);
  return {train_classifier(*model, *opt, synthetic_data(), loop, data_seed), model};
}

TEST(TrainClassifier, KeepsTheLastPartialBatchAndIsDeterministic) {
  const ClassifierLoop loop{/*batch=*/32, /*epochs=*/2};
  const RunOutput a = train_relu(1, loop, /*data_seed=*/11).out;
  // ceil(100 / 32) = 4 steps per epoch (32, 32, 32, 4), as PyTorch's DataLoader by default.
  EXPECT_EQ(a.steps, 8);
  EXPECT_FALSE(a.diverged);
  EXPECT_TRUE(std::isfinite(a.metrics.at("final_train_loss")));
  EXPECT_GE(a.metrics.at("test_accuracy"), 0.0);
  EXPECT_LE(a.metrics.at("test_accuracy"), 1.0);
  // The same init seed and data seed reproduce bit for bit; another data order does not.
  const RunOutput b = train_relu(1, loop, 11).out;
  EXPECT_EQ(a.metrics, b.metrics);
  const RunOutput c = train_relu(1, loop, 12).out;
  EXPECT_NE(a.metrics.at("final_train_loss"), c.metrics.at("final_train_loss"));
}

TEST(TrainClassifier, StepBudgetStopsMidEpoch) {
  const RunOutput a = train_relu(1, {/*batch=*/32, /*epochs=*/0, /*steps=*/6}, 11).out;
  EXPECT_EQ(a.steps, 6);
  // The first 4 steps are epoch 1, exactly as with an epoch budget.
  const RunOutput four = train_relu(1, {32, 0, 4}, 11).out;
  const RunOutput epoch = train_relu(1, {32, 1, 0}, 11).out;
  EXPECT_EQ(four.metrics, epoch.metrics);
}

TEST(TrainClassifier, HugeWeightsDivergeAtTheFirstStep) {
  // Inputs in [0, 1) and weights 1e20: hidden ~ 784 * 0.5 * 1e20 ~ 4e22 (ReLU passes it) and
  // logits ~ 4 * 1e20 * 4e22 overflow float32 (max 3.4e38) to inf; the loss is inf − inf = NaN.
  const RunOutput m = train_relu(1, {32, 3}, 11, [](models::Model& model) {
                        torch::NoGradGuard no_grad;
                        for (auto& p : model.parameters())
                          p.fill_(1e20);
                      }).out;
  EXPECT_TRUE(m.diverged);
  EXPECT_EQ(m.steps, 1) << "training stops at the first non-finite loss, in every epoch";
  EXPECT_TRUE(std::isnan(m.metrics.at("final_train_loss")));
}

TEST(ImageClassificationTask, ValidatesItsKeysNamingThem) {
  const Task& t = task("image-classification");
  EXPECT_EQ(metric_names(t),
            (std::vector<std::string>{"test_accuracy", "test_loss", "final_train_loss"}));
  EXPECT_NO_THROW(t.validate_task({"image-classification", {{"dataset", "fashion-mnist"}}}));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] {
        t.validate_task({"image-classification", {{"dataset", "cifar"}}});
      },
      {"dataset: 'cifar' is not an image data set"}));
  TrainingSpec training;
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { t.validate_training(training); }, {"give exactly one budget"}));
  training.epochs = 1;
  EXPECT_NO_THROW(t.validate_training(training));
  training.context = 8;
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { t.validate_training(training); }, {"char-lm keys"}));
  EXPECT_EQ(t.dims({}, training).inputs, 784);
  EXPECT_EQ(t.dims({}, training).classes, 10);
}

TEST(TaskRegistry, ListsTasksAndRejectsUnknownOnes) {
  EXPECT_EQ(task_types(), (std::vector<std::string>{"char-lm", "image-classification"}));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [] { task("regression"); },
      {"unknown task type 'regression' (valid: char-lm, image-classification)"}));
}

}  // namespace
}  // namespace claimcheck::train
