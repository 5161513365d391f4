// The char-lm task: validation of its keys, and its loop and evaluation with test-only models
// whose answers are known: a model with zero logits has val_loss = ln V exactly (val_bpb =
// log2 V) and predicts token 0 everywhere; a bigram model trained for a few steps beats it and
// reproduces bit for bit from its seeds, and equals the host-batch loop (TextCorpus::sample_batch
// then .to(device)) that train_lm's device-side gather (TextWindows) replaced.
#include "harness/train/char_lm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "harness/env/data_dir.h"
#include "harness/env/generator.h"
#include "harness/train/task.h"
#include "harness/train/text_windows.h"
#include "tests/claims/claims_test_support.h"

#ifdef CLAIMCHECK_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace claimcheck::train {
namespace {

// A bigram model: logits(t) = table[token t]; zero-initialised, so at step 0 it is uniform.
struct BigramImpl : models::Model {
  explicit BigramImpl(std::int64_t vocab) {
    table = register_parameter("table", torch::zeros({vocab, vocab}));
  }
  torch::Tensor forward(const torch::Tensor& x) override {
    return table.index_select(0, x.reshape({-1})).reshape({x.size(0), x.size(1), -1});  // (B,T,V)
  }
  torch::Tensor table;
};

// A 2,000-character corpus with a fixed pattern (no data set needed).
data::TextCorpus pattern_corpus() {
  std::string text;
  for (int i = 0; text.size() < 2000; ++i)
    text += "abcab\n"[i % 6];
  return data::TextCorpus(text);
}

TEST(EvaluateLm, ZeroLogitsGiveLnVAndPredictTokenZero) {
  const data::TextCorpus corpus = pattern_corpus();
  BigramImpl model(corpus.vocab_size());
  const LmLoop loop{/*steps=*/1, /*batch=*/4, /*context=*/16, /*eval_windows=*/5};
  const LmEvaluation e = evaluate_lm(model, corpus, loop, torch::kCPU);
  EXPECT_EQ(e.positions, 5 * 16);
  EXPECT_NEAR(e.loss, std::log(static_cast<double>(corpus.vocab_size())), 1e-12);
  // argmax of equal logits is token 0 ('\n', the smallest byte): accuracy is its frequency
  // among the scored targets, counted here independently.
  const auto starts = corpus.evaluation_starts(data::TextSplit::kValidation, 5, 16);
  const data::TextBatch b = corpus.batch_at(data::TextSplit::kValidation, starts, 16);
  const double zeros = b.targets.eq(0).sum().item<double>();
  EXPECT_DOUBLE_EQ(e.accuracy, zeros / 80.0);
}

TEST(TrainLm, LearnsTheBigramsAndIsDeterministic) {
  const data::TextCorpus corpus = pattern_corpus();
  const LmLoop loop{/*steps=*/40, /*batch=*/8, /*context=*/16, /*eval_windows=*/8};
  auto run = [&](std::uint64_t data_seed) {
    BigramImpl model(corpus.vocab_size());
    at::Generator init = env::cpu_generator(1);
    auto opt = optim::make_optimizer({"adam", nlohmann::json::object()}, 0.1,
                                     model.parameter_groups(), init);
    return train_lm(model, *opt, corpus, loop, data_seed, torch::kCPU);
  };
  const RunOutput a = run(5);
  EXPECT_EQ(a.steps, 40);
  EXPECT_FALSE(a.diverged);
  EXPECT_LT(a.metrics.at("val_loss"), std::log(4.0) - 0.3) << "well below uniform over 4 chars";
  EXPECT_DOUBLE_EQ(a.metrics.at("val_bpb"), a.metrics.at("val_loss") / std::log(2.0));
  EXPECT_GT(a.metrics.at("val_accuracy"), 0.5);
  EXPECT_EQ(run(5).metrics, a.metrics) << "same seeds, same numbers";
  EXPECT_NE(run(6).metrics.at("final_train_loss"), a.metrics.at("final_train_loss"));
}

TEST(TrainLm, EqualsTheHostBatchLoopBitForBit) {
  // The loop as it was before the batches were gathered on the device: sample_batch on the host,
  // then each tensor copied to the device. Same seeds, so every metric and weight must be equal.
  const data::TextCorpus corpus = pattern_corpus();
  const LmLoop loop{/*steps=*/25, /*batch=*/8, /*context=*/16, /*eval_windows=*/8};
  auto make = [&](BigramImpl& model) {
    at::Generator init = env::cpu_generator(1);
    return optim::make_optimizer({"adam", nlohmann::json::object()}, 0.1, model.parameter_groups(),
                                 init);
  };
  BigramImpl model(corpus.vocab_size());
  const RunOutput out = train_lm(model, *make(model), corpus, loop, /*data_seed=*/9, torch::kCPU);

  BigramImpl reference(corpus.vocab_size());
  const auto optimizer = make(reference);
  stats::Rng rng(9);
  torch::Tensor loss;
  for (std::int64_t step = 0; step < loop.steps; ++step) {
    const data::TextBatch b =
        corpus.sample_batch(data::TextSplit::kTrain, loop.batch, loop.context, rng);
    const torch::Tensor logits = reference.forward(b.inputs.to(torch::kCPU));  // (B, T, V)
    loss = torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}),
                                                b.targets.to(torch::kCPU).reshape({-1}));
    optimizer->zero_grad();
    loss.backward();
    optimizer->step(loss);
  }
  const LmEvaluation e = evaluate_lm(reference, corpus, loop, torch::kCPU);
  EXPECT_EQ(out.steps, loop.steps);
  EXPECT_EQ(out.metrics.at("final_train_loss"), loss.item<double>());
  EXPECT_EQ(out.metrics.at("val_loss"), e.loss);
  EXPECT_EQ(out.metrics.at("val_accuracy"), e.accuracy);
  EXPECT_TRUE(torch::equal(model.table, reference.table));
}

TEST(TextWindows, EqualsBatchAtOnTheCpuAndChecksItsStarts) {
  const data::TextCorpus corpus = pattern_corpus();
  const std::int64_t n = corpus.tokens(data::TextSplit::kTrain).size(0);
  const std::vector<std::int64_t> starts = {0, 7, n - 17, 3, 3};  // first, last, a repeat
  const TextWindows windows(corpus, data::TextSplit::kTrain, /*context=*/16, torch::kCPU);
  const data::TextBatch got = windows.at(starts);
  const data::TextBatch want = corpus.batch_at(data::TextSplit::kTrain, starts, 16);
  EXPECT_EQ(got.inputs.sizes(), (std::vector<std::int64_t>{5, 16}));
  EXPECT_EQ(got.inputs.scalar_type(), torch::kInt64);
  EXPECT_TRUE(got.inputs.is_contiguous() && got.targets.is_contiguous());
  EXPECT_TRUE(torch::equal(got.inputs, want.inputs));
  EXPECT_TRUE(torch::equal(got.targets, want.targets));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { windows.at({n - 16}); }, {"window start " + std::to_string(n - 16) + " outside"}));
  EXPECT_THROW(windows.at({-1}), std::invalid_argument);
  EXPECT_THROW(TextWindows(corpus, data::TextSplit::kValidation, 1000, torch::kCPU),
               std::invalid_argument);
}

TEST(TextWindows, GathersOnCudaWithoutASynchronousCopy) {
#ifndef CLAIMCHECK_WITH_CUDA
  GTEST_SKIP() << "needs a CUDA build of LibTorch (ci/cuda-build.sh) and a CUDA device; the "
                  "CPU gather is tested above";
#else
  if (!torch::cuda::is_available()) GTEST_SKIP() << "needs a CUDA device; none is visible";
  const data::TextCorpus corpus = pattern_corpus();
  const std::vector<std::int64_t> starts = {0, 5, 100, 1700};
  const TextWindows windows(corpus, data::TextSplit::kTrain, /*context=*/16, torch::kCUDA);
  const data::TextBatch want = corpus.batch_at(data::TextSplit::kTrain, starts, 16);
  // A synchronising CUDA call (a blocking copy, a stream synchronisation) now throws.
  c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_ERROR);
  data::TextBatch got;
  bool threw = false;
  try {
    got = windows.at(starts);
  } catch (const std::exception& e) {
    threw = true;
    ADD_FAILURE() << "TextWindows::at synchronised with the host: " << e.what();
  }
  c10::cuda::warning_state().set_sync_debug_mode(c10::cuda::SyncDebugMode::L_DISABLED);
  if (threw) return;
  EXPECT_TRUE(got.inputs.is_cuda());
  EXPECT_TRUE(torch::equal(got.inputs.cpu(), want.inputs));
  EXPECT_TRUE(torch::equal(got.targets.cpu(), want.targets));
#endif
}

TEST(CharLmTask, ValidatesItsKeysNamingThem) {
  const Task& t = task("char-lm");
  EXPECT_EQ(metric_names(t),
            (std::vector<std::string>{"val_bpb", "val_loss", "val_accuracy", "final_train_loss"}));
  EXPECT_NO_THROW(t.validate_task({"char-lm", {{"dataset", "tinyshakespeare"}}}));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] {
        t.validate_task({"char-lm", {{"dataset", "mnist"}}});
      },
      {"dataset: 'mnist' is not a text data set"}));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] {
        t.validate_task({"char-lm", {{"dataset", "tinyshakespeare"}, {"path", "/tmp/x.txt"}}});
      },
      {"not both"}));
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] {
        t.validate_task({"char-lm", {{"dataset", 5}}});
      },
      {"dataset: must be a string, got 5"}));
  TrainingSpec training;
  training.epochs = 1;
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { t.validate_training(training); }, {"steps: char-lm trains for a fixed number"}));
  training.epochs = 0;
  training.steps = 10;
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { t.validate_training(training); }, {"context: char-lm needs context >= 1"}));
  training.context = 32;
  EXPECT_TRUE(claims::test::ThrowsWith<std::invalid_argument>(
      [&] { t.validate_training(training); }, {"eval_windows"}));
  training.eval_windows = 4;
  EXPECT_NO_THROW(t.validate_training(training));
  const models::ModelDims d = t.dims({"char-lm", {{"dataset", "tinyshakespeare"}}}, training);
  EXPECT_EQ(d.vocab, 65);
  EXPECT_EQ(d.context, 32);
}

TEST(CharLmTask, TinyShakespeareHasTheKnownVocabulary) {
  const env::DatasetStatus status = env::dataset_status("tinyshakespeare");
  if (!status.found) GTEST_SKIP() << "Tiny Shakespeare not installed (bash ci/setup.sh)";
  const data::TextCorpus corpus = data::TextCorpus::from_file(status.path);
  EXPECT_EQ(corpus.vocab_size(), known_vocab_size("tinyshakespeare"));
}

}  // namespace
}  // namespace claimcheck::train
