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

// Makes a read's errors: where, what, the run, and the command that trains it again.
struct Failure {
  const std::string& run;
  const std::string& retrain;

  ArtifactError operator()(const std::string& where, const std::string& what) const {
    return ArtifactError(where + ": " + what + " (run " + run + "). Retrain it: `" + retrain +
                         "` trains every run whose artifact is missing or damaged again");
  }
};

// The record's {"file", "checksum"} of its predictions; the file a path inside the store.
const nlohmann::json& predictions_ref(const nlohmann::json& record, const Failure& fail) {
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
  return *ref;
}

// `relative` under the first store directory that holds it as a regular file.
fs::path find_artifact(const std::string& relative, const std::vector<fs::path>& store_dirs,
                       const Failure& fail) {
  for (const auto& dir : store_dirs) {
    if (fs::is_regular_file(dir / relative)) return dir / relative;
  }
  for (const auto& dir : store_dirs) {
    if (fs::exists(dir / relative)) {
      throw fail((dir / relative).string(),
                 "the predictions artifact is not a regular file (a directory?)");
    }
  }
  throw fail(relative, "the predictions artifact is missing from every store directory given");
}

// The header line after the magic, checked against the body's size; `body` is where the
// probabilities (rows × cols float32) start, the labels (rows int64) follow.
struct Header {
  nlohmann::json json;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::size_t body = 0;
};

Header read_header(const std::string& bytes, const fs::path& file, const Failure& fail) {
  const std::size_t first = bytes.find('\n');
  const std::size_t second = first == std::string::npos ? first : bytes.find('\n', first + 1);
  if (second == std::string::npos || bytes.substr(0, first) != kMagic) {
    throw fail(file.string(), "not a claimcheck artifact");
  }
  Header h;
  try {
    h.json = nlohmann::json::parse(bytes.substr(first + 1, second - first - 1));
  } catch (const nlohmann::json::exception&) {
    throw fail(file.string(), "unreadable artifact header");
  }
  const nlohmann::json& header = h.json;
  if (header.value("format", -1) != kArtifactFormat || header.value("kind", "") != "predictions" ||
      header.value("dtype", "") != "float32" || header.value("labels_dtype", "") != "int64" ||
      !header.contains("rows") || !header.contains("cols")) {
    throw fail(file.string(), "unsupported artifact header " + header.dump());
  }
  h.rows = header["rows"].get<std::int64_t>();
  h.cols = header["cols"].get<std::int64_t>();
  h.body = second + 1;
  const std::size_t expected = static_cast<std::size_t>(h.rows * h.cols) * sizeof(float) +
                               static_cast<std::size_t>(h.rows) * sizeof(std::int64_t);
  if (h.rows < 1 || h.cols < 1 || bytes.size() - h.body != expected) {
    throw fail(file.string(), "size does not match its header");
  }
  return h;
}

// The probabilities (widened to double) and labels of a checked artifact.
LoadedPredictions decode(const std::string& bytes, const Header& header) {
  const std::int64_t rows = header.rows;
  const std::int64_t cols = header.cols;
  const std::size_t body = header.body;
  LoadedPredictions out;
  out.eval_hash = header.json.value("eval_hash", "");
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
  const Failure fail{run, retrain};
  const nlohmann::json& ref = predictions_ref(record, fail);
  const fs::path file = find_artifact(ref["file"].get<std::string>(), store_dirs, fail);
  const std::string bytes = read_all(file);
  if (checksum_of(bytes) != ref["checksum"].get<std::string>()) {
    throw fail(file.string(), "checksum " + checksum_of(bytes) + " differs from the store's " +
                                  ref["checksum"].get<std::string>() + ": the file is damaged");
  }
  return decode(bytes, read_header(bytes, file, fail));
}

}  // namespace claimcheck::claims
