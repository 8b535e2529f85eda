#include "web/http/rate_limiter.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <cmath>

namespace wenku::web {
namespace {

constexpr std::int64_t kStart = 1'000'000;

// Takes tokens until the first refusal; returns how many were granted (at most `cap`).
int granted_in_a_row(RateLimiter& limiter, std::string_view client, RateClass what, bool member,
                     std::int64_t now_ms, int cap = 10'000) {
  int granted = 0;
  while (granted < cap && limiter.take(client, what, member, now_ms) == 0) ++granted;
  return granted;
}

TEST(RateLimiter, AGuestGetsTheBurstThenWaitsForTheRate) {
  RateLimiter limiter;
  const RateRule rule = rate_rule(RateClass::kSearch, false);
  ASSERT_GE(rule.burst, 1);
  EXPECT_EQ(granted_in_a_row(limiter, "guest", RateClass::kSearch, false, kStart),
            static_cast<int>(rule.burst));
  // The refusal says how long until the next token: 60 / per_minute seconds.
  const int wait = limiter.take("guest", RateClass::kSearch, false, kStart);
  EXPECT_EQ(wait, static_cast<int>(std::ceil(60.0 / rule.per_minute)));
  // Just before that, still nothing; then exactly one.
  const auto token_ms = static_cast<std::int64_t>(60'000.0 / rule.per_minute);
  EXPECT_GT(limiter.take("guest", RateClass::kSearch, false, kStart + token_ms - 1), 0);
  EXPECT_EQ(limiter.take("guest", RateClass::kSearch, false, kStart + token_ms), 0);
  EXPECT_GT(limiter.take("guest", RateClass::kSearch, false, kStart + token_ms), 0);
  // A long pause refills the bucket to its burst, never beyond.
  EXPECT_EQ(granted_in_a_row(limiter, "guest", RateClass::kSearch, false, kStart + 3'600'000),
            static_cast<int>(rule.burst));
}

TEST(RateLimiter, MembersMayDoMoreThanGuests) {
  for (auto what : {RateClass::kSearch, RateClass::kSuggest, RateClass::kPage}) {
    EXPECT_GT(rate_rule(what, true).per_minute, rate_rule(what, false).per_minute);
    EXPECT_GT(rate_rule(what, true).burst, rate_rule(what, false).burst);
    // Still no hand-made rate is refused: a burst of ten and one a second are allowed.
    EXPECT_GE(rate_rule(what, false).burst, 10);
    EXPECT_GE(rate_rule(what, false).per_minute, 30);
  }
  RateLimiter limiter;
  EXPECT_EQ(granted_in_a_row(limiter, "m1", RateClass::kSearch, true, kStart),
            static_cast<int>(rate_rule(RateClass::kSearch, true).burst));
}

TEST(RateLimiter, ClientsAndClassesHaveBucketsOfTheirOwn) {
  RateLimiter limiter;
  granted_in_a_row(limiter, "a", RateClass::kSearch, false, kStart);
  EXPECT_GT(limiter.take("a", RateClass::kSearch, false, kStart), 0);
  EXPECT_EQ(limiter.take("b", RateClass::kSearch, false, kStart), 0);
  EXPECT_EQ(limiter.take("a", RateClass::kPage, false, kStart), 0);
  EXPECT_EQ(limiter.take("a", RateClass::kSuggest, false, kStart), 0);
}

TEST(RateLimiter, WorkersForkedAfterItShareTheBuckets) {
  RateLimiter limiter;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The worker empties the guest's bucket.
    granted_in_a_row(limiter, "shared", RateClass::kSearch, false, kStart);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_GT(limiter.take("shared", RateClass::kSearch, false, kStart), 0);
  EXPECT_EQ(limiter.take("unrelated", RateClass::kSearch, false, kStart), 0);
}

}  // namespace
}  // namespace wenku::web
