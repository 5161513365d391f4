// derive_seed known answers. Provenance: tests/env/reference/derive_seed_reference.py, an
// independent Python implementation of the documented algorithm (FNV-1a 64 + splitmix64 mix).
#include "harness/env/seed.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

namespace claimcheck::env {
namespace {

struct SeedCase {
  const char* claim;
  const char* arm;
  std::int64_t replicate;
  std::uint64_t expected;
};

// Output of `python3 tests/env/reference/derive_seed_reference.py`.
constexpr SeedCase kCases[] = {
    {"geglu-vs-relu-mnist", "relu", 0, 0xd4a336cb09db5817ULL},
    {"geglu-vs-relu-mnist", "geglu", 0, 0x0fba891b139bc1b8ULL},
    {"geglu-vs-relu-mnist", "relu", 1, 0xeb0ec400bfbebd2fULL},
    {"", "", 0, 0x6d23d644b9bbe8a8ULL},
    {"claim", "arm", -3, 0xf5d7f5543c544077ULL},
    {"activation-reproducibility", "swiglu", 123456789, 0xc912f109d68a6b22ULL},
};

TEST(DeriveSeed, MatchesIndependentReference) {
  for (const auto& c : kCases) {
    EXPECT_EQ(derive_seed(c.claim, c.arm, c.replicate), c.expected)
        << c.claim << " / " << c.arm << " / " << c.replicate;
  }
  EXPECT_EQ(hash_seed(""), 0xc3817c016ba4ff30ULL);
}

TEST(DeriveSeed, SeparatorKeepsFieldsApart) {
  // "ab"+"c" and "a"+"bc" must not collide: the 0x1F separator is part of the hashed key.
  EXPECT_NE(derive_seed("ab", "c", 0), derive_seed("a", "bc", 0));
  EXPECT_NE(derive_seed("a", "b", 12), derive_seed("a", "b1", 2));
}

TEST(DeriveSeed, DistinctAcrossReplicates) {
  std::set<std::uint64_t> seen;
  for (int r = 0; r < 10000; ++r)
    seen.insert(derive_seed("claim", "arm", r));
  EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace claimcheck::env
