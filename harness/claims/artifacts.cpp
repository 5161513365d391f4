#include "harness/claims/artifacts.h"

#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "harness/base/files.h"
#include "harness/base/hash.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMagic = "claimcheck-artifact";

std::string checksum_of(std::string_view bytes) {
  return base::hash_hex(bytes);
}

std::string read_all(const fs::path& file) {
  return base::read_file(file).value_or("");
}

}  // namespace

ArtifactRef write_predictions(const fs::path& store_dir, const std::string& claim,
                              const std::string& key, const train::Predictions& predictions) {
  const torch::Tensor p = predictions.probabilities.to(torch::kFloat32).contiguous().cpu();
  const torch::Tensor y = predictions.labels.to(torch::kInt64).contiguous().cpu();
  if (p.dim() != 2 || y.dim() != 1 || y.size(0) != p.size(0)) {
    throw std::invalid_argument("write_predictions: need probabilities (N, C) and labels (N)");
  }
  const nlohmann::json header = {{"format", kArtifactFormat},
                                 {"kind", "predictions"},
                                 {"dtype", "float32"},
                                 {"rows", p.size(0)},
                                 {"cols", p.size(1)},
                                 {"labels_dtype", "int64"},
                                 {"eval_hash", predictions.eval_hash}};
  std::string bytes = std::string(kMagic) + "\n" + header.dump() + "\n";
  bytes.append(static_cast<const char*>(p.data_ptr()), p.nbytes());
  bytes.append(static_cast<const char*>(y.data_ptr()), y.nbytes());

  const fs::path relative = fs::path("artifacts") / claim / (key + ".predictions.bin");
  const fs::path file = store_dir / relative;
  fs::create_directories(file.parent_path());
  base::write_file_atomically(file, bytes, "the artifact");
  return {relative.generic_string(), checksum_of(bytes)};
}

LoadedPredictions read_predictions(const nlohmann::json& record,
                                   const std::vector<fs::path>& store_dirs, const std::string& run,
                                   const std::string& retrain) {
  auto fail = [&](const std::string& where, const std::string& what) -> ArtifactError {
    return ArtifactError(where + ": " + what + " (run " + run + "). Retrain it: `" + retrain +
                         "` trains every run whose artifact is missing or damaged again");
  };
  const nlohmann::json* ref = nullptr;
  if (record.contains("artifacts") && record["artifacts"].is_object() &&
      record["artifacts"].contains("predictions")) {
    ref = &record["artifacts"]["predictions"];
  }
  if (ref == nullptr || !ref->is_object() || !ref->contains("file") ||
      !(*ref)["file"].is_string() || !ref->contains("checksum")) {
    throw fail("store record " + record.value("key", std::string("?")),
               "no predictions artifact recorded (a run of a claim without \"predictions\"?)");
  }
  const std::string relative = (*ref)["file"].get<std::string>();
  // The store records a path inside the store directory; an absolute path or one with ".."
  // would read a file outside it (dir / "/etc/x" is "/etc/x").
  const fs::path rel(relative);
  if (rel.empty() || rel.is_absolute() || rel.has_root_name() ||
      std::any_of(rel.begin(), rel.end(), [](const fs::path& part) { return part == ".."; })) {
    throw fail(
        "store record " + record.value("key", std::string("?")),
        "artifacts.predictions.file '" + relative + "' is not a path inside the store directory");
  }
  fs::path file;
  for (const auto& dir : store_dirs) {
    if (fs::is_regular_file(dir / relative)) {
      file = dir / relative;
      break;
    }
  }
  if (file.empty()) {
    for (const auto& dir : store_dirs) {
      if (fs::exists(dir / relative)) {
        throw fail((dir / relative).string(),
                   "the predictions artifact is not a regular file (a directory?)");
      }
    }
    throw fail(relative, "the predictions artifact is missing from every store directory given");
  }
  const std::string bytes = read_all(file);
  if (checksum_of(bytes) != (*ref)["checksum"].get<std::string>()) {
    throw fail(file.string(), "checksum " + checksum_of(bytes) + " differs from the store's " +
                                  (*ref)["checksum"].get<std::string>() + ": the file is damaged");
  }
  const std::size_t first = bytes.find('\n');
  const std::size_t second = first == std::string::npos ? first : bytes.find('\n', first + 1);
  if (second == std::string::npos || bytes.substr(0, first) != kMagic) {
    throw fail(file.string(), "not a claimcheck artifact");
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(first + 1, second - first - 1));
  } catch (const nlohmann::json::exception&) {
    throw fail(file.string(), "unreadable artifact header");
  }
  if (header.value("format", -1) != kArtifactFormat || header.value("kind", "") != "predictions" ||
      header.value("dtype", "") != "float32" || header.value("labels_dtype", "") != "int64" ||
      !header.contains("rows") || !header.contains("cols")) {
    throw fail(file.string(), "unsupported artifact header " + header.dump());
  }
  const auto rows = header["rows"].get<std::int64_t>();
  const auto cols = header["cols"].get<std::int64_t>();
  const std::size_t body = second + 1;
  const std::size_t expected = static_cast<std::size_t>(rows * cols) * sizeof(float) +
                               static_cast<std::size_t>(rows) * sizeof(std::int64_t);
  if (rows < 1 || cols < 1 || bytes.size() - body != expected) {
    throw fail(file.string(), "size does not match its header");
  }
  LoadedPredictions out;
  out.eval_hash = header.value("eval_hash", "");
  out.probabilities.rows = static_cast<std::size_t>(rows);
  out.probabilities.cols = static_cast<std::size_t>(cols);
  out.probabilities.p.resize(static_cast<std::size_t>(rows * cols));
  std::vector<float> values(static_cast<std::size_t>(rows * cols));
  std::memcpy(values.data(), bytes.data() + body, values.size() * sizeof(float));
  for (std::size_t i = 0; i < values.size(); ++i)
    out.probabilities.p[i] = values[i];
  out.labels.resize(static_cast<std::size_t>(rows));
  std::memcpy(out.labels.data(), bytes.data() + body + values.size() * sizeof(float),
              out.labels.size() * sizeof(std::int64_t));
  return out;
}

}  // namespace claimcheck::claims
