#include "harness/train/image_classification.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "harness/data/idx.h"
#include "harness/env/data_dir.h"
#include "harness/stats/rng.h"
#include "harness/train/divergence.h"
#include "harness/train/ensemble/classifier.h"
#include "harness/train/optim/torch_adam.h"

namespace claimcheck::train {
namespace {

// The data set through the process's cache, keyed by its directory (CLAIMCHECK_DATA may differ
// between executions of one process) and device.
std::shared_ptr<const ClassifierData> cached_data(const std::string& dataset,
                                                  const RunContext& context) {
  return context.cache->get<ClassifierData>(
      "idx:" + env::require_dataset(dataset).string() + ":" + context.device.str(),
      [&] { return load_classifier_data(dataset, context.device); });
}

class ImageClassification final : public Task {
 public:
  std::string name() const override { return "image-classification"; }

  std::vector<MetricInfo> metrics() const override {
    return {{"test_accuracy", "fraction", 0.0, 1.0},
            {"test_loss", "nats"},
            {"final_train_loss", "nats"}};
  }

  models::ModelFamily model_family() const override { return models::ModelFamily::kClassifier; }

  std::vector<std::string> option_keys() const override { return {"dataset", "path"}; }

  void validate_task(const TaskSpec& task) const override {
    const std::string dataset = task_string(task, "dataset");
    if (dataset != "mnist" && dataset != "fashion-mnist") {
      throw std::invalid_argument("dataset: '" + dataset +
                                  "' is not an image data set (valid: mnist, fashion-mnist)");
    }
    if (task.options.contains("path")) {
      throw std::invalid_argument("path: image-classification reads a named data set; remove it");
    }
  }

  void validate_training(const TrainingSpec& training) const override {
    if ((training.epochs > 0) == (training.steps > 0)) {
      throw std::invalid_argument("epochs: give exactly one budget, epochs or steps (>= 1)");
    }
    if (training.predictions != 0) {
      throw std::invalid_argument(
          "predictions: image-classification does not keep predictions yet (char-lm does)");
    }
    if (training.context != 0 || training.eval_windows != 0) {
      throw std::invalid_argument(
          "context: context and eval_windows are char-lm keys; image-classification evaluates "
          "on the whole test set");
    }
  }

  models::ModelDims dims(const TaskSpec&, const TrainingSpec&) const override {
    return {/*inputs=*/28 * 28, /*classes=*/10};  // MNIST and Fashion-MNIST alike
  }

  RunOutput run(const RunConfig& config, RunContext& context) const override {
    const auto data = cached_data(task_string(config.task, "dataset"), context);
    const auto model = models::make_model(config.model.type, config.model.options,
                                          dims(config.task, config.training), context.init);
    model->to(context.device);
    model->set_generator(context.noise);
    const auto optimizer = optim::make_optimizer(config.training.optimizer, config.training.lr,
                                                 model->parameter_groups(), context.init);
    RunOutput out = train_classifier(
        *model, *optimizer, *data,
        {config.training.batch, config.training.epochs, config.training.steps, context.stop},
        config.data_seed);
    out.parameters = models::parameter_count(*model);
    return out;
  }

  std::string group_key(const RunConfig& config, torch::Device device) const override {
    return classifier_group_key(config, device);
  }

  std::vector<RunOutput> run_group(const std::vector<RunConfig>& configs,
                                   std::vector<RunContext>& contexts) const override {
    const RunConfig& first = configs.front();
    const std::string dataset = task_string(first.task, "dataset");
    const auto data = cached_data(dataset, contexts.front());
    std::vector<ClassifierMember> members;
    for (std::size_t i = 0; i < configs.size(); ++i) {
      // The standalone model, its weights drawn from the run's own generator as in run().
      members.push_back(
          {models::make_model(configs[i].model.type, configs[i].model.options,
                              dims(configs[i].task, configs[i].training), contexts[i].init),
           configs[i].training.lr, configs[i].data_seed});
    }
    // The images as bytes for the cheaper gather (train/ensemble/row_gather.h), once per process
    // and data set.
    const auto bytes = contexts.front().cache->get<torch::Tensor>(
        "idx-bytes:" + env::require_dataset(dataset).string(),
        [&] { return training_bytes(*data); });
    const std::int64_t parameters = models::parameter_count(*members.front().model);
    std::vector<RunOutput> out = train_classifier_group(
        first.model.type, std::move(members),
        optim::read_adam_options(first.training.optimizer.options), *data,
        {first.training.batch, first.training.epochs, first.training.steps, contexts.front().stop},
        *bytes);
    for (auto& o : out)
      o.parameters = parameters;
    return out;
  }
};

}  // namespace

torch::Tensor epoch_order(std::int64_t n, stats::Rng& rng) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (std::int64_t i = n - 1; i > 0; --i) {
    const auto j = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(i + 1)));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return torch::tensor(order, torch::kInt64);
}

ClassifierData load_classifier_data(const std::string& dataset, torch::Device device) {
  const auto dir = env::require_dataset(dataset);
  const data::MnistSplit train = data::load_mnist(dir, data::MnistPart::kTrain);
  const data::MnistSplit test = data::load_mnist(dir, data::MnistPart::kTest);
  auto flat = [&](const torch::Tensor& images) {
    return images.reshape({images.size(0), -1}).to(device);  // (N, rows·cols)
  };
  return {flat(train.images), train.labels.to(device), flat(test.images), test.labels.to(device)};
}

RunOutput train_classifier(models::Model& model, optim::Optimizer& optimizer,
                           const ClassifierData& data, const ClassifierLoop& loop,
                           std::uint64_t data_seed) {
  if (loop.batch < 1 || (loop.epochs < 1 && loop.steps < 1)) {
    throw std::invalid_argument("image-classification: batch and the budget must be >= 1");
  }
  stats::Rng rng(data_seed);
  const std::int64_t n = data.train_x.size(0);
  const torch::Device device = data.train_x.device();
  const std::int64_t steps_per_epoch = (n + loop.batch - 1) / loop.batch;
  const std::int64_t total_steps = loop.steps > 0 ? loop.steps : loop.epochs * steps_per_epoch;
  DivergenceWatch watch(device);
  RunOutput out;
  torch::Tensor last_loss;

  model.train();
  torch::Tensor order;
  for (std::int64_t step = 0; step < total_steps; ++step) {
    check_stop(loop.stop);
    const std::int64_t start = (step % steps_per_epoch) * loop.batch;
    if (start == 0) order = epoch_order(n, rng).to(device);
    const torch::Tensor idx = order.slice(0, start, std::min(start + loop.batch, n));
    const torch::Tensor logits = model.forward(data.train_x.index_select(0, idx));  // (B, 10)
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits, data.train_y.index_select(0, idx));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step(loss);
    ++out.steps;
    last_loss = loss.detach();
    if (watch.diverged(last_loss, step, step + 1 == total_steps)) {
      out.diverged = true;  // NaN stays NaN: training on is wasted time
      break;
    }
  }
  out.metrics = classifier_metrics(model, data, last_loss.item<double>());
  return out;
}

std::map<std::string, double> classifier_metrics(models::Model& model, const ClassifierData& data,
                                                 double final_train_loss) {
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Tensor logits = model.forward(data.test_x);  // (N_test, 10)
  const double test_loss = torch::nn::functional::cross_entropy(logits, data.test_y).item<double>();
  const double accuracy =
      logits.argmax(1).eq(data.test_y).to(torch::kFloat64).mean().item<double>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {{"test_accuracy", accuracy},
          {"test_loss", std::isfinite(test_loss) ? test_loss : nan},
          {"final_train_loss", std::isfinite(final_train_loss) ? final_train_loss : nan}};
}

std::unique_ptr<Task> make_image_classification_task() {
  return std::make_unique<ImageClassification>();
}

}  // namespace claimcheck::train
