// Choosing the device: the names a spec or --device may give, and what each selects here.
#include "harness/env/device.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

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

}  // namespace
}  // namespace claimcheck::env
