// Random tokens, token digests, constant-time comparison and domain-separated MACs
// (access/tokens.h).
#include "access/tokens.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace wenku::access {
namespace {

bool is_lower_hex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(RandomHex, IsFreshLowerCaseHexOfTwoDigitsPerByte) {
  EXPECT_EQ(random_hex(0), "");
  EXPECT_EQ(random_hex(1).size(), 2u);
  std::set<std::string> seen;
  std::string all;
  for (int i = 0; i < 200; ++i) {
    const std::string token = random_hex(32);
    ASSERT_EQ(token.size(), 64u) << token;
    ASSERT_TRUE(is_lower_hex(token)) << token;
    seen.insert(token);
    all += token;
  }
  EXPECT_EQ(seen.size(), 200u);  // 256 random bits never repeat
  // 12 800 random hex digits use every digit, letters included.
  for (char c : std::string("0123456789abcdef")) EXPECT_NE(all.find(c), std::string::npos) << c;
}

TEST(TokenHash, IsADeterministic64DigitHexDigestThatDiffersPerToken) {
  const std::string token = random_hex(32);
  const std::string hash = token_hash(token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_TRUE(is_lower_hex(hash)) << hash;
  EXPECT_EQ(token_hash(token), hash);
  EXPECT_NE(hash, token);
  std::string other = token;
  other.back() = other.back() == '0' ? '1' : '0';
  EXPECT_NE(token_hash(other), hash);
  EXPECT_NE(token_hash(random_hex(32)), hash);
  EXPECT_EQ(token_hash("").size(), 64u);
  EXPECT_NE(token_hash(""), token_hash("a"));
}

TEST(KeyedDigest, HasTheAskedSizeAndDependsOnTheContext) {
  const std::string a = keyed_digest("context-one-16by", "data", 32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(keyed_digest("context-one-16by", "data", 32), a);
  EXPECT_NE(keyed_digest("context-two-16by", "data", 32), a);
  EXPECT_NE(keyed_digest("context-one-16by", "datb", 32), a);
  EXPECT_EQ(keyed_digest("context-one-16by", "data", 64).size(), 64u);
}

TEST(Same, ComparesWholeStrings) {
  EXPECT_TRUE(same("", ""));
  EXPECT_TRUE(same("abcdef", "abcdef"));
  EXPECT_FALSE(same("abcdef", "abcdeg"));
  EXPECT_FALSE(same("abcdef", "bbcdef"));
  EXPECT_FALSE(same("abcdef", "abcde"));  // a prefix is not equal
  EXPECT_FALSE(same("abcde", "abcdef"));
  EXPECT_FALSE(same("", "a"));
  EXPECT_TRUE(same(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(same(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(MacKey, MacsAreHexAndVerify) {
  const MacKey key("wenku-test-ctx!!", "the site secret");
  const std::string mac = key.mac("csrf", "session-token");
  EXPECT_EQ(mac.size(), 64u);
  EXPECT_TRUE(is_lower_hex(mac)) << mac;
  EXPECT_EQ(key.mac("csrf", "session-token"), mac);
  EXPECT_TRUE(key.verify("csrf", "session-token", mac));
  EXPECT_NE(key.mac("csrf", "other-token"), mac);
  EXPECT_FALSE(key.verify("csrf", "other-token", mac));
}

TEST(MacKey, DomainsAreSeparate) {
  const MacKey key("wenku-test-ctx!!", "the site secret");
  const std::string mac = key.mac("csrf", "message");
  EXPECT_NE(key.mac("admin", "message"), mac);
  EXPECT_FALSE(key.verify("admin", "message", mac));
  EXPECT_FALSE(key.verify("", "message", mac));
  EXPECT_FALSE(key.verify("csrf", "message", key.mac("admin", "message")));
}

TEST(MacKey, AnotherKeyFails) {
  const MacKey key("wenku-test-ctx!!", "the site secret");
  const std::string mac = key.mac("csrf", "message");
  EXPECT_TRUE(MacKey("wenku-test-ctx!!", "the site secret").verify("csrf", "message", mac));
  const MacKey other_secret("wenku-test-ctx!!", "another secret");
  EXPECT_FALSE(other_secret.verify("csrf", "message", mac));
  EXPECT_NE(other_secret.mac("csrf", "message"), mac);
  const MacKey other_context("wenku-other-ctx!", "the site secret");
  EXPECT_FALSE(other_context.verify("csrf", "message", mac));
  // Any secret length works, the empty one included, and keys differ.
  const MacKey empty("wenku-test-ctx!!", "");
  EXPECT_FALSE(empty.verify("csrf", "message", mac));
  EXPECT_TRUE(empty.verify("csrf", "message", empty.mac("csrf", "message")));
  const MacKey long_secret("wenku-test-ctx!!", std::string(1000, 's'));
  EXPECT_TRUE(long_secret.verify("csrf", "message", long_secret.mac("csrf", "message")));
  EXPECT_FALSE(long_secret.verify("csrf", "message", mac));
}

TEST(MacKey, TamperedMacsFail) {
  const MacKey key("wenku-test-ctx!!", "the site secret");
  const std::string mac = key.mac("csrf", "message");
  for (std::size_t i = 0; i < mac.size(); ++i) {
    std::string tampered = mac;
    tampered[i] = tampered[i] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(key.verify("csrf", "message", tampered)) << i;
  }
  EXPECT_FALSE(key.verify("csrf", "message", mac.substr(0, 63)));
  EXPECT_FALSE(key.verify("csrf", "message", mac + "0"));
  EXPECT_FALSE(key.verify("csrf", "message", ""));
  std::string upper = mac;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, mac);  // 64 random hex digits hold a letter
  EXPECT_FALSE(key.verify("csrf", "message", upper));
}

}  // namespace
}  // namespace wenku::access
