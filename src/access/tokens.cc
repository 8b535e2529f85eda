#include "access/tokens.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace wenku::access {

namespace {

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();  // the terminating NUL
  return hex;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  if (bytes == 0) return "";  // randombytes_buf must not get the null data() of an empty vector
  init_sodium();
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  return to_hex(buffer.data(), buffer.size());
}

std::string keyed_digest(std::string_view context, std::string_view data, std::size_t size) {
  init_sodium();
  std::string out(size, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     reinterpret_cast<const unsigned char*>(context.data()), context.size());
  return out;
}

std::string token_hash(std::string_view token) {
  const std::string raw = keyed_digest("wenku-session-t!", token, crypto_generichash_BYTES);
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

MacKey::MacKey(std::string_view context, std::string_view secret)
    : key_(keyed_digest(context, secret, crypto_auth_KEYBYTES)) {}

std::string MacKey::mac(std::string_view domain, std::string_view message) const {
  std::string input;
  input.reserve(domain.size() + 1 + message.size());
  input.append(domain).append(1, '|').append(message);
  unsigned char out[crypto_auth_BYTES];
  crypto_auth(out, reinterpret_cast<const unsigned char*>(input.data()), input.size(),
              reinterpret_cast<const unsigned char*>(key_.data()));
  return to_hex(out, sizeof out);
}

bool MacKey::verify(std::string_view domain, std::string_view message,
                    std::string_view candidate) const {
  return same(candidate, mac(domain, message));
}

}  // namespace wenku::access
