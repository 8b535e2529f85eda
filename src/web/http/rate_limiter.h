// Per-client rate limits (token buckets) shared by every worker process of a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/http/shared_memory.h"

namespace wenku::web {

// What a rate limit counts: searches (pages and API, related lists), suggestions as one
// types, and document views (the page, its 模板版 and 任务分解表, the API's document).
enum class RateClass : std::uint8_t { kSearch, kSuggest, kPage };
inline constexpr std::size_t kRateClasses = 3;

// "search", "suggest", "page".
std::string_view rate_class_name(RateClass what);

// A token bucket: `per_minute` tokens flow in, at most `burst` are held.
struct RateRule {
  double per_minute = 0;
  double burst = 0;
};

// The rule of `what` for a guest (keyed by client address) or a signed-in member (keyed by
// account): members may do several times what guests may, and no person reading or searching
// by hand reaches either.
RateRule rate_rule(RateClass what, bool member);

// Token buckets in shared memory: one per client and class, in a fixed table of kSlots
// (a new client takes over its slot with a full bucket, so a table full of other clients
// never refuses anyone wrongly). Thread- and process-safe (atomics only). Share it with
// workers by making it before they are forked.
class RateLimiter {
 public:
  static constexpr std::size_t kSlots = 1 << 16;

  RateLimiter();

  // Takes one token from the bucket of `client` (an opaque key: web::client_key for guests,
  // an account id for members) for `what` under rate_rule(what, member), at `now_ms`
  // milliseconds of a clock all processes share (CLOCK_MONOTONIC). Returns 0 when granted,
  // otherwise the whole seconds (at least 1) until the bucket holds a token again, for
  // Retry-After; a refusal takes nothing.
  int take(std::string_view client, RateClass what, bool member, std::int64_t now_ms);

 private:
  SharedMemory memory_;
};

}  // namespace wenku::web
