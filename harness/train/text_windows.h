// A text split on the training device for char-lm's step: the tokens are uploaded once per run,
// and a step's windows are gathered there from window starts drawn on the host. The starts come
// from the run's own stats::Rng (TextCorpus::sample_starts), so the data order is the same on
// every device; only the B starts cross to the device, as one non-blocking copy from pinned
// memory on CUDA, so a step makes no synchronous host-to-device copy (DESIGN.md, GPU rules).
// On the CPU the windows equal TextCorpus::batch_at's, element for element.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "harness/data/text_corpus.h"

namespace claimcheck::train {

/// One split's tokens on a device, with `context`-character windows gathered there.
class TextWindows {
 public:
  /// Copies `split` of `corpus` to `device` (no copy on the CPU); throws std::invalid_argument
  /// when a window of `context` + 1 characters does not fit in the split.
  TextWindows(const data::TextCorpus& corpus, data::TextSplit split, std::int64_t context,
              torch::Device device);

  /// The windows at `starts` on the device: inputs tokens[s, s + context), targets shifted by
  /// one, both (B, context) int64 contiguous. Throws std::invalid_argument for a start outside
  /// [0, split size - context - 1] (checked on the host, before anything is queued).
  data::TextBatch at(const std::vector<std::int64_t>& starts) const;

 private:
  torch::Device device_;
  std::int64_t context_;
  std::int64_t last_start_;
  torch::Tensor tokens_;   // (N) int64, on device_
  torch::Tensor offsets_;  // (1, context) int64 0 .. context - 1, on device_
};

}  // namespace claimcheck::train
