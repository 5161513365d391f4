// The one 64-bit hash of the project (run keys, spec hashes, artifact checksums, evaluation-set
// hashes, seeds): FNV-1a 64 over the bytes, then the splitmix64 finaliser (Steele et al. 2014) to
// spread nearby inputs. Only byte arithmetic on uint64_t: the same on every platform, so every
// stored key and hash stays valid across machines. Known answers: tests/base/hash_test.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace claimcheck::base {

/// FNV-1a 64 over `bytes`, then splitmix64's finaliser.
std::uint64_t hash64(std::string_view bytes);

/// `value` as 16 lower-case hex digits, zero-padded ("000000000000002a").
std::string hex16(std::uint64_t value);

/// hex16(hash64(bytes)): the form every stored key and hash takes.
std::string hash_hex(std::string_view bytes);

}  // namespace claimcheck::base
