// The admin's bootstrap-token guard (before accounts exist): token check, stateless session
// cookies any server process holding the token can verify, and CSRF tokens bound to a
// session. Built on libsodium (crypto_auth = HMAC-SHA-512-256, randombytes_buf,
// sodium_memcmp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "access/tokens.h"

namespace wenku::web {

// How long an admin session lasts.
inline constexpr std::int64_t kAdminSessionSeconds = 12 * 3600;

class AdminAuth {
 public:
  // `token` is the bootstrap token; it must not be empty (std::invalid_argument).
  // Throws std::runtime_error when libsodium cannot be initialised.
  explicit AdminAuth(std::string_view token);

  // True when `candidate` is the token. The comparison takes the same time wherever the
  // first difference lies (both sides are hashed, then compared with sodium_memcmp).
  bool token_matches(std::string_view candidate) const;

  // A new session id valid until `now` + kAdminSessionSeconds:
  // "<expiry>.<32 hex random>.<64 hex MAC of both keyed by the token>". Only [0-9a-f.]
  // characters, so it is a valid cookie value.
  std::string new_session(std::int64_t now) const;

  // True when `session` was made by new_session with this token and has not expired at
  // `now` (nor expires implausibly far in the future).
  bool session_valid(std::string_view session, std::int64_t now) const;

  // The CSRF token of the forms of `session` (64 hex digits; a MAC of it, so no storage).
  std::string csrf_for(std::string_view session) const;

  // True when `csrf` is csrf_for(`session`), compared in constant time.
  bool csrf_valid(std::string_view session, std::string_view csrf) const;

 private:
  access::MacKey key_;        // derived from the token
  std::string token_digest_;  // generic hash of the token, for token_matches
};

}  // namespace wenku::web
