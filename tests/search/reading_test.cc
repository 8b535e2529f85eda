// Reading typed queries (search/reading.h) and searching with the readings (Index::search
// through run_search): phrase, words, expanded, relaxed; title and genre intent.
#include "search/reading.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "search/search_test_support.h"
#include "search/searcher.h"
#include "store/store.h"

namespace wenku::search {
namespace {

using test::make_doc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> keys_of(const TypedRun& run) {
  std::vector<std::string> out;
  for (const auto& w : run.words) out.push_back(w.key);
  return out;
}

const RunWord& word(const TypedRun& run, std::string_view key) {
  auto it = std::ranges::find(run.words, key, &RunWord::key);
  if (it == run.words.end()) throw std::runtime_error("no word " + std::string(key));
  return *it;
}

TEST(ReadRun, CutsTheRunIntoWordsAndMarksGenreAndYearWords) {
  auto run = read_run("2019年政府工作报告", test::segmenter(), test::aliases());
  EXPECT_EQ(run.key, "2019年政府工作报告");
  EXPECT_THAT(keys_of(run), ElementsAre("2019年", "政府工作报告"));
  EXPECT_EQ(word(run, "2019年").year, 2019);
  EXPECT_FALSE(word(run, "2019年").genre);

  run = read_run("乡村振兴讲话", test::segmenter(), test::aliases());
  EXPECT_THAT(keys_of(run), ElementsAre("乡村振兴", "讲话"));
  EXPECT_TRUE(word(run, "讲话").genre);
  EXPECT_FALSE(word(run, "乡村振兴").genre);
  EXPECT_EQ(word(run, "乡村振兴").year, 0);
}

TEST(ReadRun, NormalisesAndDropsPunctuationFunctionAndFileWords) {
  auto run = read_run("關於，二十大報告的全文", test::segmenter(), test::aliases());
  EXPECT_EQ(run.key, "关于,二十大报告的全文");  // NFKC: a full-width comma is a comma
  EXPECT_THAT(keys_of(run), ElementsAre("二十大", "报告"));
  // Alone, a function word is still the query.
  EXPECT_THAT(keys_of(read_run("关于", test::segmenter(), test::aliases())), ElementsAre("关于"));
}

TEST(ReadRun, KeepsAliasFormsWholeWithTheirVariants) {
  auto run = read_run("各级人大常委会监督法", test::segmenter(), test::aliases());
  const auto& abbreviation = word(run, "人大常委会");
  EXPECT_THAT(abbreviation.variants, ::testing::Contains("人民代表大会常务委员会"));
  EXPECT_THAT(run.phrase_variants, ::testing::Contains("各级人民代表大会常务委员会监督法"));
  // A congress, with the 党代会报告 genre word after it.
  run = read_run("十八大报告", test::segmenter(), test::aliases());
  EXPECT_THAT(keys_of(run), ElementsAre("十八大", "报告"));
  EXPECT_THAT(word(run, "十八大").variants, ::testing::Contains("第十八次全国代表大会"));
  EXPECT_TRUE(word(run, "报告").genre);
}

TEST(ReadRun, JoinsSingleCharactersIntoTheirNeighbours) {
  // 监督 / 法: a lone character joins the word before it.
  auto run = read_run("各级人大常委会监督法", test::segmenter(), test::aliases());
  EXPECT_THAT(keys_of(run), ElementsAre("各级", "人大常委会", "监督法"));
  // 三 / 大: single characters in a row become one word.
  run = read_run("陈独秀三大报告", test::segmenter(), test::aliases());
  EXPECT_THAT(keys_of(run), ElementsAre("陈独秀", "三大", "报告"));
  // Never across a function word or punctuation: 为 joins 人民, 的 stays out.
  run = read_run("人民为中心的发展观", test::segmenter(), test::aliases());
  EXPECT_THAT(keys_of(run), ElementsAre("人民为", "中心", "发展观"));
  // A run of one character is that character.
  EXPECT_THAT(keys_of(read_run("法", test::segmenter(), test::aliases())), ElementsAre("法"));
}

TEST(ReadRun, IgnoresAnAliasFormTheSegmenterCutsThrough) {
  // 个人 / 大 / 数据: 人大 straddles two words and is not the 人民代表大会.
  auto run = read_run("个人大数据", test::segmenter(), test::aliases());
  for (const auto& w : run.words) EXPECT_THAT(w.variants, IsEmpty()) << w.key;
  EXPECT_THAT(run.phrase_variants, IsEmpty());
}

TEST(ReadRun, KeepsAtMostKMaxRunWords) {
  auto run = read_run("安全 生产 责任 落实 检查 考核 监督 管理 改革 发展 稳定", test::segmenter(),
                      test::aliases());
  EXPECT_EQ(run.words.size(), kMaxRunWords);
}

TEST(ReadingNames, AreTheApiValues) {
  EXPECT_EQ(reading_name(Reading::kPhrase), "phrase");
  EXPECT_EQ(reading_name(Reading::kWords), "words");
  EXPECT_EQ(reading_name(Reading::kExpanded), "expanded");
  EXPECT_EQ(reading_name(Reading::kRelaxed), "relaxed");
  EXPECT_EQ(reading_notice(Reading::kPhrase), "");
  EXPECT_NE(reading_notice(Reading::kWords), "");
}

TEST(GenreWords, MatchCategoriesByNameAndSpeechesByKind) {
  EXPECT_TRUE(is_genre_word("讲话"));
  EXPECT_TRUE(is_genre_word("条例"));
  EXPECT_FALSE(is_genre_word("乡村振兴"));
  EXPECT_TRUE(genre_in_category("讲话", "领导人讲话"));
  EXPECT_TRUE(genre_in_category("致辞", "领导人讲话"));
  EXPECT_TRUE(genre_in_category("报告", "党代会报告"));
  EXPECT_FALSE(genre_in_category("报告", "领导人讲话"));
  EXPECT_FALSE(genre_in_category("条例", "新闻联播"));
}

// A small library with one document for each way of typing.
class TypedSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_sqlite(dir_.path() / "store.db");
    store_->put({
        make_doc("gwr-2019", "2019年中华人民共和国国务院政府工作报告",
                 "各位代表：现在，我代表国务院，向大会报告政府工作。过去一年稳就业。", "2019",
                 "政府工作报告"),
        make_doc("gwr-res-2019", "第十三届全国人民代表大会第二次会议关于政府工作报告的决议",
                 "会议充分肯定国务院过去一年的工作，同意政府工作报告。", "2019", "人大决议"),
        make_doc("news-2019", "两会新闻",
                 "2019年3月，代表们讨论政府工作报告，谈乡村振兴和讲话精神。", "2019-03-06",
                 "新闻联播"),
        make_doc("cpc-18", "坚定不移沿着中国特色社会主义道路前进 (十八大)",
                 "同志们：现在，我代表第十七届中央委员会向大会作报告。", "2012", "党代会报告"),
        make_doc("news-18", "学习动态", "各地认真学习十八大报告精神。", "2013-01-01", "新闻联播"),
        make_doc("law-supervision", "中华人民共和国各级人民代表大会常务委员会监督法",
                 "第一条 为保障全国人民代表大会常务委员会和县级以上地方各级人民代表大会常务委员会"
                 "依法行使监督职权，制定本法。",
                 "2006-08-27", "法律"),
        make_doc("speech-rural", "在中央农村工作会议上的讲话",
                 "全面推进乡村振兴，加快农业农村现代化。", "2020-12-28", "领导人讲话"),
        make_doc("news-rural", "乡村振兴见闻", "记者走访乡村振兴示范村。", "2024-05-01",
                 "新闻联播"),
        make_doc("law-port", "上海口岸服务条例", "第一条 为了优化上海口岸服务，制定本条例。",
                 "2019-01-01", "地方性法规"),
        make_doc("law-port-city", "上海市推进口岸建设办法", "第一条 上海口岸建设。", "2018-01-01",
                 "地方性法规"),
        make_doc("law-qingdao", "青岛市国有土地上房屋征收与补偿条例",
                 "第一条 为了规范房屋征收与补偿活动，制定本条例。", "2014-01-01", "地方性法规"),
        make_doc("law-national", "国有土地上房屋征收与补偿条例",
                 "第一条 为了规范国有土地上房屋征收与补偿活动，制定本条例。", "2011-01-21",
                 "行政法规"),
    });
    index_ = std::make_unique<Index>(dir_.path() / "index", test::segmenter(), test::aliases());
    index_->catch_up(*store_);
  }

  SearchResponse search(std::string query) {
    access::Viewer member{access::Role::kMember, "someone"};
    return run_search(*index_, *store_, SearchRequest{.query = std::move(query), .limit = 20},
                      member, access::Policy{});
  }

  static std::vector<std::string> ids(const SearchResponse& r) {
    std::vector<std::string> out;
    for (const auto& hit : r.hits) out.push_back(hit.id);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Index> index_;
};

TEST_F(TypedSearchTest, ARunHeldAsTypedIsAPhrase) {
  auto r = search("乡村振兴示范村");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_EQ(*r.interpretation, Reading::kPhrase);
  EXPECT_EQ(r.total, 1);
  EXPECT_THAT(ids(r), ElementsAre("news-rural"));
  EXPECT_EQ(r.notice, "");
  EXPECT_EQ(search_response_json("乡村振兴示范村", 1, r)["interpretation"], "phrase");
}

TEST_F(TypedSearchTest, UnspacedWordsAreAndedAndTheTitleHoldingThemComesFirst) {
  auto r = search("2019年政府工作报告");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_EQ(*r.interpretation, Reading::kWords);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "gwr-2019");
  // The 决议 of that year: its title holds 政府工作报告 and its year is 2019.
  EXPECT_EQ(r.hits[1].id, "gwr-res-2019");
  // Exact for the reading: the documents holding 2019年 and 政府工作报告, plus the title match
  // by year.
  EXPECT_EQ(r.total, 3);
  EXPECT_THAT(r.notice, HasSubstr("分词"));
  EXPECT_THAT(r.terms, ElementsAre("2019年", "政府工作报告"));
  // Snippets mark the words of the reading.
  const auto& news = *std::ranges::find(r.hits, "news-2019", &SearchHit::id);
  EXPECT_THAT(news.snippet_html, HasSubstr("<mark>2019年</mark>"));
  EXPECT_THAT(news.snippet_html, HasSubstr("<mark>政府工作报告</mark>"));
}

TEST_F(TypedSearchTest, AbbreviationsAreExpandedWhenTheWordsAloneMissTheTitle) {
  auto r = search("各级人大常委会监督法");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_EQ(*r.interpretation, Reading::kExpanded);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "law-supervision");
  EXPECT_THAT(r.terms, ::testing::Contains("人民代表大会常务委员会"));
}

TEST_F(TypedSearchTest, ATitleMatchOutranksAPhraseInSomeText) {
  // news-18 holds 十八大报告 as typed; the report's title holds 十八大 and its category
  // (党代会报告) the genre word: the words reading takes over and ranks it first.
  auto r = search("十八大报告");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_NE(*r.interpretation, Reading::kPhrase);
  ASSERT_GE(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "cpc-18");
  EXPECT_EQ(r.hits[1].id, "news-18");  // still found: it holds the run as typed
}

TEST_F(TypedSearchTest, GenreWordsMatchTitleOrCategoryNotText) {
  auto r = search("乡村振兴讲话");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_EQ(*r.interpretation, Reading::kWords);
  // news-2019 says 乡村振兴 and 讲话 in its text only; news-rural has no 讲话 at all.
  EXPECT_THAT(ids(r), ElementsAre("speech-rural"));
  EXPECT_EQ(r.total, 1);
}

TEST_F(TypedSearchTest, ModelTextsComeBeforeNewsAndShortTitlesBeforeLongOnes) {
  auto r = search("房屋征收补偿条例");
  ASSERT_GE(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "law-national");
  EXPECT_EQ(r.hits[1].id, "law-qingdao");
  r = search("上海口岸条例");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "law-port");
}

TEST_F(TypedSearchTest, MostOfTheWordsWhenNoDocumentHoldsAll) {
  auto r = search("乡村振兴示范村监督法");
  ASSERT_TRUE(r.interpretation.has_value());
  EXPECT_EQ(*r.interpretation, Reading::kRelaxed);
  EXPECT_TRUE(r.relaxed);
  EXPECT_GT(r.total, 0);
  EXPECT_EQ(search_response_json("x", 1, r)["interpretation"], "relaxed");
}

TEST_F(TypedSearchTest, QuotedPhrasesKeepTheirExactMeaning) {
  auto r = search("\"2019年政府工作报告\"");
  EXPECT_FALSE(r.interpretation.has_value());
  EXPECT_EQ(r.total, 0);
  EXPECT_FALSE(search_response_json("x", 1, r).contains("interpretation"));
  // Latin words and numbers are not runs either.
  EXPECT_FALSE(search("2019").interpretation.has_value());
}

TEST_F(TypedSearchTest, OtherClausesAndFiltersStayAsTyped) {
  auto r = search("2019年政府工作报告 -稳就业");
  ASSERT_FALSE(r.hits.empty());
  for (const auto& hit : r.hits) EXPECT_NE(hit.id, "gwr-2019");
  r = search("2019年政府工作报告 分类:人大决议");
  EXPECT_THAT(ids(r), ElementsAre("gwr-res-2019"));
}

TEST_F(TypedSearchTest, DidYouMeanOffersAWholeReadingNeverAFragment) {
  // No word of the run occurs anywhere, and no indexed word or title is close: nothing is
  // offered rather than a piece of the query.
  auto r = search("量子纠缠超导");
  EXPECT_EQ(r.total, 0);
  EXPECT_EQ(r.did_you_mean, "");
  // Within a category that holds no such text, the words are found elsewhere: the
  // suggestion is a whole title holding them, not one of the words.
  r = search("上海口岸条例 分类:法律");
  EXPECT_EQ(r.total, 0);
  EXPECT_EQ(r.did_you_mean, "上海口岸服务条例");
}

}  // namespace
}  // namespace wenku::search
