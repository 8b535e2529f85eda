#include "web/site/genres.h"

#include <algorithm>
#include <span>
#include <string_view>

#include "search/index.h"
#include "web/http/url.h"

namespace wenku::web {

namespace {

// A genre: its label, the words a category name of the genre holds, and the word searched
// when the library has no such category.
struct Genre {
  std::string_view label;
  std::span<const std::string_view> words;
  std::string_view search;
};

constexpr std::string_view kSpeechWords[] = {"讲话", "讲稿",   "致辞", "发言",
                                             "演讲", "主持词", "贺词"};
constexpr std::string_view kReportWords[] = {"报告"};
constexpr std::string_view kSummaryWords[] = {"总结", "汇报"};
constexpr std::string_view kPlanWords[] = {"计划", "方案", "规划", "要点"};
constexpr std::string_view kReflectionWords[] = {"心得", "体会", "感悟"};
constexpr std::string_view kLawWords[] = {"法律", "法规", "规章", "司法解释",
                                          "条例", "制度", "办法", "案例"};
constexpr Genre kGenres[] = {
    {"讲话稿", kSpeechWords, "讲话"},           {"工作报告", kReportWords, "工作报告"},
    {"总结汇报", kSummaryWords, "总结"},        {"计划方案", kPlanWords, "方案"},
    {"心得体会", kReflectionWords, "心得体会"}, {"法规制度", kLawWords, "法规"},
};
constexpr std::string_view kOtherReference = "时政资料";

bool holds_any(std::string_view name, std::span<const std::string_view> words) {
  return std::ranges::any_of(
      words, [&](std::string_view w) { return name.find(w) != std::string_view::npos; });
}

// The link to `categories` (non-empty): the category page of one, a search of several (the
// first one's page when the query syntax can carry none of their names).
std::string categories_href(const std::vector<const store::Category*>& categories) {
  std::vector<std::string> names;
  for (const auto* c : categories) names.push_back(c->name);
  const std::string query = names.size() > 1 ? search::category_query(names) : "";
  if (query.empty()) return category_path(names.front());
  return "/search?q=" + encode_query_value(query);
}

bool all_reference(const std::vector<const store::Category*>& categories) {
  return std::ranges::all_of(categories, [](const store::Category* c) {
    return c->kind == store::CategoryKind::kReference;
  });
}

}  // namespace

std::vector<GenreLink> genre_links(const std::vector<store::Category>& categories) {
  std::vector<std::vector<const store::Category*>> taken(std::size(kGenres));
  std::vector<const store::Category*> other_reference;
  for (const auto& c : categories) {
    if (c.count == 0) continue;
    const auto* genre = std::ranges::find_if(
        kGenres, [&](const Genre& g) { return !c.name.empty() && holds_any(c.name, g.words); });
    if (genre != std::end(kGenres)) {
      taken[static_cast<std::size_t>(genre - std::begin(kGenres))].push_back(&c);
    } else if (c.kind == store::CategoryKind::kReference) {
      other_reference.push_back(&c);
    }
  }
  std::vector<GenreLink> links;
  for (std::size_t i = 0; i < std::size(kGenres); ++i) {
    const auto& genre = kGenres[i];
    if (taken[i].empty()) {
      links.push_back(
          {std::string(genre.label), "/search?q=" + encode_query_value(genre.search), false});
    } else {
      links.push_back(
          {std::string(genre.label), categories_href(taken[i]), all_reference(taken[i])});
    }
  }
  if (!other_reference.empty()) {
    links.push_back({std::string(kOtherReference), categories_href(other_reference), true});
  }
  return links;
}

GenreNav::GenreNav(store::Store& store, std::chrono::steady_clock::duration ttl)
    : store_(store), cache_(ttl, 1) {}

std::shared_ptr<const std::vector<GenreLink>> GenreNav::links() const {
  return cache_.get("", [this] { return genre_links(store_.category_list()); });
}

}  // namespace wenku::web
