#include "search/groonga.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "search/index.h"
#include "testing/test_support.h"

namespace wenku::search::groonga {
namespace {

namespace fs = std::filesystem;

// A small database shaped like the index's (bigram index over title and content with
// sections, a words column with its own lexicon, a category reference and numbers), filled
// with random texts over a small vocabulary so that queries hit many records with varied
// scores.
class GroongaSelectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.create_db(dir_.path() / "db");
    for (auto cmd : {
             "table_create Categories TABLE_HASH_KEY ShortText",
             "table_create Docs TABLE_HASH_KEY ShortText",
             "column_create Docs title COLUMN_SCALAR ShortText",
             "column_create Docs content COLUMN_SCALAR LongText",
             "column_create Docs words COLUMN_SCALAR LongText",
             "column_create Docs year COLUMN_SCALAR UInt16",
             "column_create Docs views COLUMN_SCALAR UInt32",
             "column_create Docs recency COLUMN_SCALAR UInt64",
             "column_create Docs category COLUMN_SCALAR Categories",
             "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer "
             "TokenBigramSplitSymbolAlphaDigit --normalizer NormalizerNFKC100",
             "column_create Terms docs_text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs "
             "title,content",
             "table_create Words TABLE_PAT_KEY ShortText --default_tokenizer TokenDelimit "
             "--normalizer NormalizerNFKC100",
             "column_create Words docs_words COLUMN_INDEX|WITH_POSITION Docs words",
             "column_create Categories docs_category COLUMN_INDEX Docs category",
         }) {
      db_.command(cmd);
    }
    const std::vector<std::string> vocabulary = {"乡村振兴", "改革", "开放", "发展",   "人民",
                                                 "生态",     "环境", "保护", "高质量", "工作"};
    const std::vector<std::string> categories = {"讲话稿", "工作报告", "法规", ""};
    std::mt19937 random(7);
    auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
    auto records = nlohmann::json::array();
    words_of_.resize(400);
    for (int i = 0; i < 400; ++i) {
      std::string title = pick(vocabulary) + pick(vocabulary);
      std::string content, words;
      const int length = 3 + static_cast<int>(random() % 30);
      for (int w = 0; w < length; ++w) {
        auto word = pick(vocabulary);
        content += word + (w % 5 == 4 ? "。" : "");
        words += (words.empty() ? "" : " ") + word;
        words_of_[i].push_back(word);
      }
      records.push_back({{"_key", "d" + std::to_string(i)},
                         {"title", title},
                         {"content", content},
                         {"words", words},
                         {"year", 2015 + static_cast<int>(random() % 8)},
                         {"views", random() % 5},
                         {"recency", i},
                         {"category", pick(categories)}});
    }
    db_.load("Docs", records);
  }

  // (key -> score) of `select` with `arguments` added, every hit.
  std::map<std::string, double> command_hits(const std::string& arguments) {
    auto output = db_.query("select Docs --output_columns _key,_score --limit -1 " + arguments);
    std::map<std::string, double> out;
    for (const auto& row : parse_select(output).rows) {
      out[row.at(0).get<std::string>()] = row.at(1).get<double>();
    }
    return out;
  }

  std::map<std::string, double> api_hits(const SelectExpressions& e) {
    std::map<std::string, double> out;
    for (const auto& hit : db_.select("Docs", e)) out[db_.key_text("Docs", hit.record)] = hit.score;
    return out;
  }

  testing::TempDir dir_;
  Context db_;
  std::vector<std::vector<std::string>> words_of_;  // the words column of record "d<i>"
};

constexpr std::string_view kMatchColumns = "title * 10 || content";

TEST_F(GroongaSelectTest, SelectFindsWhatTheCommandFindsWithTheSameScores) {
  struct Case {
    std::string query, filter;
  };
  const std::vector<Case> cases = {
      {"\"乡村振兴\"", ""},
      {"(\"改革\" \"开放\")", ""},
      {"(\"改革\" OR \"生态\") -\"工作\"", ""},
      {"\"振兴改\"", ""},
      {"title:@\"发展\" \"人民\"", ""},
      {"\"保护\"", "year >= 2017 && year <= 2019"},
      {"\"保护\"", "category == \"法规\" || category == \"讲话稿\""},
      {"", "year == 2020"},
      {"\"没有这个词\"", ""},
  };
  for (const auto& c : cases) {
    std::string arguments;
    if (!c.query.empty()) {
      arguments += "--match_columns '" + std::string(kMatchColumns) + "' --query '" + c.query +
                   "' --query_flags ALLOW_COLUMN ";
    }
    if (!c.filter.empty()) arguments += "--filter '" + c.filter + "' ";
    auto expected = command_hits(arguments);
    auto actual = api_hits({kMatchColumns, c.query, c.filter, {}});
    EXPECT_EQ(actual, expected) << c.query << " / " << c.filter;
    if (c.query != "\"没有这个词\"") {
      EXPECT_FALSE(actual.empty()) << c.query << " / " << c.filter;
    }
  }
}

TEST_F(GroongaSelectTest, BoostsAddWhatTheAdjusterAdds) {
  const std::vector<ScoreBoost> boosts = {{"words", "发展", 3},
                                          {"words", "人民", 1},
                                          {"title", "改革开放", 20},
                                          {"content", "改革开放", 20}};
  auto expected = command_hits(
      "--match_columns '" + std::string(kMatchColumns) +
      "' --query '\"改革\" OR \"发展\"' --adjuster 'words @ \"发展\" * 3 + words @ \"人民\" * 1 + "
      "title @ \"改革开放\" * 20 + content @ \"改革开放\" * 20'");
  auto actual = api_hits({kMatchColumns, "\"改革\" OR \"发展\"", "", boosts});
  EXPECT_EQ(actual, expected);
  // The boosts changed scores: without them, some hit scores less.
  auto plain = api_hits({kMatchColumns, "\"改革\" OR \"发展\"", "", {}});
  ASSERT_EQ(plain.size(), actual.size());
  int raised = 0;
  for (const auto& [key, score] : plain) raised += actual.at(key) > score ? 1 : 0;
  EXPECT_GT(raised, 10);
}

// A posting list holds every record whose words hold the key, with its number of
// occurrences, and adding factor × occurrences to the scores of hits gives what the adjuster
// gives (Index::search adds whole-word scores that way).
TEST_F(GroongaSelectTest, PostingsCountOccurrencesAsTheAdjusterDoes) {
  for (const std::string word : {"乡村振兴", "发展", "高质量", "工作"}) {
    std::map<grn_id, std::uint32_t> expected;
    for (std::size_t i = 0; i < words_of_.size(); ++i) {
      const auto n = std::ranges::count(words_of_[i], word);
      if (n > 0) expected[db_.record_id("Docs", "d" + std::to_string(i))] = n;
    }
    std::map<grn_id, std::uint32_t> actual;
    grn_id previous = GRN_ID_NIL;
    for (const auto& posting : db_.postings("Words", "docs_words", word)) {
      EXPECT_GT(posting.record, previous) << word;
      previous = posting.record;
      actual[posting.record] = posting.occurrences;
    }
    EXPECT_EQ(actual, expected) << word;
    EXPECT_GT(actual.size(), 50u) << word;

    const std::vector<ScoreBoost> boost = {{"words", word, 3}};
    const std::string query = "\"改革\" OR \"人民\"";
    auto plain = db_.select("Docs", {kMatchColumns, query, "", {}});
    std::map<grn_id, double> added;
    for (const auto& hit : plain) {
      added[hit.record] = hit.score + 3.0 * (actual.contains(hit.record) ? actual[hit.record] : 0);
    }
    std::map<grn_id, double> adjusted;
    for (const auto& hit : db_.select("Docs", {kMatchColumns, query, "", boost})) {
      adjusted[hit.record] = hit.score;
    }
    EXPECT_EQ(added, adjusted) << word;
  }
  EXPECT_TRUE(db_.postings("Words", "docs_words", "没有这个词").empty());
  EXPECT_THROW(db_.postings("Words", "no_such_index", "发展"), IndexError);
}

TEST_F(GroongaSelectTest, BadExpressionsThrowAndLeaveTheContextUsable) {
  EXPECT_THROW(db_.select("Docs", {kMatchColumns, "", "year >>> (", {}}), IndexError);
  EXPECT_THROW(db_.select("Docs", {"no_such_column * 3", "\"改革\"", "", {}}), IndexError);
  const std::vector<ScoreBoost> unindexed = {{"year", "2020", 1}};
  EXPECT_THROW(db_.select("Docs", {kMatchColumns, "\"改革\"", "", unindexed}), IndexError);
  EXPECT_FALSE(db_.select("Docs", {kMatchColumns, "\"改革\"", "", {}}).empty());
}

TEST_F(GroongaSelectTest, FixedColumnsReadTheStoredValues) {
  FixedColumn<std::uint32_t> views(db_, "Docs", "views");
  FixedColumn<std::uint64_t> recency(db_, "Docs", "recency");
  FixedColumn<grn_id> category(db_, "Docs", "category");
  FixedColumn<std::uint16_t> year(db_, "Docs", "year");
  for (int i : {0, 17, 399}) {
    const std::string key = "d" + std::to_string(i);
    const grn_id record = db_.record_id("Docs", key);
    auto row = parse_select(db_.query("select Docs --filter '_key == \"" + key +
                                      "\"' --output_columns views,recency,category,year"))
                   .rows.at(0);
    EXPECT_EQ(views[record], row.at(0).get<std::uint32_t>()) << key;
    EXPECT_EQ(recency[record], row.at(1).get<std::uint64_t>()) << key;
    EXPECT_EQ(recency[record], static_cast<std::uint64_t>(i));
    EXPECT_EQ(db_.key_text("Categories", category[record]), row.at(2).get<std::string>()) << key;
    EXPECT_EQ(year[record], row.at(3).get<std::uint16_t>()) << key;
  }
  // Past the last record: zero, not a crash.
  EXPECT_EQ(views[100000], 0u);
  EXPECT_THROW(FixedColumn<std::uint32_t>(db_, "Docs", "content"), IndexError);
}

}  // namespace
}  // namespace wenku::search::groonga
