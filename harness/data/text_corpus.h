// A character-level text corpus (Tiny Shakespeare or any text file): vocabulary, encode/decode,
// a 90/10 train/validation split, seeded batches and a fixed evaluation set. Bytes are the unit
// (Tiny Shakespeare is ASCII), so bits-per-byte equals bits-per-character here.
#pragma once

#include <torch/types.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/stats/rng.h"

namespace claimcheck::data {

/// Which part of the corpus.
enum class TextSplit { kTrain, kValidation };

/// Inputs and next-character targets, both int64 of shape (B, T).
struct TextBatch {
  torch::Tensor inputs;
  torch::Tensor targets;
};

/// An in-memory character corpus; the vocabulary is the sorted set of its bytes.
/// The shortest corpus from_file accepts (bytes).
constexpr std::uintmax_t kMinCorpusBytes = 1000;

class TextCorpus {
 public:
  /// Builds from text; `train_fraction` of the characters (rounded down) go to training, the
  /// rest (the end of the text) to validation.
  explicit TextCorpus(std::string text, double train_fraction = 0.9);

  /// Reads a text file; throws std::runtime_error naming it when unreadable or too short.
  static TextCorpus from_file(const std::filesystem::path& file, double train_fraction = 0.9);

  /// The sorted distinct characters; a token id is an index into this string.
  const std::string& vocab() const { return vocab_; }
  /// Number of distinct characters.
  std::int64_t vocab_size() const { return static_cast<std::int64_t>(vocab_.size()); }
  /// Token ids of `text`; throws std::invalid_argument on a character outside the vocabulary.
  std::vector<std::int64_t> encode(const std::string& text) const;
  /// Characters of token ids; throws std::invalid_argument on an id outside [0, vocab_size).
  std::string decode(const std::vector<std::int64_t>& ids) const;
  /// The encoded split as an int64 tensor (shared storage, do not modify).
  const torch::Tensor& tokens(TextSplit split) const;

  /// `batch` uniformly random window starts in [0, split size - context - 1] drawn from `rng`
  /// (the draws sample_batch makes), for gathering the windows elsewhere (on a device).
  std::vector<std::int64_t> sample_starts(TextSplit split, std::int64_t batch, std::int64_t context,
                                          stats::Rng& rng) const;
  /// `batch` windows of `context` characters at uniformly random starts drawn from `rng`.
  TextBatch sample_batch(TextSplit split, std::int64_t batch, std::int64_t context,
                         stats::Rng& rng) const;
  /// The windows starting at `starts` (each start + context + 1 must fit in the split).
  TextBatch batch_at(TextSplit split, const std::vector<std::int64_t>& starts,
                     std::int64_t context) const;
  /// A fixed evaluation set: `count` window starts evenly spaced over the split, the same for
  /// every model and every seed (no randomness, so it cannot differ between compared models).
  std::vector<std::int64_t> evaluation_starts(TextSplit split, std::int64_t count,
                                              std::int64_t context) const;

 private:
  std::string vocab_;
  std::array<std::int16_t, 256> index_{};  // byte -> token id, -1 where absent
  torch::Tensor train_;
  torch::Tensor validation_;
};

}  // namespace claimcheck::data
