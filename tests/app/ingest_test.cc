// app::Ingest, the one import pipeline, in one process: an id given twice, near-duplicates
// across calls, word frequencies stored by another process, and the keyword refresh of
// finish(). tests/app/ingest_serve_test.cc runs it through `wenku import` and the admin upload.
#include "app/ingest.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/synthetic_docs.h"
#include "io/import.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

// One segmenter for the whole binary (loading the dictionaries takes about a second).
const text::Segmenter& segmenter() {
  static const text::Segmenter instance(testing::dict_dir());
  return instance;
}

doc::Document document(const std::string& id, const std::string& title,
                       const std::string& content) {
  doc::Document d;
  d.id = id;
  d.title = title;
  d.content = content;
  return d;
}

// Synthetic record `i` (tests/app/synthetic_docs.h) as a document.
doc::Document synthetic(int i) {
  auto line = testing::synthetic_record(i);
  line.pop_back();  // the newline
  auto parsed = io::parse_jsonl_record(line);
  EXPECT_TRUE(parsed.doc) << parsed.error;
  return parsed.doc ? std::move(*parsed.doc) : doc::Document{};
}

constexpr const char* kReport =
    "今年以来，全区上下坚持稳中求进工作总基调，统筹推进疫情防控和经济社会发展。\n"
    "一是抓好粮食生产，全年粮食播种面积稳定在十二万亩以上。\n"
    "二是推进乡村振兴，新建高标准农田三万亩，培育家庭农场二百家。\n"
    "三是改善生态环境，完成植树造林一万亩，空气质量优良天数比例达到百分之九十。";

class IngestTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::open_sqlite(dir_.path() / "wenku.sqlite");
  Enricher enricher_{testing::dict_dir(), segmenter()};
};

TEST_F(IngestTest, AnIdGivenTwiceKeepsItsLastDocumentAndCountsOnce) {
  Ingest ingest(*store_, enricher_);
  const auto report = ingest.add({document("a", "第一版", kReport), document("b", "另一篇", "内容"),
                                  document("a", "第二版", std::string(kReport) + "\n四是补充。")});
  EXPECT_EQ(report.inserted, 2);
  EXPECT_EQ(report.updated, 0);
  EXPECT_EQ(store_->last_seq(), 2) << "each id is written once";
  const auto a = store_->get("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->title, "第二版");
  EXPECT_NE(a->content.find("四是补充"), std::string::npos);
  // Enriched before it was stored.
  EXPECT_FALSE(a->keywords.empty());
  EXPECT_NE(a->simhash, 0u);
  EXPECT_FALSE(a->analysis.empty());

  const auto again = ingest.add({document("a", "第三版", kReport)});
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 1);
}

TEST_F(IngestTest, FindsNearDuplicatesAmongTheStoreAndEarlierCallsAndLinksThemAtOnce) {
  Ingest(*store_, enricher_).add({document("original", "工作报告", kReport)});
  Ingest ingest(*store_, enricher_);
  const auto first = ingest.add({document("copy-1", "工作报告（修订稿）", kReport)});
  ASSERT_EQ(first.near_duplicates.size(), 1u);
  EXPECT_EQ(first.near_duplicates[0].a, "original");
  EXPECT_EQ(first.near_duplicates[0].b, "copy-1");
  EXPECT_EQ(store_->similar("copy-1").size(), 1u) << "linked by add(), not later";

  const auto second = ingest.add({document("copy-2", "工作报告（印发稿）", kReport)});
  EXPECT_EQ(second.near_duplicates.size(), 2u) << "the store's copy and the earlier call's";
  EXPECT_EQ(store_->similar("copy-2").size(), 2u);
  EXPECT_EQ(ingest.near_duplicates().size(), 3u);
}

// A server worker's Enricher picks up the frequencies the server's follower (another
// process) stored, before its next batch.
TEST_F(IngestTest, LoadsTheWordFrequenciesAnotherProcessStoredBeforeTheNextBatch) {
  constexpr int kDocuments = static_cast<int>(text::KeywordExtractor::kMinLibraryDocuments) + 20;
  std::vector<doc::Document> docs;
  for (int i = 0; i < kDocuments; ++i) docs.push_back(synthetic(i));
  Ingest ingest(*store_, enricher_);
  ingest.add(docs);
  EXPECT_EQ(enricher_.frequencies()->documents, 0);

  // The other process: its own connection and Enricher.
  auto other_store = store::open_sqlite(dir_.path() / "wenku.sqlite");
  Enricher other(testing::dict_dir(), segmenter());
  ASSERT_EQ(refresh_keywords(*other_store, other), kDocuments);

  // Words every document holds weigh little with the library's frequencies, so the probe's
  // keywords tell which frequencies made them.
  auto probe = document("probe", "关于乡村振兴工作的报告",
                        "乡村振兴要发展产业。乡村振兴要保护生态。创新驱动引领高质量发展。"
                        "科技人才是第一资源，科技创新是第一动力。");
  const auto words = other.words(probe.content);
  const auto expected = other.keywords().top(words, *other.frequencies(), kKeywordsPerDocument);
  ASSERT_NE(expected,
            other.keywords().top(words, text::DocumentFrequencies{}, kKeywordsPerDocument))
      << "the probe does not tell the frequencies apart";
  ingest.add({probe});
  EXPECT_EQ(enricher_.frequencies()->documents, kDocuments);
  EXPECT_EQ(store_->get("probe")->keywords, expected);
  EXPECT_FALSE(enricher_.reload_frequencies(*store_)) << "loaded again without a new version";
}

TEST_F(IngestTest, FinishRefreshesTheKeywordsOnlyWhenTheyAreStale) {
  {
    Ingest ingest(*store_, enricher_);
    ingest.add({document("a", "工作报告", kReport)});
    EXPECT_EQ(ingest.finish(), 1) << "nothing was counted yet";
  }
  EXPECT_EQ(store_->word_frequencies_stamp().documents, 1);
  Ingest ingest(*store_, enricher_);
  ingest.add({document("b", "另一篇报告", "推进生态环境保护。")});
  EXPECT_EQ(ingest.finish(), std::nullopt) << "two documents, below kMinLibraryDocuments";
  EXPECT_EQ(store_->word_frequencies_stamp().documents, 1);
}

// An import into an empty library keeps its keywords for finish(), which computes them from
// the tally; an id that came in two batches makes it recount.
TEST_F(IngestTest, AFirstImportTalliesAndFinishComputesEveryKeyword) {
  Ingest ingest(*store_, enricher_, /*tally_first_import=*/true);
  ingest.add({document("a", "工作报告", kReport), document("b", "讲话", "推进生态环境保护。")});
  EXPECT_TRUE(store_->get("a")->keywords.empty()) << "computed by finish()";
  ingest.add({document("b", "讲话", "推进生态环境保护，建设美丽乡村。")});
  EXPECT_EQ(ingest.finish(), 2);
  EXPECT_EQ(store_->word_frequencies_stamp().documents, 2);
  EXPECT_FALSE(store_->get("a")->keywords.empty());
  EXPECT_FALSE(store_->get("b")->keywords.empty());
  // Tallying stopped: later documents get their keywords at once.
  Ingest later(*store_, enricher_, /*tally_first_import=*/true);
  later.add({document("c", "报告", kReport)});
  EXPECT_FALSE(store_->get("c")->keywords.empty());
}

}  // namespace
}  // namespace wenku::app
