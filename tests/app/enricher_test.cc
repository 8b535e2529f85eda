#include "app/enricher.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doc/analysis.h"
#include "doc/tasks.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

// One segmenter for the whole binary (loading the dictionaries takes about a second).
const text::Segmenter& segmenter() {
  static const text::Segmenter instance(testing::dict_dir());
  return instance;
}

// Up to `n` speeches and reports of the corpus as documents; empty without ../shared/corpus.
std::vector<doc::Document> speeches(std::size_t n) {
  std::vector<doc::Document> out;
  const auto dir = testing::corpus_dir();
  if (dir.empty()) return out;
  for (const auto* file :
       {"xi_speeches_2020.jsonl", "cpc_congress_reports.jsonl", "gov_work_reports.jsonl"}) {
    std::ifstream in(dir / file);
    for (std::string line; out.size() < n && std::getline(in, line);) {
      auto record = nlohmann::json::parse(line);
      doc::Document d;
      d.id = "s" + std::to_string(out.size());
      d.title = record.at("title").get<std::string>();
      d.content = record.at("content").get<std::string>();
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::map<std::string, std::int64_t> stored_counts(store::Store& store) {
  auto stored = store.word_frequencies();
  return {stored.counts.begin(), stored.counts.end()};
}

class RefreshKeywordsTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kDocuments = text::KeywordExtractor::kMinLibraryDocuments + 10;

  void SetUp() override {
    // More than KeywordExtractor::kMinLibraryDocuments, so the library's frequencies count.
    docs_ = speeches(kDocuments);
    if (docs_.size() < kDocuments) GTEST_SKIP() << "../shared/corpus is absent";
  }

  std::unique_ptr<store::Store> open_store(const std::string& name) {
    return store::open_sqlite(dir_.path() / name);
  }

  testing::TempDir dir_;
  std::vector<doc::Document> docs_;
};

TEST_F(RefreshKeywordsTest, RecountsLiveDocumentsAndRewritesEveryKeywordList) {
  Enricher enricher(testing::dict_dir(), segmenter());
  enricher.enrich_all(docs_);
  auto store = open_store("a.sqlite");
  store->put(docs_);
  store->set_deleted("s0", true);

  const auto live = static_cast<std::int64_t>(kDocuments) - 1;
  EXPECT_EQ(refresh_keywords(*store, enricher), live);
  const auto counts = stored_counts(*store);
  EXPECT_EQ(store->word_frequencies().documents, live);
  // Each stored count is the number of live documents holding the word, for the words
  // that may be keywords.
  std::map<std::string, std::int64_t> expected;
  for (std::size_t i = 1; i < docs_.size(); ++i) {
    std::set<std::string> distinct;
    for (const auto& w : enricher.words(docs_[i].content)) {
      if (enricher.keywords().is_candidate(w.key)) distinct.insert(w.key);
    }
    for (const auto& key : distinct) ++expected[key];
  }
  EXPECT_FALSE(counts.contains("的"));
  EXPECT_FALSE(counts.contains("2020"));
  EXPECT_EQ(counts, expected);
  // Keywords now come from these frequencies.
  for (std::size_t i = 1; i < docs_.size(); ++i) {
    const auto stored = store->get(docs_[i].id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->keywords,
              enricher.keywords().top(enricher.words(docs_[i].content), *enricher.frequencies(),
                                      kKeywordsPerDocument));
  }
}

TEST_F(RefreshKeywordsTest, ATallyTakenWhileEnrichingGivesWhatARecountGives) {
  ImportTally tally;
  Enricher tallying(testing::dict_dir(), segmenter());
  tallying.tally_into(&tally);
  auto tallied = docs_;
  tallying.enrich_all(tallied);
  tallying.tally_into(nullptr);
  EXPECT_EQ(tally.frequencies.documents, static_cast<std::int64_t>(kDocuments));
  EXPECT_EQ(tally.candidates.size(), kDocuments);
  for (const auto& d : tallied) EXPECT_TRUE(d.keywords.empty()) << d.id;  // computed later
  auto tallied_store = open_store("tallied.sqlite");
  tallied_store->put(tallied);
  EXPECT_EQ(refresh_keywords(*tallied_store, tallying, std::move(tally)),
            static_cast<std::int64_t>(kDocuments));

  Enricher recounting(testing::dict_dir(), segmenter());
  auto recounted = docs_;
  recounting.enrich_all(recounted);
  auto recounted_store = open_store("recounted.sqlite");
  recounted_store->put(recounted);
  refresh_keywords(*recounted_store, recounting);

  EXPECT_EQ(stored_counts(*tallied_store), stored_counts(*recounted_store));
  EXPECT_EQ(tallied_store->word_frequencies().documents, static_cast<std::int64_t>(kDocuments));
  int differ_from_idf_utf8 = 0;
  for (std::size_t i = 0; i < docs_.size(); ++i) {
    const auto a = tallied_store->get(docs_[i].id);
    const auto b = recounted_store->get(docs_[i].id);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->keywords.size(), kKeywordsPerDocument) << a->id;
    EXPECT_EQ(a->keywords, b->keywords) << a->id;
    EXPECT_EQ(a->analysis, b->analysis) << a->id;
    EXPECT_EQ(a->simhash, b->simhash) << a->id;
    // recounted[i] holds the keywords of idf.utf8, before its refresh.
    differ_from_idf_utf8 += recounted[i].keywords != a->keywords ? 1 : 0;
  }
  // The library's own frequencies did change keywords.
  EXPECT_GT(differ_from_idf_utf8, 0);
}

TEST_F(RefreshKeywordsTest, TheStoredAnalysisLeavesKeywordsToTheirColumn) {
  Enricher enricher(testing::dict_dir(), segmenter());
  auto d = docs_.front();
  d.content += "\n由区发改委牵头，要在6月底前完成项目审批。";
  ASSERT_FALSE(doc::extract_tasks(d).empty());
  enricher.enrich(d);
  ASSERT_FALSE(d.keywords.empty());
  const auto analysis = doc::analysis_from_json(d.analysis);
  EXPECT_TRUE(analysis.keywords.empty());
  // Nor does it keep the template or the tasks, made when shown (io::visible_template,
  // doc::extract_tasks).
  EXPECT_EQ(d.analysis.find("\"template\""), std::string::npos) << d.analysis;
  EXPECT_TRUE(analysis.tasks.empty()) << d.analysis;
  auto full = enricher.analyze(d);
  EXPECT_EQ(full.keywords, d.keywords);
  full.keywords.clear();
  EXPECT_EQ(doc::analysis_to_json(analysis), doc::analysis_to_json(full));
}

TEST(KeywordsStaleTest, UntilCountedAnyDocumentMakesThemStaleThenAFifthMore) {
  testing::TempDir dir;
  auto store = store::open_sqlite(dir.path() / "s.sqlite");
  Enricher enricher(testing::dict_dir(), segmenter());
  EXPECT_FALSE(keywords_stale(*store));  // empty, nothing counted
  doc::Document d;
  d.id = "a";
  d.title = "标题";
  d.content = "推动高质量发展";
  store->put({d});
  EXPECT_TRUE(keywords_stale(*store));  // e.g. a first import cut short
  refresh_keywords(*store, enricher);
  EXPECT_FALSE(keywords_stale(*store));
  std::vector<doc::Document> more;
  for (int i = 0; i < 200; ++i) {
    d.id = "m" + std::to_string(i);
    more.push_back(d);
  }
  store->put(more);
  EXPECT_TRUE(keywords_stale(*store));  // 201 documents, 1 counted
  refresh_keywords(*store, enricher);
  EXPECT_FALSE(keywords_stale(*store));
  store->put({more.front()});  // an update: still 201
  EXPECT_FALSE(keywords_stale(*store));
}

}  // namespace
}  // namespace wenku::app
