// The char-level corpus: Tiny Shakespeare's split and vocabulary, encode/decode, seeded batches
// and the fixed evaluation set.
#include "harness/data/text_corpus.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "harness/env/data_dir.h"

namespace claimcheck::data {
namespace {

const TextCorpus& shakespeare() {
  static const TextCorpus kCorpus = TextCorpus::from_file(env::require_dataset("tinyshakespeare"));
  return kCorpus;
}

TEST(TinyShakespeare, SplitAndVocabulary) {
  const TextCorpus& c = shakespeare();
  EXPECT_EQ(c.tokens(TextSplit::kTrain).size(0), 1003854);  // floor(0.9 * 1,115,394)
  EXPECT_EQ(c.tokens(TextSplit::kValidation).size(0), 111540);
  EXPECT_EQ(c.vocab_size(), 65);
  EXPECT_EQ(c.vocab().front(), '\n');  // sorted: newline, space, punctuation, digits, letters
  EXPECT_EQ(c.vocab()[1], ' ');
  EXPECT_EQ(c.vocab().back(), 'z');
}

TEST(TinyShakespeare, EncodeDecodeRoundTrip) {
  const TextCorpus& c = shakespeare();
  const std::string text = "First Citizen:\nBefore we proceed any further, hear me speak.";
  EXPECT_EQ(c.decode(c.encode(text)), text);
  const auto head = c.tokens(TextSplit::kTrain).slice(0, 0, 14);
  std::vector<std::int64_t> ids(head.data_ptr<std::int64_t>(), head.data_ptr<std::int64_t>() + 14);
  EXPECT_EQ(c.decode(ids), "First Citizen:");
  EXPECT_THROW(c.encode("caf\xc3\xa9"), std::invalid_argument);
  EXPECT_THROW(c.decode({65}), std::invalid_argument);
}

TEST(TextCorpus, VocabularyIsSortedDistinctBytes) {
  const TextCorpus c(std::string(600, 'b') + std::string(500, 'a') + "c\n", 0.9);
  EXPECT_EQ(c.vocab(), "\nabc");
  EXPECT_EQ(c.tokens(TextSplit::kTrain).size(0) + c.tokens(TextSplit::kValidation).size(0), 1102);
  EXPECT_THROW(TextCorpus("abc", 1.0), std::invalid_argument);
}

TEST(TextCorpus, BatchesAreShiftedAndSeeded) {
  const TextCorpus& c = shakespeare();
  stats::Rng rng_a(42);
  stats::Rng rng_b(42);
  stats::Rng rng_c(43);
  const TextBatch a = c.sample_batch(TextSplit::kTrain, 8, 32, rng_a);
  const TextBatch b = c.sample_batch(TextSplit::kTrain, 8, 32, rng_b);
  const TextBatch other = c.sample_batch(TextSplit::kTrain, 8, 32, rng_c);
  EXPECT_EQ(a.inputs.sizes(), (std::vector<std::int64_t>{8, 32}));
  EXPECT_TRUE(torch::equal(a.inputs, b.inputs));  // same seed, same batch
  EXPECT_FALSE(torch::equal(a.inputs, other.inputs));
  // Targets are the inputs shifted by one character.
  EXPECT_TRUE(torch::equal(a.inputs.slice(1, 1, 32), a.targets.slice(1, 0, 31)));
}

TEST(TextCorpus, EvaluationSetIsFixedAndCoversTheSplit) {
  const TextCorpus& c = shakespeare();
  const auto starts = c.evaluation_starts(TextSplit::kValidation, 100, 128);
  EXPECT_EQ(starts, c.evaluation_starts(TextSplit::kValidation, 100, 128));
  EXPECT_EQ(starts.front(), 0);
  EXPECT_EQ(starts.back(), 111540 - 128 - 1);
  EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
  const TextBatch eval = c.batch_at(TextSplit::kValidation, starts, 128);
  EXPECT_EQ(eval.targets.sizes(), (std::vector<std::int64_t>{100, 128}));
  EXPECT_THROW(c.batch_at(TextSplit::kValidation, {111540 - 128}, 128), std::invalid_argument);
}

}  // namespace
}  // namespace claimcheck::data
