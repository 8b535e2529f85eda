// The genre navigation (讲话稿, 工作报告, 总结汇报 …, 法规制度, 时政资料): the kinds of text a
// writer looks for, each a link to the library's categories of that kind. Shown in the header
// of every page: a row of links on a wide screen, one 分类 menu on a phone.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"
#include "web/http/ttl_cache.h"

namespace wenku::web {

struct GenreLink {
  std::string label;       // 讲话稿, 工作报告 … 时政资料
  std::string href;        // a category page, or a search of the genre's categories or word
  bool reference = false;  // every category it leads to is 资料 (store::CategoryKind)
};

// The genre links for `categories` (Store::category_list; empty categories are ignored), in
// a fixed order. Each genre takes the categories whose names hold one of its words (the
// first genre that matches a name takes it: 政府工作报告 is a 工作报告, 汇报材料 a 总结汇报). A
// genre with one category links to its page, with several to a search of them
// (/search?q=分类:A 分类:B; a name that query syntax cannot carry, holding a quote, is left out),
// with none to a search of its word (心得体会). Last comes 时政资料: the 资料 categories no genre
// took (新闻联播 …), only when there are any.
std::vector<GenreLink> genre_links(const std::vector<store::Category>& categories);

// genre_links of the store's categories, computed at most once per `ttl` (the category list
// groups every document: a few milliseconds on the corpus, too much for every page).
// Thread-safe; `store` must outlive it.
class GenreNav {
 public:
  explicit GenreNav(store::Store& store,
                    std::chrono::steady_clock::duration ttl = std::chrono::seconds(60));

  std::shared_ptr<const std::vector<GenreLink>> links() const;

 private:
  store::Store& store_;
  mutable TtlCache<std::vector<GenreLink>> cache_;
};

}  // namespace wenku::web
