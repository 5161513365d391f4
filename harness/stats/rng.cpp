#include "harness/stats/rng.h"

#include <cmath>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

// splitmix64 (Steele, Lea & Flood 2014), reference: https://prng.di.unimi.it/splitmix64.c
std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
  // splitmix64 never yields four zero words in a row, so the state is never all-zero.
  for (auto& word : s_)
    word = splitmix64(seed);
}

std::uint64_t Rng::next_u64() {
  // xoshiro256** 1.0, reference: https://prng.di.unimi.it/xoshiro256starstar.c
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

std::uint64_t Rng::uniform_int(std::uint64_t n) {
  if (n == 0) detail::fail("Rng::uniform_int", "argument 'n' must be >= 1, got 0");
  // Lemire (2019), Algorithm 5: the high word of a 128-bit product is uniform on [0, n) once the
  // low word is rejected when below 2^64 mod n.
  __extension__ using U128 = unsigned __int128;
  U128 m = static_cast<U128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<U128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Rng::normal() {
  // Marsaglia polar method: (u, v) uniform in the unit disc, s = u^2 + v^2,
  // u * sqrt(-2 ln s / s) ~ N(0, 1). The second deviate is discarded to keep the state simple.
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

std::uint64_t seed_from_string(std::string_view text) {
  // FNV-1a, 64-bit (Fowler, Noll & Vo; http://www.isthe.com/chongo/tech/comp/fnv/).
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace claimcheck::stats
