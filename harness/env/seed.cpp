#include "harness/env/seed.h"

#include <string>

#include "harness/base/hash.h"

namespace claimcheck::env {

std::uint64_t hash_seed(std::string_view text) {
  return base::hash64(text);
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
