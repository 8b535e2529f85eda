#include "search/index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "doc/analysis.h"
#include "io/import.h"
#include "search/search_test_support.h"
#include "store/store.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::search {
namespace {

namespace fs = std::filesystem;
using test::make_doc;
using test::segmenter;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

IndexQuery query_for(std::string_view text, std::size_t limit = 100, std::size_t offset = 0) {
  return IndexQuery{parse_query(text), limit, offset};
}

std::vector<std::string> ids(const IndexResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = store::open_sqlite(dir_.path() / "store.db"); }

  fs::path index_dir() const { return dir_.path() / "index"; }

  std::unique_ptr<Index> open_index() {
    return std::make_unique<Index>(index_dir(), segmenter(), test::aliases());
  }

  void put(const std::vector<doc::Document>& docs) { store_->put(docs); }

  std::vector<std::string> search_ids(const Index& index, std::string_view text) {
    return ids(index.search(query_for(text)));
  }

  // Stores `docs`, indexes them and returns the first `limit` hits of `text` with facets.
  IndexResult search_with_facets(const std::vector<doc::Document>& docs, std::string_view text,
                                 std::size_t limit) {
    put(docs);
    auto index = open_index();
    index->catch_up(*store_);
    auto q = query_for(text, limit);
    q.facets = true;
    return index->search(q);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IndexTest, FindsExactSubstringsWhateverTheSegmenterDoes) {
  put({make_doc("a", "政府工作报告", "我们要推动经济高质量发展，坚持以人民为中心的发展思想。"),
       make_doc("b", "其他", "高质 量发展不是这里的连续文字。")});
  auto index = open_index();
  EXPECT_EQ(index->catch_up(*store_), 2);
  // Phrases that cut across the segmenter's words, and across punctuation.
  for (auto q :
       {"济高质", "经济高", "高质量发展", "发展，坚持", "中心的发展思想。", "\"推动经济\""}) {
    EXPECT_THAT(search_ids(*index, q), ElementsAre("a")) << q;
  }
  // Quoted, a phrase nobody holds finds nothing (typed, the word readings take over:
  // tests/search/reading_test.cc).
  EXPECT_THAT(search_ids(*index, "\"人民为中心的发展观\""), IsEmpty());
  EXPECT_THAT(search_ids(*index, "量发"), UnorderedElementsAre("a", "b"));
}

TEST_F(IndexTest, SingleCharactersLatinAndDigitsMatchAsSubstrings) {
  put({make_doc("a", "标题", "it's ABC2021x 推动"), make_doc("b", "别的", "完全无关 xyz")});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "推"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "abc"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "ＡＢＣ"), ElementsAre("a"));  // full width, NFKC
  EXPECT_THAT(search_ids(*index, "202"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "2"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "c2021X"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "it's"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*index, "y"), ElementsAre("b"));
}

// A search whose terms would open more posting lists than one search may leaves out the
// costliest of them (a character before 3,000 different ones is searched by prefix over 3,000
// keys) and says so: the rest of the query is searched as usual, a query with nothing left
// finds nothing, and a character that begins few keys is searched.
TEST_F(IndexTest, TermsTooCommonToSearchAreLeftOutAndNamed) {
  const std::string common = test::before_many_characters("的", 3000);
  put({make_doc("a", "甲", common + "改革开放"), make_doc("b", "乙", common + "科技创新"),
       make_doc("c", "丙", "税收征管")});
  auto index = open_index();
  index->catch_up(*store_);

  auto alone = index->search(query_for("的"));  // a typed run of one character
  EXPECT_EQ(alone.total, 0);
  EXPECT_THAT(alone.ignored, ElementsAre("的"));
  auto quoted = index->search(query_for("\"的\""));
  EXPECT_EQ(quoted.total, 0);
  EXPECT_THAT(quoted.ignored, ElementsAre("的"));

  auto with_word = index->search(query_for("的 改革开放"));
  EXPECT_THAT(ids(with_word), ElementsAre("a"));
  EXPECT_THAT(with_word.ignored, ElementsAre("的"));
  // An OR clause goes whole: without its common alternative it would match less, not more.
  auto any_of = index->search(query_for("税收 OR 的 改革开放"));
  EXPECT_THAT(ids(any_of), ElementsAre("a"));
  EXPECT_THAT(any_of.ignored, ElementsAre("税收", "的"));
  auto excluded = index->search(query_for("改革开放 -\"的\""));
  EXPECT_THAT(ids(excluded), ElementsAre("a"));
  EXPECT_THAT(excluded.ignored, ElementsAre("的"));
  auto field = index->search(query_for("提纲:的 OR 标题:的 科技创新"));
  EXPECT_THAT(ids(field), ElementsAre("b"));
  EXPECT_THAT(field.ignored, ElementsAre("的"));  // each once

  auto rare = index->search(query_for("税"));
  EXPECT_THAT(ids(rare), ElementsAre("c"));
  EXPECT_THAT(rare.ignored, IsEmpty());
  auto plain = index->search(query_for("改革开放 OR 科技创新"));
  EXPECT_THAT(ids(plain), UnorderedElementsAre("a", "b"));
  EXPECT_THAT(plain.ignored, IsEmpty());
}

TEST_F(IndexTest, TermsAreAnded) {
  put({make_doc("both", "甲", "改革开放 与 科技创新"), make_doc("one", "乙", "改革开放 而已"),
       make_doc("none", "丙", "毫不相干")});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "改革开放 科技创新"), ElementsAre("both"));
  EXPECT_THAT(search_ids(*index, "改革开放"), UnorderedElementsAre("both", "one"));
  EXPECT_THAT(search_ids(*index, "改革开放 毫不相干"), IsEmpty());
}

TEST_F(IndexTest, TotalIsExactAndPagesCoverEveryHit) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 37; ++i) {
    docs.push_back(make_doc("d" + std::to_string(i), "第" + std::to_string(i) + "号",
                            "乡村振兴 第" + std::to_string(i) + "段"));
  }
  docs.push_back(make_doc("other", "无", "别的内容"));
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_EQ(index->size(), 38);
  std::vector<std::string> seen;
  for (std::size_t offset = 0; offset < 40; offset += 10) {
    auto r = index->search(query_for("乡村振兴", 10, offset));
    EXPECT_EQ(r.total, 37);
    for (auto& id : ids(r)) seen.push_back(id);
  }
  std::ranges::sort(seen);
  EXPECT_EQ(std::ranges::unique(seen).begin(), seen.end());
  EXPECT_EQ(seen.size(), 37u);
  auto none = index->search(query_for("乡村振兴", 0));
  EXPECT_EQ(none.total, 37);
  EXPECT_THAT(none.hits, IsEmpty());
}

TEST_F(IndexTest, TitleRanksAboveBodyAndTiesGoToNewer) {
  put({make_doc("body", "一份总结", "安全生产 安全生产 安全生产 是本文的主题。", "2024-05-01"),
       make_doc("title", "安全生产工作总结", "本文讨论工作。", "2020-01-01"),
       make_doc("old", "甲", "提到一次防汛抗旱。", "2019-01-01"),
       make_doc("new", "乙", "提到一次防汛抗旱。", "2023-01-01")});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "安全生产"), ElementsAre("title", "body"));
  EXPECT_THAT(search_ids(*index, "防汛抗旱"), ElementsAre("new", "old"));
  auto r = index->search(query_for("安全生产"));
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

// Relevance pages are ordered by score, then views, then recency, also inside long runs of
// equal scores (a word every document holds once), and pages neither skip nor repeat.
TEST_F(IndexTest, RelevancePagesStayExactAcrossLongRunsOfEqualScores) {
  struct Expected {
    int occurrences;
    int year;
    std::string id;
  };
  std::vector<Expected> expected;
  std::vector<doc::Document> docs;
  int year = 1900;
  for (auto [occurrences, count] : {std::pair{3, 20}, std::pair{2, 20}, std::pair{1, 100}}) {
    for (int i = 0; i < count; ++i, ++year) {
      std::string id = "k" + std::to_string(occurrences) + "-" + std::to_string(year);
      std::string content;
      for (int k = 0; k < occurrences; ++k) content += "今年防汛抗旱工作。";
      docs.push_back(make_doc(id, "年度报告", content, std::to_string(year) + "-06-15"));
      expected.push_back({occurrences, year, id});
    }
  }
  std::shuffle(docs.begin(), docs.end(), std::mt19937(7));
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  std::ranges::sort(expected, [](const Expected& a, const Expected& b) {
    return std::tie(a.occurrences, a.year) > std::tie(b.occurrences, b.year);
  });
  std::vector<std::string> want;
  for (const auto& e : expected) want.push_back(e.id);
  for (std::size_t limit : {7u, 10u, 25u}) {
    std::vector<std::string> got;
    for (std::size_t offset = 0; offset < want.size() + limit; offset += limit) {
      auto r = index->search(query_for("防汛抗旱", limit, offset));
      EXPECT_EQ(r.total, static_cast<std::int64_t>(want.size()));
      for (auto& id : ids(r)) got.push_back(id);
    }
    EXPECT_EQ(got, want) << "pages of " << limit;
  }
}

TEST_F(IndexTest, EmptyQueryFindsNothing) {
  put({make_doc("a", "标题", "正文")});
  auto index = open_index();
  index->catch_up(*store_);
  for (auto q : {"", "   ", "\"\"", "“”"}) {
    auto r = index->search(query_for(q));
    EXPECT_EQ(r.total, 0) << q;
    EXPECT_THAT(r.hits, IsEmpty());
  }
}

std::string ascii_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_F(IndexTest, HostileQueriesNeverErrorNorMatchWrongly) {
  put({make_doc("tricky", "Tricky (text)",
                "it's a \"quoted\" word, back\\slash, a'b, OR maybe --filter true ') select Docs"),
       make_doc("plain", "普通", "普通的中文文本，没有任何符号。")});
  auto index = open_index();
  index->catch_up(*store_);
  // clang-format off
  std::vector<std::string> hostile = {
      "it's", "'", "')", "\\", "\\\\", "\"", "a\"b", "a'b", "(", ")", "(text)", "OR", "a OR b",
      "OR 普通", "--filter", "--filter true", "select Docs", "\"select Docs\"", "*", "-普通",
      "+普通", "title:@普通", "_key:plain", "普通 --limit 0", "' --query '普通", "\" OR \"",
      "\\\" OR _id:1 \\\"", "back\\slash", "';select Docs;'", "\x01\x02", "a\nb", "*D+ 普通"};
  // clang-format on
  hostile.push_back(std::string(5000, 'x'));  // long phrase
  std::string many_terms;
  for (int i = 0; i < 300; ++i) many_terms += "普通" + std::to_string(i % 3) + " ";
  hostile.push_back(many_terms);
  for (const auto& q : hostile) {
    auto parsed = parse_query(q);
    IndexResult r;
    ASSERT_NO_THROW(r = index->search(IndexQuery{parsed, 100, 0})) << q;
    EXPECT_EQ(r.total, static_cast<std::int64_t>(r.hits.size())) << q;
    // Typed runs read as words are not substrings of the hits; their escaping is what this
    // checks, and the phrase reading is tried first.
    if (r.read && r.reading != Reading::kPhrase) continue;
    for (const auto& hit : r.hits) {
      auto d = store_->get(hit.id);
      ASSERT_TRUE(d.has_value());
      auto haystack = ascii_lower(d->title + "\n" + d->content);
      for (const auto& clause : parsed.clauses) {
        bool any = std::ranges::any_of(clause.any_of, [&](const QueryTerm& t) {
          return haystack.find(ascii_lower(t.text)) != std::string::npos;
        });
        EXPECT_NE(any, clause.exclude) << "query " << q << " matched " << hit.id
                                       << " against clause " << clause.any_of.front().text;
      }
    }
  }
  EXPECT_THAT(search_ids(*index, "it's"), ElementsAre("tricky"));
  EXPECT_THAT(search_ids(*index, "back\\slash"), ElementsAre("tricky"));
  EXPECT_THAT(search_ids(*index, "\"select Docs\""), ElementsAre("tricky"));
  EXPECT_THAT(search_ids(*index, "OR 普通"), IsEmpty());
  EXPECT_THAT(search_ids(*index, "普通 --limit 0"), IsEmpty());
}

doc::Document with_outline(doc::Document d, std::vector<std::string> headings) {
  nlohmann::json outline = nlohmann::json::array();
  for (const auto& h : headings) outline.push_back({{"level", 1}, {"text", h}, {"para", 0}});
  d.analysis = nlohmann::json{{"outline", outline}}.dump();
  return d;
}

// `d` with the analysis an import stores: the outline of doc::extract_outline.
doc::Document analysed(doc::Document d) {
  doc::Analysis a;
  a.outline = doc::extract_outline(d);
  d.analysis = doc::analysis_to_json(a).dump();
  return d;
}

// The outline column holds what extract_outline finds: a law's chapters, never its articles.
TEST_F(IndexTest, OutlineSearchesSeeALawsChaptersButNotItsArticles) {
  put({analysed(make_doc("law", "环境保护条例",
                         "第一章 总则\n第一条 为了保护和改善环境。\n第2条 本条例适用于全省。\n"
                         "第二章 附则\n第三条 本条例自公布之日起施行。",
                         "2016-05-01", "地方性法规")),
       with_outline(
           make_doc("plan", "环境整治方案", "一、改善环境质量\n要改善环境。", "2020", "工作方案"),
           {"一、改善环境质量"})});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "提纲:总则"), ElementsAre("law"));
  EXPECT_THAT(search_ids(*index, "提纲:改善环境"), ElementsAre("plan"));
  EXPECT_THAT(search_ids(*index, "提纲:适用于"), IsEmpty());
  EXPECT_THAT(search_ids(*index, "改善环境"), UnorderedElementsAre("law", "plan"));
}

// The oracle of issue 19: a guest's exact phrases must not tell what lies after the preview.
TEST_F(IndexTest, AGuestsLongPhrasesMatchOnlyWhatAGuestReads) {
  std::string opening;
  while (text::count_code_points(opening) < 800) opening += "开头部分讲的是总体要求和主要任务。";
  const std::string hidden = "\n后文写着独特的绝密安排部署。";
  put({make_doc("gated", "甲文件", opening + hidden), make_doc("open", "乙文件", opening + hidden),
       make_doc("other", "丙文件", "毫不相干的内容。"),
       make_doc("gated2", "丁文件", opening + "\n另有特别的秘密事项。")});
  ASSERT_TRUE(store_->set_visibility("open", doc::Visibility::kPublic));
  auto index = open_index();
  index->catch_up(*store_);
  const auto scoped = [&](std::string_view text, PhraseScope scope) {
    auto q = query_for(text);
    q.phrases = scope;
    return index->search(q);
  };
  // Beyond the preview: members find both, a guest only the text open to guests.
  EXPECT_THAT(ids(scoped("\"独特的绝密安排\"", PhraseScope::kWholeText)),
              UnorderedElementsAre("gated", "open"));
  EXPECT_THAT(ids(scoped("\"独特的绝密安排\"", PhraseScope::kGuestView)), ElementsAre("open"));
  EXPECT_THAT(ids(scoped("\"独特的绝密安排\"", PhraseScope::kTitle)), IsEmpty());
  // Excluding such a phrase excludes nothing a guest could not see either.
  EXPECT_THAT(ids(scoped("标题:甲文件 -\"独特的绝密安排\"", PhraseScope::kWholeText)), IsEmpty());
  EXPECT_THAT(ids(scoped("标题:甲文件 -\"独特的绝密安排\"", PhraseScope::kGuestView)),
              ElementsAre("gated"));
  // Typed without quotes, a run is read as a phrase where a guest reads it, else as words,
  // which search whole texts.
  EXPECT_THAT(ids(scoped("独特的绝密安排", PhraseScope::kGuestView)), ElementsAre("open"));
  const auto typed = scoped("特别的秘密事项", PhraseScope::kGuestView);
  EXPECT_THAT(ids(typed), ElementsAre("gated2"));
  EXPECT_EQ(typed.reading, Reading::kWords);
  EXPECT_EQ(scoped("特别的秘密事项", PhraseScope::kWholeText).reading, Reading::kPhrase);
  // Short phrases, phrases inside the preview and titles match as ever.
  EXPECT_THAT(ids(scoped("\"绝密安排\"", PhraseScope::kGuestView)),
              UnorderedElementsAre("gated", "open"));
  EXPECT_THAT(ids(scoped("\"讲的是总体要求\"", PhraseScope::kGuestView)),
              UnorderedElementsAre("gated", "open", "gated2"));
  EXPECT_THAT(ids(scoped("\"讲的是总体要求\"", PhraseScope::kTitle)), IsEmpty());
  EXPECT_THAT(ids(scoped("\"丙文件\"", PhraseScope::kTitle)), ElementsAre("other"));
}

TEST_F(IndexTest, OrExcludeFieldsAndFilters) {
  put({with_outline(make_doc("speech", "在全区经济工作会议上的讲话", "要坚持深化改革，扩大开放。",
                             "2021-03-01", "讲话稿"),
                    {"一、深化改革", "二、扩大开放"}),
       make_doc("report", "政府工作报告", "深化改革取得新进展，就业稳定。", "2019", "政府工作报告"),
       make_doc("law", "环境保护条例", "第一条 为了保护环境，深化改革。", "2016-05-01",
                "地方性法规")});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "就业 OR 环境"), UnorderedElementsAre("report", "law"));
  EXPECT_THAT(search_ids(*index, "深化改革 -就业 -环境"), ElementsAre("speech"));
  EXPECT_THAT(search_ids(*index, "标题:讲话"), ElementsAre("speech"));
  EXPECT_THAT(search_ids(*index, "标题:深化改革"), IsEmpty());  // in the texts, not the titles
  EXPECT_THAT(search_ids(*index, "提纲:深化改革"), ElementsAre("speech"));
  EXPECT_THAT(search_ids(*index, "提纲:就业"), IsEmpty());
  EXPECT_THAT(search_ids(*index, "深化改革 分类:政府工作报告"), ElementsAre("report"));
  EXPECT_THAT(search_ids(*index, "深化改革 分类:讲话稿 cat:地方性法规"),
              UnorderedElementsAre("speech", "law"));
  EXPECT_THAT(search_ids(*index, "深化改革 年份:2019"), ElementsAre("report"));
  EXPECT_THAT(search_ids(*index, "深化改革 2017..2025"), UnorderedElementsAre("speech", "report"));
  EXPECT_THAT(search_ids(*index, "分类:地方性法规"), ElementsAre("law"));  // a filter alone lists
  EXPECT_THAT(search_ids(*index, "分类:\"') --filter true\""), IsEmpty());
}

TEST_F(IndexTest, FacetsCountEveryHitByCategoryAndYear) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 5; ++i) {
    docs.push_back(make_doc("a" + std::to_string(i), "标题", "共同的词",
                            "2020-01-0" + std::to_string(i + 1), "讲话稿"));
  }
  docs.push_back(make_doc("b", "标题", "共同的词", "2021", "法律"));
  docs.push_back(make_doc("c", "标题", "共同的词", "", "法律"));
  docs.push_back(make_doc("d", "标题", "别的词", "2022", "其他"));
  auto r = search_with_facets(docs, "共同的词", 2);
  EXPECT_EQ(r.total, 7);
  EXPECT_EQ(r.hits.size(), 2u);
  ASSERT_EQ(r.categories.size(), 2u);
  EXPECT_EQ(r.categories[0].value, "讲话稿");
  EXPECT_EQ(r.categories[0].count, 5);
  EXPECT_EQ(r.categories[1].value, "法律");
  EXPECT_EQ(r.categories[1].count, 2);
  ASSERT_EQ(r.years.size(), 2u);  // the undated one has no year facet
  EXPECT_EQ(r.years[0].value, "2021");
  EXPECT_EQ(r.years[0].count, 1);
  EXPECT_EQ(r.years[1].value, "2020");
  EXPECT_EQ(r.years[1].count, 5);
}

// Searches are remembered per process until the index changes: repeated, they give the
// same answer; after the writer indexed a change, the new one.
TEST_F(IndexTest, RepeatedSearchesAnswerAlikeUntilTheIndexChanges) {
  put({make_doc("a", "甲", "乡村振兴的内容", "2020-01-01", "讲话稿")});
  auto index = open_index();
  index->catch_up(*store_);
  auto q = query_for("乡村振兴", 10);
  q.facets = true;
  const auto first = index->search(q);
  const auto again = index->search(q);
  EXPECT_EQ(ids(again), ids(first));
  EXPECT_EQ(again.total, 1);
  ASSERT_EQ(again.categories.size(), 1u);
  EXPECT_EQ(again.categories[0].count, 1);
  put({make_doc("b", "乙", "又是乡村振兴", "2021-01-01", "讲话稿")});
  index->catch_up(*store_);
  const auto after = index->search(q);
  EXPECT_EQ(after.total, 2);
  EXPECT_THAT(ids(after), UnorderedElementsAre("a", "b"));
  ASSERT_EQ(after.categories.size(), 1u);
  EXPECT_EQ(after.categories[0].count, 2);
  ASSERT_EQ(after.years.size(), 2u);
  // Other pages and orders are other searches.
  auto second_page = query_for("乡村振兴", 1, 1);
  EXPECT_EQ(index->search(second_page).hits.size(), 1u);
  second_page.sort = SortOrder::kNewest;
  EXPECT_THAT(ids(index->search(second_page)), ElementsAre("a"));
  EXPECT_THAT(ids(index->search(query_for("乡村振兴 -又是", 10))), ElementsAre("a"));
}

TEST_F(IndexTest, UncategorisedHitsCountAsAFacetInCountOrder) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 3; ++i) {
    docs.push_back(make_doc("none" + std::to_string(i), "标题", "共同的词", "2020", ""));
  }
  for (int i = 0; i < 4; ++i) {
    docs.push_back(make_doc("law" + std::to_string(i), "标题", "共同的词", "2020", "法律"));
  }
  docs.push_back(make_doc("speech", "标题", "共同的词", "2020", "讲话稿"));
  auto r = search_with_facets(docs, "共同的词", 1);
  EXPECT_EQ(r.total, 8);
  ASSERT_EQ(r.categories.size(), 3u);
  EXPECT_EQ(r.categories[0].value, "法律");
  EXPECT_EQ(r.categories[1].value, "");
  EXPECT_EQ(r.categories[1].count, 3);
  EXPECT_EQ(r.categories[2].value, "讲话稿");
}

TEST_F(IndexTest, RankingBoostsTitleOutlinePhraseAndSortsByChoice) {
  auto body = make_doc("body", "会议材料", "这里顺带提到乡村振兴。", "2024-01-01");
  auto title = make_doc("title", "关于乡村振兴的报告", "正文没有那个词。", "2020-01-01");
  auto outline = with_outline(make_doc("outline", "会议讲话", "一、全面推进乡村振兴", "2022-01-01"),
                              {"一、全面推进乡村振兴"});
  put({body, title, outline});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "乡村振兴"), ElementsAre("title", "outline", "body"));
  auto newest = query_for("乡村振兴");
  newest.sort = SortOrder::kNewest;
  EXPECT_THAT(ids(index->search(newest)), ElementsAre("body", "outline", "title"));

  // The two words side by side outrank the same words apart.
  put({make_doc("apart", "材料一", "学习很重要。贯彻落实也很重要。学习。贯彻。"),
       make_doc("together", "材料二", "认真学习贯彻会议精神。")});
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "学习 贯彻"), ElementsAre("together", "apart"));
}

// Whole words weigh by how rare they are in the library (TF-IDF over the words column): with
// the same number of occurrences, more of the rare word wins over more of the common one.
TEST_F(IndexTest, RareWholeWordsOutweighCommonOnes) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 18; ++i) {
    docs.push_back(
        make_doc("filler" + std::to_string(i), "材料" + std::to_string(i), "今天的工作。"));
  }
  docs.push_back(make_doc("rare-twice", "甲", "乡村振兴。乡村振兴。工作。", "2020-01-01"));
  docs.push_back(make_doc("common-twice", "乙", "乡村振兴。工作。工作。", "2024-01-01"));
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  auto r = index->search(query_for("乡村振兴 工作"));
  EXPECT_THAT(ids(r), ElementsAre("rare-twice", "common-twice"));
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

// Whole-word scores come from posting lists each process keeps decoded: after the writer
// changed a text, a reader scores it as an index opened afresh does, not from the posting
// list it read before.
TEST_F(IndexTest, WholeWordScoresFollowTheWritersChanges) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 12; ++i) {
    docs.push_back(
        make_doc("filler" + std::to_string(i), "材料" + std::to_string(i), "今天的工作。"));
  }
  docs.push_back(make_doc("a", "甲", "乡村振兴。工作。"));
  docs.push_back(make_doc("b", "乙", "乡村振兴。乡村振兴。乡村振兴。"));
  put(docs);
  auto writer = open_index();
  writer->catch_up(*store_);
  auto reader = open_index();
  auto scores = [](const IndexResult& r) {
    std::map<std::string, double> out;
    for (const auto& hit : r.hits) out[hit.id] = hit.score;
    return out;
  };
  const auto q = query_for("乡村振兴 工作");
  const auto before = scores(reader->search(query_for("乡村振兴")));
  EXPECT_GT(before.at("b"), before.at("a"));
  EXPECT_EQ(scores(reader->search(q)).size(), 1u);
  put({make_doc("a", "甲", "乡村振兴。乡村振兴。乡村振兴。乡村振兴。乡村振兴。工作。")});
  writer->catch_up(*store_);
  const auto after = scores(reader->search(query_for("乡村振兴")));
  EXPECT_EQ(after, scores(open_index()->search(query_for("乡村振兴"))));
  EXPECT_GT(after.at("a"), after.at("b"));
  EXPECT_GT(after.at("a") - before.at("a"), 0);
  EXPECT_EQ(scores(reader->search(q)), scores(open_index()->search(q)));
}

// 相关度: score, then views, then newer; 最热: views, then score, then newer. The index reads
// the views the store counted when it indexes a document.
TEST_F(IndexTest, HotSortAndTiesGoToViews) {
  put({make_doc("quiet", "同样的标题", "同样的正文", "2024-01-01"),
       make_doc("popular", "同样的标题", "同样的正文", "2020-01-01"),
       make_doc("read", "同样的标题", "同样的正文", "2019-01-01"),
       make_doc("older", "同样的标题", "同样的正文", "2010-01-01"),
       make_doc("best", "同样同样的标题", "同样的正文同样同样", "2018-01-01")});
  std::vector<store::ViewEvent> views;
  for (int v = 0; v < 5; ++v) views.push_back({"popular", "2024-06-01", "p" + std::to_string(v)});
  for (int v = 0; v < 2; ++v) views.push_back({"read", "2024-06-01", "r" + std::to_string(v)});
  ASSERT_EQ(store_->add_views(views), 7);
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "同样"), ElementsAre("best", "popular", "read", "quiet", "older"));
  auto hot = query_for("同样");
  hot.sort = SortOrder::kHot;
  EXPECT_THAT(ids(index->search(hot)), ElementsAre("popular", "read", "best", "quiet", "older"));
}

TEST_F(IndexTest, TraditionalAndSimplifiedFindEachOther) {
  put({make_doc("trad", "廣州共產黨的報告", "中國共產黨廣州支部。ＧＤＰ增長"),
       make_doc("simp", "广州共产党的报告", "中国共产党广州支部。")});
  auto index = open_index();
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "廣州共產黨"), UnorderedElementsAre("trad", "simp"));
  EXPECT_THAT(search_ids(*index, "广州共产党"), UnorderedElementsAre("trad", "simp"));
  EXPECT_THAT(search_ids(*index, "gdp增长"), ElementsAre("trad"));
}

TEST_F(IndexTest, RelatedPrefersSameTopicSameCategoryAndSkipsNearDuplicates) {
  auto seed = make_doc("seed", "大气污染防治条例",
                       "为了防治大气污染，保护和改善环境，制定本条例。"
                       "排放污染物的企业应当采取措施。",
                       "2020", "地方性法规");
  seed.keywords = {"大气污染", "防治", "排放", "污染物", "环境"};
  seed.simhash = 0xF0F0F0F0F0F0F0F0ULL;
  auto copy = make_doc("copy", "大气污染防治条例（重复）", seed.content, "2020", "地方性法规");
  copy.simhash = seed.simhash ^ 0b101;  // two bits apart: a near-duplicate
  auto water = make_doc("water", "水污染防治条例", "为了防治水污染，保护环境，排放污染物应当达标。",
                        "2019", "地方性法规");
  water.simhash = ~seed.simhash;
  auto news =
      make_doc("news", "新闻", "记者报道大气污染防治和排放污染物的情况。", "2021", "新闻联播");
  auto other = make_doc("other", "政府工作报告", "经济增长，就业稳定，财政收入增加。", "2021",
                        "政府工作报告");
  std::vector<doc::Document> docs = {seed, copy, water, news, other};
  // Unrelated documents, so that the topic words are rare as in a real library.
  for (int i = 0; i < 40; ++i) {
    docs.push_back(make_doc("filler" + std::to_string(i), "会议纪要" + std::to_string(i),
                            "会议研究了教育、文化和体育工作。", "2018", "其他"));
  }
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  auto related = index->related(seed, 10);
  std::vector<std::string> got;
  for (const auto& h : related) got.push_back(h.id);
  EXPECT_THAT(got, ::testing::Not(Contains("seed")));
  EXPECT_THAT(got, ::testing::Not(Contains("copy")));
  EXPECT_THAT(got, ::testing::Not(Contains("other")));
  EXPECT_THAT(got, Contains("water"));
  EXPECT_THAT(got, Contains("news"));
  // Without keywords the opening of the text seeds the search.
  seed.keywords.clear();
  EXPECT_FALSE(index->related(seed, 10).empty());
}

TEST_F(IndexTest, SuggestCompletesTitlesAndWords) {
  auto popular = make_doc("p", "政府工作报告（2021年）", "高质量发展是主题。");
  put({popular, make_doc("q", "关于政府采购的通知", "高质量发展。高效率。")});
  auto index = open_index();
  index->catch_up(*store_);
  auto suggestions = index->suggest("政府", 10);
  EXPECT_THAT(suggestions, Contains("政府工作报告（2021年）"));
  EXPECT_THAT(suggestions, Contains("关于政府采购的通知"));
  EXPECT_THAT(index->suggest("高质", 10), Contains("高质量发展"));
  // Pinyin and its initials complete titles too.
  EXPECT_THAT(index->suggest("zfgzbg", 10), Contains("政府工作报告（2021年）"));
  EXPECT_THAT(index->suggest("zhengfugongzuob", 10), Contains("政府工作报告（2021年）"));
  EXPECT_THAT(index->suggest("ZhengFuCaiGou", 10), Contains("关于政府采购的通知"));
  EXPECT_THAT(index->suggest("zfcg", 10), Not(Contains("政府工作报告（2021年）")));
  EXPECT_THAT(index->suggest("政府", 1).size(), 1u);
  EXPECT_THAT(index->suggest("  ", 10), IsEmpty());
  EXPECT_THAT(index->suggest("\"' --filter", 10), IsEmpty());
  EXPECT_THAT(index->close_words("高质量发屏", 3), Contains("高质量发展"));
}

TEST_F(IndexTest, CatchUpAppliesUpdatesAndDeletions) {
  put({make_doc("a", "甲", "原来的内容 关键词一"), make_doc("b", "乙", "关键词一 也在这里")});
  auto index = open_index();
  EXPECT_EQ(index->catch_up(*store_), 2);
  EXPECT_EQ(index->applied_seq(), store_->last_seq());
  EXPECT_EQ(index->catch_up(*store_), 0);

  put({make_doc("a", "甲", "修改后的内容 关键词二")});
  ASSERT_TRUE(store_->set_deleted("b", true));
  EXPECT_EQ(index->catch_up(*store_), 2);
  EXPECT_EQ(index->applied_seq(), store_->last_seq());
  // Quoted: exact (unquoted, the words reading would find 关键词 in "a").
  EXPECT_THAT(search_ids(*index, "\"关键词一\""), IsEmpty());
  EXPECT_THAT(search_ids(*index, "关键词二"), ElementsAre("a"));
  EXPECT_EQ(index->size(), 1);

  ASSERT_TRUE(store_->set_deleted("b", false));
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "关键词一"), ElementsAre("b"));
}

TEST_F(IndexTest, AppliedSeqAndDocumentsSurviveACleanReopen) {
  put({make_doc("a", "甲", "持久化的内容")});
  {
    auto index = open_index();
    index->catch_up(*store_);
  }
  EXPECT_FALSE(fs::exists(index_dir() / "OPEN"));
  auto index = open_index();
  EXPECT_EQ(index->applied_seq(), store_->last_seq());
  EXPECT_EQ(index->size(), 1);
  EXPECT_THAT(search_ids(*index, "持久化"), ElementsAre("a"));
  EXPECT_TRUE(fs::exists(index_dir() / "OPEN"));
}

TEST_F(IndexTest, UncleanShutdownMarkerTriggersARebuild) {
  put({make_doc("a", "甲", "崩溃之前的内容"), make_doc("b", "乙", "另一篇")});
  { open_index()->catch_up(*store_); }
  testing::write_file(index_dir() / "OPEN", "");  // as if the process had died
  auto index = open_index();
  EXPECT_EQ(index->size(), 0);
  EXPECT_EQ(index->applied_seq(), 0);
  EXPECT_EQ(index->catch_up(*store_), 2);
  EXPECT_THAT(search_ids(*index, "崩溃之前"), ElementsAre("a"));
}

TEST_F(IndexTest, CorruptDatabaseIsRecreated) {
  put({make_doc("a", "甲", "损坏之前的内容")});
  { open_index()->catch_up(*store_); }
  auto live = testing::read_file(index_dir() / "CURRENT");
  live.pop_back();  // '\n'
  for (const auto& entry : fs::directory_iterator(index_dir() / live)) {
    std::ofstream(entry.path(), std::ios::trunc) << "garbage";
  }
  auto index = open_index();
  EXPECT_EQ(index->size(), 0);
  index->catch_up(*store_);
  EXPECT_THAT(search_ids(*index, "损坏之前"), ElementsAre("a"));
}

TEST_F(IndexTest, RebuildGivesTheSameResultsAsCatchUp) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 60; ++i) {
    docs.push_back(make_doc(
        "d" + std::to_string(i), i % 3 == 0 ? "生态环境保护" : "一般文件",
        std::string(i % 2 == 0 ? "生态环境" : "经济") + " 第" + std::to_string(i) + "条 规定",
        "2024-01-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1)));
  }
  put(docs);
  store_->set_deleted("d6", true);
  auto incremental = open_index();
  incremental->catch_up(*store_);
  Index rebuilt(dir_.path() / "rebuilt", segmenter(), test::aliases());
  EXPECT_EQ(rebuilt.rebuild(*store_), 59);
  EXPECT_EQ(rebuilt.applied_seq(), store_->last_seq());
  EXPECT_EQ(rebuilt.size(), incremental->size());
  for (auto q : {"生态环境", "经济 规定", "保护", "第1", "d6"}) {
    auto a = incremental->search(query_for(q));
    auto b = rebuilt.search(query_for(q));
    EXPECT_EQ(a.total, b.total) << q;
    EXPECT_EQ(ids(a), ids(b)) << q;
  }
  EXPECT_THAT(search_ids(rebuilt, "生态环境"), ::testing::Not(Contains("d6")));
  // The rebuilt index keeps following the store.
  put({make_doc("late", "后来", "生态环境 新增")});
  EXPECT_EQ(rebuilt.catch_up(*store_), 1);
  EXPECT_THAT(search_ids(rebuilt, "新增"), ElementsAre("late"));
}

// A second Index on the same directory is a reader, as a worker process of `wenku serve`
// is: it sees what the writer indexes, and switches to the database a rebuild made.
TEST_F(IndexTest, ReaderFollowsTheWritersChangesAndRebuilds) {
  put({make_doc("a", "甲", "最初的内容")});
  auto writer = open_index();
  writer->catch_up(*store_);
  auto reader = open_index();
  EXPECT_TRUE(writer->writable());
  EXPECT_FALSE(reader->writable());
  EXPECT_THROW(reader->catch_up(*store_), IndexError);
  EXPECT_THAT(search_ids(*reader, "最初"), ElementsAre("a"));
  EXPECT_THAT(search_ids(*reader, "内容"), ElementsAre("a"));

  put({make_doc("b", "乙", "后来写入的内容")});
  writer->catch_up(*store_);
  EXPECT_THAT(search_ids(*reader, "后来写入"), ElementsAre("b"));
  // The same search again: not the result remembered before the writer's change.
  EXPECT_THAT(search_ids(*reader, "内容"), UnorderedElementsAre("a", "b"));
  store_->set_deleted("a", true);
  writer->catch_up(*store_);
  EXPECT_THAT(search_ids(*reader, "内容"), ElementsAre("b"));
  EXPECT_THAT(search_ids(*writer, "内容"), ElementsAre("b"));
  store_->set_deleted("a", false);
  writer->catch_up(*store_);
  EXPECT_THAT(search_ids(*reader, "内容"), UnorderedElementsAre("a", "b"));

  const auto before = testing::read_file(index_dir() / "CURRENT");
  put({make_doc("c", "丙", "重建之后才有的内容")});
  EXPECT_EQ(writer->rebuild(*store_), 3);
  const auto after = testing::read_file(index_dir() / "CURRENT");
  EXPECT_NE(before, after);
  EXPECT_FALSE(fs::exists(index_dir() / before.substr(0, before.size() - 1)));
  EXPECT_THAT(search_ids(*reader, "重建之后"), ElementsAre("c"));
  EXPECT_THAT(search_ids(*reader, "内容"), UnorderedElementsAre("a", "b", "c"));
  EXPECT_EQ(reader->size(), 3);
  // The reader keeps following the rebuilt database.
  put({make_doc("d", "丁", "重建以后的新增")});
  writer->catch_up(*store_);
  EXPECT_THAT(search_ids(*reader, "以后的新增"), ElementsAre("d"));
}

TEST_F(IndexTest, SearchesGoOnInTheLiveDatabaseDuringARebuild) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 300; ++i) {
    docs.push_back(make_doc("d" + std::to_string(i), "标题", "重建期间 " + std::to_string(i)));
  }
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0};
  std::atomic<int> searches{0};
  std::thread searcher([&] {
    while (!done) {
      if (index->search(query_for("重建期间", 0)).total != 300) ++wrong;
      ++searches;
    }
  });
  for (int round = 0; round < 3; ++round) EXPECT_EQ(index->rebuild(*store_), 300);
  done = true;
  searcher.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(searches, 0);
}

TEST_F(IndexTest, ContentKeyIsTheNormalisedTextOfTheIndexedVersion) {
  put({make_doc("a", "甲", "中國ＧＤＰ增長")});
  auto index = open_index();
  index->catch_up(*store_);
  auto d = store_->get("a");
  EXPECT_EQ(index->content_key("a", d->seq), text::normalize_key("中國ＧＤＰ增長"));
  EXPECT_EQ(index->content_key("a", d->seq + 1), std::nullopt);
  EXPECT_EQ(index->content_key("unknown", d->seq), std::nullopt);
}

TEST_F(IndexTest, NewestOrdersByDateThenChangeAsTheStringsDid) {
  put({make_doc("year-only", "甲", "排序测试", "2021"), make_doc("undated", "乙", "排序测试", ""),
       make_doc("full", "丙", "排序测试", "2021-01-01"),
       make_doc("later", "丁", "排序测试", "2021-12-31"),
       make_doc("same-day-first", "戊", "排序测试", "2020-05-05"),
       make_doc("same-day-second", "己", "排序测试", "2020-05-05")});
  auto index = open_index();
  index->catch_up(*store_);
  auto q = query_for("排序测试");
  q.sort = SortOrder::kNewest;
  EXPECT_THAT(ids(index->search(q)), ElementsAre("later", "full", "year-only", "same-day-second",
                                                 "same-day-first", "undated"));
}

TEST_F(IndexTest, ConcurrentSearchesFromFourThreads) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 50; ++i) {
    docs.push_back(make_doc("d" + std::to_string(i), "标题" + std::to_string(i),
                            i % 2 ? "奇数 内容" : "偶数 内容"));
  }
  put(docs);
  auto index = open_index();
  index->catch_up(*store_);
  const auto expected_odd = index->search(query_for("奇数"));
  const auto expected_all = index->search(query_for("内容"));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const auto& expected = (i + t) % 2 ? expected_odd : expected_all;
        auto r = index->search(query_for((i + t) % 2 ? "奇数" : "内容"));
        if (r.total != expected.total || ids(r) != ids(expected)) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(expected_odd.total, 25);
}

TEST_F(IndexTest, SearchesRunWhileCatchUpWrites) {
  put({make_doc("first", "起始", "并发 测试")});
  auto index = open_index();
  index->catch_up(*store_);
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        try {
          if (index->search(query_for("并发")).total < 1) ++errors;
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  for (int round = 0; round < 5; ++round) {
    std::vector<doc::Document> docs;
    for (int i = 0; i < 20; ++i) {
      docs.push_back(make_doc("r" + std::to_string(round) + "-" + std::to_string(i), "轮次",
                              "并发 写入 " + std::to_string(i)));
    }
    put(docs);
    index->catch_up(*store_);
  }
  done = true;
  for (auto& th : readers) th.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(index->search(query_for("并发")).total, 101);
}

TEST_F(IndexTest, CatchUpOfAnEmptyIndexWithManyDocumentsTakesTheBulkPath) {
  std::vector<doc::Document> docs;
  for (int i = 0; i < 1200; ++i) {
    docs.push_back(make_doc("n" + std::to_string(i), "编号" + std::to_string(i),
                            i % 4 ? "常规内容" : "特别内容"));
  }
  put(docs);
  auto index = open_index();
  EXPECT_EQ(index->catch_up(*store_), 1200);
  EXPECT_EQ(index->applied_seq(), store_->last_seq());
  EXPECT_EQ(index->search(query_for("特别内容")).total, 300);
  EXPECT_THAT(search_ids(*index, "编号1199"), ElementsAre("n1199"));
  EXPECT_EQ(index->catch_up(*store_), 0);
}

TEST(IndexCorpus, GovernmentWorkReportsAreFoundByPhrase) {
  auto files = testing::corpus_files();
  if (files.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  auto gwr = std::ranges::find_if(
      files, [](const fs::path& p) { return p.filename() == "gov_work_reports.jsonl"; });
  ASSERT_NE(gwr, files.end());
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "store.db");
  auto stats = io::import_files(*store, {*gwr});
  ASSERT_EQ(stats.skipped, 0u);
  Index index(dir.path() / "index", segmenter(), test::aliases());
  EXPECT_EQ(index.rebuild(*store), 72);
  auto r = index.search(query_for("高质量发展", 100));
  EXPECT_THAT(ids(r), Contains("gwr-2021"));
  EXPECT_THAT(ids(r), Contains("gwr-2022"));
  EXPECT_EQ(r.total, static_cast<std::int64_t>(r.hits.size()));
  // A phrase from the middle of a report, across the segmenter's words and punctuation.
  auto d = store->get("gwr-2021");
  ASSERT_TRUE(d.has_value());
  auto middle = d->content.substr(d->content.size() / 2);
  auto phrase = std::string(text::prefix_code_points(middle.substr(middle.find('\n') + 1), 12));
  EXPECT_THAT(ids(index.search(query_for("\"" + phrase + "\""))), Contains("gwr-2021")) << phrase;
}

}  // namespace
}  // namespace wenku::search
