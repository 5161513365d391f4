// Per-run random generators. Every random draw of a run comes from generators the run owns,
// seeded from its plan, never from LibTorch's global generator: a run's numbers then do not
// depend on what trains beside it (other worker threads, other runs before it).
#pragma once

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>

namespace claimcheck::env {

/// A fresh CPU generator (mt19937, as LibTorch's default one) seeded with `seed`: the same
/// stream torch::manual_seed(seed) would give the global generator.
at::Generator cpu_generator(std::uint64_t seed);

/// A fresh generator on `device` seeded with `seed` (the CPU one on CPU; a new Philox CUDA
/// generator on CUDA builds). Throws std::runtime_error for CUDA in a CPU-only build.
at::Generator device_generator(torch::Device device, std::uint64_t seed);

}  // namespace claimcheck::env
