// The "char-lm" task (claims 2-4): a character-level language model on Tiny Shakespeare (or any
// text file), byte vocabulary, first 90% train / last 10% validation. Training draws `batch`
// windows of `context` characters at random starts from the run's data seed for `steps` steps;
// evaluation runs the model on one fixed set of `eval_windows` validation windows, the same for
// every run, and scores every position of every window.
//
// Metrics: val_loss (mean cross-entropy, nats/char), val_bpb (val_loss / ln 2: the corpus is
// read as bytes, one byte per token, so bits per token are bits per byte; CLAIMS.md §2's val_bpb
// with bytes = chars), val_accuracy (top-1 next-character accuracy), final_train_loss (the last
// step's training loss, nats/char). With `predictions` = K > 0 the run also keeps the predicted
// next-character distribution at the last position of each of the first K evaluation windows
// (full context), for prediction difference across runs.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "harness/data/text_corpus.h"
#include "harness/train/optim/optimizer.h"
#include "harness/train/task.h"
#include "models/model.h"

namespace claimcheck::train {

/// The size of one char-lm run.
struct LmLoop {
  std::int64_t steps = 1;
  std::int64_t batch = 16;
  std::int64_t context = 64;
  std::int64_t eval_windows = 64;
  std::int64_t predictions = 0;  // keep the last-position distribution of the first K windows
  const std::atomic<bool>* stop = nullptr;  // checked every step (throws Interrupted)
};

/// What evaluation on the fixed windows measured.
struct LmEvaluation {
  double loss = 0.0;      // mean cross-entropy over every scored position, nats
  double accuracy = 0.0;  // top-1 accuracy over the same positions
  std::int64_t positions = 0;
  std::optional<Predictions> predictions;  // when loop.predictions > 0
};

/// Scores `model` on the fixed validation windows (eval mode, no grad), in chunks.
LmEvaluation evaluate_lm(models::Model& model, const data::TextCorpus& corpus, const LmLoop& loop,
                         torch::Device device);

/// Trains `model` (on `device`) with `optimizer`, then evaluates it.
RunOutput train_lm(models::Model& model, optim::Optimizer& optimizer,
                   const data::TextCorpus& corpus, const LmLoop& loop, std::uint64_t data_seed,
                   torch::Device device);

/// The vocabulary size of a known text data set (65 for tinyshakespeare); 0 when unknown.
std::int64_t known_vocab_size(const std::string& dataset);

/// The task for the registry.
std::unique_ptr<Task> make_char_lm_task();

}  // namespace claimcheck::train
