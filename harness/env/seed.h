// Seeds for runs, derived from names so they are stable across platforms, compilers and runs.
#pragma once

#include <cstdint>
#include <string_view>

namespace claimcheck::env {

/// A 64-bit seed for (claim, arm, replicate): FNV-1a 64 over the UTF-8 bytes of
/// `claim_id 0x1F arm 0x1F decimal(replicate)`, then the splitmix64 finaliser (Steele et al.
/// 2014) to spread nearby inputs. Only byte arithmetic on uint64_t: the same on every platform.
std::uint64_t derive_seed(std::string_view claim_id, std::string_view arm, std::int64_t replicate);

/// The same hash over one string, for seeds that depend on a single name (e.g. a claim id).
std::uint64_t hash_seed(std::string_view text);

}  // namespace claimcheck::env
