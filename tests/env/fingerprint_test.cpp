// The environment fingerprint: every field a baseline records is present and plausible.
#include "harness/env/fingerprint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace claimcheck::env {
namespace {

TEST(Fingerprint, HasEveryField) {
  const nlohmann::json f = fingerprint();
  for (const char* key : {"libtorch", "cuda", "blas", "compiler", "build_type", "git_commit",
                          "git_dirty", "threads", "cpu", "os"}) {
    EXPECT_TRUE(f.contains(key)) << "missing " << key << " in " << f.dump();
  }
  EXPECT_EQ(f["libtorch"].get<std::string>().substr(0, 1), std::to_string(TORCH_VERSION_MAJOR));
  EXPECT_EQ(f["cuda"]["available"].get<bool>(), torch::cuda::is_available());
  EXPECT_GE(f["threads"]["intra_op"].get<int>(), 1);
  EXPECT_FALSE(f["compiler"].get<std::string>().empty());
  EXPECT_TRUE(f["blas"].contains("loaded"));
  EXPECT_TRUE(f["blas"].contains("build_setting"));
}

TEST(Fingerprint, GitCommitIsAHashInACheckout) {
  const std::string commit = fingerprint()["git_commit"].get<std::string>();
  // Built from a git checkout (as in CI): a 40-hex-digit commit. "unknown" only outside git.
  if (commit != "unknown") {
    EXPECT_EQ(commit.size(), 40u) << commit;
    EXPECT_EQ(commit.find_first_not_of("0123456789abcdef"), std::string::npos) << commit;
  }
}

TEST(Fingerprint, ReportsTheBlasLibtorchUses) {
  // pip's LibTorch (the default build) links MKL statically, so no BLAS library is mapped and the
  // name comes from LibTorch's BLAS_INFO; Debian's 1.13 links libblas.so.3, which ci/setup.sh
  // used to point at OpenBLAS. Never "unknown" or a reference BLAS on a set-up machine.
  const nlohmann::json blas = fingerprint()["blas"];
  const std::string name = blas["name"].get<std::string>();
  if (blas["build_setting"] == "mkl" && blas["loaded"] == "unknown") {
    EXPECT_EQ(name, "MKL (linked into LibTorch)") << blas.dump();
  } else {
    EXPECT_TRUE(name == "OpenBLAS" || name == "MKL") << blas.dump();
  }
}

}  // namespace
}  // namespace claimcheck::env
