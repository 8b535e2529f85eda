// Argon2id password hashes (access/passwords.h), checked against libsodium itself.
#include "access/passwords.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace wenku::access {
namespace {

// A hash of `password` made directly by libsodium with the given limits.
std::string sodium_hash(const std::string& password, unsigned long long ops, std::size_t mem,
                        int alg = crypto_pwhash_ALG_ARGON2ID13) {
  EXPECT_GE(sodium_init(), 0);
  char out[crypto_pwhash_STRBYTES];
  EXPECT_EQ(crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, alg), 0);
  return out;
}

TEST(Passwords, HashIsArgon2idAtTheInteractiveLimits) {
  const std::string hash = hash_password("正确的密码-correct");
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << hash;
  EXPECT_LT(hash.size(), std::size_t{crypto_pwhash_STRBYTES});
  // libsodium's own check of the limits agrees.
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE),
            0);
  // Salted at random: the same password hashes differently each time.
  EXPECT_NE(hash_password("正确的密码-correct"), hash);
}

TEST(Passwords, VerifyAcceptsTheRightPasswordOnly) {
  const std::string hash = hash_password("正确的密码-correct");
  EXPECT_TRUE(verify_password(hash, "正确的密码-correct"));
  EXPECT_EQ(crypto_pwhash_str_verify(hash.c_str(), "正确的密码-correct",
                                     std::string("正确的密码-correct").size()),
            0);
  EXPECT_FALSE(verify_password(hash, "正确的密码-Correct"));
  EXPECT_FALSE(verify_password(hash, "正确的密码-correc"));
  EXPECT_FALSE(verify_password(hash, ""));
  // The whole password counts, bytes after a NUL included.
  const std::string with_nul("abc\0defgh", 9);
  const std::string nul_hash = hash_password(with_nul);
  EXPECT_TRUE(verify_password(nul_hash, with_nul));
  EXPECT_FALSE(verify_password(nul_hash, "abc"));
  EXPECT_FALSE(verify_password(nul_hash, std::string("abc\0defgX", 9)));
}

TEST(Passwords, MalformedHashesNeverVerify) {
  const std::string hash = hash_password("password-1");
  EXPECT_FALSE(verify_password("", "password-1"));
  EXPECT_FALSE(verify_password("password-1", "password-1"));
  EXPECT_FALSE(verify_password("$argon2id$", "password-1"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", "password-1"));
  EXPECT_FALSE(verify_password(hash.substr(0, hash.size() - 5), "password-1"));
  std::string changed = hash;
  changed[changed.size() - 3] = changed[changed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password(changed, "password-1"));
  // Too long for a hash (crypto_pwhash_STRBYTES or more), even when it starts with one.
  EXPECT_FALSE(verify_password(hash + std::string(crypto_pwhash_STRBYTES, 'A'), "password-1"));
  // A NUL inside: libsodium would read only the part before it.
  EXPECT_FALSE(verify_password(std::string("\0", 1) + hash, "password-1"));
}

TEST(Passwords, OnlyWeakerOrForeignHashesNeedARehash) {
  EXPECT_FALSE(password_needs_rehash(hash_password("password-1")));

  const std::string weak =
      sodium_hash("password-1", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
  ASSERT_TRUE(weak.starts_with("$argon2id$")) << weak;
  EXPECT_TRUE(verify_password(weak, "password-1"));  // still a valid hash: login works
  EXPECT_TRUE(password_needs_rehash(weak));
  // Fewer passes alone, or less memory alone, is weaker too.
  EXPECT_TRUE(
      password_needs_rehash(sodium_hash("password-1", 1, crypto_pwhash_MEMLIMIT_INTERACTIVE)));
  EXPECT_TRUE(password_needs_rehash(
      sodium_hash("password-1", crypto_pwhash_OPSLIMIT_INTERACTIVE, 32 * 1024 * 1024)));

  EXPECT_TRUE(password_needs_rehash(""));
  EXPECT_TRUE(password_needs_rehash("not a hash"));
  EXPECT_TRUE(password_needs_rehash(std::string(crypto_pwhash_STRBYTES, 'x')));
}

TEST(Passwords, SpendVerifyTimeReturns) {
  spend_verify_time("anything");
  spend_verify_time("");
  SUCCEED();
}

}  // namespace
}  // namespace wenku::access
