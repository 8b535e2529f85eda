#include "app/enricher.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  // Each stored count is the number of live documents holding the word.
  std::map<std::string, std::int64_t> expected;
  for (std::size_t i = 1; i < docs_.size(); ++i) {
    std::set<std::string> distinct;
    for (const auto& w : enricher.words(docs_[i].content)) distinct.insert(w.key);
    for (const auto& key : distinct) ++expected[key];
  }
  EXPECT_EQ(counts, expected);
  // Keywords now come from these frequencies.
  for (std::size_t i = 1; i < docs_.size(); ++i) {
    const auto stored = store->get(docs_[i].id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->keywords,
              enricher.keywords().top(enricher.words(docs_[i].content), enricher.frequencies(),
                                      kKeywordsPerDocument));
  }
}

TEST_F(RefreshKeywordsTest, CountsTakenWhileEnrichingSaveTheRecountAndChangeNothing) {
  text::DocumentFrequencies counted;
  Enricher counting(testing::dict_dir(), segmenter());
  counting.count_words_into(&counted);
  auto with_counts = docs_;
  counting.enrich_all(with_counts);
  counting.count_words_into(nullptr);
  EXPECT_EQ(counted.documents, static_cast<std::int64_t>(kDocuments));
  auto counted_store = open_store("counted.sqlite");
  counted_store->put(with_counts);
  refresh_keywords(*counted_store, counting, std::move(counted));

  Enricher recounting(testing::dict_dir(), segmenter());
  auto without = docs_;
  recounting.enrich_all(without);
  auto recounted_store = open_store("recounted.sqlite");
  recounted_store->put(without);
  refresh_keywords(*recounted_store, recounting);

  EXPECT_EQ(stored_counts(*counted_store), stored_counts(*recounted_store));
  EXPECT_EQ(counted_store->word_frequencies().documents, static_cast<std::int64_t>(kDocuments));
  int differ_from_first_import = 0;
  for (const auto& d : docs_) {
    const auto a = counted_store->get(d.id);
    const auto b = recounted_store->get(d.id);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->keywords, b->keywords) << d.id;
    EXPECT_EQ(a->analysis, b->analysis) << d.id;
    const auto& first = *std::find_if(with_counts.begin(), with_counts.end(),
                                      [&](const doc::Document& x) { return x.id == d.id; });
    differ_from_first_import += first.keywords != a->keywords ? 1 : 0;
  }
  // The refresh did rewrite keywords (library frequencies instead of idf.utf8).
  EXPECT_GT(differ_from_first_import, 0);
}

}  // namespace
}  // namespace wenku::app
