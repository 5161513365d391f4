// Choosing the device: the names a spec or --device may give, and what each selects here.
#include "harness/env/device.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace claimcheck::env {
namespace {

TEST(DeviceChoice, ParsesAndRejects) {
  EXPECT_EQ(device_choice_from_string("cpu"), DeviceChoice::kCpu);
  EXPECT_EQ(device_choice_from_string("auto"), DeviceChoice::kAuto);
  EXPECT_EQ(to_string(DeviceChoice::kCuda), "cuda");
  EXPECT_THROW(device_choice_from_string("gpu"), std::invalid_argument);
  EXPECT_EQ(select_device(DeviceChoice::kCpu), torch::Device(torch::kCPU));
  if (!cuda_available()) {
    EXPECT_THROW(select_device(DeviceChoice::kCuda), std::runtime_error);
    EXPECT_EQ(select_device(DeviceChoice::kAuto), torch::Device(torch::kCPU));
  } else {
    EXPECT_TRUE(select_device(DeviceChoice::kAuto).is_cuda());
  }
}

TEST(SelectDevice, AnUnmetCudaRequestNamesTheFlagTheReasonAndTheReadme) {
  if (cuda_available()) GTEST_SKIP() << "a CUDA device is visible: the request is met";
  try {
    select_device(DeviceChoice::kCuda);
    FAIL() << "--device cuda without a device must throw";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("--device cuda: ", 0), 0u) << what;
    EXPECT_NE(what.find(no_cuda_reason()), std::string::npos) << what;
    EXPECT_NE(what.find("the README's section \"Building on a CUDA machine\""), std::string::npos)
        << what;
  }
#ifdef CLAIMCHECK_WITH_CUDA
  EXPECT_TRUE(cuda_built());
  EXPECT_NE(no_cuda_reason().find("no CUDA device is visible"), std::string::npos);
#else
  EXPECT_FALSE(cuda_built());
  EXPECT_EQ(no_cuda_reason().rfind("LibTorch was built without CUDA", 0), 0u);
#endif
}

}  // namespace
}  // namespace claimcheck::env
