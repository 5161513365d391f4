// Shared helpers of the claim-engine tests: scratch directories, the real claim's JSON, a tiny
// claim that trains in about a second on MNIST, the CLI in-process, an error-message matcher, and
// CUDA fingerprints for judging without a GPU.
// Header-only: every test file of claims_test includes it.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness/claims/planner.h"
#include "harness/cli/cli.h"

namespace claimcheck::claims::test {
namespace fs = std::filesystem;

/// A fresh, empty directory per test under the build tree (names are unique per test, so
/// `ctest -j` never shares one).
inline fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::path(CLAIMCHECK_TEST_TMPDIR) / ("claims_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_text(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

inline nlohmann::json read_json(const fs::path& file) {
  return nlohmann::json::parse(read_text(file));
}

inline void write_json(const fs::path& file, const nlohmann::json& json) {
  write_text(file, json.dump(2) + "\n");
}

/// The real spec claims/geglu-vs-relu-mnist.json, parsed; malformed specs are it with one defect.
inline nlohmann::json real_claim_json() {
  return read_json(fs::path(CLAIMCHECK_SOURCE_DIR) / "claims" / "geglu-vs-relu-mnist.json");
}

/// tests/claims/data/tiny.json (also the shell tests' fixture): a claim that trains in ~1 s on CPU:
/// ReLU(h=2) vs GeGLU(h=2) on MNIST, one epoch, 3 seeds each
/// (6 runs). Two hypotheses on different metrics, so a test can tamper with one and check that
/// only that one is named.
inline nlohmann::json tiny_claim_json() {
  return read_json(fs::path(CLAIMCHECK_SOURCE_DIR) / "tests" / "claims" / "data" / "tiny.json");
}

/// The result of one in-process CLI call.
struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline CliResult run_cli(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

/// Whether `text` contains every fragment; the failure message names the first missing one.
inline ::testing::AssertionResult ContainsAll(const std::string& text,
                                              const std::vector<std::string>& fragments) {
  for (const auto& fragment : fragments) {
    if (text.find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure() << "lacks '" << fragment << "' in:\n" << text;
    }
  }
  return ::testing::AssertionSuccess();
}

/// Whether `f` throws an `E` whose message contains every fragment.
template <typename E, typename F>
::testing::AssertionResult ThrowsWith(F f, const std::vector<std::string>& fragments) {
  try {
    f();
  } catch (const E& e) {
    return ContainsAll(e.what(), fragments);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw the wrong exception type: " << e.what();
  }
  return ::testing::AssertionFailure() << "nothing thrown";
}

/// Sets (or with nullptr unsets) an environment variable for one scope, then restores it. CI
/// runners set CI=true themselves, so every bless test pins it explicitly.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const char* value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value != nullptr) {
      setenv(name_.c_str(), value, /*overwrite=*/1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), /*overwrite=*/1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// Lines of a text file, without their newlines (a last line without one is kept).
inline std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read_text(file));
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

/// The plan of `profile` on the CPU with its runs replaced by `runs` (a test's own subset or
/// edit of them; edited runs must be sealed again).
inline ProfilePlan plan_of(const ClaimSpec& spec, const std::string& profile,
                           std::vector<RunSpec> runs) {
  ProfilePlan p = plan_profile(spec, profile, "cpu");
  p.runs = std::move(runs);
  return p;
}

/// The determinism settings env::make_cuda_deterministic() leaves (env/determinism.h), as a CUDA
/// run's fingerprint records them; `deterministic` false turns deterministic algorithms off.
inline nlohmann::json cuda_determinism(bool deterministic = true) {
  return {{"cublas_workspace_config", ":4096:8"},
          {"deterministic_algorithms", deterministic},
          {"deterministic_warn_only", false},
          {"cudnn_deterministic", true},
          {"cudnn_benchmark", false},
          {"allow_tf32_cublas", false},
          {"allow_tf32_cudnn", false},
          {"float32_matmul_precision", "highest"},
          {"cuda_deterministic", deterministic}};
}

/// `fingerprint` as that of runs on an H200 (CUDA 12.8, cuDNN 9.10.2) with cuda_determinism().
inline nlohmann::json as_cuda_fingerprint(nlohmann::json fingerprint, bool deterministic = true) {
  fingerprint["device"] = {
      {"type", "cuda"}, {"name", "NVIDIA H200"}, {"compute_capability", "9.0"}};
  fingerprint["cuda"]["version"] = "12.8";
  fingerprint["cuda"]["cudnn"] = "9.10.2";
  fingerprint["blas"] = {{"name", "cuBLAS (CUDA 12.8)"}, {"loaded", "cuBLAS"}};
  fingerprint["determinism"] = cuda_determinism(deterministic);
  return fingerprint;
}

}  // namespace claimcheck::claims::test
