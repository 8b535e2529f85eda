// Password hashes: Argon2id through libsodium's crypto_pwhash_str, at libsodium's
// "interactive" limits (64 MiB, 2 passes) or the stronger limits a later version sets here.
#pragma once

#include <string>
#include <string_view>

namespace wenku::access {

// The longest password accepted, in bytes: hashing cost does not grow with the length, but
// a bound keeps request bodies and comparisons small.
inline constexpr std::size_t kMaxPasswordBytes = 256;

// An Argon2id hash of `password` ("$argon2id$v=19$m=…"), salted at random. Takes about
// 0.1 s and 64 MiB. Throws std::runtime_error when libsodium cannot initialise or the memory
// cannot be had.
std::string hash_password(std::string_view password);

// True when `hash` (from hash_password) is the hash of `password`; false for a wrong
// password and for anything that is not such a hash. Takes as long as hash_password.
bool verify_password(std::string_view hash, std::string_view password);

// True when `hash` was made with weaker limits than hash_password uses now (or is not a
// hash of ours): the caller rehashes the password at the next successful login.
bool password_needs_rehash(std::string_view hash);

// Spends the time of one verify_password on a fixed hash: a login for an unknown account
// answers after the same work as one for a known account with a wrong password.
void spend_verify_time(std::string_view password);

}  // namespace wenku::access
