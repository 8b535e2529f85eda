#include "doc/document.h"

#include <charconv>

namespace wenku::doc {

namespace {

// Calls `visit` with each paragraph of `content`, in order (see paragraphs).
template <typename Visit>
void for_each_paragraph(std::string_view content, Visit&& visit) {
  while (!content.empty()) {
    auto nl = content.find('\n');
    auto line = content.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) visit(line);
    if (nl == std::string_view::npos) break;
    content.remove_prefix(nl + 1);
  }
}

}  // namespace

std::vector<std::string_view> paragraphs(std::string_view content) {
  std::vector<std::string_view> out;
  for_each_paragraph(content, [&](std::string_view p) { out.push_back(p); });
  return out;
}

std::size_t paragraph_count(std::string_view content) {
  std::size_t count = 0;
  for_each_paragraph(content, [&](std::string_view) { ++count; });
  return count;
}

int year_of(std::string_view date) {
  if (date.size() < 4) return 0;
  int year = 0;
  auto [end, ec] = std::from_chars(date.data(), date.data() + 4, year);
  if (ec != std::errc() || end != date.data() + 4) return 0;
  if (date.size() > 4 && date[4] != '-') return 0;
  return year;
}

Summary summarize(const Document& d) {
  return Summary{d.id, d.title, d.date, d.category, d.views, d.created_at, d.updated_at};
}

std::string_view visibility_name(Visibility visibility) {
  switch (visibility) {
    case Visibility::kPublic:
      return "public";
    case Visibility::kMembers:
      return "members";
    case Visibility::kVip:
      return "vip";
  }
  return "members";
}

std::optional<Visibility> parse_visibility(std::string_view name) {
  for (auto v : {Visibility::kPublic, Visibility::kMembers, Visibility::kVip}) {
    if (visibility_name(v) == name) return v;
  }
  return std::nullopt;
}

}  // namespace wenku::doc
