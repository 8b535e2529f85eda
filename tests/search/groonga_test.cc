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
// The schema of GroongaSelectTest's database.
void create_schema(Context& db) {
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
    db.command(cmd);
  }
}

struct TestRecord {
  std::string key, title, content, words;
  std::int64_t year = 0;
  std::int64_t views = 0;
  std::uint64_t recency = 0;
  std::string category;

  void put_into(Context& db) const {
    const Field fields[] = {{"title", title},      {"content", content}, {"words", words},
                            {"year", year},        {"views", views},     {"recency", recency},
                            {"category", category}};
    db.put("Docs", key, fields);
  }
  nlohmann::json to_json() const {
    return {{"_key", key},  {"title", title}, {"content", content}, {"words", words},
            {"year", year}, {"views", views}, {"recency", recency}, {"category", category}};
  }
};

// A small database shaped like the index's (bigram index over title and content with
// sections, a words column with its own lexicon, a category reference and numbers), filled
// with random texts over a small vocabulary so that queries hit many records with varied
// scores.
class GroongaSelectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.create_db(dir_.path() / "db");
    create_schema(db_);
    const std::vector<std::string> vocabulary = {"乡村振兴", "改革", "开放", "发展",   "人民",
                                                 "生态",     "环境", "保护", "高质量", "工作"};
    const std::vector<std::string> categories = {"讲话稿", "工作报告", "法规", ""};
    std::mt19937 random(7);
    auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
    words_of_.resize(400);
    for (int i = 0; i < 400; ++i) {
      TestRecord r;
      r.key = "d" + std::to_string(i);
      r.title = pick(vocabulary) + pick(vocabulary);
      const int length = 3 + static_cast<int>(random() % 30);
      for (int w = 0; w < length; ++w) {
        auto word = pick(vocabulary);
        r.content += word + (w % 5 == 4 ? "。" : "");
        r.words += (r.words.empty() ? "" : " ") + word;
        words_of_[i].push_back(word);
      }
      r.year = 2015 + static_cast<int>(random() % 8);
      r.views = random() % 5;
      // One past INT64_MAX: the unsigned path.
      r.recency = i == 7 ? (std::uint64_t{1} << 63) + 5 : static_cast<std::uint64_t>(i);
      r.category = pick(categories);
      r.put_into(db_);
      records_.push_back(std::move(r));
    }
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
  std::vector<TestRecord> records_;
  std::vector<std::vector<std::string>> words_of_;  // the words column of record "d<i>"
};

// Every column of every record, and what the indexes find.
std::string contents_of(Context& db) {
  std::string out = db.command(
      "select Docs --output_columns _key,title,content,words,year,views,recency,category "
      "--sort_keys _key --limit -1");
  for (const char* query : {"\"发展\"", "\"改革开放\"", "title:@\"人民\""}) {
    out += db.command("select Docs --match_columns 'title * 10 || content' --query " +
                      quote_command_argument(query) +
                      " --output_columns _key,_score --sort_keys _key --limit -1");
  }
  out += db.command(
      "select Docs --match_columns words --query 高质量 --output_columns _key,_score "
      "--sort_keys _key --limit -1");
  out += db.command(
      "select Docs --filter 'category == \"法规\"' --output_columns _key "
      "--sort_keys _key --limit -1");
  out += db.command("select Categories --output_columns _key --sort_keys _key");
  return out;
}

TEST_F(GroongaSelectTest, PutStoresWhatTheLoadCommandStores) {
  Context loaded;
  loaded.create_db(dir_.path() / "loaded");
  create_schema(loaded);
  auto values = nlohmann::json::array();
  for (const auto& r : records_) values.push_back(r.to_json());
  loaded.command("load --table Docs --values " + quote_command_argument(values.dump()));
  const auto expected = contents_of(loaded);
  EXPECT_THAT(expected, ::testing::HasSubstr("9223372036854775813"));  // 2^63 + 5
  EXPECT_THAT(expected, ::testing::HasSubstr("工作报告"));
  EXPECT_EQ(contents_of(db_), expected);

  // Put again, changed: the record and the indexes follow, as a load would.
  TestRecord changed = records_[3];
  changed.content = "全新的生态环境保护内容";
  changed.category = "通知";
  changed.put_into(db_);
  loaded.command("load --table Docs --values " +
                 quote_command_argument(nlohmann::json::array({changed.to_json()}).dump()));
  EXPECT_EQ(contents_of(db_), contents_of(loaded));
}

TEST_F(GroongaSelectTest, RemoveDeletesTheRecordAndItsPostings) {
  db_.remove("Docs", "d3");
  db_.remove("Docs", "no-such-record");
  EXPECT_EQ(db_.record_id("Docs", "d3"), GRN_ID_NIL);
  EXPECT_EQ(db_.table_size("Docs"), 399);
  for (const auto& hit : db_.select("Docs", {"content", "\"发展\"", "", {}})) {
    EXPECT_NE(db_.key_text("Docs", hit.record), "d3");
  }
}

TEST_F(GroongaSelectTest, PutRefusesUnknownTablesAndColumns) {
  const Field unknown[] = {{"no_such_column", std::string_view("x")}};
  EXPECT_THROW(db_.put("Docs", "d1", unknown), IndexError);
  const Field title[] = {{"title", std::string_view("x")}};
  EXPECT_THROW(db_.put("NoSuchTable", "d1", title), IndexError);
  const std::string long_key(5000, 'k');
  EXPECT_THROW(db_.put("Docs", long_key, title), IndexError);
}

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

// search_cost counts the lists a search of the text opens, each with the postings it holds:
// one per distinct token, every key a lone character begins, none for text no key holds.
TEST_F(GroongaSelectTest, SearchCostCountsTheListsASearchOpens) {
  const auto list = [&](const std::string& key) {
    const auto held = db_.documents_with_key("Terms", "docs_text", key);
    return held == 0 ? 0 : Context::kPostingListCost + held;
  };
  const auto cost = [&](std::string_view text) {
    return db_.search_cost("Terms", "docs_text", text).total;
  };
  const auto by_prefix = [&](std::string_view text) {
    return db_.search_cost("Terms", "docs_text", text).by_prefix;
  };
  EXPECT_GT(list("发展"), Context::kPostingListCost);
  EXPECT_EQ(cost("发展"), list("发展"));
  EXPECT_EQ(cost("发展发展发展发展"), cost("发展发展"));  // the same tokens, counted once
  EXPECT_GT(cost("发展发展"), cost("发展"));              // 展发 too
  // 展 is searched by prefix: the keys 展 begins (展 before the first character of each word
  // of the vocabulary, and before the full stop).
  std::int64_t expected = 0;
  int keys = 0;
  for (const std::string next :
       {"乡", "改", "开", "发", "人", "生", "环", "保", "高", "工", "。", ""}) {
    if (const auto c = list("展" + next); c > 0) {
      expected += c;
      ++keys;
    }
  }
  EXPECT_GT(keys, 5);
  EXPECT_EQ(cost("展"), expected);
  EXPECT_EQ(by_prefix("展"), expected);
  EXPECT_EQ(by_prefix("发展"), 0);
  EXPECT_EQ(cost("没有这些字"), 0);
  EXPECT_EQ(cost(""), 0);
  EXPECT_THROW(db_.search_cost("Terms", "no_such_index", "发展"), IndexError);
}

TEST_F(GroongaSelectTest, BadExpressionsThrowAndLeaveTheContextUsable) {
  EXPECT_THROW(db_.select("Docs", {kMatchColumns, "", "year >>> (", {}}), IndexError);
  EXPECT_THROW(db_.select("Docs", {"no_such_column * 3", "\"改革\"", "", {}}), IndexError);
  const std::vector<ScoreBoost> unindexed = {{"year", "2020", 1}};
  EXPECT_THROW(db_.select("Docs", {kMatchColumns, "\"改革\"", "", unindexed}), IndexError);
  // The last one failed after finding its hits: none of them is left for the next select,
  // which answers as the select command does.
  auto after = api_hits({kMatchColumns, "\"生态\"", "", {}});
  EXPECT_FALSE(after.empty());
  EXPECT_EQ(after, command_hits("--match_columns '" + std::string(kMatchColumns) +
                                "' --query '\"生态\"'"));
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
