// Rng: the library's own seeded pseudo-random generator, so every resample and permutation
// reproduces bit-for-bit on every platform and standard library (std::*_distribution do not).
//
// Algorithm: xoshiro256** 1.0 (Blackman & Vigna 2018,
// https://prng.di.unimi.it/xoshiro256starstar.c), its 256-bit state filled from the 64-bit seed by
// splitmix64 (https://prng.di.unimi.it/splitmix64.c), as the authors recommend. Integer outputs
// (next_u64, uniform_int) are exact integer arithmetic and hence identical everywhere; uniform() is
// exact too; normal() calls std::log and std::sqrt (sqrt is correctly rounded by IEEE 754, log by
// glibc to < 1 ulp).
//
// Degenerate input: uniform_int(0) throws std::invalid_argument (an empty range); every seed,
// 0 included, gives a valid non-zero state.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace claimcheck::stats {

/// Seeded xoshiro256** generator with platform-stable distributions.
class Rng {
 public:
  /// Seeds the 256-bit state with four successive splitmix64 outputs of `seed`.
  explicit Rng(std::uint64_t seed);

  /// Next raw 64-bit output of xoshiro256**.
  std::uint64_t next_u64();

  /// Uniform double in [0, 1) with 53 random bits: (next_u64() >> 11) * 2^-53.
  double uniform();

  /// Unbiased uniform integer in [0, n), Lemire's multiply-and-reject method
  /// (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1)); n >= 1.
  std::uint64_t uniform_int(std::uint64_t n);

  /// Standard normal deviate, Marsaglia's polar method (Marsaglia & Bray 1964); no cached spare.
  double normal();

 private:
  std::array<std::uint64_t, 4> s_;
};

/// 64-bit FNV-1a hash of a string, e.g. to derive a resampling seed from a claim id.
std::uint64_t seed_from_string(std::string_view text);

}  // namespace claimcheck::stats
