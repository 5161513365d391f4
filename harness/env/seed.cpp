#include "harness/env/seed.h"

#include <string>

namespace claimcheck::env {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnvOffset) {
  for (const char c : bytes) {
    h ^= static_cast<std::uint8_t>(c);
    h *= kFnvPrime;
  }
  return h;
}

// splitmix64's output function: a bijection on uint64_t with good avalanche.
std::uint64_t splitmix64_mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t hash_seed(std::string_view text) {
  return splitmix64_mix(fnv1a(text));
}

std::uint64_t derive_seed(std::string_view claim_id, std::string_view arm, std::int64_t replicate) {
  std::string key;
  key.reserve(claim_id.size() + arm.size() + 24);
  key.append(claim_id).push_back('\x1f');
  key.append(arm).push_back('\x1f');
  key.append(std::to_string(replicate));
  return hash_seed(key);
}

}  // namespace claimcheck::env
