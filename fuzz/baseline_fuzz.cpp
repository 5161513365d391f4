// libFuzzer target for the baseline reader: claims::read_baseline on the bytes as a file.
// The entry point and its expected outcomes live in entry_points.h (shared with the replay
// test); build and run: fuzz/README.md.
#include <cstddef>
#include <cstdint>

#include "fuzz/entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claimcheck::fuzz::baseline(data, size);  // an unexpected exception escapes: a finding
  return 0;
}
