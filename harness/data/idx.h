// MNIST-style IDX files (raw or .gz): the generic unsigned-byte reader and the MNIST loader.
// Validates magic numbers, dimensions, sizes and label ranges; every error names the file, what
// is wrong and how to fix it. Not a general IDX reader: only the ubyte type MNIST uses.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace claimcheck::data {

/// The contents of one ubyte IDX file: its dimensions and its bytes (row-major).
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> bytes;
};

/// Reads an IDX file of unsigned bytes with `expected_rank` dimensions; gzip is detected by its
/// magic bytes, not the name. Throws std::runtime_error naming the file on any defect.
IdxArray read_idx(const std::filesystem::path& file, int expected_rank);

/// Which half of an IDX data set.
enum class MnistPart { kTrain, kTest };

/// Images as float in [0,1], shape (N, rows, cols); labels int64 in [0, 9], shape (N).
struct MnistSplit {
  torch::Tensor images;
  torch::Tensor labels;
};

/// Loads train-* or t10k-* from a directory of standard MNIST IDX files (raw or .gz).
/// Checks that images and labels agree in count and that every label is in [0, 9].
MnistSplit load_mnist(const std::filesystem::path& dir, MnistPart part);

}  // namespace claimcheck::data
