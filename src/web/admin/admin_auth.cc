#include "web/admin/admin_auth.h"

#include <charconv>
#include <stdexcept>

#include "access/tokens.h"

namespace wenku::web {

namespace {

constexpr std::size_t kNonceBytes = 16;
constexpr std::size_t kTokenDigestBytes = 32;

std::string_view non_empty(std::string_view token) {
  if (token.empty()) throw std::invalid_argument("the admin token must not be empty");
  return token;
}

}  // namespace

// The key contexts are 16 bytes long (crypto_generichash keys must be 16..64 bytes).
AdminAuth::AdminAuth(std::string_view token)
    : key_("wenku-admin-key!", non_empty(token)),
      token_digest_(access::keyed_digest("wenku-admin-tok!", token, kTokenDigestBytes)) {}

bool AdminAuth::token_matches(std::string_view candidate) const {
  return access::same(access::keyed_digest("wenku-admin-tok!", candidate, kTokenDigestBytes),
                      token_digest_);
}

std::string AdminAuth::new_session(std::int64_t now) const {
  const std::string body =
      std::to_string(now + kAdminSessionSeconds) + "." + access::random_hex(kNonceBytes);
  return body + "." + key_.mac("session", body);
}

bool AdminAuth::session_valid(std::string_view session, std::int64_t now) const {
  const auto dot = session.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view body = session.substr(0, dot);
  if (!key_.verify("session", body, session.substr(dot + 1))) return false;
  std::int64_t expiry = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), expiry);
  if (ec != std::errc() || end == body.data() + body.size() || *end != '.') return false;
  return expiry > now && expiry <= now + kAdminSessionSeconds;
}

std::string AdminAuth::csrf_for(std::string_view session) const {
  return key_.mac("csrf", session);
}

bool AdminAuth::csrf_valid(std::string_view session, std::string_view csrf) const {
  return key_.verify("csrf", session, csrf);
}

}  // namespace wenku::web
