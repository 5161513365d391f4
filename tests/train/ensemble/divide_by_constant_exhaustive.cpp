// The exhaustive form of adam_kernel_test.cpp's DivideByConstant tests: divide_by_constant(a, c)
// against a / c for every significand of a (all 2^23 floats in [1, 2); the exponent of a does not
// change the rounding while nothing underflows) and every divisor sqrt(1 - 0.999^t) of steps
// t = 1..7500 (claim 1's longest run): 62,914,560,000 quotients, 0 mismatches on the 2-core
// machine (215 s with two threads; 32 s built with -march=native, hardware fma instead of libm's).
// Label `exhaustive` (and `nightly`): outside the default run.
//   ctest --test-dir build -L exhaustive
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "harness/train/ensemble/adam_kernel.h"

int main() {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::int64_t> mismatches(threads, 0);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([t, threads, &mismatches] {
      for (int step = 1 + static_cast<int>(t); step <= 7500; step += static_cast<int>(threads)) {
        const auto c = static_cast<float>(std::sqrt(1.0 - std::pow(0.999, step)));
        const float y = 1.0f / c;
        for (std::uint32_t m = 0; m < (1u << 23); ++m) {
          const std::uint32_t bits = 0x3f800000u + m;
          float a = 0.0f;
          std::memcpy(&a, &bits, sizeof a);
          const float fast = claimcheck::train::divide_by_constant(a, c, y);
          const float exact = a / c;
          mismatches[t] += std::memcmp(&fast, &exact, sizeof fast) != 0;
        }
      }
    });
  }
  for (auto& th : pool)
    th.join();
  std::int64_t total = 0;
  for (const auto n : mismatches)
    total += n;
  std::printf("divide_by_constant: %lld mismatches in 7500 x 2^23 quotients\n",
              static_cast<long long>(total));
  return total == 0 ? 0 : 1;
}
