// 范文 before 资料 in the default ranking (issue 18): run_search reads the 资料 categories from
// the store (store::CategoryKind) and, under relevance, ranks a 范文 above a 资料 that matches
// as well; a category filter or an explicit sort is as before.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "search/index.h"
#include "search/search_test_support.h"
#include "search/searcher.h"
#include "store/store.h"

namespace wenku::search {
namespace {

using test::make_doc;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Two pairs of documents alike but for their category: each 资料 twin (新闻联播, 法律) is written
// after its 范文 twin, so it is the newer one, which the ranking's last tie-break (recency)
// prefers.
class KindRankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_sqlite(dir_.path() / "store.db");
    const std::string title = "在全区安全生产工作会议上的讲话";
    const std::string text = "要压实安全生产责任，排查重大隐患，确保全区安全生产形势稳定。";
    store_->put({make_doc("speech", title, text, "2024-03-15", "讲话稿")});
    store_->put({make_doc("news", title, text, "2024-03-15", "新闻联播")});
    store_->put({make_doc("summary", "安全生产工作总结", text, "2024-03-15", "工作总结")});
    store_->put({make_doc("law", "安全生产工作总结", text, "2024-03-15", "法律")});
    index_ = std::make_unique<Index>(dir_.path() / "index", test::segmenter(), test::aliases());
    index_->catch_up(*store_);
  }

  std::vector<std::string> ids(SearchRequest request) {
    const access::Viewer member{access::Role::kMember, "someone"};
    std::vector<std::string> out;
    for (const auto& hit : run_search(*index_, *store_, request, member, access::Policy{}).hits) {
      out.push_back(hit.id);
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Index> index_;
};

TEST_F(KindRankingTest, AModelTextOutranksAnEquallyMatchingReference) {
  // A typed run read as words, its title matches first: one pair.
  EXPECT_THAT(ids({.query = "安全生产工作会议讲话"}), ElementsAre("speech", "news"));
  // A run held as typed in every text, and a quoted phrase (the exact path): both 范文 first.
  for (const std::string query : {"压实安全生产责任", "\"排查重大隐患\""}) {
    const auto found = ids({.query = query});
    ASSERT_EQ(found.size(), 4u) << query;
    EXPECT_THAT(std::vector(found.begin(), found.begin() + 2),
                UnorderedElementsAre("speech", "summary"))
        << query;
    EXPECT_THAT(std::vector(found.begin() + 2, found.end()), UnorderedElementsAre("news", "law"))
        << query;
  }
  // The admin turns the kinds around: so does the ranking.
  store_->set_category_kind("新闻联播", store::CategoryKind::kModel);
  store_->set_category_kind("讲话稿", store::CategoryKind::kReference);
  EXPECT_THAT(ids({.query = "安全生产工作会议讲话"}), ElementsAre("news", "speech"));
  const auto turned = ids({.query = "\"排查重大隐患\""});
  ASSERT_EQ(turned.size(), 4u);
  EXPECT_THAT(std::vector(turned.begin(), turned.begin() + 2),
              UnorderedElementsAre("news", "summary"));
}

TEST_F(KindRankingTest, WithinAMatchTierAModelTextGoesFirstHoweverTheScoresDiffer) {
  // Both titles hold every word; the news item's text holds them a hundred times, its score
  // more than five times the 范文's.
  std::string text;
  for (int i = 0; i < 100; ++i) text += "召开安全生产工作会议。";
  store_->put(
      {make_doc("loud-news", "在全区安全生产工作会议上的讲话", text, "2024-03-15", "新闻联播")});
  index_->catch_up(*store_);
  const auto found = ids({.query = "安全生产工作会议讲话"});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0], "speech");
  // Outside a tier the score decides, the 范文's counting five times: the quoted phrase.
  EXPECT_EQ(ids({.query = "\"安全生产工作会议\""}).front(), "loud-news");
}

TEST_F(KindRankingTest, ADocumentOfTheGenreTheQueryNamesIsNotPutBehind) {
  // 司法解释 names the category 司法解释 (资料): its documents rank as 范文 do, so the one
  // holding the words more often comes first; a law of another category stays behind the 范文.
  const std::string text = "劳动争议司法解释。劳动争议司法解释。劳动争议司法解释。";
  store_->put(
      {make_doc("reflection", "劳动争议司法解释学习要点", "依法处理。", "2024-01-01", "心得体会"),
       make_doc("judicial", "劳动争议司法解释学习要点", text, "2023-01-01", "司法解释"),
       make_doc("statute", "劳动争议司法解释学习要点", text, "2023-01-01", "法律")});
  index_->catch_up(*store_);
  EXPECT_THAT(ids({.query = "劳动争议司法解释"}), ElementsAre("judicial", "reflection", "statute"));
}

TEST_F(KindRankingTest, FiltersAndExplicitSortsAreAsBefore) {
  // Newest: the date, then the change sequence decides; kinds do not.
  EXPECT_THAT(ids({.query = "压实安全生产责任", .sort = SortOrder::kNewest}),
              ElementsAre("law", "summary", "news", "speech"));
  // One category: only its documents.
  EXPECT_THAT(ids({.query = "压实安全生产责任", .category = "新闻联播"}), ElementsAre("news"));
  // Two categories of one kind: equal matches go to the newer, as without kinds.
  EXPECT_THAT(ids({.query = "\"排查重大隐患\" 分类:新闻联播 分类:法律"}),
              ElementsAre("law", "news"));
}

}  // namespace
}  // namespace wenku::search
