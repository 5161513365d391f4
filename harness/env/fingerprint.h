// The environment fingerprint stored with every run and baseline: what produced these numbers.
#pragma once

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <istream>
#include <string>

namespace claimcheck::env {

/// The host's fingerprint (`claimcheck env`), JSON with: libtorch (version), cuda (available,
/// device_count, version: the CUDA runtime LibTorch was built with, cudnn, device_name and
/// compute_capability of device 0 when one is visible), blas (name, the library loaded, and
/// LibTorch's build setting), determinism (determinism_settings()), compiler, build_type,
/// git_commit (+ dirty), build_id (build_id()), threads (intra-op, inter-op, hardware), cpu
/// model, os.
nlohmann::json fingerprint();

/// The identity of this program's code: the GNU build ID the linker stamped into the running
/// executable (a hash of its contents), as hex; where it has none, "exe-" and the hash of
/// /proc/self/exe's bytes; "unknown" when neither can be read. Two binaries with one build ID
/// train every run to the same numbers on one machine; `run` reuses only the stored runs of its
/// own build (pipeline/train_profile.h). Not part of the environment (claims/environment.h): a
/// code change is what a baseline comparison is there to judge.
std::string build_id();

/// The GNU build ID (NT_GNU_BUILD_ID note, as lower-case hex) in the notes of an ELF segment
/// (`notes`, `size` bytes, 4-byte aligned as the ELF spec lays them out); "" when there is none.
std::string gnu_build_id_in_notes(const unsigned char* notes, std::size_t size);

/// The fingerprint of runs trained on `device`: fingerprint() plus device {type, name,
/// compute_capability (CUDA)}, and on CUDA blas names cuBLAS (the host's BLAS under blas.host).
nlohmann::json fingerprint(torch::Device device);

/// The BLAS library mapped into this process (e.g. ".../openblas-openmp/libblas.so.3"), or
/// "unknown" where /proc/self/maps is unavailable or shows none (pip's wheel links MKL in).
std::string loaded_blas();

/// loaded_blas() on the text of a /proc/<pid>/maps: the CPU BLAS library's path, cuBLAS left out.
std::string cpu_blas_in_maps(std::istream& maps);

/// The CPU BLAS's name from the library loaded and LibTorch's BLAS_INFO build setting: "MKL
/// (linked into LibTorch)" for a static MKL, "OpenBLAS", "MKL", "reference BLAS (...)", or
/// "unknown (BLAS_INFO=...)" when neither says.
std::string blas_name(const std::string& loaded, const std::string& build_setting);

/// "12.8" from CUDA's integer version 12080 (cudaRuntimeGetVersion's encoding).
std::string cuda_version_text(long version);

/// "9.1.0" from cuDNN's integer version (90100 from cuDNN 9 on, 8906 before: cudnn_version.h).
std::string cudnn_version_text(long version);

}  // namespace claimcheck::env
