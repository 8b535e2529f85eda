// 本周热门 / 本月热门: the documents read most over the last 7 or 30 days (Store::hot), 范文
// before 资料 (store::CategoryKind), kept in memory for a minute so the pages that show them
// cost no query each.
#pragma once

#include <chrono>
#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "web/http/ttl_cache.h"

namespace wenku::web {

enum class HotPeriod { kWeek, kMonth };

// "week" or "month" (also "" : week); nullopt for anything else.
std::optional<HotPeriod> parse_hot_period(std::string_view name);

// "week" or "month", as parse_hot_period reads it.
std::string_view hot_period_name(HotPeriod period);

// The local calendar day ("YYYY-MM-DD", as ViewEvent days are) `days_back` days before the
// day of `now`.
std::string local_day(std::time_t now, int days_back = 0);

// The first day of `period` ending on the day of `now`: 6 days back for a week, 29 for a
// month, so each period counts today and the days before it.
std::string hot_since_day(HotPeriod period, std::time_t now);

// The hot lists, cached. Thread-safe.
class HotLists {
 public:
  static constexpr std::size_t kMaxLimit = 50;  // longest list kept (the /hot page)

  // `store` must outlive this object. Lists are re-read when older than `ttl` and when the
  // calendar day changes.
  explicit HotLists(store::Store& store,
                    std::chrono::steady_clock::duration ttl = std::chrono::seconds(60));

  // The `limit` (at most kMaxLimit) documents read most in `period`: the 范文, most first,
  // then, only when there are fewer than `limit` of them, 资料, most first. Documents without
  // views in the period are not listed. A change of a category's kind shows within the ttl.
  std::vector<store::HotDoc> top(HotPeriod period, std::size_t limit);

 private:
  store::Store& store_;
  TtlCache<std::vector<store::HotDoc>> cache_;
};

}  // namespace wenku::web
