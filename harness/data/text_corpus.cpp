#include "harness/data/text_corpus.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace claimcheck::data {

TextCorpus::TextCorpus(std::string text, double train_fraction) {
  if (!(train_fraction > 0.0 && train_fraction < 1.0)) {
    throw std::invalid_argument("train_fraction must be in (0, 1), got " +
                                std::to_string(train_fraction));
  }
  std::array<bool, 256> seen{};
  for (const char c : text)
    seen[static_cast<std::uint8_t>(c)] = true;
  index_.fill(-1);
  for (int b = 0; b < 256; ++b) {
    if (seen[b]) {
      index_[b] = static_cast<std::int16_t>(vocab_.size());
      vocab_.push_back(static_cast<char>(b));
    }
  }
  std::vector<std::int64_t> ids = encode(text);
  const auto n = static_cast<std::int64_t>(ids.size());
  const auto n_train = static_cast<std::int64_t>(static_cast<double>(n) * train_fraction);
  torch::Tensor all = torch::tensor(ids, torch::kInt64);
  train_ = all.slice(0, 0, n_train).clone();
  validation_ = all.slice(0, n_train, n).clone();
}

TextCorpus TextCorpus::from_file(const std::filesystem::path& file, double train_fraction) {
  if (std::filesystem::is_directory(file)) {
    // It opens as a stream and reads as empty: say what it is instead of "only 0 bytes".
    throw std::runtime_error(file.string() +
                             ": is a directory, not a text corpus; give a text file (or run "
                             "`bash ci/setup.sh` for tinyshakespeare/input.txt)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error(file.string() +
                             ": cannot open text corpus; run `bash ci/setup.sh` or give a "
                             "readable text file");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() < kMinCorpusBytes) {
    throw std::runtime_error(file.string() + ": only " + std::to_string(text.size()) +
                             " bytes; a corpus needs at least 1,000 characters (re-run `bash "
                             "ci/setup.sh` to restore a data set, or give a longer text file)");
  }
  return TextCorpus(std::move(text), train_fraction);
}

std::vector<std::int64_t> TextCorpus::encode(const std::string& text) const {
  std::vector<std::int64_t> ids;
  ids.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::int16_t id = index_[static_cast<std::uint8_t>(text[i])];
    if (id < 0) {
      throw std::invalid_argument("encode: byte " +
                                  std::to_string(static_cast<std::uint8_t>(text[i])) +
                                  " at offset " + std::to_string(i) + " is not in the vocabulary");
    }
    ids.push_back(id);
  }
  return ids;
}

std::string TextCorpus::decode(const std::vector<std::int64_t>& ids) const {
  std::string text;
  text.reserve(ids.size());
  for (const std::int64_t id : ids) {
    if (id < 0 || id >= vocab_size()) {
      throw std::invalid_argument("decode: token id " + std::to_string(id) + " outside [0, " +
                                  std::to_string(vocab_size()) + ")");
    }
    text.push_back(vocab_[static_cast<std::size_t>(id)]);
  }
  return text;
}

const torch::Tensor& TextCorpus::tokens(TextSplit split) const {
  return split == TextSplit::kTrain ? train_ : validation_;
}

TextBatch TextCorpus::batch_at(TextSplit split, const std::vector<std::int64_t>& starts,
                               std::int64_t context) const {
  const torch::Tensor& data = tokens(split);
  const std::int64_t limit = data.size(0) - context - 1;
  if (context < 1 || limit < 0) {
    throw std::invalid_argument("context " + std::to_string(context) +
                                " does not fit in a split of " + std::to_string(data.size(0)) +
                                " characters");
  }
  std::vector<torch::Tensor> inputs;
  std::vector<torch::Tensor> targets;
  inputs.reserve(starts.size());
  targets.reserve(starts.size());
  for (const std::int64_t s : starts) {
    if (s < 0 || s > limit) {
      throw std::invalid_argument("window start " + std::to_string(s) + " outside [0, " +
                                  std::to_string(limit) + "]");
    }
    inputs.push_back(data.slice(0, s, s + context));
    targets.push_back(data.slice(0, s + 1, s + context + 1));
  }
  return {torch::stack(inputs), torch::stack(targets)};
}

std::vector<std::int64_t> TextCorpus::sample_starts(TextSplit split, std::int64_t batch,
                                                    std::int64_t context, stats::Rng& rng) const {
  const std::int64_t n_starts = tokens(split).size(0) - context;  // starts in [0, n - context - 1]
  if (batch < 1 || n_starts < 1) {
    throw std::invalid_argument("sample_batch: batch " + std::to_string(batch) + " with context " +
                                std::to_string(context) + " does not fit the split");
  }
  std::vector<std::int64_t> starts(static_cast<std::size_t>(batch));
  for (auto& s : starts)
    s = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(n_starts)));
  return starts;
}

TextBatch TextCorpus::sample_batch(TextSplit split, std::int64_t batch, std::int64_t context,
                                   stats::Rng& rng) const {
  return batch_at(split, sample_starts(split, batch, context, rng), context);
}

std::vector<std::int64_t> TextCorpus::evaluation_starts(TextSplit split, std::int64_t count,
                                                        std::int64_t context) const {
  const std::int64_t last = tokens(split).size(0) - context - 1;
  if (count < 1 || last < 0) {
    throw std::invalid_argument("evaluation_starts: " + std::to_string(count) +
                                " windows of context " + std::to_string(context) +
                                " do not fit the split");
  }
  std::vector<std::int64_t> starts(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    // Evenly spaced, first at 0 and (for count > 1) last at `last`; integer arithmetic only.
    starts[static_cast<std::size_t>(i)] = count == 1 ? 0 : i * last / (count - 1);
  }
  return starts;
}

}  // namespace claimcheck::data
