// Random tokens, keyed MACs and digests for sessions, CSRF and the admin token, on libsodium
// (randombytes_buf, crypto_auth = HMAC-SHA-512-256, crypto_generichash = BLAKE2b). Every
// function throws std::runtime_error when libsodium cannot be initialised.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wenku::access {

// `bytes` random bytes (randombytes_buf) as lower-case hex, e.g. a 256-bit token for 32.
std::string random_hex(std::size_t bytes);

// The BLAKE2b digest of `data` keyed by `context` (16..64 bytes: domain separation), as
// `size` raw bytes (16..64).
std::string keyed_digest(std::string_view context, std::string_view data, std::size_t size);

// Lower-case hex of a 32-byte digest of a session token: what the store keeps instead of it.
std::string token_hash(std::string_view token);

// Equal strings, compared in time independent of where they differ (lengths are public).
bool same(std::string_view a, std::string_view b);

// MACs under one secret key: mac(domain, message) is 64 hex digits of HMAC-SHA-512-256 over
// domain '|' message, so MACs of different purposes (domains) never stand in for each other.
class MacKey {
 public:
  // Derives the key from `secret` under `context` (16..64 bytes); `secret` may be any length.
  MacKey(std::string_view context, std::string_view secret);
  std::string mac(std::string_view domain, std::string_view message) const;
  // True when `candidate` is mac(domain, message), compared in constant time.
  bool verify(std::string_view domain, std::string_view message, std::string_view candidate) const;

 private:
  std::string key_;
};

}  // namespace wenku::access
