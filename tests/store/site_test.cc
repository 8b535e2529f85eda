// The store's site data (004_site.sql): counted views and hot lists, categories, 专题
// collections, feedback, the near-duplicate review list, settings and site files, and the
// 回收站 listing of soft-deleted documents.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/backends.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

doc::Document make_doc(std::string id, std::string category = "讲话稿",
                       std::string date = "2021-12-25") {
  doc::Document d;
  d.id = std::move(id);
  d.title = "标题" + d.id;
  d.date = std::move(date);
  d.category = std::move(category);
  d.content = "正文。";
  return d;
}

// `n` events of `id` on `day` from visitors v0, v1, ...
std::vector<ViewEvent> visits(const std::string& id, const std::string& day, int n) {
  std::vector<ViewEvent> out;
  for (int i = 0; i < n; ++i) out.push_back({id, day, "v" + std::to_string(i)});
  return out;
}

std::vector<std::string> ids(const std::vector<doc::Summary>& list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.id);
  return out;
}

std::vector<std::string> ids(const std::vector<HotDoc>& list) {
  std::vector<std::string> out;
  for (const auto& h : list) out.push_back(h.doc.id);
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> pairs(const std::vector<DayCount>& days) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& d : days) out.emplace_back(d.day, d.count);
  return out;
}

class SiteStoreTest : public BackendTest {};
WENKU_ON_EVERY_BACKEND(SiteStoreTest);

// ---- views --------------------------------------------------------------------------------

TEST_P(SiteStoreTest, AVisitorCountsOncePerDocumentAndDayAcrossStores) {
  store_->put({make_doc("a"), make_doc("b")});
  const auto seq = store_->last_seq();
  EXPECT_EQ(store_->add_views({{"a", "2024-05-01", "v1"},
                               {"a", "2024-05-01", "v1"},  // repeated within the batch
                               {"a", "2024-05-01", "v2"},
                               {"b", "2024-05-01", "v1"},
                               {"missing", "2024-05-01", "v1"}}),
            3);

  // A second process (another Store on the same file) shares the dedupe records.
  auto other = db_->open();
  EXPECT_EQ(other->add_views({{"a", "2024-05-01", "v1"}, {"b", "2024-05-01", "v2"}}), 1);
  EXPECT_EQ(other->add_views({{"a", "2024-05-02", "v1"}}), 1);  // a new day counts again
  EXPECT_EQ(store_->add_views({}), 0);

  EXPECT_EQ(store_->get("a")->views, 3);
  EXPECT_EQ(store_->get("b")->views, 2);
  EXPECT_FALSE(store_->get("missing"));
  EXPECT_EQ(store_->last_seq(), seq);  // views are not indexed: no change sequence number
  EXPECT_EQ(store_->get("a")->seq, 1);
  EXPECT_EQ(ids(store_->list({std::nullopt, SortOrder::kMostViewed, 10, 0})),
            (std::vector<std::string>{"a", "b"}));

  using Days = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(pairs(store_->views_per_day("2024-01-01")),
            (Days{{"2024-05-01", 4}, {"2024-05-02", 1}}));
  EXPECT_EQ(pairs(store_->views_per_day("2024-05-02")), (Days{{"2024-05-02", 1}}));
  EXPECT_TRUE(store_->views_per_day("2024-05-03").empty());
}

TEST_P(SiteStoreTest, ABadDayFailsTheBatchAndCountsNothing) {
  store_->put({make_doc("a")});
  for (const char* day : {"2024-5-01", "2024-02-30", "20240501xx", "", "+024-05-01"}) {
    EXPECT_THROW(store_->add_views({{"a", "2024-05-01", "v1"}, {"a", day, "v2"}}), StoreError)
        << day;
  }
  EXPECT_EQ(store_->get("a")->views, 0);
  EXPECT_EQ(store_->add_views({{"a", "2024-05-01", "v1"}}), 1);  // not counted before
}

TEST_P(SiteStoreTest, DedupeHoldsForTwoDaysBeforeOldRecordsArePruned) {
  store_->put({make_doc("a")});
  EXPECT_EQ(store_->add_views({{"a", "2024-05-01", "v1"}}), 1);
  EXPECT_EQ(store_->add_views({{"a", "2024-05-03", "v1"}}), 1);
  // A late event for 05-01 (a process still on that day) is still recognised...
  EXPECT_EQ(store_->add_views({{"a", "2024-05-01", "v1"}}), 0);
  // ...until events of 05-04 prune the records of days before 05-02.
  EXPECT_EQ(store_->add_views({{"a", "2024-05-04", "v1"}}), 1);
  EXPECT_EQ(store_->add_views({{"a", "2024-05-03", "v1"}}), 0);
  EXPECT_EQ(store_->add_views({{"a", "2024-05-01", "v1"}}), 1);
}

TEST_P(SiteStoreTest, HotRanksLiveDocumentsByViewsInTheWindow) {
  store_->put({make_doc("a"), make_doc("b"), make_doc("c", "讲话稿", "2020-01-01"),
               make_doc("f", "讲话稿", "2023-01-01"), make_doc("gone"), make_doc("quiet")});
  store_->add_views(visits("a", "2024-05-10", 3));
  store_->add_views(visits("b", "2024-04-01", 5));  // before the window
  store_->add_views(visits("b", "2024-05-10", 2));
  store_->add_views(visits("c", "2024-05-09", 2));
  store_->add_views(visits("f", "2024-05-02", 2));
  store_->add_views(visits("gone", "2024-05-10", 9));
  store_->set_deleted("gone", true);

  const auto hot = store_->hot("2024-05-01", 10, std::nullopt);
  // b and c and f have 2 views each in the window: b has more in total; f is newer than c.
  EXPECT_EQ(ids(hot), (std::vector<std::string>{"a", "b", "f", "c"}));
  ASSERT_EQ(hot.size(), 4u);
  EXPECT_EQ(hot[0].period_views, 3);
  EXPECT_EQ(hot[0].doc.title, "标题a");
  EXPECT_EQ(hot[1].period_views, 2);
  EXPECT_EQ(hot[1].doc.views, 7);

  EXPECT_EQ(ids(store_->hot("2024-03-01", 10, std::nullopt)),
            (std::vector<std::string>{"b", "a", "f", "c"}));
  EXPECT_EQ(ids(store_->hot("2024-05-10", 10, std::nullopt)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ids(store_->hot("2024-05-01", 1, std::nullopt)), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(store_->hot("2024-05-11", 10, std::nullopt).empty());

  store_->set_deleted("gone", false);
  EXPECT_EQ(store_->hot("2024-05-01", 1, std::nullopt)[0].doc.id, "gone");
}

// A quick look at hot() over many view rows (not a timed test: the times are printed).
TEST_P(SiteStoreTest, HotOverManyViewRows) {
  constexpr int kDocuments = 5000;
  constexpr int kDays = 40;  // 2024-01-01 .. 2024-02-09
  constexpr int kWindow = 30;
  std::vector<doc::Document> docs;
  for (int i = 0; i < kDocuments; ++i) docs.push_back(make_doc("d" + std::to_string(i)));
  store_->put(docs);
  auto day_name = [](int day) {  // 0-based
    return fmt::format("2024-{:02}-{:02}", 1 + day / 31, 1 + day % 31);
  };
  const auto fill_start = std::chrono::steady_clock::now();
  for (int day = 0; day < kDays; ++day) {
    std::vector<ViewEvent> events;  // one view row per document and day
    for (const auto& d : docs) events.push_back({d.id, day_name(day), "v"});
    store_->add_views(events);
  }
  const auto fill = std::chrono::steady_clock::now() - fill_start;
  store_->add_views(visits("d42", day_name(kDays - 1), 5));  // five more visitors

  const auto since = day_name(kDays - kWindow);
  std::vector<HotDoc> hot;
  for (int run = 0; run < 2; ++run) {
    const auto start = std::chrono::steady_clock::now();
    hot = store_->hot(since, 10, std::nullopt);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    std::printf("hot() over %d view rows, %d in the window (run %d): %.1f ms\n", kDocuments * kDays,
                kDocuments * kWindow, run + 1,
                std::chrono::duration<double, std::milli>(elapsed).count());
  }
  std::printf("add_views of %d events in %d batches: %.0f ms\n", kDocuments * kDays, kDays,
              std::chrono::duration<double, std::milli>(fill).count());
  ASSERT_EQ(hot.size(), 10u);
  EXPECT_EQ(hot[0].doc.id, "d42");
  EXPECT_EQ(hot[0].period_views, kWindow + 5);
  EXPECT_EQ(hot[0].doc.views, kDays + 5);
  // The rest tie on views in the window and in total, and on dates: the later write first.
  EXPECT_EQ(hot[1].doc.id, "d4999");
  EXPECT_EQ(hot[1].period_views, kWindow);
  EXPECT_EQ(hot[9].doc.id, "d4991");
}

TEST_P(SiteStoreTest, DocumentsPerDayCountsCreationsDeletedIncluded) {
  store_->put({make_doc("a"), make_doc("b"), make_doc("c")});
  store_->set_deleted("b", true);
  store_->put({make_doc("a")});  // a replacement is no new document
  const auto today = store_->get("a")->created_at.substr(0, 10);
  EXPECT_EQ(pairs(store_->documents_per_day("2000-01-01")),
            (std::vector<std::pair<std::string, std::int64_t>>{{today, 3}}));
  EXPECT_EQ(store_->documents_per_day(today).size(), 1u);
  EXPECT_TRUE(store_->documents_per_day("9999-12-31").empty());
}

// ---- categories ---------------------------------------------------------------------------

std::vector<std::tuple<std::string, int, std::int64_t>> rows(const std::vector<Category>& list) {
  std::vector<std::tuple<std::string, int, std::int64_t>> out;
  for (const auto& c : list) out.emplace_back(c.name, c.position, c.count);
  return out;
}

TEST_P(SiteStoreTest, CategoriesAreCreatedOrderedRenamedAndMerged) {
  using Rows = std::vector<std::tuple<std::string, int, std::int64_t>>;
  store_->put({make_doc("s1"), make_doc("s2"), make_doc("s3"), make_doc("r1", "工作总结"),
               make_doc("n1", "")});
  store_->set_deleted("s3", true);
  // Never ordered: by count, then name ("" is 未分类).
  EXPECT_EQ(rows(store_->category_list()),
            (Rows{{"讲话稿", 0, 2}, {"", 0, 1}, {"工作总结", 0, 1}}));

  store_->create_category("通知");
  store_->create_category("通知");  // exists: no-op
  EXPECT_THROW(store_->create_category(""), StoreError);
  EXPECT_THROW(store_->create_category("\xFF"), StoreError);
  EXPECT_EQ(rows(store_->category_list()),
            (Rows{{"通知", 0, 0}, {"讲话稿", 1, 2}, {"", 1, 1}, {"工作总结", 1, 1}}));

  // Listed names take positions 0, 1, ...; defined but unlisted ones move behind them.
  store_->set_category_order({"工作总结", "讲话稿"});
  EXPECT_EQ(rows(store_->category_list()),
            (Rows{{"工作总结", 0, 1}, {"讲话稿", 1, 2}, {"通知", 2, 0}, {"", 3, 1}}));

  // A rename moves every document (deleted ones too), each with a new sequence number, and
  // the new name takes the old one's position.
  const auto seq = store_->last_seq();
  EXPECT_EQ(store_->rename_category("讲话稿", "讲话"), 3);
  EXPECT_EQ(store_->last_seq(), seq + 3);
  const auto changed = store_->changes_since(seq, 10);
  ASSERT_EQ(changed.size(), 3u);
  for (const auto& d : changed) EXPECT_EQ(d.category, "讲话") << d.id;
  EXPECT_EQ(changed[0].id, "s1");  // in their previous order
  EXPECT_TRUE(store_->get("s3")->deleted);
  EXPECT_EQ(rows(store_->category_list()),
            (Rows{{"工作总结", 0, 1}, {"讲话", 1, 2}, {"通知", 2, 0}, {"", 3, 1}}));

  // A merge: the target keeps its position, the source disappears.
  EXPECT_EQ(store_->rename_category("工作总结", "讲话"), 1);
  EXPECT_EQ(store_->rename_category("", "其他"), 1);
  EXPECT_EQ(rows(store_->category_list()), (Rows{{"讲话", 1, 3}, {"通知", 2, 0}, {"其他", 3, 1}}));
  EXPECT_EQ(ids(store_->list({"讲话", SortOrder::kNewest, 10, 0})).size(), 3u);
  EXPECT_TRUE(store_->list({"工作总结", SortOrder::kNewest, 10, 0}).empty());

  // An empty defined category can be renamed too; nothing moves.
  const auto before = store_->last_seq();
  EXPECT_EQ(store_->rename_category("通知", "公告"), 0);
  EXPECT_EQ(store_->rename_category("讲话", "讲话"), 0);
  EXPECT_EQ(store_->last_seq(), before);
  EXPECT_THROW(store_->rename_category("讲话", ""), StoreError);
  EXPECT_EQ(rows(store_->category_list()), (Rows{{"讲话", 1, 3}, {"公告", 2, 0}, {"其他", 3, 1}}));
}

// ---- category kinds (008_category_kind.sql) ------------------------------------------------

std::map<std::string, CategoryKind> kinds(const std::vector<Category>& list) {
  std::map<std::string, CategoryKind> out;
  for (const auto& c : list) out.emplace(c.name, c.kind);
  return out;
}

constexpr auto kModel = CategoryKind::kModel;
constexpr auto kReference = CategoryKind::kReference;

TEST_P(SiteStoreTest, NewsCasesAndLawsStartAsReferenceEverythingElseAsModel) {
  store_->put({make_doc("n", "新闻联播"), make_doc("c", "典型案例"), make_doc("l1", "法律"),
               make_doc("l2", "行政法规"), make_doc("l3", "地方性法规"), make_doc("l4", "司法解释"),
               make_doc("l5", "部门规章"), make_doc("s", "领导人讲话"), make_doc("u", ""),
               make_doc("x", "新闻联播摘编")});
  store_->create_category("通知");
  const auto list = store_->category_list();
  ASSERT_EQ(list.size(), 11u);
  const std::map<std::string, CategoryKind> expected{{"新闻联播", kReference},
                                                     {"典型案例", kReference},
                                                     {"法律", kReference},
                                                     {"行政法规", kReference},
                                                     {"地方性法规", kReference},
                                                     {"司法解释", kReference},
                                                     {"部门规章", kReference},
                                                     {"领导人讲话", kModel},
                                                     {"", kModel},
                                                     {"新闻联播摘编", kModel},
                                                     {"通知", kModel}};
  EXPECT_EQ(kinds(list), expected);
  EXPECT_EQ(store_->reference_categories(),
            (std::vector<std::string>{"典型案例", "司法解释", "地方性法规", "新闻联播", "法律",
                                      "行政法规", "部门规章"}));
}

TEST_P(SiteStoreTest, AKindSetBeforeAnyDocumentAppliesWhenTheyComeAndMakesNoCategory) {
  store_->set_category_kind("简报", kReference);
  store_->set_category_kind("新闻联播", kModel);
  EXPECT_TRUE(store_->category_list().empty()) << "a kind alone defines no category";
  store_->put({make_doc("b", "简报"), make_doc("n", "新闻联播")});
  EXPECT_EQ(kinds(store_->category_list()),
            (std::map<std::string, CategoryKind>{{"简报", kReference}, {"新闻联播", kModel}}));
  store_->set_category_kind("简报", kModel);  // and back
  EXPECT_EQ(kinds(store_->category_list())["简报"], kModel);
  EXPECT_THROW(store_->set_category_kind("\xFF", kModel), StoreError);
}

TEST_P(SiteStoreTest, ListAndHotFilterByKind) {
  store_->put({make_doc("n1", "新闻联播", "2024-05-03"), make_doc("s1", "讲话稿", "2024-05-02"),
               make_doc("n2", "新闻联播", "2024-05-01"), make_doc("u1", "", "2024-04-30"),
               make_doc("l1", "法律", "2024-04-29")});
  ListQuery models;
  models.kind = kModel;
  EXPECT_EQ(ids(store_->list(models)), (std::vector<std::string>{"s1", "u1"}));
  models.offset = 1;
  EXPECT_EQ(ids(store_->list(models)), (std::vector<std::string>{"u1"}));
  ListQuery references;
  references.kind = kReference;
  EXPECT_EQ(ids(store_->list(references)), (std::vector<std::string>{"n1", "n2", "l1"}));
  references.sort = SortOrder::kMostViewed;
  references.category = "法律";
  EXPECT_EQ(ids(store_->list(references)), (std::vector<std::string>{"l1"}));
  ListQuery all;
  EXPECT_EQ(store_->list(all).size(), 5u) << "no kind: every document";

  store_->add_views(visits("n1", "2024-05-10", 5));
  store_->add_views(visits("s1", "2024-05-10", 1));
  store_->add_views(visits("l1", "2024-05-10", 3));
  EXPECT_EQ(ids(store_->hot("2024-05-01", 10, kModel)), (std::vector<std::string>{"s1"}));
  EXPECT_EQ(ids(store_->hot("2024-05-01", 10, kReference)), (std::vector<std::string>{"n1", "l1"}));
  EXPECT_EQ(ids(store_->hot("2024-05-01", 10, std::nullopt)),
            (std::vector<std::string>{"n1", "l1", "s1"}));

  // A kind set by the admin takes effect at once.
  store_->set_category_kind("新闻联播", kModel);
  EXPECT_EQ(ids(store_->hot("2024-05-01", 10, kModel)), (std::vector<std::string>{"n1", "s1"}));
  models.offset = 0;
  EXPECT_EQ(ids(store_->list(models)), (std::vector<std::string>{"n1", "s1", "n2", "u1"}));
}

TEST_P(SiteStoreTest, ARenamedCategoryKeepsItsKindUnlessTheNewNameHasOne) {
  store_->put({make_doc("n", "新闻联播"), make_doc("c", "典型案例"), make_doc("s", "讲话稿"),
               make_doc("t", "通知")});
  // To a new name: the kind moves with the documents.
  EXPECT_EQ(store_->rename_category("新闻联播", "新闻"), 1);
  EXPECT_EQ(kinds(store_->category_list())["新闻"], kReference);
  EXPECT_EQ(store_->reference_categories(),
            (std::vector<std::string>{"典型案例", "司法解释", "地方性法规", "新闻", "法律",
                                      "行政法规", "部门规章"}))
      << "新闻联播's kind moved to 新闻";
  // Into an existing 范文 category (a merge): the target keeps its kind.
  EXPECT_EQ(store_->rename_category("典型案例", "讲话稿"), 1);
  EXPECT_EQ(kinds(store_->category_list())["讲话稿"], kModel);
  // A 范文 merged into a 资料 category becomes 资料 with it.
  EXPECT_EQ(store_->rename_category("通知", "新闻"), 1);
  EXPECT_EQ(kinds(store_->category_list()),
            (std::map<std::string, CategoryKind>{{"新闻", kReference}, {"讲话稿", kModel}}));
  // A name with a kind of its own keeps it, though no document uses it yet.
  store_->set_category_kind("要闻", kModel);
  EXPECT_EQ(store_->rename_category("新闻", "要闻"), 2);
  EXPECT_EQ(kinds(store_->category_list())["要闻"], kModel);
}

// ---- collections --------------------------------------------------------------------------

TEST_P(SiteStoreTest, CollectionsRoundTripInOrderWithoutUnknownDocuments) {
  store_->put({make_doc("a"), make_doc("b"), make_doc("c")});
  store_->put_collection({"policy-2024", "政策解读", "说明", 2, {"b", "missing", "a", "b"}});
  store_->put_collection({"empty", "空专题", "", 1, {}});
  store_->put_collection({"aa", "同位", "", 2, {"c"}});

  const auto all = store_->collections();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].slug, "empty");  // by position, then slug
  EXPECT_TRUE(all[0].ids.empty());
  EXPECT_EQ(all[1].slug, "aa");
  EXPECT_EQ(all[2].slug, "policy-2024");
  EXPECT_EQ(all[2].title, "政策解读");
  EXPECT_EQ(all[2].description, "说明");
  EXPECT_EQ(all[2].position, 2);
  EXPECT_EQ(all[2].ids, (std::vector<std::string>{"b", "a"}));

  store_->put_collection({"policy-2024", "新标题", "", 0, {"c", "a"}});  // replaces
  auto policy = store_->collection("policy-2024");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->title, "新标题");
  EXPECT_EQ(policy->ids, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(store_->collections()[0].slug, "policy-2024");

  store_->set_deleted("c", true);  // hidden while deleted, back when restored
  EXPECT_EQ(store_->collection("policy-2024")->ids, std::vector<std::string>{"a"});
  store_->set_deleted("c", false);
  EXPECT_EQ(store_->collection("policy-2024")->ids, (std::vector<std::string>{"c", "a"}));

  for (const char* slug : {"", "Policy", "政策", "a b", "a/b"}) {
    EXPECT_THROW(store_->put_collection({slug, "标题", "", 0, {}}), StoreError) << slug;
  }
  EXPECT_TRUE(store_->delete_collection("empty"));
  EXPECT_FALSE(store_->delete_collection("empty"));
  EXPECT_FALSE(store_->collection("empty"));
  EXPECT_EQ(store_->collections().size(), 2u);
}

// ---- feedback -----------------------------------------------------------------------------

TEST_P(SiteStoreTest, FeedbackPagesNewestFirstAndTracksHandling) {
  const auto first = store_->add_feedback({0, "微信 abc", "第一条", "", "c1", true});
  const auto second = store_->add_feedback({0, "", "第二条", "", "c1", false});
  const auto third = store_->add_feedback({0, "13800000000", "第三条", "", "c2", false});
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_THROW(store_->add_feedback({0, "", "\xC3", "", "c1", false}), StoreError);

  const auto all = store_->feedback(false, 10, 0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, third);
  EXPECT_EQ(all[0].message, "第三条");
  EXPECT_EQ(all[0].contact, "13800000000");
  EXPECT_EQ(all[0].client, "c2");
  EXPECT_EQ(all[0].created_at.size(), 19u) << all[0].created_at;
  EXPECT_FALSE(all[2].handled);  // set by the store, not by the caller
  EXPECT_EQ(store_->feedback(false, 2, 2).size(), 1u);
  EXPECT_EQ(store_->feedback(false, 2, 2)[0].id, first);

  EXPECT_TRUE(store_->set_feedback_handled(second, true));
  EXPECT_FALSE(store_->set_feedback_handled(third + 100, true));
  EXPECT_EQ(store_->feedback_count(false), 3);
  EXPECT_EQ(store_->feedback_count(true), 2);
  const auto open = store_->feedback(true, 10, 0);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].id, third);
  EXPECT_EQ(open[1].id, first);
  EXPECT_TRUE(store_->feedback(false, 10, 0)[1].handled);

  EXPECT_EQ(store_->feedback_count_since("c1", all[2].created_at), 2);
  EXPECT_EQ(store_->feedback_count_since("c1", "2000-01-01 00:00:00"), 2);
  EXPECT_EQ(store_->feedback_count_since("c1", "9999-01-01 00:00:00"), 0);
  EXPECT_EQ(store_->feedback_count_since("c3", "2000-01-01 00:00:00"), 0);
}

// ---- near-duplicate review ----------------------------------------------------------------

TEST_P(SiteStoreTest, SimilarPairsListLiveLinksClosestFirstAndUnlink) {
  store_->put({make_doc("a"), make_doc("b"), make_doc("c"), make_doc("d")});
  store_->link_similar({{"a", "b", 3}, {"c", "a", 1}, {"b", "c", 3}, {"c", "d", 2}});
  EXPECT_EQ(store_->similar_pair_count(), 4);
  auto text = [](const std::vector<SimilarPairSummary>& list) {
    std::vector<std::string> out;
    for (const auto& p : list) out.push_back(p.a.id + p.b.id + std::to_string(p.distance));
    return out;
  };
  EXPECT_EQ(text(store_->similar_pairs(10, 0)),
            (std::vector<std::string>{"ac1", "cd2", "ab3", "bc3"}));
  EXPECT_EQ(text(store_->similar_pairs(2, 1)), (std::vector<std::string>{"cd2", "ab3"}));
  EXPECT_EQ(store_->similar_pairs(1, 0)[0].b.title, "标题c");

  store_->set_deleted("d", true);
  EXPECT_EQ(store_->similar_pair_count(), 3);
  EXPECT_EQ(text(store_->similar_pairs(10, 0)), (std::vector<std::string>{"ac1", "ab3", "bc3"}));

  EXPECT_TRUE(store_->unlink_similar("c", "a"));
  EXPECT_FALSE(store_->unlink_similar("a", "c"));
  EXPECT_FALSE(store_->unlink_similar("a", "a"));
  EXPECT_EQ(store_->similar_pair_count(), 2);
  EXPECT_EQ(store_->similar("a").size(), 1u);
}

// ---- settings and site files --------------------------------------------------------------

TEST_P(SiteStoreTest, SettingsMergeAndBumpTheVersion) {
  EXPECT_TRUE(store_->settings().empty());
  const auto start = store_->settings_version();
  store_->set_settings({{"site_name", "公文范文库"}, {"icp", "京ICP备00000000号"}});
  store_->set_settings({{"icp", ""}});
  const std::map<std::string, std::string> expected = {{"icp", ""}, {"site_name", "公文范文库"}};
  EXPECT_EQ(store_->settings(), expected);
  EXPECT_EQ(store_->settings_version(), start + 2);

  EXPECT_THROW(store_->set_settings({{"a", "ok"}, {"b", std::string("x\0y", 3)}}), StoreError);
  EXPECT_EQ(store_->settings(), expected);  // nothing stored
  auto other = db_->open();
  EXPECT_EQ(other->settings_version(), start + 2);
  EXPECT_EQ(other->settings(), expected);
}

// Several server processes or nodes starting at once on a new database each offer a fresh
// secret: every one of them gets the same stored value.
TEST_P(SiteStoreTest, EnsureSettingGivesConcurrentCallersOnSeveralStoresOneValue) {
  constexpr int kRounds = 20;
  constexpr int kCallers = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kCallers; ++i) stores.push_back(db_->open());
  for (int round = 0; round < kRounds; ++round) {
    const std::string key = fmt::format("secret-{}", round);
    std::vector<std::string> got(kCallers);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back(
          [&, i] { got[i] = stores[i]->ensure_setting(key, fmt::format("offer-{}", i)); });
    }
    for (auto& t : callers) t.join();
    ASSERT_EQ(got.size(), static_cast<std::size_t>(kCallers));
    for (const auto& value : got) EXPECT_EQ(value, got[0]) << key;
    EXPECT_EQ(store_->settings().at(key), got[0]);
  }
}

TEST_P(SiteStoreTest, SiteFilesKeepEveryByte) {
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  }
  bytes += std::string("\x89PNG\r\n\x1a\n\0\0\0", 11);
  const auto version = store_->settings_version();
  store_->put_site_file({"wechat-qr", "image/png", bytes, ""});
  EXPECT_EQ(store_->settings_version(), version + 1);
  auto file = store_->site_file("wechat-qr");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->name, "wechat-qr");
  EXPECT_EQ(file->content_type, "image/png");
  EXPECT_EQ(file->data.size(), bytes.size());
  EXPECT_EQ(file->data, bytes);
  EXPECT_EQ(file->updated_at.size(), 19u) << file->updated_at;

  store_->put_site_file({"wechat-qr", "image/jpeg", std::string(), ""});  // replaces
  file = store_->site_file("wechat-qr");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->content_type, "image/jpeg");
  EXPECT_TRUE(file->data.empty());
  EXPECT_FALSE(store_->site_file("missing"));
  EXPECT_THROW(store_->put_site_file({"", "image/png", bytes, ""}), StoreError);
  EXPECT_EQ(store_->settings_version(), version + 2);
}

// ---- the 回收站 ----------------------------------------------------------------------------

TEST_P(SiteStoreTest, ListsDeletedDocumentsOnRequest) {
  store_->put({make_doc("old", "讲话稿", "2019-01-01"), make_doc("new", "讲话稿", "2024-01-01"),
               make_doc("other", "工作总结", "2023-01-01"),
               make_doc("live", "讲话稿", "2025-01-01")});
  for (const char* id : {"old", "new", "other"}) store_->set_deleted(id, true);
  store_->add_views(visits("old", "2024-05-01", 4));

  ListQuery deleted;
  deleted.deleted = true;
  EXPECT_EQ(ids(store_->list(deleted)), (std::vector<std::string>{"new", "other", "old"}));
  deleted.category = "讲话稿";
  EXPECT_EQ(ids(store_->list(deleted)), (std::vector<std::string>{"new", "old"}));
  deleted.sort = SortOrder::kMostViewed;
  EXPECT_EQ(ids(store_->list(deleted)), (std::vector<std::string>{"old", "new"}));
  deleted.limit = 1;
  deleted.offset = 1;
  EXPECT_EQ(ids(store_->list(deleted)), (std::vector<std::string>{"new"}));
  EXPECT_EQ(ids(store_->list({})), (std::vector<std::string>{"live"}));
}

}  // namespace
}  // namespace wenku::store

namespace wenku::store {
namespace {

TEST_P(SiteStoreTest, ListSelectsUncategorizedWithAnEmptyCategoryAndEverythingWithNone) {
  store_->put({make_doc("a", ""), make_doc("b", "讲话稿"), make_doc("c", "", "2022-01-01")});
  ListQuery all;
  EXPECT_EQ(ids(store_->list(all)), (std::vector<std::string>{"c", "b", "a"}));
  ListQuery uncategorized;
  uncategorized.category = "";
  EXPECT_EQ(ids(store_->list(uncategorized)), (std::vector<std::string>{"c", "a"}));
  const auto listed = store_->list(all);
  EXPECT_FALSE(listed[0].updated_at.empty()) << "summaries carry the last write time";
}

}  // namespace
}  // namespace wenku::store

namespace wenku::store {
namespace {

TEST_P(SiteStoreTest, StampFollowsWritesViewsAndDeletion) {
  EXPECT_FALSE(store_->stamp("missing"));
  const auto put = store_->put({make_doc("s")});
  auto stamp = store_->stamp("s");
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->seq, put[0].seq);
  EXPECT_EQ(stamp->views, 0);
  EXPECT_FALSE(stamp->deleted);
  store_->add_views(visits("s", "2024-05-01", 3));
  EXPECT_EQ(store_->stamp("s")->views, 3);
  store_->set_deleted("s", true);
  stamp = store_->stamp("s");
  EXPECT_TRUE(stamp->deleted);
  EXPECT_GT(stamp->seq, put[0].seq);
}

}  // namespace
}  // namespace wenku::store
