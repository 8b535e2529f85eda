#include "search/searcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <map>

#include "search/search_test_support.h"
#include "store/store.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::search {
namespace {

using test::make_doc;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(MakeSnippet, EscapesHtmlAndMarksTerms) {
  auto html = make_snippet("<b>Tom & \"Jerry\"</b> 说：推动高质量发展。", {"高质量", "jerry"});
  EXPECT_EQ(html,
            "&lt;b&gt;Tom &amp; &quot;<mark>Jerry</mark>&quot;&lt;/b&gt; "
            "说：推动<mark>高质量</mark>发展。");
}

TEST(MakeSnippet, MatchesAsciiCaseInsensitivelyAndMarksEveryOccurrence) {
  EXPECT_EQ(make_snippet("GDP and gdp and Gdp", {"gDp"}),
            "<mark>GDP</mark> and <mark>gdp</mark> and <mark>Gdp</mark>");
}

TEST(MakeSnippet, PrefersTheLongestTermAtAPosition) {
  EXPECT_EQ(make_snippet("改革开放以来", {"改革", "改革开放"}), "<mark>改革开放</mark>以来");
}

TEST(MakeSnippet, CentresOnTheFirstMatchAndCutsAtCodePoints) {
  std::string before(300, 'x');
  std::string text = "开头" + before + "中间的关键词在这里" + std::string(300, 'y') + "结尾";
  auto html = make_snippet(text, {"关键词"}, 60);
  EXPECT_THAT(html, StartsWith("…"));
  EXPECT_THAT(html, HasSubstr("<mark>关键词</mark>"));
  EXPECT_THAT(html, Not(HasSubstr("开头")));
  EXPECT_THAT(html, Not(HasSubstr("结尾")));
  EXPECT_TRUE(text::is_valid_utf8(html));
  // About 60 characters of text, plus the marks and ellipses.
  std::string plain = html;
  for (auto tag : {"<mark>", "</mark>"}) plain.erase(plain.find(tag), std::string(tag).size());
  EXPECT_LE(text::count_code_points(plain), 62u);
  EXPECT_GE(text::count_code_points(plain), 58u);
}

TEST(MakeSnippet, StartsAtTheParagraphOfTheMatch) {
  auto html = make_snippet("第一段文字。\n第二段有关键词。", {"关键词"});
  EXPECT_EQ(html, "…第二段有<mark>关键词</mark>。");
}

TEST(MakeSnippet, WithoutAMatchShowsTheStart) {
  auto html = make_snippet("甲乙丙丁戊己庚辛壬癸", {"不存在"}, 4);
  EXPECT_EQ(html, "甲乙丙丁…");
  EXPECT_EQ(make_snippet("", {"x"}), "");
  EXPECT_EQ(make_snippet("短文", {}), "短文");
}

// CPU time of the calling thread in milliseconds: unlike the wall clock, it does not count
// the time other processes of a busy machine (a parallel test run) take the CPU.
double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

TEST(MakeSnippet, StaysLinearOnLongTexts) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "文";  // 300 KB
  text += "末尾的词";
  const double started = thread_cpu_ms();
  auto html = make_snippet(text, {"末尾的词", "不存在的词", "x"});
  const double ms = thread_cpu_ms() - started;
  EXPECT_THAT(html, HasSubstr("<mark>末尾的词</mark>"));
  // Linear: about 1 ms in Release, 0.4 s under ASan on a slow machine; a scan quadratic in
  // the 100,000 characters makes billions of steps, seconds even in Release.
  EXPECT_LT(ms, 2000.0) << "make_snippet took " << ms << " ms of CPU on 300 KB";
}

TEST(MakeSnippet, PicksThePassageWithTheMostDistinctTerms) {
  std::string text =
      "开头提到改革。" + std::string(600, 'x') + "这里改革和开放同时出现。" + std::string(600, 'y');
  auto html = make_snippet(text, {"改革", "开放"}, 40);
  EXPECT_THAT(html, HasSubstr("<mark>改革</mark>和<mark>开放</mark>"));
  EXPECT_THAT(html, Not(HasSubstr("开头")));
}

TEST(MakeSnippet, MatchesTraditionalAndFullWidthButShowsTheOriginal) {
  EXPECT_EQ(make_snippet("中國共產黨廣州支部，ＧＤＰ增長", {"广州", "gdp"}),
            "中國共產黨<mark>廣州</mark>支部，<mark>ＧＤＰ</mark>增長");
}

class RunSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_sqlite(dir_.path() / "store.db");
    std::string gated = "公开的开头部分。\n";
    for (int i = 0; i < 40; ++i) gated += "这是一段普通的正文内容，用来凑够预览之外的长度。\n";
    gated += "只有会员才能看到的秘密词语<script>。";
    store_->put({make_doc("gated", "会员文章", gated, "2024-03-01"),
                 make_doc("open", "公开 <b>文章</b>", "秘密词语 & 其他内容", "2024-02-01")});
    index_ = std::make_unique<Index>(dir_.path() / "index", test::segmenter(), test::aliases());
    index_->catch_up(*store_);
  }

  SearchResponse search(std::string query, access::Role role) {
    access::Viewer viewer{role, role == access::Role::kGuest ? "" : "someone"};
    access::Policy policy{.guests_read_full_text = false, .preview_chars = 100};
    return run_search(*index_, *store_, SearchRequest{.query = std::move(query), .limit = 10},
                      viewer, policy);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Index> index_;
};

TEST_F(RunSearchTest, FillsHitsFromTheStore) {
  auto r = search("秘密词语", access::Role::kMember);
  EXPECT_EQ(r.total, 2);
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_THAT(r.terms, ::testing::ElementsAre("秘密词语"));
  EXPECT_GE(r.took_ms, 0);
  const auto& open = r.hits[0].id == "open" ? r.hits[0] : r.hits[1];
  EXPECT_EQ(open.title, "公开 <b>文章</b>");  // raw: the templates escape titles
  EXPECT_EQ(open.date, "2024-02-01");
  EXPECT_EQ(open.category, "工作总结");
  EXPECT_EQ(open.snippet_html, "<mark>秘密词语</mark> &amp; 其他内容");
}

TEST_F(RunSearchTest, AGuestsLongPhrasesStayInsideWhatTheGuestMayRead) {
  // The phrase lies after the guest's preview: members find it, a guest learns nothing.
  EXPECT_EQ(search("\"只有会员才能看到\"", access::Role::kMember).total, 1);
  EXPECT_EQ(search("\"只有会员才能看到\"", access::Role::kGuest).total, 0);
  EXPECT_EQ(search("标题:会员文章 -\"只有会员才能看到\"", access::Role::kMember).total, 0);
  EXPECT_EQ(search("标题:会员文章 -\"只有会员才能看到\"", access::Role::kGuest).total, 1);
  // Words still search whole texts.
  EXPECT_EQ(search("秘密词语", access::Role::kGuest).total, 2);
}

TEST(PhraseScope, FollowsWhatTheViewerReads) {
  const access::Viewer guest{};
  const access::Viewer member{access::Role::kMember, "someone", 1};
  const access::Policy closed{};
  EXPECT_EQ(phrase_scope(guest, closed), PhraseScope::kGuestView);
  EXPECT_EQ(phrase_scope(guest, {.preview_chars = Index::guest_view_policy().preview_chars + 100}),
            PhraseScope::kGuestView);
  // Shorter previews than the index holds: the guest view would say too much.
  EXPECT_EQ(phrase_scope(guest, {.preview_chars = Index::guest_view_policy().preview_chars - 1}),
            PhraseScope::kTitle);
  EXPECT_EQ(phrase_scope(guest, {.guests_read_full_text = true}), PhraseScope::kWholeText);
  EXPECT_EQ(phrase_scope(member, closed), PhraseScope::kWholeText);
  EXPECT_EQ(phrase_scope({access::Role::kAdmin, "boss", 2}, closed), PhraseScope::kWholeText);
}

TEST_F(RunSearchTest, HitsTheStoreNoLongerShowsAreSkippedAndScoresStayWithTheirDocuments) {
  store_->put(
      {make_doc("title-hit", "秘密词语汇编", "秘密词语，再说一次秘密词语。", "2023-01-01")});
  index_->catch_up(*store_);
  IndexQuery query{parse_query("秘密词语"), 10};
  std::map<std::string, double> index_scores;
  for (const auto& hit : index_->search(query).hits) index_scores[hit.id] = hit.score;
  ASSERT_EQ(index_scores.size(), 3u);
  // Deleted in the store; the index has not followed yet.
  store_->set_deleted("open", true);
  auto r = search("秘密词语", access::Role::kMember);
  EXPECT_EQ(r.total, 3);  // the index's count
  ASSERT_EQ(r.hits.size(), 2u);
  for (const auto& hit : r.hits) {
    EXPECT_NE(hit.id, "open");
    EXPECT_EQ(hit.score, index_scores.at(hit.id)) << hit.id;
  }
  EXPECT_EQ(r.hits[0].id, "title-hit");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

// Long texts take the index's normalised copy (Index::content_key) instead of being
// normalised: the snippets must be exactly make_snippet's, for whole texts and previews, and
// when the index holds another version of the document.
TEST(SnippetForHit, IsMakeSnippetWhateverTheKeyComesFrom) {
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "store.db");
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "第" + std::to_string(i) + "段：中國共產黨廣州支部推進ＧＤＰ增長，改革開放。\n";
  }
  text += "末尾才出現的關鍵詞語。";
  store->put({make_doc("long", "長文", text)});
  Index index(dir.path() / "index", test::segmenter(), test::aliases());
  index.catch_up(*store);
  auto d = store->get("long");
  ASSERT_TRUE(d.has_value());
  ASSERT_GT(d->content.size(), 8000u);
  ASSERT_EQ(index.content_key("long", d->seq), text::normalize_key(d->content));
  const std::vector<std::vector<std::string>> term_sets = {
      {"关键词语"}, {"广州", "gdp"}, {"改革开放", "第150段"}, {"不存在"}, {}};
  for (const auto& terms : term_sets) {
    for (std::size_t chars : {std::size_t{100000}, std::size_t{2000}, std::size_t{300}}) {
      access::Policy policy{.guests_read_full_text = false, .preview_chars = chars};
      auto hit = access::readable(*d, access::Viewer{}, policy);
      ASSERT_TRUE(hit.has_value());
      const std::string visible = hit->text();
      EXPECT_EQ(hit->complete(), chars == 100000);
      EXPECT_EQ(snippet_for_hit(index, *hit, terms), make_snippet(visible, terms))
          << chars << " characters visible";
      // What run_search reads for a guest: the opening of the text only.
      auto opening = store->get_text("long", access::text_bytes_needed(access::Viewer{}, policy));
      ASSERT_TRUE(opening.has_value());
      auto seen = access::readable(std::move(*opening), access::Viewer{}, policy);
      ASSERT_TRUE(seen.has_value());
      EXPECT_EQ(seen->text(), visible);
      EXPECT_EQ(snippet_for_hit(index, *seen, terms), make_snippet(visible, terms))
          << chars << " characters visible, opening read";
    }
  }
  const access::Viewer member{access::Role::kMember, "member"};
  auto whole = access::readable(std::move(*d), member, access::Policy{});
  ASSERT_TRUE(whole.has_value() && whole->complete());
  EXPECT_EQ(whole->text(), text);
  EXPECT_THAT(snippet_for_hit(index, *whole, {"关键词语"}),
              HasSubstr("末尾才出現的<mark>關鍵詞語</mark>"));
  // The store moved on and the index did not follow yet: its copy is not used.
  auto changed = *store->get("long");
  changed.content = "新版本的文字，" + text;
  store->put({changed});
  auto newer = store->get("long");
  EXPECT_EQ(index.content_key("long", newer->seq), std::nullopt);
  auto newer_hit = access::readable(*newer, member, access::Policy{});
  ASSERT_TRUE(newer_hit.has_value());
  EXPECT_EQ(snippet_for_hit(index, *newer_hit, {"新版本"}),
            make_snippet(newer->content, {"新版本"}));
}

TEST(QueryRefusal, LongOrLargeQueriesAndBadBytesAreRefusedWithTheReason) {
  std::string longest;
  for (std::size_t i = 0; i < kMaxQueryChars; ++i) longest += "政";
  EXPECT_EQ(query_refusal(""), "");
  EXPECT_EQ(query_refusal(longest), "");
  EXPECT_THAT(query_refusal(longest + "府"), HasSubstr("最多 200 个字"));
  EXPECT_THAT(query_refusal(std::string(100000, 'a')), HasSubstr("搜索词太长"));
  // Terms: words, phrases, OR alternatives and exclusions alike.
  const auto query_of = [](std::size_t n, std::string_view joint) {
    std::string q = "甲0";
    for (std::size_t i = 1; i < n; ++i) q += std::string(joint) + "甲" + std::to_string(i);
    return q;
  };
  for (std::string_view joint : {" ", " OR ", " -", " \"", " 标题:"}) {
    EXPECT_EQ(query_refusal(query_of(kMaxQueryTerms, joint)), "") << joint;
    EXPECT_THAT(query_refusal(query_of(kMaxQueryTerms + 1, joint)), HasSubstr("最多 16 个词"))
        << joint;
  }
  EXPECT_THAT(query_refusal("\xff\xfe"), HasSubstr("UTF-8"));
}

TEST_F(RunSearchTest, ARefusedQueryFindsNothingAndSaysWhy) {
  std::string many;
  for (std::size_t i = 0; i <= kMaxQueryTerms; ++i) many += "秘密词语 ";
  auto r = search(many, access::Role::kMember);
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.total, 0);
  EXPECT_THAT(r.notice, HasSubstr("搜索词太多"));
}

TEST_F(RunSearchTest, MembersSeeTheMatchInGatedTexts) {
  auto r = search("秘密词语", access::Role::kMember);
  const auto& gated = r.hits[0].id == "gated" ? r.hits[0] : r.hits[1];
  EXPECT_THAT(gated.snippet_html, HasSubstr("<mark>秘密词语</mark>&lt;script&gt;"));
}

TEST_F(RunSearchTest, GuestSnippetNeverLeaksTextBeyondThePreview) {
  auto r = search("秘密词语", access::Role::kGuest);
  EXPECT_EQ(r.total, 2);
  ASSERT_EQ(r.hits.size(), 2u);
  const auto& gated = r.hits[0].id == "gated" ? r.hits[0] : r.hits[1];
  EXPECT_THAT(gated.snippet_html, StartsWith("公开的开头部分。"));
  EXPECT_THAT(gated.snippet_html, Not(HasSubstr("秘密")));
  EXPECT_THAT(gated.snippet_html, Not(HasSubstr("script")));
}

TEST_F(RunSearchTest, RelaxesAndToOrWhenNothingHoldsEveryWord) {
  // Quoted phrases: typed runs have readings of their own (reading_test.cc).
  auto r = search("\"秘密词语\" \"根本不存在的词\"", access::Role::kMember);
  EXPECT_TRUE(r.relaxed);
  EXPECT_EQ(r.total, 2);
  EXPECT_THAT(r.notice, HasSubstr("任一"));
  auto strict = search("秘密词语 其他内容", access::Role::kMember);
  EXPECT_FALSE(strict.relaxed);
  EXPECT_EQ(strict.total, 1);
  EXPECT_TRUE(strict.notice.empty());
}

TEST_F(RunSearchTest, OffersDidYouMeanForZeroHits) {
  auto r = search("\"秘密词藕\"", access::Role::kMember);
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(r.did_you_mean.empty());
  EXPECT_GT(search(r.did_you_mean, access::Role::kMember).total, 0) << r.did_you_mean;
  EXPECT_TRUE(search("秘密词语", access::Role::kMember).did_you_mean.empty());
}

TEST_F(RunSearchTest, ReportsFacetsAndTheSyntaxNotice) {
  auto r = search("秘密词语 年份:abc", access::Role::kMember);
  EXPECT_FALSE(r.notice.empty());
  auto facets = search("秘密词语", access::Role::kMember);
  ASSERT_EQ(facets.categories.size(), 1u);
  EXPECT_EQ(facets.categories[0].value, "工作总结");
  EXPECT_EQ(facets.categories[0].count, 2);
  ASSERT_EQ(facets.years.size(), 1u);
  EXPECT_EQ(facets.years[0].value, "2024");
}

TEST_F(RunSearchTest, JsonHasTheDocumentedShape) {
  auto r = search("秘密词语", access::Role::kGuest);
  auto j = search_response_json("秘密词语", 1, r);
  for (auto key : {"query", "total", "took_ms", "page", "hits", "facets"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_FALSE(j.contains("notice"));
  EXPECT_FALSE(j.contains("did_you_mean"));
  ASSERT_EQ(j["hits"].size(), 2u);
  for (auto key : {"id", "title", "date", "category", "score", "snippet"}) {
    EXPECT_TRUE(j["hits"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["facets"]["category"][0]["value"], "工作总结");
  EXPECT_EQ(j["facets"]["category"][0]["count"], 2);
}

// Terms too common to search are left out (Index::search), and the response says which: in
// the notice, in "ignored", and with no did-you-mean for a query with nothing left.
TEST_F(RunSearchTest, TermsTooCommonToSearchAreNamedInTheNoticeAndTheJson) {
  store_->put({make_doc("common", "常见", test::before_many_characters("的", 3000) + "秘密词语")});
  index_->catch_up(*store_);
  auto alone = search("的", access::Role::kMember);
  EXPECT_EQ(alone.total, 0);
  EXPECT_THAT(alone.ignored, ::testing::ElementsAre("的"));
  EXPECT_EQ(alone.notice, "「的」在大多数文档中都出现，检索时已略去，请换用更具体的词语");
  EXPECT_TRUE(alone.did_you_mean.empty());
  auto j = search_response_json("的", 1, alone);
  EXPECT_EQ(j["ignored"], nlohmann::json::array({"的"}));

  auto rest = search("的 秘密词语", access::Role::kMember);
  EXPECT_EQ(rest.total, 3);
  EXPECT_EQ(rest.notice, "「的」在大多数文档中都出现，检索时已略去");
  EXPECT_FALSE(search_response_json("秘密词语", 1, search("秘密词语", access::Role::kMember))
                   .contains("ignored"));
}

TEST_F(RunSearchTest, RelatedExcerptsComeFromTheVisibleText) {
  access::Policy policy{.guests_read_full_text = false, .preview_chars = 100};
  auto related = find_related(*index_, *store_, "open", 5, access::Viewer{}, policy);
  ASSERT_TRUE(related.has_value());
  for (const auto& r : *related) EXPECT_THAT(r.excerpt, Not(HasSubstr("秘密")));
  EXPECT_FALSE(find_related(*index_, *store_, "missing", 5, access::Viewer{}, policy));
}

TEST_F(RunSearchTest, EmptyQueryFindsNothing) {
  auto r = search("  ", access::Role::kMember);
  EXPECT_EQ(r.total, 0);
  EXPECT_TRUE(r.hits.empty());
}

}  // namespace
}  // namespace wenku::search
