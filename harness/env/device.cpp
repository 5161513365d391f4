#include "harness/env/device.h"

#include <torch/cuda.h>

#include <stdexcept>

namespace claimcheck::env {

DeviceChoice device_choice_from_string(const std::string& name) {
  if (name == "auto") return DeviceChoice::kAuto;
  if (name == "cpu") return DeviceChoice::kCpu;
  if (name == "cuda") return DeviceChoice::kCuda;
  throw std::invalid_argument("unknown device '" + name + "' (valid: auto, cpu, cuda)");
}

std::string to_string(DeviceChoice choice) {
  switch (choice) {
    case DeviceChoice::kAuto:
      return "auto";
    case DeviceChoice::kCpu:
      return "cpu";
    case DeviceChoice::kCuda:
      return "cuda";
  }
  throw std::logic_error("unhandled DeviceChoice");
}

bool cuda_available() {
  return torch::cuda::is_available();
}

bool cuda_built() {
#ifdef CLAIMCHECK_WITH_CUDA
  return true;
#else
  return false;
#endif
}

std::string no_cuda_reason() {
  if (!cuda_built())
    return "LibTorch was built without CUDA (this claimcheck links a CPU-only one)";
  return "LibTorch was built with CUDA but no CUDA device is visible (check nvidia-smi, the "
         "driver, and CUDA_VISIBLE_DEVICES or the scheduler's GPU request)";
}

torch::Device select_device(DeviceChoice choice) {
  switch (choice) {
    case DeviceChoice::kCpu:
      return torch::kCPU;
    case DeviceChoice::kAuto:
      return cuda_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    case DeviceChoice::kCuda:
      if (!cuda_available()) {
        throw std::runtime_error("--device cuda: " + no_cuda_reason() +
                                 "; see the README's section \"Building on a CUDA machine\", or "
                                 "use --device cpu or --device auto");
      }
      return {torch::kCUDA, 0};
  }
  throw std::logic_error("unhandled DeviceChoice");
}

std::string device_type(torch::Device device) {
  return device.is_cuda() ? "cuda" : "cpu";
}

torch::Device device_of_type(const std::string& type) {
  if (type == "cpu") return torch::kCPU;
  if (type == "cuda") return {torch::kCUDA, 0};
  throw std::invalid_argument("device type '" + type + "': expected cpu or cuda");
}

}  // namespace claimcheck::env
