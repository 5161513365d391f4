#include "harness/env/generator.h"

#include <ATen/CPUGeneratorImpl.h>

#include <stdexcept>

#ifdef CLAIMCHECK_WITH_CUDA
#include <ATen/cuda/CUDAGeneratorImpl.h>
#endif

namespace claimcheck::env {

at::Generator cpu_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

at::Generator device_generator(torch::Device device, std::uint64_t seed) {
  if (device.is_cpu()) return cpu_generator(seed);
#ifdef CLAIMCHECK_WITH_CUDA
  if (device.is_cuda()) {
    at::Generator g =
        at::cuda::detail::createCUDAGenerator(device.has_index() ? device.index() : 0);
    g.set_current_seed(seed);
    return g;
  }
#endif
  throw std::runtime_error("no generator for device " + device.str() +
                           " in this build (CUDA support needs a CUDA LibTorch; see README)");
}

}  // namespace claimcheck::env
