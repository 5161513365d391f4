// The environment fingerprint: every field a baseline records is present and plausible, the
// device the runs used, the BLAS named (cuBLAS on CUDA), and CUDA versions decoded.
#include "harness/env/fingerprint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "harness/env/device.h"

namespace claimcheck::env {
namespace {

TEST(Fingerprint, HasEveryField) {
  const nlohmann::json f = fingerprint();
  for (const char* key : {"libtorch", "cuda", "blas", "determinism", "compiler", "build_type",
                          "git_commit", "git_dirty", "build_id", "threads", "cpu", "os"}) {
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

// Two ELF notes as a linker lays them out (Elf64_Nhdr: namesz, descsz, type; name and desc
// padded to 4 bytes): the ABI tag (type 1), then the GNU build ID (type 3).
std::vector<unsigned char> two_notes(const std::vector<unsigned char>& id) {
  std::vector<unsigned char> out;
  auto word = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<unsigned char>(v >> (8 * i)));
  };
  word(4), word(16), word(1);  // NT_GNU_ABI_TAG: "GNU\0", 16 bytes
  for (char c : std::string("GNU", 4))
    out.push_back(static_cast<unsigned char>(c));
  out.insert(out.end(), 16, 0);
  word(4), word(static_cast<std::uint32_t>(id.size())), word(3);  // NT_GNU_BUILD_ID
  for (char c : std::string("GNU", 4))
    out.push_back(static_cast<unsigned char>(c));
  out.insert(out.end(), id.begin(), id.end());
  while (out.size() % 4 != 0)
    out.push_back(0);
  return out;
}

TEST(BuildId, ReadsTheGnuBuildIdNoteAfterOthers) {
  const auto notes = two_notes({0xde, 0xad, 0xbe, 0xef, 0x01});
  EXPECT_EQ(gnu_build_id_in_notes(notes.data(), notes.size()), "deadbeef01");
  // Cut inside the build ID's descriptor: a torn note, no ID (never a prefix of one).
  EXPECT_EQ(gnu_build_id_in_notes(notes.data(), notes.size() - 6), "");
  const auto abi_only = two_notes({});
  EXPECT_EQ(gnu_build_id_in_notes(abi_only.data(), 32), "") << "only the ABI tag";
}

TEST(BuildId, IsThisExecutablesLinkerStampedId) {
  // Debian's gcc links with --build-id (SHA-1: 40 hex digits); stable within the process.
  const std::string id = build_id();
  EXPECT_EQ(id.size(), 40u) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(build_id(), id);
  EXPECT_EQ(fingerprint()["build_id"], id);
}

TEST(Fingerprint, NamesTheBlasLibtorchUses) {
  // Debian's LibTorch links libblas.so.3, which ci/setup.sh points at OpenBLAS; pip's wheel links
  // MKL statically (BLAS_INFO=mkl), so no BLAS library is mapped. Either way it has a name.
  const nlohmann::json blas = fingerprint()["blas"];
  const std::string name = blas["name"].get<std::string>();
  if (blas["build_setting"] == "mkl") {
    EXPECT_TRUE(name == "MKL (linked into LibTorch)" || name == "MKL") << blas.dump();
  } else {
    EXPECT_EQ(name, "OpenBLAS") << blas.dump();
  }
}

TEST(BlasName, FromTheLibraryLoadedElseTheBuildSetting) {
  const std::string openblas = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so";
  EXPECT_EQ(blas_name(openblas, "generic"), "OpenBLAS");
  EXPECT_EQ(blas_name("/opt/intel/lib/libmkl_rt.so.2", "generic"), "MKL");
  EXPECT_EQ(blas_name("unknown", "mkl"), "MKL (linked into LibTorch)") << "pip's CPU wheel";
  EXPECT_EQ(blas_name("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "mkl"),
            "MKL (linked into LibTorch)")
      << "another library's libblas beside a static MKL: LibTorch still calls MKL";
  EXPECT_EQ(blas_name("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "generic"),
            "reference BLAS (slow: install libopenblas0-openmp)");
  EXPECT_EQ(blas_name("unknown", "generic"), "unknown (BLAS_INFO=generic)");
}

TEST(LoadedBlas, TakesTheCpuBlasFromTheMapsAndNeverCublas) {
  // A CUDA LibTorch maps cuBLAS at start-up; before, its libcublasLt was reported as the CPU BLAS
  // ("loaded": ".../nvidia/cu13/lib/libcublasLt.so.13" beside "name": "MKL (linked ...)").
  const std::string cuda_wheel =
      "7f05b6800000-7f05b6900000 r-xp 00000000 fd:00 1 /venv/torch/lib/libtorch_cuda.so\n"
      "7f0573000000-7f0573100000 r-xp 00000000 fd:00 2 /venv/nvidia/cu13/lib/libcublas.so.13\n"
      "7f054d000000-7f054d100000 r-xp 00000000 fd:00 3 /venv/nvidia/cu13/lib/libcublasLt.so.13\n";
  std::istringstream cuda(cuda_wheel);
  EXPECT_EQ(cpu_blas_in_maps(cuda), "unknown");
  std::istringstream debian(
      "7f00-7f01 r-xp 0 fd:00 4 /usr/lib/x86_64-linux-gnu/libblas.so.3\n"
      "7f02-7f03 r-xp 0 fd:00 5 /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so\n"
      "7f04-7f05 r-xp 0 fd:00 6 /venv/nvidia/cu13/lib/libcublasLt.so.13\n"
      "7f06-7f07 rw-p 0 00:00 0 [heap]\n");
  EXPECT_EQ(cpu_blas_in_maps(debian),
            "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so");
}

TEST(Fingerprint, RecordsTheDeviceTheRunsUsed) {
  const nlohmann::json cpu = fingerprint(torch::kCPU);
  EXPECT_EQ(cpu["device"]["type"], "cpu");
  EXPECT_EQ(cpu["device"]["name"], cpu["cpu"]);
  EXPECT_EQ(cpu["blas"], fingerprint()["blas"]);
  // A CUDA run's BLAS is cuBLAS, whatever the host's is (and never "reference BLAS"). Without
  // a device (or a CUDA build) the fingerprint still says what it cannot know.
  const nlohmann::json cuda = fingerprint(torch::Device(torch::kCUDA, 0));
  EXPECT_EQ(cuda["device"]["type"], "cuda");
  EXPECT_EQ(cuda["blas"]["name"].get<std::string>().rfind("cuBLAS (CUDA ", 0), 0u)
      << cuda["blas"].dump();
  EXPECT_EQ(cuda["blas"]["host"], fingerprint()["blas"]);
  EXPECT_TRUE(cuda["device"].contains("name"));
  EXPECT_TRUE(cuda["device"].contains("compute_capability"));
}

TEST(Fingerprint, RecordsTheCudaLibtorchWasBuiltWith) {
  const nlohmann::json cuda = fingerprint()["cuda"];
  if (!cuda_built()) {
    EXPECT_EQ(cuda["version"], "none (LibTorch built without CUDA)");
    EXPECT_EQ(cuda["cudnn"], "none");
    GTEST_SKIP() << "a CPU-only LibTorch: no CUDA runtime or cuDNN version to check";
  }
  // The runtime torch was built with (a pip wheel's own), as "major.minor".
  const std::string version = cuda["version"].get<std::string>();
  EXPECT_NE(version.find('.'), std::string::npos) << version;
  EXPECT_NE(version.rfind("unknown", 0), 0u) << "libtorch_cuda is not loaded: " << version;
  EXPECT_TRUE(cuda.contains("cudnn"));
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device: " << no_cuda_reason();
  EXPECT_FALSE(cuda["device_name"].get<std::string>().empty());
  EXPECT_NE(cuda["compute_capability"].get<std::string>().find('.'), std::string::npos);
}

TEST(CudaVersionText, DecodesTheIntegerVersions) {
  EXPECT_EQ(cuda_version_text(12080), "12.8");  // cudaRuntimeGetVersion: 1000 major + 10 minor
  EXPECT_EQ(cuda_version_text(13000), "13.0");
  EXPECT_EQ(cudnn_version_text(90100), "9.1.0");  // cuDNN 9: 10000 major + 100 minor + patch
  EXPECT_EQ(cudnn_version_text(91002), "9.10.2");
  EXPECT_EQ(cudnn_version_text(8906), "8.9.6");  // cuDNN 8: 1000 major + 100 minor + patch
}

}  // namespace
}  // namespace claimcheck::env
