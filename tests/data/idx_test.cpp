// The IDX reader on the real MNIST files (after `bash ci/setup.sh`) and on crafted defective
// files: each defect must be an error that names the file and what is wrong.
#include "harness/data/idx.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/env/data_dir.h"

namespace claimcheck::data {
namespace {
namespace fs = std::filesystem;

using Bytes = std::vector<std::uint8_t>;

// A fresh, empty directory per test under the build tree.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(CLAIMCHECK_TEST_TMPDIR) / ("idx_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Bytes idx_bytes(std::uint8_t type, const std::vector<std::uint32_t>& dims, const Bytes& payload) {
  Bytes b = {0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (const std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      b.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

void write_file(const fs::path& file, const Bytes& bytes) {
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const fs::path& file, const Bytes& bytes) {
  gzFile gz = gzopen(file.string().c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  ASSERT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(gzclose(gz), Z_OK);
}

// Writes a consistent 3-image set (2x2 pixels) as train-* files.
void write_tiny_set(const fs::path& dir, const Bytes& labels, bool gzip) {
  const Bytes images = idx_bytes(0x08, {3, 2, 2}, {0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8});
  const Bytes label_file = idx_bytes(0x08, {static_cast<std::uint32_t>(labels.size())}, labels);
  if (gzip) {
    write_gzip(dir / "train-images-idx3-ubyte.gz", images);
    write_gzip(dir / "train-labels-idx1-ubyte.gz", label_file);
  } else {
    write_file(dir / "train-images-idx3-ubyte", images);
    write_file(dir / "train-labels-idx1-ubyte", label_file);
  }
}

// Asserts that `f` throws a runtime_error whose message contains every fragment.
template <typename F>
::testing::AssertionResult ThrowsWith(F f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    for (const auto& fragment : fragments) {
      if (what.find(fragment) == std::string::npos) {
        return ::testing::AssertionFailure() << "message lacks '" << fragment << "': " << what;
      }
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no std::runtime_error thrown";
}

TEST(MnistReal, TrainingSetShapeAndDigitZeroCount) {
  const fs::path dir = env::require_dataset("mnist");
  const MnistSplit train = load_mnist(dir, MnistPart::kTrain);
  EXPECT_EQ(train.images.sizes(), (std::vector<std::int64_t>{60000, 28, 28}));
  EXPECT_EQ(train.labels.sizes(), (std::vector<std::int64_t>{60000}));
  EXPECT_EQ(train.images.dtype(), torch::kFloat32);
  EXPECT_EQ(train.labels.dtype(), torch::kInt64);
  EXPECT_EQ(train.labels.eq(0).sum().item<std::int64_t>(), 5923);  // the published class count
  EXPECT_GE(train.images.min().item<float>(), 0.0F);
  EXPECT_FLOAT_EQ(train.images.max().item<float>(), 1.0F);
}

TEST(MnistReal, TestSetShape) {
  const MnistSplit test = load_mnist(env::require_dataset("mnist"), MnistPart::kTest);
  EXPECT_EQ(test.images.sizes(), (std::vector<std::int64_t>{10000, 28, 28}));
  EXPECT_EQ(test.labels.max().item<std::int64_t>(), 9);
}

TEST(IdxCrafted, RawAndGzipReadTheSame) {
  const fs::path raw = scratch_dir("raw");
  const fs::path gz = scratch_dir("gz");
  write_tiny_set(raw, {3, 1, 4}, /*gzip=*/false);
  write_tiny_set(gz, {3, 1, 4}, /*gzip=*/true);
  const MnistSplit a = load_mnist(raw, MnistPart::kTrain);
  const MnistSplit b = load_mnist(gz, MnistPart::kTrain);
  EXPECT_TRUE(torch::equal(a.images, b.images));
  EXPECT_TRUE(torch::equal(a.labels, b.labels));
  EXPECT_EQ(a.images.sizes(), (std::vector<std::int64_t>{3, 2, 2}));
  EXPECT_FLOAT_EQ(a.images[0][0][1].item<float>(), 1.0F);
  EXPECT_FLOAT_EQ(a.images[0][1][0].item<float>(), 0.2F);
  EXPECT_EQ(a.labels[2].item<std::int64_t>(), 4);
}

TEST(IdxCrafted, TruncatedFile) {
  const fs::path dir = scratch_dir("truncated");
  Bytes b = idx_bytes(0x08, {3, 2, 2}, Bytes(12, 7));
  b.resize(b.size() - 5);
  write_file(dir / "images", b);
  EXPECT_TRUE(ThrowsWith([&] { read_idx(dir / "images", 3); },
                         {(dir / "images").string(), "truncated", "does not match its header"}));
}

TEST(IdxCrafted, TruncatedGzipStream) {
  const fs::path dir = scratch_dir("truncated_gz");
  write_gzip(dir / "full.gz", idx_bytes(0x08, {3, 2, 2}, Bytes(12, 7)));
  std::ifstream in(dir / "full.gz", std::ios::binary);
  Bytes gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gz.resize(gz.size() - 6);  // cut into the trailer
  write_file(dir / "cut.gz", gz);
  EXPECT_TRUE(ThrowsWith([&] { read_idx(dir / "cut.gz", 3); }, {"cut.gz", "truncated"}));
}

TEST(IdxCrafted, WrongMagic) {
  const fs::path dir = scratch_dir("magic");
  Bytes b = idx_bytes(0x08, {3}, {1, 2, 3});
  b[2] = 0x0D;  // IDX float type: not what MNIST uses
  write_file(dir / "labels", b);
  EXPECT_TRUE(
      ThrowsWith([&] { read_idx(dir / "labels", 1); }, {"labels", "bad magic number 0x00000d01"}));
  write_file(dir / "text", Bytes{'h', 'e', 'l', 'l', 'o', '\n'});
  EXPECT_TRUE(ThrowsWith([&] { read_idx(dir / "text", 1); }, {"text", "bad magic"}));
}

TEST(IdxCrafted, WrongDimensions) {
  const fs::path dir = scratch_dir("dims");
  write_file(dir / "train-images-idx3-ubyte", idx_bytes(0x08, {3}, {1, 2, 3}));  // labels as images
  write_file(dir / "train-labels-idx1-ubyte", idx_bytes(0x08, {3}, {1, 2, 3}));
  EXPECT_TRUE(ThrowsWith([&] { load_mnist(dir, MnistPart::kTrain); },
                         {"train-images-idx3-ubyte", "has 1 dimensions, expected 3"}));
}

TEST(IdxCrafted, CountsDisagree) {
  const fs::path dir = scratch_dir("counts");
  write_tiny_set(dir, {1, 2}, /*gzip=*/false);  // 3 images, 2 labels
  EXPECT_TRUE(ThrowsWith([&] { load_mnist(dir, MnistPart::kTrain); },
                         {"holds 2 labels", "holds 3 images"}));
}

TEST(IdxCrafted, LabelOutOfRange) {
  const fs::path dir = scratch_dir("label");
  write_tiny_set(dir, {1, 10, 2}, /*gzip=*/false);
  EXPECT_TRUE(ThrowsWith([&] { load_mnist(dir, MnistPart::kTrain); },
                         {"train-labels-idx1-ubyte", "label 10 at index 1", "outside 0..9"}));
}

TEST(IdxCrafted, MissingFileNamesSetup) {
  const fs::path dir = scratch_dir("missing");
  EXPECT_TRUE(ThrowsWith([&] { load_mnist(dir, MnistPart::kTest); },
                         {"t10k-images-idx3-ubyte", "bash ci/setup.sh"}));
}

}  // namespace
}  // namespace claimcheck::data
