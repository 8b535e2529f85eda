#include "web/site/dates.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <optional>

#include "web/http/http.h"

namespace wenku::web {
namespace {

constexpr std::int64_t kChinaUtcOffsetSeconds = 8 * 3600;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> number(std::string_view s) {
  int n = 0;
  if (!all_digits(s) || std::from_chars(s.data(), s.data() + s.size(), n).ec != std::errc{}) {
    return std::nullopt;
  }
  return n;
}

// The year, month and day of a date field; month and day 0 when the field lacks them;
// nullopt for anything but "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a month 1..12 and a day 1..31.
struct DateParts {
  int year = 0, month = 0, day = 0;
};
std::optional<DateParts> date_parts(std::string_view date) {
  if (date.size() != 4 && date.size() != 7 && date.size() != 10) return std::nullopt;
  DateParts parts;
  auto year = number(date.substr(0, 4));
  if (!year) return std::nullopt;
  parts.year = *year;
  if (date.size() >= 7) {
    auto month = date[4] == '-' ? number(date.substr(5, 2)) : std::nullopt;
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    parts.month = *month;
  }
  if (date.size() == 10) {
    auto day = date[7] == '-' ? number(date.substr(8, 2)) : std::nullopt;
    if (!day || *day < 1 || *day > 31) return std::nullopt;
    parts.day = *day;
  }
  return parts;
}

}  // namespace

std::string published_label(std::string_view date) {
  auto parts = date_parts(date);
  if (!parts) return "";
  if (parts->month == 0) return fmt::format("{}年", parts->year);
  if (parts->day == 0) return fmt::format("{}年{}月", parts->year, parts->month);
  return fmt::format("{}年{}月{}日", parts->year, parts->month, parts->day);
}

std::string published_datetime(std::string_view date) {
  return date_parts(date) ? std::string(date) : std::string();
}

std::string china_minute(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds + kChinaUtcOffsetSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

std::string received_label(std::string_view created_at) {
  auto utc = parse_utc_timestamp(created_at);
  return utc ? china_minute(*utc) : std::string();
}

std::string listed_title(std::string_view title, std::string_view date, bool prefix_dates) {
  auto parts = date_parts(date);
  const bool has_prefix = title.size() > 9 && title[8] == ':' && all_digits(title.substr(0, 8));
  if (!prefix_dates || !parts || parts->day == 0 || has_prefix) return std::string(title);
  return fmt::format("{:04}{:02}{:02}:{}", parts->year, parts->month, parts->day, title);
}

}  // namespace wenku::web
