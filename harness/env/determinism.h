// Deterministic, full-fp32 CUDA: the one setup call a plan that trains on CUDA makes before its
// first CUDA op (DESIGN.md, GPU rules), and the settings as the fingerprint records them. It is
// not a per-step switch and has no opt-out: a CUDA run is deterministic or it is not ours.
// Every flag lives in LibTorch's process-wide context, so the call works (and is tested) on a
// CPU-only build; there it changes no CPU number (the flags steer CUDA kernels only).
#pragma once

#include <nlohmann/json.hpp>

namespace claimcheck::env {

/// The cuBLAS workspace that makes its reductions deterministic (cuBLAS docs, "Results
/// reproducibility"; PyTorch's "Reproducibility" note): 8 buffers of 4096 KiB.
inline constexpr const char* kCublasWorkspaceConfig = ":4096:8";

/// Makes CUDA training deterministic and fp32: CUBLAS_WORKSPACE_CONFIG (kept when the user set
/// it), deterministic algorithms (an op without a deterministic kernel throws), cuDNN
/// deterministic with benchmark off, TF32 off for cuBLAS and cuDNN, float32 matmul precision
/// "highest". Call once per plan, before the first CUDA op (cuBLAS reads the variable when it
/// creates its handle).
void make_cuda_deterministic();

/// The settings in force now: {cublas_workspace_config ("" when unset), deterministic_algorithms,
/// deterministic_warn_only, cudnn_deterministic, cudnn_benchmark, allow_tf32_cublas,
/// allow_tf32_cudnn, float32_matmul_precision, cuda_deterministic (all of them as
/// make_cuda_deterministic() sets them; CPU runs need none of them and leave LibTorch's defaults)}.
nlohmann::json determinism_settings();

/// Whether `settings` (determinism_settings() JSON, as stored) make CUDA runs reproduce bit for
/// bit; false for anything missing (a record from before the settings were recorded).
bool cuda_deterministic(const nlohmann::json& settings);

}  // namespace claimcheck::env
