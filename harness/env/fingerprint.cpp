#include "harness/env/fingerprint.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <elf.h>
#include <link.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "harness/base/hash.h"

#include "harness/env/build_info.h"
#include "harness/env/determinism.h"

#ifdef CLAIMCHECK_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <ATen/detail/CUDAHooksInterface.h>
#endif

namespace claimcheck::env {
namespace {

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#else
  return "unknown";
#endif
}

std::string first_line_with(const std::string& file, const std::string& prefix) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) {
      // "model name\t: Intel ..." in cpuinfo, PRETTY_NAME="Debian ..." in os-release.
      std::string value = line.substr(line.find_first_of(":=", prefix.size()) + 1);
      value.erase(0, value.find_first_not_of(" \t\""));
      value.erase(value.find_last_not_of(" \t\"") + 1);
      return value;
    }
  }
  return "unknown";
}

// LibTorch's own build setting (e.g. BLAS_INFO=generic on Debian, where the BLAS is chosen at run
// time through libblas.so.3 alternatives: hence loaded_blas() is the one that matters).
std::string blas_build_setting() {
  const std::string config = torch::show_config();
  const auto at = config.find("BLAS_INFO=");
  if (at == std::string::npos) return "unknown";
  const auto end = config.find_first_of(", \n", at);
  return config.substr(at + 10, end - at - 10);
}

#ifdef CLAIMCHECK_WITH_CUDA
// The CUDA runtime and cuDNN LibTorch was built with (not this build host's toolkit: a pip
// wheel carries its own), and device 0's name and compute capability when one is visible.
void cuda_fields(nlohmann::json& cuda) {
  // The stub hooks (libtorch_cuda not loaded) and a LibTorch without cuDNN throw c10::Error.
  const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
  try {
    cuda["version"] = cuda_version_text(hooks.versionCUDART());
  } catch (const c10::Error&) {
    cuda["version"] = "unknown (libtorch_cuda not loaded)";
  }
  cuda["build_toolkit"] = cuda_version_text(CUDA_VERSION);  // this build host's, for the record
  try {
    cuda["cudnn"] = cudnn_version_text(hooks.versionCuDNN());
  } catch (const c10::Error&) {
    cuda["cudnn"] = "none";
  }
  if (!torch::cuda::is_available()) return;
  const cudaDeviceProp* props = at::cuda::getDeviceProperties(0);
  cuda["device_name"] = props->name;
  cuda["compute_capability"] = std::to_string(props->major) + "." + std::to_string(props->minor);
}
#endif

}  // namespace

std::string cpu_blas_in_maps(std::istream& maps) {
  std::string line;
  std::string found;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = path.substr(path.rfind('/') + 1);
    // cuBLAS (libcublas, libcublasLt: a CUDA LibTorch maps them at start-up) is the GPU's BLAS,
    // not the CPU's: the CPU one of pip's CUDA wheel is its static MKL.
    const bool is_blas = (name.find("blas") != std::string::npos || name.find("mkl_rt") == 0) &&
                         name.find("cublas") == std::string::npos;
    // Prefer the implementation (libopenblasp-r0.3.21.so) over the libblas.so.3 shim.
    if (is_blas && (found.empty() || name.find("openblas") != std::string::npos)) found = path;
  }
  return found.empty() ? "unknown" : found;
}

std::string loaded_blas() {
  std::ifstream maps("/proc/self/maps");
  if (!maps) return "unknown";
  return cpu_blas_in_maps(maps);
}

std::string blas_name(const std::string& loaded, const std::string& build_setting) {
  if (loaded.find("openblas") != std::string::npos) return "OpenBLAS";
  if (loaded.find("mkl") != std::string::npos) return "MKL";
  // pip's wheels link MKL statically: no BLAS library in the maps, yet LibTorch calls MKL.
  if (build_setting == "mkl") return "MKL (linked into LibTorch)";
  if (loaded.find("blas") != std::string::npos)
    return "reference BLAS (slow: install libopenblas0-openmp)";
  return "unknown (BLAS_INFO=" + build_setting + ")";
}

std::string gnu_build_id_in_notes(const unsigned char* notes, std::size_t size) {
  auto align4 = [](std::size_t n) { return (n + 3) & ~std::size_t{3}; };
  std::size_t at = 0;
  while (at + sizeof(ElfW(Nhdr)) <= size) {
    ElfW(Nhdr) header;
    std::memcpy(&header, notes + at, sizeof header);
    const std::size_t name_at = at + sizeof header;
    const std::size_t desc_at = name_at + align4(header.n_namesz);
    const std::size_t next = desc_at + align4(header.n_descsz);
    if (next > size || desc_at + header.n_descsz > size) return "";  // a torn note: none
    if (header.n_type == NT_GNU_BUILD_ID && header.n_namesz == 4 &&
        std::memcmp(notes + name_at, "GNU", 4) == 0) {
      static const char* kHex = "0123456789abcdef";
      std::string id;
      for (std::size_t i = 0; i < header.n_descsz; ++i) {
        id += kHex[notes[desc_at + i] >> 4];
        id += kHex[notes[desc_at + i] & 15];
      }
      return id;
    }
    at = next;
  }
  return "";
}

namespace {

// The build ID among the main program's PT_NOTE segments (dl_iterate_phdr lists it first).
std::string executable_build_id() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const auto* notes = reinterpret_cast<const unsigned char*>(info->dlpi_addr + ph.p_vaddr);
          std::string found = gnu_build_id_in_notes(notes, ph.p_memsz);
          if (!found.empty()) {
            *static_cast<std::string*>(out) = std::move(found);
            break;
          }
        }
        return 1;  // the main program only
      },
      &id);
  return id;
}

}  // namespace

std::string build_id() {
  static const std::string id = [] {
    std::string found = executable_build_id();
    if (!found.empty()) return found;
    std::ifstream exe("/proc/self/exe", std::ios::binary);
    if (!exe) return std::string("unknown");
    const std::string bytes{std::istreambuf_iterator<char>(exe), std::istreambuf_iterator<char>()};
    return "exe-" + base::hash_hex(bytes);
  }();
  return id;
}

std::string cuda_version_text(long version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

std::string cudnn_version_text(long version) {
  // cudnn_version.h: CUDNN_VERSION = MAJOR * 1000 + MINOR * 100 + PATCH up to 8.x, and
  // MAJOR * 10000 + MINOR * 100 + PATCH from 9.0 on.
  const long major_unit = version >= 90000 ? 10000 : 1000;
  return std::to_string(version / major_unit) + "." + std::to_string(version % major_unit / 100) +
         "." + std::to_string(version % 100);
}

nlohmann::json fingerprint() {
  nlohmann::json cuda = {{"available", torch::cuda::is_available()},
                         {"device_count", torch::cuda::device_count()}};
#ifdef CLAIMCHECK_WITH_CUDA
  cuda_fields(cuda);
#else
  cuda["version"] = "none (LibTorch built without CUDA)";
  cuda["cudnn"] = "none";
#endif
  const std::string blas_path = loaded_blas();
  const std::string setting = blas_build_setting();
  return {
      {"libtorch", TORCH_VERSION},
      {"cuda", cuda},
      {"blas",
       {{"name", blas_name(blas_path, setting)},
        {"loaded", blas_path},
        {"build_setting", setting}}},
      {"determinism", determinism_settings()},
      {"compiler", compiler()},
      {"build_type", kBuildType},
      {"git_commit", kGitCommit},
      {"git_dirty", kGitDirty},
      {"build_id", build_id()},
      {"threads",
       {{"intra_op", torch::get_num_threads()},
        {"inter_op", at::get_num_interop_threads()},
        {"hardware", std::thread::hardware_concurrency()}}},
      {"cpu", first_line_with("/proc/cpuinfo", "model name")},
      {"os", first_line_with("/etc/os-release", "PRETTY_NAME")},
  };
}

nlohmann::json fingerprint(torch::Device device) {
  nlohmann::json f = fingerprint();
  if (!device.is_cuda()) {
    f["device"] = {{"type", "cpu"}, {"name", f["cpu"]}};
    return f;
  }
  const nlohmann::json& cuda = f["cuda"];
  f["device"] = {{"type", "cuda"},
                 {"name", cuda.value("device_name", "unknown (no CUDA device visible)")},
                 {"compute_capability", cuda.value("compute_capability", "unknown")}};
  // A CUDA run's matrix products are cuBLAS's; the CPU BLAS only touches host-side work.
  nlohmann::json host = f["blas"];
  f["blas"] = {{"name", "cuBLAS (CUDA " + cuda.value("version", std::string("unknown")) + ")"},
               {"loaded", "cuBLAS"},
               {"build_setting", host["build_setting"]},
               {"host", host}};
  return f;
}

}  // namespace claimcheck::env
