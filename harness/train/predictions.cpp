#include "harness/train/predictions.h"

#include <torch/torch.h>

#include <cstdio>
#include <string_view>

#include "harness/base/hash.h"

namespace claimcheck::train {

std::string evaluation_hash(const torch::Tensor& inputs, const torch::Tensor& labels) {
  const torch::Tensor x = inputs.contiguous().cpu();
  const torch::Tensor y = labels.contiguous().to(torch::kInt64).cpu();
  std::string bytes(static_cast<const char*>(x.data_ptr()), x.nbytes());
  bytes.append(static_cast<const char*>(y.data_ptr()), y.nbytes());
  // Appended in two steps: GCC 12 at C++20 warns falsely (-Wstringop-overflow) on "/" + string.
  for (const auto d : x.sizes()) {
    bytes += '/';
    bytes += std::to_string(d);
  }
  return base::hash_hex(std::string_view(bytes));
}

}  // namespace claimcheck::train
