#include "web/http/rate_limiter.h"

#include <xxhash.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <new>

namespace wenku::web {

namespace {

// One bucket: whose it is (a hash of the client and the class; 0: free) and its state, the
// time of its last change in milliseconds above kTokenBits bits of thousandths of tokens. The
// two words are written apart: a race between two new clients of one slot at the same moment
// can only hand one of them a full bucket, never refuse anyone.
struct Slot {
  std::atomic<std::uint64_t> owner;
  std::atomic<std::uint64_t> state;
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

constexpr int kTokenBits = 20;
constexpr std::uint64_t kTokenMask = (std::uint64_t{1} << kTokenBits) - 1;
constexpr std::uint64_t kMilli = 1000;  // thousandths of a token per token

std::uint64_t pack(std::int64_t ms, std::uint64_t milli_tokens) {
  return (static_cast<std::uint64_t>(std::max<std::int64_t>(ms, 0)) << kTokenBits) |
         std::min(milli_tokens, kTokenMask);
}

Slot* slots(const SharedMemory& memory) { return static_cast<Slot*>(memory.data()); }

}  // namespace

std::string_view rate_class_name(RateClass what) {
  switch (what) {
    case RateClass::kSearch:
      return "search";
    case RateClass::kSuggest:
      return "suggest";
    case RateClass::kPage:
      return "page";
  }
  return "page";
}

RateRule rate_rule(RateClass what, bool member) {
  switch (what) {
    case RateClass::kSearch:
      return member ? RateRule{120, 60} : RateRule{30, 20};
    case RateClass::kSuggest:
      return member ? RateRule{300, 100} : RateRule{120, 40};
    case RateClass::kPage:
      return member ? RateRule{240, 120} : RateRule{60, 30};
  }
  return {};
}

RateLimiter::RateLimiter() : memory_(kSlots * sizeof(Slot)) {
  for (std::size_t i = 0; i < kSlots; ++i) new (&slots(memory_)[i]) Slot{{0}, {0}};
}

int RateLimiter::take(std::string_view client, RateClass what, bool member, std::int64_t now_ms) {
  const RateRule rule = rate_rule(what, member);
  const auto full = static_cast<std::uint64_t>(rule.burst * kMilli);
  const std::uint64_t owner =
      XXH3_64bits_withSeed(client.data(), client.size(), static_cast<std::uint64_t>(what)) | 1;
  Slot& slot = slots(memory_)[(owner >> 1) % kSlots];
  if (slot.owner.load(std::memory_order_acquire) != owner) {
    slot.state.store(pack(now_ms, full), std::memory_order_relaxed);
    slot.owner.store(owner, std::memory_order_release);
  }
  std::uint64_t state = slot.state.load(std::memory_order_relaxed);
  for (;;) {
    const auto last = static_cast<std::int64_t>(state >> kTokenBits);
    const double elapsed = static_cast<double>(std::max<std::int64_t>(now_ms - last, 0));
    const auto refill = static_cast<std::uint64_t>(elapsed * rule.per_minute * kMilli / 60000.0);
    const std::uint64_t tokens = std::min(full, (state & kTokenMask) + refill);
    if (tokens < kMilli) {
      const double wait_ms = static_cast<double>(kMilli - tokens) * 60000.0 /
                             (rule.per_minute * static_cast<double>(kMilli));
      return std::max(1, static_cast<int>(std::ceil(wait_ms / 1000.0)));
    }
    // Time moves on only with the tokens it brought, so that no fraction is lost.
    const std::int64_t moved = refill == 0 ? last : now_ms;
    if (slot.state.compare_exchange_weak(state, pack(moved, tokens - kMilli),
                                         std::memory_order_relaxed)) {
      return 0;
    }
  }
}

}  // namespace wenku::web
