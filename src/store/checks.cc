#include "store/checks.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <chrono>
#include <limits>
#include <string>
#include <utility>

#include "text/utf8.h"

namespace wenku::store {

void require_storable(const doc::Document& d, std::size_t index) {
  static constexpr std::array<std::pair<const char*, std::string doc::Document::*>, 9> kFields = {{
      {"id", &doc::Document::id},
      {"title", &doc::Document::title},
      {"date", &doc::Document::date},
      {"category", &doc::Document::category},
      {"subcategory", &doc::Document::subcategory},
      {"source", &doc::Document::source},
      {"url", &doc::Document::url},
      {"content", &doc::Document::content},
      {"source_note", &doc::Document::source_note},
  }};
  auto reject = [index](const std::string& why) {
    throw StoreError(fmt::format("store put: document #{} of the batch: {}", index, why));
  };
  for (const auto& [name, member] : kFields) {
    if (auto bad = text::find_invalid_utf8(d.*member)) {
      reject(fmt::format("{} is not valid UTF-8 (byte {})", name, *bad));
    }
  }
  if (d.id.empty()) reject("id is empty");
  if (d.title.empty()) reject(fmt::format("title of \"{}\" is empty", d.id));
}

void require_text(std::string_view operation, std::string_view field, std::string_view value) {
  if (auto bad = text::find_invalid_utf8(value)) {
    throw StoreError(
        fmt::format("store {}: {} is not valid UTF-8 (byte {})", operation, field, *bad));
  }
}

void require_texts(std::string_view operation,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  for (const auto& [field, value] : fields) require_text(operation, field, value);
}

void require_name(std::string_view operation, std::string_view field, std::string_view value) {
  if (value.empty()) throw StoreError(fmt::format("store {}: {} is empty", operation, field));
  require_text(operation, field, value);
}

bool is_day(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return false;
  static constexpr std::array<std::pair<std::size_t, std::size_t>, 3> kFields = {
      {{0, 4}, {5, 2}, {8, 2}}};  // year, month, day: offset and length
  std::array<unsigned, 3> values{};
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    const char* first = day.data() + kFields[i].first;
    const char* last = first + kFields[i].second;
    auto [end, ec] = std::from_chars(first, last, values[i]);  // digits only, no sign
    if (ec != std::errc() || end != last) return false;
  }
  using namespace std::chrono;
  return year_month_day(year(static_cast<int>(values[0])), month(values[1]),
                        std::chrono::day(values[2]))
      .ok();
}

void require_days(const std::vector<ViewEvent>& events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!is_day(events[i].day)) {
      throw StoreError(fmt::format("store add_views: event #{}: day \"{}\" is not YYYY-MM-DD", i,
                                   text::is_valid_utf8(events[i].day) ? events[i].day : "?"));
    }
  }
}

void require_role(std::string_view operation, std::string_view role, std::string_view vip_until) {
  if (role != "member" && role != "vip" && role != "admin") {
    throw StoreError(fmt::format("store {}: role \"{}\" is not member, vip or admin", operation,
                                 text::is_valid_utf8(role) ? role : "?"));
  }
  if (!vip_until.empty() && !is_day(vip_until)) {
    throw StoreError(fmt::format("store {}: vip_until \"{}\" is not YYYY-MM-DD", operation,
                                 text::is_valid_utf8(vip_until) ? vip_until : "?"));
  }
}

void require_collection(const Collection& collection) {
  const auto& slug = collection.slug;
  if (slug.empty() ||
      slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    throw StoreError(fmt::format("store put_collection: slug \"{}\" is not [a-z0-9-]+",
                                 text::is_valid_utf8(slug) ? slug : "?"));
  }
  require_text("put_collection", "the title", collection.title);
  require_text("put_collection", "the description", collection.description);
}

doc::Visibility visibility_from_word(std::string_view word) {
  if (auto v = doc::parse_visibility(word)) return *v;
  throw StoreError(fmt::format("store: stored visibility \"{}\" is unknown",
                               text::is_valid_utf8(word) ? word : "?"));
}

std::string_view kind_code(CategoryKind kind) {
  return kind == CategoryKind::kReference ? "reference" : "model";
}

std::string kind_condition(std::string_view column, std::optional<CategoryKind> kind) {
  if (!kind) return "";
  return fmt::format(" AND {} {}IN (SELECT name FROM category_kinds WHERE kind = 'reference')",
                     column, *kind == CategoryKind::kReference ? "" : "NOT ");
}

std::int64_t sql_count(std::size_t n) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(n, kMax));
}

}  // namespace wenku::store
