// How the site shows a document's dates: 发布时间 is the date its source gives, as precise as
// the source is; 收录时间 is when the library received it. Neither is ever invented.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wenku::web {

// The 发布时间 of a document whose `date` field (doc::Document::date) is `date`:
// "2020-11-24" -> "2020年11月24日", "2020-11" -> "2020年11月", "2016" -> "2016年" (all 政府工作报告
// give only the year), "" or anything else -> "" (not shown). Leading zeros of month and day are
// dropped, as Chinese dates are written (2020年1月8日).
std::string published_label(std::string_view date);

// The machine-readable form of the same date for <time datetime>: "2020-11-24", "2020-11",
// "2016" (valid HTML date strings), "" when published_label is "".
std::string published_datetime(std::string_view date);

// Unix time `unix_seconds` as readers in China read it: "YYYY-MM-DD HH:MM" in China Standard
// Time (UTC+8, no daylight saving).
std::string china_minute(std::int64_t unix_seconds);

// The 收录时间 of a document created at `created_at` ("YYYY-MM-DD HH:MM:SS", UTC, as the store
// keeps it): the same moment in China time to the minute, "2026-12-06 19:20"; "" when
// `created_at` is not such a timestamp.
std::string received_label(std::string_view created_at);

// `title` as lists and pages show it when the site setting 标题日期前缀 is on: the document's
// day as "YYYYMMDD:" before the title, as 公文 sites list 范文 ("20201124:在…上的讲话"). Only
// where the day is known (`date` is "YYYY-MM-DD"), and not twice: a title that already starts
// with eight digits and a colon is returned as it is. With `prefix_dates` false, `title`.
std::string listed_title(std::string_view title, std::string_view date, bool prefix_dates);

}  // namespace wenku::web
