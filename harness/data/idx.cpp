#include "harness/data/idx.h"

#include <zlib.h>

#include <torch/torch.h>

#include <array>
#include <fstream>
#include <stdexcept>
#include <string>

namespace claimcheck::data {
namespace fs = std::filesystem;
namespace {

constexpr std::uint8_t kUbyteType = 0x08;  // IDX type code for unsigned byte

// Every defect of a data file has the same fix: fetch it again. Said once here, so that no
// message names a problem without it.
[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  const bool says_fix = what.find("re-download") != std::string::npos ||
                        what.find("ci/setup.sh") != std::string::npos;
  throw std::runtime_error(file.string() + ": " + what +
                           (says_fix ? ""
                                     : "; re-download it (`bash ci/setup.sh` fetches and "
                                       "verifies the data sets)"));
}

// Reads the whole file, inflating it when it starts with the gzip magic bytes 1f 8b.
std::vector<std::uint8_t> read_all(const fs::path& file) {
  // A directory opens as a stream and then fails to read with a message that names no file.
  if (fs::is_directory(file)) fail(file, "is a directory, not an IDX file");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open (does it exist and is it readable?)");
  std::vector<std::uint8_t> raw((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;

  gzFile gz = gzopen(file.string().c_str(), "rb");
  if (gz == nullptr) fail(file, "cannot open as gzip");
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 1 << 16> chunk{};
  while (true) {
    const int n = gzread(gz, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int code = 0;
      const std::string message = gzerror(gz, &code);
      gzclose(gz);
      fail(file, "corrupt gzip stream (" + message + "); re-download or re-run `bash ci/setup.sh`");
    }
    if (n == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + n);
  }
  // gzread returns 0 both at a clean end and at a truncated stream; gzclose tells them apart.
  if (gzclose(gz) != Z_OK) fail(file, "truncated gzip stream; re-download the file");
  return out;
}

std::uint32_t big_endian_u32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

// Finds `stem` or `stem.gz` in `dir`.
fs::path find_idx(const fs::path& dir, const std::string& stem) {
  for (const auto& candidate : {dir / stem, dir / (stem + ".gz")}) {
    if (fs::exists(candidate)) return candidate;
  }
  throw std::runtime_error(dir.string() + ": no " + stem + " (or " + stem +
                           ".gz); point CLAIMCHECK_DATA at a directory of standard MNIST IDX "
                           "files or run `bash ci/setup.sh`");
}

}  // namespace

IdxArray read_idx(const fs::path& file, int expected_rank) {
  const std::vector<std::uint8_t> bytes = read_all(file);
  if (bytes.size() < 4)
    fail(file, "too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
  // Magic: two zero bytes, the type code, the number of dimensions (LeCun's IDX format).
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != kUbyteType) {
    char magic[16];
    std::snprintf(magic, sizeof magic, "0x%08x", big_endian_u32(bytes, 0));
    fail(file, std::string("bad magic number ") + magic + ", expected 0x0000080" +
                   std::to_string(expected_rank) + " (unsigned-byte IDX); is this an IDX file?");
  }
  const int rank = bytes[3];
  if (rank != expected_rank) {
    fail(file, "has " + std::to_string(rank) + " dimensions, expected " +
                   std::to_string(expected_rank) +
                   " (images have 3, labels 1); are images and "
                   "labels swapped?");
  }
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (bytes.size() < header) fail(file, "truncated header");
  IdxArray array;
  std::size_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const std::uint32_t dim = big_endian_u32(bytes, 4 + 4 * d);
    if (dim == 0 || dim > (1u << 28)) fail(file, "implausible dimension " + std::to_string(dim));
    array.dims.push_back(dim);
    count *= dim;
    // Checked per dimension: three dimensions of up to 2^28 can multiply past 2^64 and wrap to a
    // count that matches a short file (2^28 x 2^28 x 2^8 wraps to 0: a 16-byte file "held"
    // 2^64 pixels). Regression input: fuzz/crashes/idx/.
    if (count > bytes.size()) {
      fail(file, "size " + std::to_string(bytes.size()) +
                     " bytes does not match its header (its dimensions alone need more): the file "
                     "is truncated; re-download it");
    }
  }
  if (bytes.size() != header + count) {
    fail(file, "size " + std::to_string(bytes.size()) + " bytes does not match its header (" +
                   std::to_string(header + count) + " expected): the file is " +
                   (bytes.size() < header + count ? "truncated" : "longer than declared") +
                   "; re-download it");
  }
  array.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return array;
}

MnistSplit load_mnist(const fs::path& dir, MnistPart part) {
  const std::string prefix = part == MnistPart::kTrain ? "train" : "t10k";
  const fs::path image_file = find_idx(dir, prefix + "-images-idx3-ubyte");
  const fs::path label_file = find_idx(dir, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(image_file, 3);
  IdxArray labels = read_idx(label_file, 1);
  if (images.dims[0] != labels.dims[0]) {
    fail(label_file, "holds " + std::to_string(labels.dims[0]) + " labels but " +
                         image_file.string() + " holds " + std::to_string(images.dims[0]) +
                         " images; the two files are from different sets");
  }
  for (std::size_t i = 0; i < labels.bytes.size(); ++i) {
    if (labels.bytes[i] > 9) {
      fail(label_file, "label " + std::to_string(labels.bytes[i]) + " at index " +
                           std::to_string(i) + " is outside 0..9");
    }
  }
  MnistSplit split;
  split.images = torch::from_blob(images.bytes.data(), images.dims, torch::kUInt8)
                     .to(torch::kFloat32)
                     .div_(255.0);
  split.labels =
      torch::from_blob(labels.bytes.data(), labels.dims, torch::kUInt8).to(torch::kInt64);
  return split;
}

}  // namespace claimcheck::data
