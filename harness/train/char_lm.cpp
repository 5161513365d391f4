#include "harness/train/char_lm.h"

#include <torch/torch.h>

#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "harness/env/data_dir.h"
#include "harness/stats/rng.h"
#include "harness/train/divergence.h"
#include "harness/train/text_windows.h"

namespace claimcheck::train {
namespace {

constexpr std::int64_t kEvalChunk = 64;  // windows per evaluation forward

// The task's text: a known data set, or any text file.
struct TextSource {
  std::string dataset;
  std::string path;
};

TextSource text_source(const TaskSpec& task) {
  return {task_string(task, "dataset"), task_string(task, "path")};
}

std::filesystem::path corpus_file(const TextSource& text) {
  return text.path.empty() ? env::require_dataset(text.dataset) : std::filesystem::path(text.path);
}

// Distinct bytes of a text file (the vocabulary size a corpus built from it will have).
std::int64_t scan_vocab_size(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument("path: cannot read '" + file.string() + "'");
  std::array<bool, 256> seen{};
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i)
      seen[static_cast<unsigned char>(buffer[i])] = true;
  }
  std::int64_t n = 0;
  for (bool s : seen)
    n += s ? 1 : 0;
  return n;
}

std::shared_ptr<const data::TextCorpus> load_corpus(const TaskSpec& spec, DataCache& cache) {
  const TextSource task = text_source(spec);
  const std::filesystem::path file = corpus_file(task);
  return cache.get<data::TextCorpus>("text:" + file.string(), [&] {
    data::TextCorpus corpus = data::TextCorpus::from_file(file);
    const std::int64_t expected = known_vocab_size(task.dataset);
    if (task.path.empty() && corpus.vocab_size() != expected) {
      throw std::runtime_error(file.string() + ": " + std::to_string(corpus.vocab_size()) +
                               " distinct characters, expected " + std::to_string(expected) +
                               " for " + task.dataset +
                               "; re-run `bash ci/setup.sh` to restore it");
    }
    return corpus;
  });
}

class CharLm final : public Task {
 public:
  std::string name() const override { return "char-lm"; }

  std::vector<MetricInfo> metrics() const override {
    return {{"val_bpb", "bits/byte", 0.0},
            {"val_loss", "nats/char", 0.0},
            {"val_accuracy", "fraction", 0.0, 1.0},
            {"final_train_loss", "nats/char", 0.0}};
  }

  models::ModelFamily model_family() const override { return models::ModelFamily::kLanguageModel; }

  std::vector<std::string> option_keys() const override { return {"dataset", "path"}; }

  void validate_task(const TaskSpec& spec) const override {
    const TextSource task = text_source(spec);
    if (task.path.empty() == task.dataset.empty()) {
      throw std::invalid_argument(
          "dataset: give either a known text data set (tinyshakespeare) or a path to a text "
          "file, not both");
    }
    if (!task.dataset.empty() && known_vocab_size(task.dataset) == 0) {
      throw std::invalid_argument("dataset: '" + task.dataset +
                                  "' is not a text data set (valid: tinyshakespeare; or give "
                                  "\"path\")");
    }
    if (!task.path.empty()) {
      // The file is read at validation (its vocabulary sizes the models), so check it here,
      // where the error can name task.path rather than the first arm.
      std::error_code ec;
      const std::filesystem::path file(task.path);
      if (!std::filesystem::is_regular_file(file, ec)) {
        throw std::invalid_argument(
            "path: '" + task.path + "' " +
            (std::filesystem::exists(file, ec) ? "is not a regular file (a directory?)"
                                               : "does not exist") +
            "; give a text file (relative paths are taken from the working directory)");
      }
      const auto size = std::filesystem::file_size(file, ec);
      if (ec || size < data::kMinCorpusBytes) {
        throw std::invalid_argument(
            "path: '" + task.path + "' " +
            (ec ? "cannot be read (" + ec.message() + ")"
                : "has only " + std::to_string(size) + " bytes") +
            "; a char-lm corpus needs at least 1,000 characters to train and evaluate on");
      }
    }
  }

  void validate_training(const TrainingSpec& training) const override {
    if (training.steps < 1 || training.epochs != 0) {
      throw std::invalid_argument(
          "steps: char-lm trains for a fixed number of steps (>= 1); "
          "epochs is not used");
    }
    if (training.context < 1) {
      throw std::invalid_argument("context: char-lm needs context >= 1 (characters per window)");
    }
    if (training.eval_windows < 1) {
      throw std::invalid_argument(
          "eval_windows: char-lm needs eval_windows >= 1 (fixed validation windows)");
    }
    if (training.predictions > training.eval_windows) {
      throw std::invalid_argument("predictions: " + std::to_string(training.predictions) +
                                  " exceeds eval_windows (" +
                                  std::to_string(training.eval_windows) +
                                  "); predictions are kept for the first K evaluation windows");
    }
  }

  models::ModelDims dims(const TaskSpec& spec, const TrainingSpec& training) const override {
    const TextSource task = text_source(spec);
    models::ModelDims d;
    d.vocab = task.path.empty() ? known_vocab_size(task.dataset) : scan_vocab_size(task.path);
    d.context = training.context;
    return d;
  }

  RunOutput run(const RunConfig& config, RunContext& context) const override {
    const auto corpus = load_corpus(config.task, *context.cache);
    const auto model = models::make_model(config.model.type, config.model.options,
                                          dims(config.task, config.training), context.init);
    model->to(context.device);
    model->set_generator(context.noise);
    const auto optimizer = optim::make_optimizer(config.training.optimizer, config.training.lr,
                                                 model->parameter_groups(), context.init);
    const TrainingSpec& t = config.training;
    LmLoop loop;
    loop.steps = t.steps;
    loop.batch = t.batch;
    loop.context = t.context;
    loop.eval_windows = t.eval_windows;
    loop.predictions = t.predictions;
    loop.stop = context.stop;
    RunOutput out = train_lm(*model, *optimizer, *corpus, loop, config.data_seed, context.device);
    out.parameters = models::parameter_count(*model);
    return out;
  }
};

}  // namespace

std::int64_t known_vocab_size(const std::string& dataset) {
  return dataset == "tinyshakespeare" ? 65 : 0;  // DESIGN.md, Data: 65 distinct characters
}

LmEvaluation evaluate_lm(models::Model& model, const data::TextCorpus& corpus, const LmLoop& loop,
                         torch::Device device) {
  torch::NoGradGuard no_grad;
  model.eval();
  const std::vector<std::int64_t> starts =
      corpus.evaluation_starts(data::TextSplit::kValidation, loop.eval_windows, loop.context);
  double loss_sum = 0.0;
  std::int64_t correct = 0;
  LmEvaluation e;
  std::vector<torch::Tensor> kept_probs, kept_labels, kept_inputs;
  for (std::size_t first = 0; first < starts.size(); first += kEvalChunk) {
    const std::vector<std::int64_t> chunk(
        starts.begin() + static_cast<std::ptrdiff_t>(first),
        starts.begin() + static_cast<std::ptrdiff_t>(std::min(first + kEvalChunk, starts.size())));
    const data::TextBatch b = corpus.batch_at(data::TextSplit::kValidation, chunk, loop.context);
    const torch::Tensor logits = model.forward(b.inputs.to(device));   // (B, T, V)
    const torch::Tensor targets = b.targets.to(device).reshape({-1});  // (B·T)
    const torch::Tensor flat = logits.reshape({-1, logits.size(-1)}).to(torch::kFloat64);
    loss_sum +=
        torch::nn::functional::cross_entropy(
            flat, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
            .item<double>();
    correct += flat.argmax(1).eq(targets).sum().item<std::int64_t>();
    e.positions += targets.size(0);
    const auto keep = std::min<std::int64_t>(loop.predictions - static_cast<std::int64_t>(first),
                                             static_cast<std::int64_t>(chunk.size()));
    if (keep > 0) {
      // The last position of each window: a full-context prediction, (keep, V).
      kept_probs.push_back(
          torch::softmax(logits.narrow(0, 0, keep).select(1, -1).to(torch::kFloat32), -1).cpu());
      kept_labels.push_back(b.targets.narrow(0, 0, keep).select(1, -1));
      kept_inputs.push_back(b.inputs.narrow(0, 0, keep));
    }
  }
  if (!kept_probs.empty()) {
    const torch::Tensor labels = torch::cat(kept_labels);
    e.predictions = Predictions{torch::cat(kept_probs), labels,
                                evaluation_hash(torch::cat(kept_inputs), labels)};
  }
  e.loss = loss_sum / static_cast<double>(e.positions);
  e.accuracy = static_cast<double>(correct) / static_cast<double>(e.positions);
  return e;
}

RunOutput train_lm(models::Model& model, optim::Optimizer& optimizer,
                   const data::TextCorpus& corpus, const LmLoop& loop, std::uint64_t data_seed,
                   torch::Device device) {
  stats::Rng rng(data_seed);
  DivergenceWatch watch(device);
  // The training split on the device once; each step's starts drawn here, windows gathered there.
  const TextWindows train(corpus, data::TextSplit::kTrain, loop.context, device);
  RunOutput out;
  torch::Tensor last_loss;
  model.train();
  for (std::int64_t step = 0; step < loop.steps; ++step) {
    check_stop(loop.stop);
    const data::TextBatch b =
        train.at(corpus.sample_starts(data::TextSplit::kTrain, loop.batch, loop.context, rng));
    const torch::Tensor logits = model.forward(b.inputs);  // (B, T, V)
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        logits.reshape({-1, logits.size(-1)}), b.targets.reshape({-1}));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step(loss);
    ++out.steps;
    last_loss = loss.detach();
    if (watch.diverged(last_loss, step, step + 1 == loop.steps)) {
      out.diverged = true;
      break;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double final_train_loss = last_loss.item<double>();
  const LmEvaluation e = evaluate_lm(model, corpus, loop, device);
  const bool finite = std::isfinite(e.loss);
  out.predictions = e.predictions;
  out.metrics = {{"val_loss", finite ? e.loss : nan},
                 {"val_bpb", finite ? e.loss / std::log(2.0) : nan},
                 {"val_accuracy", e.accuracy},
                 {"final_train_loss", std::isfinite(final_train_loss) ? final_train_loss : nan}};
  return out;
}

std::unique_ptr<Task> make_char_lm_task() {
  return std::make_unique<CharLm>();
}

}  // namespace claimcheck::train
