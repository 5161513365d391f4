// Gathers rows of a byte matrix into floats, dividing by a constant: the training batch of the
// ensemble executor, read from the MNIST images as bytes (47 MB) instead of as floats (188 MB).
// Each value is float(byte) / divisor, one IEEE division, which is exactly how the IDX reader
// made the float images (harness/data/idx.cpp: to(kFloat32).div_(255.0)); load_classifier_data
// checks that equality over the whole set before the bytes are used. A step of 30 members at
// batch 64 gathers 1,920 random rows: as bytes this moves a quarter of the memory. No LibTorch.
#pragma once

#include <cstdint>

namespace claimcheck::train {

/// out[i, :] = float(bytes[rows[i], :]) / divisor for i < n; bytes is (·, cols) row-major.
void gather_rows_as_float(const std::uint8_t* bytes, std::int64_t cols, const std::int64_t* rows,
                          std::int64_t n, float divisor, float* out);

}  // namespace claimcheck::train
