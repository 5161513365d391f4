// A group trained as one batched model gives each member exactly what training it alone gives:
// metrics, steps, the diverged flag and the final weights, bit for bit, for E in {1, 2, 8}, batch
// 8 and 64 (with a partial last batch), ReLU and GeGLU, widths above and below ATen's bmm
// threshold, learning rates from 1e-4 to 1e-1; a member that diverges is flagged alone and the
// others do not notice.
#include "harness/train/ensemble/classifier.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "harness/env/generator.h"
#include "harness/train/optim/optimizer.h"
#include "models/registry.h"

namespace claimcheck::train {
namespace {

// 200 MNIST-like training images (bytes / 255 as the IDX reader makes them, ~80% exact zeros) and
// 64 test images, random labels. 200 = 25·8 = 3·64 + 8: batch 64 ends with a partial batch of 8.
const ClassifierData& synthetic_data() {
  static const ClassifierData data = [] {
    at::Generator g = env::cpu_generator(7);
    auto images = [&](std::int64_t n) {
      const torch::Tensor bytes =
          torch::randint(256, {n, 784}, g, torch::kInt64) * (torch::rand({n, 784}, g) > 0.8);
      return bytes.to(torch::kUInt8).to(torch::kFloat32).div_(255.0);
    };
    return ClassifierData{images(200), torch::randint(10, {200}, g, torch::kInt64), images(64),
                          torch::randint(10, {64}, g, torch::kInt64)};
  }();
  return data;
}

constexpr double kLrs[] = {1e-1, 1e-2, 1e-3, 1e-4};

struct Member {
  std::shared_ptr<models::Model> model;
  double lr;
  std::uint64_t data_seed;
};

// Member i of a group: its own init seed, data seed and one of four learning rates.
Member make_member(const std::string& type, std::int64_t hidden, int i,
                   const std::function<void(models::Model&)>& tamper) {
  at::Generator init = env::cpu_generator(100 + static_cast<std::uint64_t>(i));
  auto model = models::make_model(type, {{"hidden", hidden}}, {784, 10}, init);
  if (tamper) tamper(*model);
  return {model, kLrs[i % 4], 200 + static_cast<std::uint64_t>(i)};
}

::testing::AssertionResult SameRun(const RunOutput& alone, const RunOutput& grouped) {
  if (alone.steps != grouped.steps || alone.diverged != grouped.diverged) {
    return ::testing::AssertionFailure()
           << "steps " << alone.steps << " vs " << grouped.steps << ", diverged " << alone.diverged
           << " vs " << grouped.diverged;
  }
  for (const auto& [name, value] : alone.metrics) {
    const double other = grouped.metrics.at(name);
    const bool same = std::isnan(value) ? std::isnan(other) : value == other;
    if (!same) {
      return ::testing::AssertionFailure()
             << name << ": alone " << value << ", grouped " << other << std::hexfloat << " ("
             << value << " vs " << other << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// Trains `members` runs alone and as one group; expects every member identical.
void expect_group_equals_alone(const std::string& type, std::int64_t hidden, int members,
                               const ClassifierLoop& loop,
                               const std::function<void(models::Model&, int)>& tamper = {}) {
  SCOPED_TRACE(type + " h=" + std::to_string(hidden) + " E=" + std::to_string(members) +
               " batch=" + std::to_string(loop.batch));
  std::vector<ClassifierMember> group;
  std::vector<Member> alone;
  for (int i = 0; i < members; ++i) {
    auto t = [&](models::Model& m) {
      if (tamper) tamper(m, i);
    };
    const Member g = make_member(type, hidden, i, t);
    group.push_back({g.model, g.lr, g.data_seed});
    alone.push_back(make_member(type, hidden, i, t));
  }
  // Odd group sizes gather the batch as floats, even ones from the images' bytes (row_gather.h).
  const torch::Tensor bytes = members % 2 == 0 ? training_bytes(synthetic_data()) : torch::Tensor();
  const std::vector<RunOutput> grouped =
      train_classifier_group(type, group, optim::AdamOptions{}, synthetic_data(), loop, bytes);
  ASSERT_EQ(grouped.size(), static_cast<std::size_t>(members));
  for (int i = 0; i < members; ++i) {
    at::Generator unused = env::cpu_generator(0);
    auto optimizer = optim::make_optimizer({"adam", nlohmann::json::object()}, alone[i].lr,
                                           alone[i].model->parameter_groups(), unused);
    const RunOutput out =
        train_classifier(*alone[i].model, *optimizer, synthetic_data(), loop, alone[i].data_seed);
    EXPECT_TRUE(SameRun(out, grouped[i])) << "member " << i << " (lr " << alone[i].lr << ")";
    const auto a = alone[i].model->parameters();
    const auto b = group[i].model->parameters();  // the group copied its final weights back
    for (std::size_t k = 0; k < a.size(); ++k) {
      const bool same = torch::equal(a[k], b[k]) || (a[k].isnan().any().item<bool>() &&
                                                     torch::equal(a[k].isnan(), b[k].isnan()));
      EXPECT_TRUE(same) << "member " << i << " weight " << k;
    }
  }
}

TEST(TrainClassifierGroup, EveryMemberEqualsTrainingItAloneForEOneTwoEight) {
  for (const int e : {1, 2, 8}) {
    for (const std::int64_t batch : {8, 64}) {
      const ClassifierLoop loop{batch, /*epochs=*/2};
      expect_group_equals_alone("ffn-relu", 8, e, loop);
      expect_group_equals_alone("ffn-geglu", 8, e, loop);
    }
  }
}

TEST(TrainClassifierGroup, EqualsAloneBelowTheBmmThresholdAndOnAStepBudget) {
  // h = 2 at batch 8 (and the last batch of 8 at batch 64): 8·2·10 = 160 < 400, one mm each.
  expect_group_equals_alone("ffn-geglu", 2, 3, {/*batch=*/8, /*epochs=*/1});
  expect_group_equals_alone("ffn-relu", 2, 3, {/*batch=*/64, /*epochs=*/2});
  expect_group_equals_alone("ffn-geglu", 4, 2, {/*batch=*/64, /*epochs=*/0, /*steps=*/7});
}

TEST(TrainClassifierGroup, ADivergingMemberIsFlaggedAloneAndPoisonsNoOther) {
  // Member 1 starts from weights 1e20: its first loss is NaN (see image_classification_test), so
  // it stops after one step; member 3 has lr 1e-4 (i % 4) and huge-but-finite weights of 1e3.
  const auto tamper = [](models::Model& model, int i) {
    if (i != 1 && i != 3) return;
    torch::NoGradGuard no_grad;
    for (auto& p : model.parameters())
      p.fill_(i == 1 ? 1e20 : 1e3);
  };
  expect_group_equals_alone("ffn-relu", 4, 4, {/*batch=*/8, /*epochs=*/1}, tamper);
  std::vector<ClassifierMember> group;
  for (int i = 0; i < 4; ++i) {
    const Member m = make_member("ffn-relu", 4, i, [&](models::Model& x) { tamper(x, i); });
    group.push_back({m.model, m.lr, m.data_seed});
  }
  const auto out = train_classifier_group("ffn-relu", group, {}, synthetic_data(), {8, 1});
  EXPECT_TRUE(out[1].diverged);
  EXPECT_EQ(out[1].steps, 1);
  EXPECT_TRUE(std::isnan(out[1].metrics.at("final_train_loss")));
  for (const int i : {0, 2}) {
    EXPECT_FALSE(out[i].diverged) << i;
    EXPECT_EQ(out[i].steps, 25) << i;
    EXPECT_TRUE(std::isfinite(out[i].metrics.at("final_train_loss"))) << i;
  }
}

TEST(ClassifierEnsembleProbe, FindsGroupsExactOnThisBuild) {
  // When this fails the executor trains every run alone (correct, only slower).
  EXPECT_TRUE(classifier_ensemble_is_exact());
}

TEST(TrainingBytes, RecoversIdxBytesExactlyAndRefusesOtherImages) {
  const torch::Tensor bytes = training_bytes(synthetic_data());
  ASSERT_TRUE(bytes.defined());
  EXPECT_EQ(bytes.scalar_type(), torch::kUInt8);
  EXPECT_TRUE(torch::equal(bytes.to(torch::kFloat32).div_(255.0), synthetic_data().train_x));
  at::Generator g = env::cpu_generator(1);
  ClassifierData other = synthetic_data();
  other.train_x = torch::rand({10, 784}, g);  // not bytes / 255
  EXPECT_FALSE(training_bytes(other).defined());
}

TEST(ClassifierGroupKey, GroupsAdamFfnsOnTheCpuByEverythingButTheLearningRate) {
  RunConfig a;
  a.model = {"ffn-relu", {{"hidden", 8}}};
  a.task = {"image-classification", {{"dataset", "mnist"}}};
  a.training.epochs = 1;
  RunConfig b = a;
  b.training.lr = 0.1;
  b.data_seed = 9;
  b.init_seed = 10;
  EXPECT_FALSE(classifier_group_key(a, torch::kCPU).empty());
  EXPECT_EQ(classifier_group_key(a, torch::kCPU), classifier_group_key(b, torch::kCPU));
  b.training.batch = 8;
  EXPECT_NE(classifier_group_key(a, torch::kCPU), classifier_group_key(b, torch::kCPU));
  EXPECT_EQ(classifier_group_key(a, torch::Device(torch::kCUDA)), "") << "CUDA trains alone";
  RunConfig sgd = a;
  sgd.training.optimizer = {"sgdm", nlohmann::json::object()};
  EXPECT_EQ(classifier_group_key(sgd, torch::kCPU), "");
  RunConfig other = a;
  other.model.type = "test-ffn-dropout";
  EXPECT_EQ(classifier_group_key(other, torch::kCPU), "") << "no batched variant";
}

}  // namespace
}  // namespace claimcheck::train
