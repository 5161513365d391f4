// Device selection: auto | cpu | cuda. Asking for CUDA where there is none is a clear error.
#pragma once

#include <torch/types.h>

#include <string>

namespace claimcheck::env {

/// What the user asked for on the command line or in a spec.
enum class DeviceChoice { kAuto, kCpu, kCuda };

/// Parses "auto", "cpu" or "cuda"; throws std::invalid_argument naming the valid choices.
DeviceChoice device_choice_from_string(const std::string& name);

/// The name as written in specs and on the command line.
std::string to_string(DeviceChoice choice);

/// Whether LibTorch sees a usable CUDA device.
bool cuda_available();

/// Whether this binary links a CUDA LibTorch (CLAIMCHECK_WITH_CUDA), device or not.
bool cuda_built();

/// Why there is no CUDA device, in words: "LibTorch was built without CUDA" or, on a CUDA
/// build, that no CUDA device is visible (and where to look).
std::string no_cuda_reason();

/// The device to train on: auto picks CUDA when available; cuda without one throws
/// std::runtime_error naming --device cuda, no_cuda_reason(), the README's section "Building
/// on a CUDA machine" and the fallbacks.
torch::Device select_device(DeviceChoice choice);

/// "cpu" or "cuda": a device's type as a plan and its runs' keys name it.
std::string device_type(torch::Device device);

/// The device a plan of `type` ("cpu" or "cuda") trains on (CUDA: device 0); another type
/// throws std::invalid_argument.
torch::Device device_of_type(const std::string& type);

}  // namespace claimcheck::env
