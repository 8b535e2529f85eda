// The store's near-duplicate links, word frequencies and keyword updates (003_similar.sql).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "doc/analysis.h"
#include "store/backends.h"
#include "store/store.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::store {
namespace {

doc::Document doc_with(std::string id, std::uint64_t simhash) {
  doc::Document d;
  d.id = std::move(id);
  d.title = "标题" + d.id;
  d.content = "正文";
  d.simhash = simhash;
  d.keywords = {"旧词"};
  d.analysis = doc::analysis_to_json(doc::Analysis{d.title, {}, "正文", {}, d.keywords}).dump();
  return d;
}

class SimilarStoreTest : public BackendTest {};
WENKU_ON_EVERY_BACKEND(SimilarStoreTest);

TEST_P(SimilarStoreTest, SimHashesListLiveDocumentsThatHaveOne) {
  store_->put({doc_with("a", 7), doc_with("b", 0), doc_with("c", ~0ull)});
  store_->set_deleted("c", true);
  const auto entries = store_->simhashes();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, "a");
  EXPECT_EQ(entries[0].simhash, 7u);
  store_->set_deleted("c", false);
  const auto again = store_->simhashes();
  ASSERT_EQ(again.size(), 2u);
  auto c = std::find_if(again.begin(), again.end(), [](const auto& e) { return e.id == "c"; });
  ASSERT_NE(c, again.end());
  EXPECT_EQ(c->simhash, ~0ull);  // all 64 bits survive the signed column
}

TEST_P(SimilarStoreTest, LinksAreUndirectedAndSkipUnknownOrSelfPairs) {
  store_->put({doc_with("a", 1), doc_with("b", 1), doc_with("c", 1)});
  store_->link_similar({{"b", "a", 2}, {"a", "c", 1}, {"a", "a", 0}, {"a", "missing", 0}});
  store_->link_similar({{"a", "b", 3}});  // same pair: distance updated
  const auto of_a = store_->similar("a");
  ASSERT_EQ(of_a.size(), 2u);
  EXPECT_EQ(of_a[0].doc.id, "c");
  EXPECT_EQ(of_a[0].distance, 1);
  EXPECT_EQ(of_a[1].doc.id, "b");
  EXPECT_EQ(of_a[1].distance, 3);
  EXPECT_EQ(of_a[1].doc.title, "标题b");
  const auto of_b = store_->similar("b");
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(of_b[0].doc.id, "a");
  EXPECT_TRUE(store_->similar("missing").empty());

  store_->set_deleted("c", true);  // deleted documents are not shown
  EXPECT_EQ(store_->similar("a").size(), 1u);
}

TEST_P(SimilarStoreTest, WordFrequenciesAreReplacedAsAWhole) {
  EXPECT_EQ(store_->word_frequencies().documents, 0);
  EXPECT_TRUE(store_->word_frequencies().counts.empty());
  store_->replace_word_frequencies({120, {{"发展", 100}, {"乡村", 3}}});
  store_->replace_word_frequencies({130, {{"发展", 110}, {"改革", 5}}});
  auto stored = store_->word_frequencies();
  EXPECT_EQ(stored.documents, 130);
  std::sort(stored.counts.begin(), stored.counts.end());
  const std::vector<std::pair<std::string, std::int64_t>> expected = {{"发展", 110}, {"改革", 5}};
  EXPECT_EQ(stored.counts, expected);
}

// The stamp tells processes holding a copy of the frequencies that they were replaced.
TEST_P(SimilarStoreTest, EveryReplacementOfTheWordFrequenciesRaisesTheirVersion) {
  EXPECT_EQ(store_->word_frequencies_stamp().version, 0);
  EXPECT_EQ(store_->word_frequencies_stamp().documents, 0);
  store_->replace_word_frequencies({120, {{"发展", 100}}});
  const auto first = store_->word_frequencies_stamp();
  EXPECT_EQ(first.documents, 120);
  EXPECT_GT(first.version, 0);
  EXPECT_EQ(store_->word_frequencies().version, first.version);
  // The same counts again are still a new version; other writes leave it alone.
  store_->replace_word_frequencies({120, {{"发展", 100}}});
  const auto second = store_->word_frequencies_stamp();
  EXPECT_GT(second.version, first.version);
  store_->put({doc_with("a", 1)});
  store_->set_keywords({{"a", {"发展"}}});
  EXPECT_EQ(store_->word_frequencies_stamp().version, second.version);
  EXPECT_EQ(store_->word_frequencies().version, second.version);
}

TEST_P(SimilarStoreTest, SetKeywordsUpdatesTheKeywordsAloneAndNotTheSequence) {
  store_->put({doc_with("a", 1)});
  const auto seq = store_->last_seq();
  const auto analysis = store_->get("a")->analysis;
  store_->set_keywords({{"a", {"新词", "改革"}}, {"missing", {"x"}}});
  const auto d = store_->get("a");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->keywords, (std::vector<std::string>{"新词", "改革"}));
  EXPECT_EQ(d->analysis, analysis);
  EXPECT_FALSE(store_->get("missing"));
  EXPECT_EQ(store_->last_seq(), seq);
  EXPECT_EQ(d->seq, seq);
}

TEST_P(SimilarStoreTest, GetTextIsGetWithoutTheDerivedFeaturesAndCutsTheText) {
  auto original = doc_with("a", 5);
  original.date = "2021-03-04";
  original.category = "讲话稿";
  original.url = "https://example.org/a";
  original.content = "第一段：中国𠀀。\n第二段";
  store_->put({original, doc_with("b", 6)});
  store_->set_deleted("b", true);
  for (const auto* id : {"a", "b"}) {
    auto full = store_->get(id);
    auto text = store_->get_text(id, SIZE_MAX);
    ASSERT_TRUE(full && text) << id;
    EXPECT_FALSE(full->keywords.empty());
    EXPECT_FALSE(full->analysis.empty());
    EXPECT_TRUE(text->keywords.empty());
    EXPECT_TRUE(text->analysis.empty());
    EXPECT_EQ(text->simhash, 0u);
    full->keywords.clear();
    full->analysis.clear();
    full->simhash = 0;
    EXPECT_EQ(*text, *full) << id;
  }
  EXPECT_TRUE(store_->get_text("b", SIZE_MAX)->deleted);
  EXPECT_FALSE(store_->get_text("missing", SIZE_MAX));
  // Cut texts end on a code point: 第一段：中国 are 3-byte characters, 𠀀 has 4 bytes.
  const std::string& content = original.content;
  for (std::size_t max = 0; max <= content.size() + 2; ++max) {
    auto cut = store_->get_text("a", max);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->content, text::whole_code_points(
                                std::string_view(content).substr(0, std::min(max, content.size()))))
        << max;
    EXPECT_EQ(cut->title, original.title);
  }
  EXPECT_EQ(store_->get_text("a", 18)->content, "第一段：中国");
  EXPECT_EQ(store_->get_text("a", 21)->content, "第一段：中国");
  EXPECT_EQ(store_->get_text("a", 22)->content, "第一段：中国𠀀");
}

// get_texts answers for every id given, in order, what get_text answers for it.
TEST_P(SimilarStoreTest, GetTextsIsGetTextOfEachIdInOrder) {
  auto a = doc_with("a", 5);
  a.content = "第一段：中国𠀀。\n第二段";
  auto b = doc_with("b", 6);
  b.content = std::string(5000, 'x');
  store_->put({a, b});
  store_->set_deleted("b", true);
  const std::vector<std::string> ids = {"b", "missing", "a", "a", "b"};
  for (std::size_t max : {std::size_t{0}, std::size_t{5}, std::size_t{22}, std::size_t{4999},
                          std::size_t{1} << 40, SIZE_MAX}) {
    const auto got = store_->get_texts(ids, max);
    ASSERT_EQ(got.size(), ids.size()) << max;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      EXPECT_EQ(got[i], store_->get_text(ids[i], max)) << ids[i] << " " << max;
    }
    EXPECT_FALSE(got[1]);
    ASSERT_TRUE(got[0] && got[2]);
    EXPECT_TRUE(got[0]->deleted);
  }
  EXPECT_TRUE(store_->get_texts({}, SIZE_MAX).empty());
}

// Openings of texts spanning many overflow pages are read from the right row and version.
TEST_P(SimilarStoreTest, GetTextCutsLongTextsOfEveryVersion) {
  auto long_text = [](std::string_view unit, std::size_t bytes) {
    std::string out;
    for (int n = 0; out.size() < bytes; ++n) out += fmt::format("{}{}\n", unit, n);
    return out;
  };
  auto a = doc_with("a", 5);
  auto b = doc_with("b", 6);
  a.content = long_text("第一条　本法所称环境𠀀", 300'000);
  b.content = long_text("乙", 120'000);
  store_->put({a, b});
  for (int version = 0; version < 2; ++version) {
    for (const auto& d : {a, b}) {
      for (std::size_t max :
           {std::size_t{0}, std::size_t{1}, std::size_t{2404}, std::size_t{4095},
            std::size_t{70'001}, d.content.size() - 1, d.content.size(), d.content.size() + 9}) {
        auto cut = store_->get_text(d.id, max);
        ASSERT_TRUE(cut) << d.id;
        EXPECT_EQ(cut->content, text::whole_code_points(std::string_view(d.content).substr(0, max)))
            << d.id << " " << max << " version " << version;
        EXPECT_EQ(cut->seq, store_->get(d.id)->seq);
      }
    }
    a.content = long_text("第二版", 90'000);
    b.content = long_text("乙二", 500'000);
    store_->put({a, b});
  }
  EXPECT_FALSE(store_->get_text("missing", 2404));
}

}  // namespace
}  // namespace wenku::store
