#include "harness/train/text_windows.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace claimcheck::train {

TextWindows::TextWindows(const data::TextCorpus& corpus, data::TextSplit split,
                         std::int64_t context, torch::Device device)
    : device_(device), context_(context) {
  const torch::Tensor& tokens = corpus.tokens(split);
  last_start_ = tokens.size(0) - context - 1;
  if (context < 1 || last_start_ < 0) {
    throw std::invalid_argument("context " + std::to_string(context) +
                                " does not fit in a split of " + std::to_string(tokens.size(0)) +
                                " characters");
  }
  tokens_ = tokens.to(device);  // once per run: about 8 MB for Tiny Shakespeare's int64 tokens
  offsets_ = torch::arange(context, torch::TensorOptions(torch::kInt64).device(device))
                 .unsqueeze(0);  // (1, T)
}

data::TextBatch TextWindows::at(const std::vector<std::int64_t>& starts) const {
  for (const std::int64_t s : starts) {
    if (s < 0 || s > last_start_) {
      throw std::invalid_argument("window start " + std::to_string(s) + " outside [0, " +
                                  std::to_string(last_start_) + "]");
    }
  }
  const auto batch = static_cast<std::int64_t>(starts.size());
  // The host's starts, copied out of `starts` (pinned on CUDA: a pageable source would make the
  // copy synchronous). LibTorch's pinned-memory allocator keeps the block until the copy is done.
  torch::Tensor host =
      torch::from_blob(const_cast<std::int64_t*>(starts.data()), {batch, 1}, torch::kInt64);
  host = device_.is_cuda() ? host.pin_memory() : host.clone();
  const torch::Tensor first = host.to(device_, /*non_blocking=*/true);  // (B, 1)
  const torch::Tensor index = (first + offsets_).reshape({-1});         // (B·T)
  return {tokens_.index_select(0, index).view({batch, context_}),       // (B, T)
          tokens_.index_select(0, index + 1).view({batch, context_})};  // (B, T)
}

}  // namespace claimcheck::train
