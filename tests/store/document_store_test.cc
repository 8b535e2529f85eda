// The documents of the store and their change sequence (document_store.h), on every backend:
// writes and their sequence numbers, validation, rollback, listing, and concurrent use.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/backends.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

doc::Document make_doc(std::string id, std::string title, std::string category = "讲话稿",
                       std::string date = "2021-12-25") {
  doc::Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.date = std::move(date);
  d.category = std::move(category);
  d.source = "test";
  d.content = "同志们：\n今天我们召开全区领导干部大会。";
  return d;
}

class DocumentStoreTest : public BackendTest {
 protected:
  Store& store() { return *store_; }
  void reopen() {
    store_.reset();
    store_ = db_->open();
  }
};
WENKU_ON_EVERY_BACKEND(DocumentStoreTest);

std::vector<std::string> ids(const std::vector<doc::Summary>& list) {
  std::vector<std::string> out;
  for (const auto& s : list) out.push_back(s.id);
  return out;
}

std::vector<std::string> ids(const std::vector<doc::Document>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.id);
  return out;
}

// ---- put ----------------------------------------------------------------------------------

TEST_P(DocumentStoreTest, PutInsertsAndRoundTripsEveryField) {
  auto d = make_doc("gwr-2021", "2021年政府工作报告", "政府工作报告", "2021");
  d.subcategory = "国务院";
  d.url = "https://zh.wikisource.org/wiki/2021年国务院政府工作报告";
  auto results = store().put({d});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id, "gwr-2021");
  EXPECT_TRUE(results[0].inserted);
  EXPECT_EQ(results[0].seq, 1);

  auto got = store().get("gwr-2021");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, d.title);
  EXPECT_EQ(got->date, "2021");
  EXPECT_EQ(got->category, d.category);
  EXPECT_EQ(got->subcategory, d.subcategory);
  EXPECT_EQ(got->source, d.source);
  EXPECT_EQ(got->url, d.url);
  EXPECT_EQ(got->content, d.content);
  EXPECT_EQ(got->seq, 1);
  EXPECT_EQ(got->views, 0);
  EXPECT_FALSE(got->deleted);
  EXPECT_EQ(got->created_at.size(), 19u) << got->created_at;  // YYYY-MM-DD HH:MM:SS
  EXPECT_EQ(got->updated_at, got->created_at);
  EXPECT_FALSE(store().get("missing"));
}

TEST_P(DocumentStoreTest, ReplaceKeepsCreatedAtAndViewsAndTakesANewSeq) {
  store().put({make_doc("a", "旧标题"), make_doc("b", "乙")});
  db_->exec(
      "UPDATE documents SET views = 42, created_at = '2000-01-02 03:04:05',"
      " updated_at = '2000-01-02 03:04:05' WHERE id = 'a'");

  auto replacement = make_doc("a", "新标题", "工作总结", "2022-01-01");
  replacement.content = "新的正文。";
  replacement.views = 999;  // ignored on write
  auto results = store().put({replacement});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].inserted);
  EXPECT_EQ(results[0].seq, 3);

  auto got = store().get("a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, "新标题");
  EXPECT_EQ(got->category, "工作总结");
  EXPECT_EQ(got->content, "新的正文。");
  EXPECT_EQ(got->views, 42);
  EXPECT_EQ(got->created_at, "2000-01-02 03:04:05");
  EXPECT_NE(got->updated_at, "2000-01-02 03:04:05");
  EXPECT_EQ(got->seq, 3);
  EXPECT_EQ(store().count(), 2);
}

TEST_P(DocumentStoreTest, SeqIncreasesAcrossBatchesAndWithinOne) {
  auto first = store().put({make_doc("a", "甲"), make_doc("b", "乙"), make_doc("a", "甲二")});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].seq, 1);
  EXPECT_EQ(first[1].seq, 2);
  EXPECT_EQ(first[2].seq, 3);
  EXPECT_TRUE(first[0].inserted);
  EXPECT_FALSE(first[2].inserted);  // the same id twice in one batch: the second replaces
  EXPECT_EQ(store().get("a")->title, "甲二");

  EXPECT_TRUE(store().put({}).empty());
  EXPECT_EQ(store().last_seq(), 3);
  auto second = store().put({make_doc("c", "丙")});
  EXPECT_EQ(second[0].seq, 4);
}

TEST_P(DocumentStoreTest, ABadDocumentFailsTheWholeBatch) {
  store().put({make_doc("keep", "保留")});
  auto bad_title = make_doc("x2", "");
  EXPECT_THROW(store().put({make_doc("x1", "一"), bad_title}), StoreError);
  EXPECT_THROW(store().put({make_doc("", "无编号")}), StoreError);
  EXPECT_EQ(store().count(), 1);
  EXPECT_EQ(store().last_seq(), 1);
  EXPECT_FALSE(store().get("x1"));
}

// A failure inside the database halfway through a batch rolls back the rows already written
// and the sequence numbers they took, and leaves the store usable.
TEST_P(DocumentStoreTest, AFailureMidBatchRollsBackEverything) {
  store().put({make_doc("keep", "保留")});
  db_->exec(db_->backend() == Backend::kSqlite
                ? "CREATE TRIGGER boom BEFORE INSERT ON documents WHEN NEW.title = 'boom'"
                  " BEGIN SELECT RAISE(ABORT, 'boom trigger'); END"
                : "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                  " RAISE EXCEPTION 'boom trigger'; END $$;"
                  " CREATE TRIGGER boom BEFORE INSERT ON documents FOR EACH ROW"
                  " WHEN (NEW.title = 'boom') EXECUTE FUNCTION boom()");
  try {
    store().put({make_doc("x1", "一"), make_doc("keep", "改了"), make_doc("x3", "boom")});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("boom trigger"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(store().get("x1"));
  EXPECT_EQ(store().get("keep")->title, "保留");
  EXPECT_EQ(store().last_seq(), 1);
  EXPECT_EQ(store().count(), 1);
  auto after = store().put({make_doc("x4", "四")});
  EXPECT_EQ(after[0].seq, 2);
}

TEST_P(DocumentStoreTest, RejectsInvalidUtf8AndNul) {
  auto bad_content = make_doc("c", "正文坏了");
  bad_content.content = "有效\xE4\xB8";  // truncated
  auto bad_title = make_doc("t", std::string("标题\0截断", 13));
  auto bad_id = make_doc("\xC0\xAF", "超长编码");
  auto bad_category = make_doc("k", "分类");
  bad_category.category = "\xED\xA0\x80";  // surrogate
  for (const auto& d : {bad_content, bad_title, bad_id, bad_category}) {
    EXPECT_THROW(store().put({make_doc("ok", "好"), d}), StoreError);
  }
  try {
    store().put({bad_content});
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("content"), std::string::npos) << e.what();
  }
  EXPECT_EQ(store().count(), 0);
  EXPECT_EQ(store().last_seq(), 0);
}

TEST_P(DocumentStoreTest, StoresHostileStringsVerbatim) {
  auto d = make_doc("x'); DROP TABLE documents; --", "\"引号\" 'single' `tick` \\ back\\slash");
  d.category = "'; DELETE FROM documents WHERE '1'='1";
  d.date = "2021-01-01' OR '1'='1";
  d.content = "100% _like_ ?1 :name @p $x\n\U0001F600 <script>alert(1)</script>\r\n\t末尾 ";
  store().put({d, make_doc("plain", "普通")});

  auto got = store().get(d.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->title, d.title);
  EXPECT_EQ(got->category, d.category);
  EXPECT_EQ(got->date, d.date);
  EXPECT_EQ(got->content, d.content);
  EXPECT_EQ(store().count(), 2);
  EXPECT_EQ(ids(store().list({d.category, SortOrder::kNewest, 10, 0})),
            std::vector<std::string>{d.id});
  EXPECT_FALSE(store().get("x"));
}

// ---- set_deleted --------------------------------------------------------------------------

TEST_P(DocumentStoreTest, SetDeletedHidesRestoresAndBumpsSeq) {
  store().put({make_doc("a", "甲"), make_doc("b", "乙")});
  EXPECT_FALSE(store().set_deleted("missing", true));
  EXPECT_EQ(store().last_seq(), 2);  // a miss takes no number

  EXPECT_TRUE(store().set_deleted("a", true));
  auto a = store().get("a");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->deleted);
  EXPECT_EQ(a->seq, 3);
  EXPECT_EQ(store().count(), 1);
  EXPECT_EQ(ids(store().list({})), std::vector<std::string>{"b"});
  EXPECT_EQ(store().categories()[0].count, 1);

  // Replacing a deleted document keeps it deleted; only set_deleted restores it.
  store().put({make_doc("a", "甲改")});
  EXPECT_TRUE(store().get("a")->deleted);
  EXPECT_TRUE(store().set_deleted("a", false));
  EXPECT_FALSE(store().get("a")->deleted);
  EXPECT_EQ(store().get("a")->seq, 5);
  EXPECT_EQ(store().count(), 2);
}

// ---- changes_since ------------------------------------------------------------------------

TEST_P(DocumentStoreTest, ChangesSinceFollowsTheSequenceInPages) {
  store().put({make_doc("a", "甲"), make_doc("b", "乙"), make_doc("c", "丙")});
  store().put({make_doc("a", "甲二")});  // a moves to the end
  store().set_deleted("b", true);        // so does b, deleted but still reported

  auto all = store().changes_since(0, 100);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(all[2].deleted);
  EXPECT_EQ(all[1].content, make_doc("a", "").content);

  std::vector<std::string> paged;
  std::int64_t after = 0;
  for (auto page = store().changes_since(after, 2); !page.empty();
       page = store().changes_since(after, 2)) {
    EXPECT_LE(page.size(), 2u);
    for (const auto& d : page) {
      EXPECT_GT(d.seq, after);
      after = d.seq;
      paged.push_back(d.id);
    }
  }
  EXPECT_EQ(paged, ids(all));
  EXPECT_EQ(after, store().last_seq());
  EXPECT_TRUE(store().changes_since(store().last_seq(), 10).empty());
  EXPECT_EQ(store().changes_since(0, 0).size(), 0u);
}

// ---- count, categories, list --------------------------------------------------------------

class ListingTest : public DocumentStoreTest {
 protected:
  void SetUp() override {
    DocumentStoreTest::SetUp();
    if (IsSkipped()) return;
    store().put({make_doc("s1", "讲话一", "讲话稿", "2021-03-01"),
                 make_doc("s2", "讲话二", "讲话稿", "2022-05-01"),
                 make_doc("s3", "讲话三", "讲话稿", "2021-03-01"),
                 make_doc("r1", "总结一", "工作总结", "2020"),
                 make_doc("r2", "总结二", "工作总结", "2023-01-01"),
                 make_doc("n1", "无分类", "", ""),
                 make_doc("gone", "已删", "讲话稿", "2030-01-01")});
    store().set_deleted("gone", true);
    const auto& raw = *db_;
    raw.exec("UPDATE documents SET views = 10 WHERE id = 's1'");
    raw.exec("UPDATE documents SET views = 30 WHERE id = 'r1'");
    raw.exec("UPDATE documents SET views = 20 WHERE id = 's3'");
    raw.exec("UPDATE documents SET views = 99 WHERE id = 'gone'");
    // s1 and s3 share a date; created_at decides (s1 is the newer one).
    raw.exec("UPDATE documents SET created_at = '2024-01-01 00:00:00' WHERE id = 's1'");
    raw.exec("UPDATE documents SET created_at = '2023-01-01 00:00:00' WHERE id = 's3'");
  }
};

WENKU_ON_EVERY_BACKEND(ListingTest);

TEST_P(ListingTest, CountsAndCategoriesSkipDeletedDocuments) {
  EXPECT_EQ(store().count(), 6);
  auto cats = store().categories();
  ASSERT_EQ(cats.size(), 3u);
  EXPECT_EQ(cats[0].category, "讲话稿");
  EXPECT_EQ(cats[0].count, 3);
  EXPECT_EQ(cats[1].category, "工作总结");
  EXPECT_EQ(cats[1].count, 2);
  EXPECT_EQ(cats[2].category, "");
  EXPECT_EQ(cats[2].count, 1);
}

TEST_P(ListingTest, NewestPutsAYearOnlyDocumentInItsYear) {
  store().put({make_doc("y2020", "年中", "工作总结", "2020-06-01"),
               make_doc("y2019", "年末", "工作总结", "2019-12-31")});
  // r1 gives only the year 2020: after every dated 2020 document, before 2019.
  EXPECT_EQ(ids(store().list({"工作总结", SortOrder::kNewest, 20, 0})),
            (std::vector<std::string>{"r2", "y2020", "r1", "y2019"}));
}

TEST_P(ListingTest, NewestOrdersByDateThenCreatedAt) {
  EXPECT_EQ(ids(store().list({std::nullopt, SortOrder::kNewest, 20, 0})),
            (std::vector<std::string>{"r2", "s2", "s1", "s3", "r1", "n1"}));
  EXPECT_EQ(ids(store().list({"讲话稿", SortOrder::kNewest, 20, 0})),
            (std::vector<std::string>{"s2", "s1", "s3"}));
  auto summary = store().list({"工作总结", SortOrder::kNewest, 1, 0});
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].title, "总结二");
  EXPECT_EQ(summary[0].date, "2023-01-01");
  EXPECT_EQ(summary[0].category, "工作总结");
  EXPECT_FALSE(summary[0].created_at.empty());
}

TEST_P(ListingTest, MostViewedOrdersByViews) {
  auto top = store().list({std::nullopt, SortOrder::kMostViewed, 3, 0});
  EXPECT_EQ(ids(top), (std::vector<std::string>{"r1", "s3", "s1"}));
  EXPECT_EQ(top[0].views, 30);
  EXPECT_EQ(ids(store().list({"讲话稿", SortOrder::kMostViewed, 20, 0})),
            (std::vector<std::string>{"s3", "s1", "s2"}));
}

TEST_P(ListingTest, PagesNeitherRepeatNorSkip) {
  for (auto sort : {SortOrder::kNewest, SortOrder::kMostViewed}) {
    const auto whole = ids(store().list({std::nullopt, sort, 100, 0}));
    std::vector<std::string> paged;
    for (std::size_t offset = 0;; offset += 4) {
      auto page = ids(store().list({std::nullopt, sort, 4, offset}));
      if (page.empty()) break;
      paged.insert(paged.end(), page.begin(), page.end());
    }
    EXPECT_EQ(paged, whole);
  }
  EXPECT_TRUE(store().list({std::nullopt, SortOrder::kNewest, 10, 6}).empty());
  EXPECT_TRUE(store().list({"没有这个分类", SortOrder::kNewest, 10, 0}).empty());
}

// ---- real data ----------------------------------------------------------------------------

TEST_P(DocumentStoreTest, StoresTheGovernmentWorkReportsByteForByte) {
  const auto dir = wenku::testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::ifstream in(dir / "gov_work_reports.jsonl");
  ASSERT_TRUE(in);
  std::vector<doc::Document> docs;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    doc::Document d;
    d.id = j.at("id");
    d.title = j.at("title");
    d.date = j.at("date");
    d.category = j.at("category");
    d.source = j.at("source");
    d.url = j.value("url", "");
    d.content = j.at("content");
    docs.push_back(std::move(d));
  }
  ASSERT_EQ(docs.size(), 72u);
  store().put(docs);
  reopen();
  EXPECT_EQ(store().count(), 72);
  auto cats = store().categories();
  ASSERT_EQ(cats.size(), 2u);
  EXPECT_EQ(cats[0].category, "政府工作报告");
  EXPECT_EQ(cats[0].count, 52);
  EXPECT_EQ(cats[1].category, "人大决议");
  EXPECT_EQ(cats[1].count, 20);
  for (const auto& d : docs) {
    auto got = store().get(d.id);
    ASSERT_TRUE(got) << d.id;
    EXPECT_EQ(got->content, d.content) << d.id;
    EXPECT_EQ(got->title, d.title) << d.id;
  }
}

// ---- threads and crashes ------------------------------------------------------------------

// One writer commits batches and deletes one document of each afterwards while readers poll:
// readers never see half a batch, the sequence never goes back, and every change feed is
// in ascending order.
TEST_P(DocumentStoreTest, ReadersRunConcurrentlyWithAWriter) {
  constexpr int kBatches = 40;
  constexpr int kBatchSize = 5;
  store().put({make_doc("seed", "种子")});
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  auto reader = [&] {
    std::int64_t last_seq = 0;
    while (!done.load()) {
      // The seed, then (kBatchSize - 1) per finished batch, plus kBatchSize while the
      // newest batch still has all its documents.
      const auto live = store().count() - 1;
      EXPECT_TRUE(live % (kBatchSize - 1) == 0 || live % (kBatchSize - 1) == 1) << live;
      const auto seq = store().last_seq();
      EXPECT_GE(seq, last_seq);
      last_seq = seq;
      auto changes = store().changes_since(0, 1000);
      EXPECT_TRUE(std::is_sorted(changes.begin(), changes.end(),
                                 [](const auto& a, const auto& b) { return a.seq < b.seq; }));
      EXPECT_TRUE(store().get("seed"));
      EXPECT_FALSE(store().list({"讲话稿", SortOrder::kNewest, 10, 0}).empty());
      reads.fetch_add(1);
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) readers.emplace_back(reader);
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<doc::Document> batch;
      for (int i = 0; i < kBatchSize; ++i) {
        batch.push_back(make_doc("w" + std::to_string(b * kBatchSize + i), "并发写入"));
      }
      store().put(batch);
      store().set_deleted("w" + std::to_string(b * kBatchSize), true);
    }
  });
  writer.join();
  done = true;
  for (auto& t : readers) t.join();

  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store().count(), 1 + kBatches * (kBatchSize - 1));
  EXPECT_EQ(store().last_seq(), 1 + kBatches * (kBatchSize + 1));
  std::set<std::int64_t> seqs;
  for (const auto& d : store().changes_since(0, 10000)) seqs.insert(d.seq);
  EXPECT_EQ(seqs.size(), static_cast<std::size_t>(1 + kBatches * kBatchSize));
}

// Writers on two nodes (two stores on one database, two threads each) commit batches while a
// follower on a third reads the changes after the highest number it has seen, as an index
// does. A transaction that took a lower number but committed after one with a higher number
// would be skipped for good; the follower must see every acknowledged document.
TEST_P(DocumentStoreTest, AFollowerNeverSkipsAChangeOfConcurrentWritersOnTwoNodes) {
  constexpr int kWritersPerNode = 2;
  constexpr int kBatches = 60;
  constexpr int kBatchSize = 3;
  auto node_a = db_->open();
  auto node_b = db_->open();
  auto follower_store = db_->open();
  std::atomic<int> writers_left{2 * kWritersPerNode};
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  auto follow = [&] {
    for (auto page = follower_store->changes_since(cursor, 50); !page.empty();
         page = follower_store->changes_since(cursor, 50)) {
      for (const auto& d : page) {
        EXPECT_GT(d.seq, cursor);
        cursor = d.seq;
        seen.insert(d.id);
      }
    }
  };
  std::thread follower([&] {
    while (writers_left.load() > 0) follow();
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 2 * kWritersPerNode; ++w) {
    writers.emplace_back([&, w] {
      Store& node = w % 2 == 0 ? *node_a : *node_b;
      for (int b = 0; b < kBatches; ++b) {
        std::vector<doc::Document> batch;
        for (int i = 0; i < kBatchSize; ++i) {
          batch.push_back(make_doc(fmt::format("w{}-{}-{}", w, b, i), "并发"));
        }
        node.put(batch);
      }
      writers_left.fetch_sub(1);
    });
  }
  for (auto& t : writers) t.join();
  follower.join();
  follow();  // what was committed after the follower's last page, above its cursor
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(2 * kWritersPerNode * kBatches * kBatchSize));
  EXPECT_EQ(cursor, store().last_seq());
}

}  // namespace
}  // namespace wenku::store
