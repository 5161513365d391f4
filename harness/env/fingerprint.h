// The environment fingerprint stored with every run and baseline: what produced these numbers.
#pragma once

#include <nlohmann/json.hpp>

namespace claimcheck::env {

/// JSON with: libtorch (version), cuda (available, version, device_count, device_name), blas
/// (the library actually loaded, and LibTorch's build setting), compiler, git_commit (+ dirty),
/// threads (intra-op, inter-op, hardware), cpu model, os. Stable within one build and machine.
nlohmann::json fingerprint();

/// The BLAS library mapped into this process (e.g. ".../openblas-openmp/libblas.so.3"), or
/// "unknown" where /proc/self/maps is unavailable.
std::string loaded_blas();

}  // namespace claimcheck::env
