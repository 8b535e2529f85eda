// 范文 before 资料 on the site (issue 18): the genre navigation (web/site/genres.h) as a unit,
// the site icon, and against the real `wenku serve`: the home page's 最新范文 lists only 范文,
// the hot lists put 范文 first, every page carries the genre navigation, and /favicon.ico.
#include <utility>  // before Boost.Asio: Boost 1.74 needs it under C++20

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http_client.h"
#include "search/index.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "web/http/url.h"
#include "web/site/assets.h"
#include "web/site/genres.h"
#include "web/site/hot.h"

namespace wenku::web {
namespace {

namespace http = boost::beast::http;
using store::Category;
using store::CategoryKind;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- unit: the genre links ----

Category category(std::string name, std::int64_t count, CategoryKind kind = CategoryKind::kModel) {
  return Category{std::move(name), 0, count, kind};
}

std::string search_href(std::string_view query) { return "/search?q=" + encode_query_value(query); }

TEST(GenreLinks, EachGenreTakesItsCategoriesFirstMatchWins) {
  const auto links = genre_links(
      {category("领导人讲话", 163), category("党课讲稿", 2), category("政府工作报告", 83),
       category("汇报材料", 4), category("心得体会", 3),
       category("法律", 359, CategoryKind::kReference),
       category("新闻联播", 19541, CategoryKind::kReference), category("人大决议", 20)});
  ASSERT_EQ(links.size(), 7u);
  // Two speech categories: a search of both, in the given order.
  EXPECT_EQ(links[0].label, "讲话稿");
  EXPECT_EQ(links[0].href, search_href("分类:领导人讲话 分类:党课讲稿"));
  // One category: its page. 政府工作报告 is a 工作报告, 汇报材料 a 总结汇报.
  EXPECT_EQ(links[1].label, "工作报告");
  EXPECT_EQ(links[1].href, category_path("政府工作报告"));
  EXPECT_EQ(links[2].label, "总结汇报");
  EXPECT_EQ(links[2].href, category_path("汇报材料"));
  // No category of the genre: a search of its word.
  EXPECT_EQ(links[3].label, "计划方案");
  EXPECT_EQ(links[3].href, search_href("方案"));
  EXPECT_EQ(links[4].href, category_path("心得体会"));
  EXPECT_EQ(links[5].label, "法规制度");
  EXPECT_EQ(links[5].href, category_path("法律"));
  // 资料 that no genre took; 人大决议 (范文, no genre) has no link of its own.
  EXPECT_EQ(links[6].label, "时政资料");
  EXPECT_EQ(links[6].href, category_path("新闻联播"));
  for (std::size_t i = 0; i < links.size(); ++i) {
    EXPECT_EQ(links[i].reference, i >= 5) << links[i].label;
  }
}

TEST(GenreLinks, EmptyCategoriesAndModelLeftoversMakeNoLinksAndNamesStayExact) {
  // Without any 资料 left over there is no 时政资料; empty categories count as absent.
  auto links =
      genre_links({category("讲话稿", 0), category("新闻联播", 0, CategoryKind::kReference),
                   category("通知", 5)});
  ASSERT_EQ(links.size(), 6u);
  EXPECT_EQ(links[0].href, search_href("讲话"));
  for (const auto& link : links) EXPECT_FALSE(link.reference) << link.label;
  // A name holding a space goes quoted; 未分类 ("") set to 资料 joins 时政资料 by its page.
  links = genre_links({category("要闻 摘编", 3, CategoryKind::kReference),
                       category("新闻联播", 9, CategoryKind::kReference),
                       category("", 2, CategoryKind::kReference)});
  ASSERT_EQ(links.size(), 7u);
  EXPECT_EQ(links[6].href, search_href("分类:\"要闻 摘编\" 分类:新闻联播"));
  const auto parsed = search::parse_query("分类:\"要闻 摘编\" 分类:新闻联播");
  EXPECT_EQ(parsed.categories, (std::vector<std::string>{"要闻 摘编", "新闻联播"}));
  EXPECT_TRUE(genre_links({}).size() == 6u) << "an empty library still offers the genres";
}

// ---- unit: the icon ----

std::uint32_t u32_at(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = v << 8 | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return v;
}

TEST(Favicon, IsAnIcoOfTwoBitmapsWithTheCharacterInWhiteOnRed) {
  const std::string_view ico = favicon_ico();
  ASSERT_GE(ico.size(), 6u + 2 * 16);
  EXPECT_EQ(ico.substr(0, 6), std::string_view("\0\0\1\0\2\0", 6));
  for (int i = 0; i < 2; ++i) {
    const std::size_t entry = 6 + 16 * static_cast<std::size_t>(i);
    const int side = i == 0 ? 16 : 32;
    EXPECT_EQ(static_cast<unsigned char>(ico[entry]), side);
    EXPECT_EQ(static_cast<unsigned char>(ico[entry + 1]), side);
    const std::uint32_t size = u32_at(ico, entry + 8);
    const std::uint32_t offset = u32_at(ico, entry + 12);
    // BITMAPINFOHEADER, BGRA pixels, a 1-bit mask of rows padded to 4 bytes.
    const std::uint32_t expected = 40 + side * side * 4 + side * 4;
    EXPECT_EQ(size, expected) << side;
    ASSERT_LE(std::size_t{offset} + size, ico.size());
    EXPECT_EQ(u32_at(ico, offset), 40u);
    EXPECT_EQ(u32_at(ico, offset + 8), static_cast<std::uint32_t>(2 * side)) << "height doubled";
  }
  // The 32-pixel image: rows bottom-up. Its corner is transparent, the middle of the
  // horizontal stroke (a third down) white, the space under it between the falling strokes red.
  const std::uint32_t image = u32_at(ico, 6 + 16 + 12) + 40;
  auto pixel = [&](int x, int y) {  // B, G, R, A from the top-left
    return ico.substr(image + static_cast<std::size_t>(((31 - y) * 32 + x) * 4), 4);
  };
  EXPECT_EQ(static_cast<unsigned char>(pixel(0, 0)[3]), 0);
  EXPECT_EQ(pixel(16, 10), std::string_view("\xff\xff\xff\xff", 4));
  EXPECT_EQ(pixel(16, 29), std::string_view("\x1e\x26\xb3\xff", 4));
}

// ---- the site ----

// `href` as the templates write it (mstch escapes '/').
std::string escaped(const std::string& href) {
  std::string out;
  for (char c : href) {
    if (c == '/') {
      out += "&#x2F;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string jsonl_line(const std::string& id, const std::string& title, const std::string& date,
                       const std::string& category) {
  return nlohmann::json{{"id", id},         {"title", title},
                        {"date", date},     {"category", category},
                        {"source", "test"}, {"content", title + "。今年以来，各项工作扎实推进。"}}
             .dump() +
         "\n";
}

constexpr int kNews = 25;  // newer than every 范文: without the kind they would fill page 1

// A library of 新闻联播 items (the newest), a law and three 范文, with views today for the hot
// lists, served by `wenku serve`.
class KindsSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string jsonl;
    for (int i = 0; i < kNews; ++i) {
      jsonl += jsonl_line(fmt::format("news-{:02}", i), fmt::format("新闻联播第{}条", i),
                          fmt::format("2026-08-{:02}", i + 1), "新闻联播");
    }
    jsonl += jsonl_line("law-1", "中华人民共和国安全生产法", "2021-06-10", "法律");
    jsonl += jsonl_line("speech-1", "在全区安全生产工作会议上的讲话", "2024-03-15", "讲话稿");
    jsonl += jsonl_line("summary-1", "街道办事处上半年工作总结", "2024-07-05", "工作总结");
    jsonl += jsonl_line("plain-1", "没有分类的范文", "2019", "");
    const auto file = dir_->path() / "docs.jsonl";
    testing::write_file(file, jsonl);
    const auto data = dir_->path() / "data";
    const auto imported = testing::run({testing::wenku_binary(), "import", "--data", data, file});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    {
      auto store = store::open_sqlite(data / "wenku.sqlite");
      const std::string today = local_day(std::time(nullptr));
      std::vector<store::ViewEvent> views;
      for (int v = 0; v < 5; ++v) views.push_back({"news-00", today, fmt::format("v{}", v)});
      for (int v = 0; v < 4; ++v) views.push_back({"law-1", today, fmt::format("v{}", v)});
      views.push_back({"speech-1", today, "v0"});
      store->add_views(views);
    }
    server_ = new testing::ServerProcess(
        std::vector<std::string>{testing::wenku_binary(), "serve", "--data", data.string()});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  void SetUp() override { ASSERT_NE(server_->port(), 0) << "wenku serve did not start"; }

  static testing_http::Reply get(const std::string& target,
                                 const testing_http::Headers& headers = {}) {
    return testing_http::fetch(server_->port(), http::verb::get, target, headers);
  }

  // The part of `page` from the element with `id_attribute` (e.g. `id="latest"`) up to the
  // next `end` ("" when absent).
  static std::string section(const std::string& page, std::string_view start,
                             std::string_view end) {
    const auto from = page.find(start);
    if (from == std::string::npos) return "";
    const auto to = page.find(end, from + start.size());
    return page.substr(from, to == std::string::npos ? std::string::npos : to - from);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
};
testing::TempDir* KindsSiteTest::dir_ = nullptr;
testing::ServerProcess* KindsSiteTest::server_ = nullptr;

TEST_F(KindsSiteTest, HomeListsOnlyModelTextsAsLatestAndLinksTheReference) {
  const auto home = get("/");
  ASSERT_EQ(home.status, 200);
  const std::string latest = section(home.body, "<section id=\"latest\">", "</section>");
  ASSERT_FALSE(latest.empty());
  for (const char* id : {"speech-1", "summary-1", "plain-1"}) {
    EXPECT_TRUE(contains(latest, fmt::format("href=\"/doc/{}\"", id))) << id;
  }
  EXPECT_FALSE(contains(latest, "/doc/news-")) << latest;
  EXPECT_FALSE(contains(latest, "/doc/law-1"));
  EXPECT_LT(latest.find("/doc/summary-1"), latest.find("/doc/speech-1")) << "newest first";
  // Three 范文 make one page: the 新闻联播 items do not count.
  EXPECT_EQ(get("/?page=2").status, 404);
  // 资料 one click away: 时政资料 (新闻联播) and 法规制度 (法律).
  const std::string links = section(latest, "class=\"kind-links", "</p>");
  EXPECT_TRUE(
      contains(links, "<a href=\"" + escaped(category_path("新闻联播")) + "\">时政资料</a>"))
      << links;
  EXPECT_TRUE(contains(links, "<a href=\"" + escaped(category_path("法律")) + "\">法规制度</a>"))
      << links;
  EXPECT_FALSE(contains(links, "讲话稿"));
}

TEST_F(KindsSiteTest, HotListsPutModelTextsFirstAndFillUpWithReference) {
  const auto home = get("/");
  const std::string week = section(home.body, "id=\"hot-week\"", "id=\"hot-month\"");
  ASSERT_TRUE(contains(week, "/doc/speech-1")) << week;
  // speech-1 has one view, news-00 five and law-1 four: the 范文 comes first all the same.
  EXPECT_LT(week.find("/doc/speech-1"), week.find("/doc/news-00"));
  EXPECT_LT(week.find("/doc/news-00"), week.find("/doc/law-1"));
  const auto api = nlohmann::json::parse(get("/api/v1/hot?period=week").body);
  std::vector<std::string> ids;
  for (const auto& d : api["docs"]) ids.push_back(d["id"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"speech-1", "news-00", "law-1"})) << api.dump();
}

TEST_F(KindsSiteTest, EveryPageHasTheGenreRowAndThePhoneMenu) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"讲话稿", category_path("讲话稿")},     {"工作报告", search_href("工作报告")},
      {"总结汇报", category_path("工作总结")}, {"计划方案", search_href("方案")},
      {"心得体会", search_href("心得体会")},   {"法规制度", category_path("法律")},
      {"时政资料", category_path("新闻联播")}};
  for (const std::string& target :
       {std::string("/"), std::string("/doc/speech-1"), "/search?q=" + encode_query_value("安全"),
        category_path("讲话稿"), std::string("/hot"), std::string("/no/such/page")}) {
    const auto page = get(target);
    ASSERT_EQ(page.status, target == "/no/such/page" ? 404 : 200) << target;
    const std::string row = section(page.body, "<nav class=\"wrap genre-nav\"", "</nav>");
    const std::string menu = section(page.body, "<details class=\"genre-menu\">", "</details>");
    ASSERT_FALSE(row.empty()) << target;
    ASSERT_TRUE(contains(menu, "<summary>分类</summary>")) << target;
    std::size_t row_at = 0;
    std::size_t menu_at = 0;
    for (const auto& [label, href] : expected) {
      const bool reference = label == "法规制度" || label == "时政资料";
      const std::string link = "<a href=\"" + escaped(href) + "\"" +
                               (reference ? " class=\"genre-reference\"" : "") + ">" + label +
                               "</a>";
      const auto in_row = row.find(link, row_at);
      EXPECT_NE(in_row, std::string::npos) << target << ": " << link;
      row_at = in_row == std::string::npos ? row_at : in_row;
      const auto in_menu =
          menu.find("<li><a href=\"" + escaped(href) + "\">" + label + "</a></li>", menu_at);
      EXPECT_NE(in_menu, std::string::npos) << target << ": " << label;
      menu_at = in_menu == std::string::npos ? menu_at : in_menu;
    }
  }
}

TEST_F(KindsSiteTest, FaviconIsServedWithValidators) {
  const auto icon = get("/favicon.ico");
  ASSERT_EQ(icon.status, 200);
  EXPECT_EQ(icon.header(http::field::content_type), "image/x-icon");
  EXPECT_EQ(icon.body, favicon_ico());
  EXPECT_EQ(icon.header(http::field::cache_control), "public, max-age=86400");
  const std::string etag = icon.header(http::field::etag);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/favicon.ico", {{http::field::if_none_match, etag}}).status, 304);
  const auto head = testing_http::fetch(server_->port(), http::verb::head, "/favicon.ico");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header(http::field::content_length), std::to_string(favicon_ico().size()));
}

}  // namespace
}  // namespace wenku::web
