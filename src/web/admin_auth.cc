#include "web/admin_auth.h"

#include <charconv>
#include <stdexcept>
#include <vector>

#include <sodium.h>

namespace wenku::web {

namespace {

constexpr std::size_t kNonceBytes = 16;

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();  // the terminating NUL
  return hex;
}

// The generic hash (BLAKE2b) of `data` under `context` (a domain-separation key), as raw
// bytes of `size`.
std::string digest(std::string_view context, std::string_view data, std::size_t size) {
  std::string out(size, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     reinterpret_cast<const unsigned char*>(context.data()), context.size());
  return out;
}

// Equal strings, in time independent of where they differ (lengths are public).
bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  init_sodium();
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  return to_hex(buffer.data(), buffer.size());
}

AdminAuth::AdminAuth(std::string_view token) {
  if (token.empty()) throw std::invalid_argument("the admin token must not be empty");
  init_sodium();
  // crypto_generichash keys must be 16..64 bytes: the contexts are 16 bytes long.
  key_ = digest("wenku-admin-key!", token, crypto_auth_KEYBYTES);
  token_digest_ = digest("wenku-admin-tok!", token, crypto_generichash_BYTES);
}

bool AdminAuth::token_matches(std::string_view candidate) const {
  return same(digest("wenku-admin-tok!", candidate, crypto_generichash_BYTES), token_digest_);
}

std::string AdminAuth::mac(std::string_view domain, std::string_view message) const {
  std::string input;
  input.reserve(domain.size() + 1 + message.size());
  input.append(domain).append(1, '|').append(message);
  unsigned char out[crypto_auth_BYTES];
  crypto_auth(out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
              reinterpret_cast<const unsigned char*>(key_.data()));
  return to_hex(out, sizeof out);
}

std::string AdminAuth::new_session(std::int64_t now) const {
  const std::string body =
      std::to_string(now + kAdminSessionSeconds) + "." + random_hex(kNonceBytes);
  return body + "." + mac("session", body);
}

bool AdminAuth::session_valid(std::string_view session, std::int64_t now) const {
  const auto dot = session.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view body = session.substr(0, dot);
  if (!same(session.substr(dot + 1), mac("session", body))) return false;
  std::int64_t expiry = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), expiry);
  if (ec != std::errc() || end == body.data() + body.size() || *end != '.') return false;
  return expiry > now && expiry <= now + kAdminSessionSeconds;
}

std::string AdminAuth::csrf_for(std::string_view session) const { return mac("csrf", session); }

bool AdminAuth::csrf_valid(std::string_view session, std::string_view csrf) const {
  return same(csrf, csrf_for(session));
}

}  // namespace wenku::web
