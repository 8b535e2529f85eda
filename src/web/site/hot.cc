#include "web/site/hot.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

namespace wenku::web {

std::optional<HotPeriod> parse_hot_period(std::string_view name) {
  if (name.empty() || name == "week") return HotPeriod::kWeek;
  if (name == "month") return HotPeriod::kMonth;
  return std::nullopt;
}

std::string_view hot_period_name(HotPeriod period) {
  return period == HotPeriod::kWeek ? "week" : "month";
}

std::string local_day(std::time_t now, int days_back) {
  std::tm tm{};
  localtime_r(&now, &tm);
  // Step back in calendar days (mktime normalises the day of month), not in 86400-second
  // steps, which daylight saving time would skew.
  tm.tm_mday -= days_back;
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);
  localtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string hot_since_day(HotPeriod period, std::time_t now) {
  return local_day(now, period == HotPeriod::kWeek ? 6 : 29);
}

HotLists::HotLists(store::Store& store, std::chrono::steady_clock::duration ttl)
    : store_(store), cache_(ttl, 8) {}

std::vector<store::HotDoc> HotLists::top(HotPeriod period, std::size_t limit) {
  const std::string since = hot_since_day(period, std::time(nullptr));
  auto all = cache_.get(since + std::string(hot_period_name(period)), [&] {
    auto list = store_.hot(since, kMaxLimit, store::CategoryKind::kModel);
    if (list.size() < kMaxLimit) {
      auto reference = store_.hot(since, kMaxLimit - list.size(), store::CategoryKind::kReference);
      list.insert(list.end(), std::make_move_iterator(reference.begin()),
                  std::make_move_iterator(reference.end()));
    }
    return list;
  });
  limit = std::min({limit, kMaxLimit, all->size()});
  return {all->begin(), all->begin() + static_cast<std::ptrdiff_t>(limit)};
}

}  // namespace wenku::web
