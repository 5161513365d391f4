// base::hash64 / hash_hex against an independent Python implementation
// (tests/base/reference/hash_reference.py printed these values).
#include "harness/base/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace claimcheck::base {
namespace {

TEST(Hash, MatchesTheReferenceImplementation) {
  EXPECT_EQ(hash_hex(""), "c3817c016ba4ff30");
  EXPECT_EQ(hash_hex("a"), "5f29c2aadd9b8527");
  EXPECT_EQ(hash_hex("claimcheck"), "a2fd831a90e0ea30");
  EXPECT_EQ(hash_hex(R"({"device":"cpu"})"), "5fb247b19b56b7e7");
  std::string all_bytes;
  for (int c = 0; c < 256; ++c)
    all_bytes.push_back(static_cast<char>(c));
  EXPECT_EQ(hash_hex(all_bytes), "f8247f1def37cd96");
}

TEST(Hash, Hex16PadsWithZeros) {
  EXPECT_EQ(hex16(0), "0000000000000000");
  EXPECT_EQ(hex16(42), "000000000000002a");
  EXPECT_EQ(hex16(~std::uint64_t{0}), "ffffffffffffffff");
}

}  // namespace
}  // namespace claimcheck::base
