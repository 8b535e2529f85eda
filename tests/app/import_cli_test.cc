// `wenku import` into an empty library: keywords are computed once, from the import's tally,
// or by a recount when the tally does not cover the library.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

nlohmann::json speech(const std::string& id, const std::string& content) {
  return {{"id", id},
          {"title", "在全区工作会议上的讲话"},
          {"date", "2024-04-09"},
          {"category", "讲话稿"},
          {"source", "test"},
          {"content", content}};
}

class ImportCliTest : public ::testing::Test {
 protected:
  testing::RunResult import(const std::string& jsonl) {
    testing::write_file(dir_.path() / "in.jsonl", jsonl);
    return testing::run({testing::wenku_binary(), "import", "--data",
                         (dir_.path() / "data").string(), (dir_.path() / "in.jsonl").string()});
  }
  std::unique_ptr<store::Store> store() const {
    return store::open_sqlite(dir_.path() / "data" / "wenku.sqlite");
  }

  testing::TempDir dir_;
};

TEST_F(ImportCliTest, AFirstImportGivesEveryDocumentKeywordsAndStoresItsFrequencies) {
  const auto result =
      import(speech("a", "乡村振兴要抓好粮食生产，乡村振兴要发展特色产业。").dump() + "\n" +
             speech("b", "生态环境保护是民生工程，生态环境要持续改善。").dump() + "\n");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("keywords computed with word frequencies over 2 documents"),
            std::string::npos)
      << result.out;
  auto s = store();
  EXPECT_EQ(s->word_frequencies().documents, 2);
  const auto a = s->get("a");
  const auto b = s->get("b");
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(a->keywords.empty());
  ASSERT_FALSE(b->keywords.empty());
  EXPECT_EQ(a->keywords.front(), "乡村振兴");
  EXPECT_EQ(b->keywords.front(), "生态环境");
}

TEST_F(ImportCliTest, AnIdTwiceInAFirstImportIsRecountedFromTheStore) {
  // The tally counts "a" twice: the refresh recounts, over the two stored documents, and the
  // keywords are those of the text "a" holds last.
  const auto result =
      import(speech("a", "乡村振兴要抓好粮食生产，乡村振兴要发展特色产业。").dump() + "\n" +
             speech("b", "生态环境保护是民生工程。").dump() + "\n" +
             speech("a", "数字经济是新引擎，数字经济要做强做优做大。").dump() + "\n");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("over 2 documents"), std::string::npos) << result.out;
  auto s = store();
  EXPECT_EQ(s->word_frequencies().documents, 2);
  const auto a = s->get("a");
  ASSERT_TRUE(a);
  ASSERT_FALSE(a->keywords.empty());
  EXPECT_EQ(a->keywords.front(), "数字经济");
  EXPECT_FALSE(s->get("b")->keywords.empty());
}

// Logs go to standard error: after an unclean shutdown (the index's OPEN marker left
// behind), `wenku search --json` warns that it rebuilds the index, and its standard output is
// still one JSON document.
TEST_F(ImportCliTest, LogsGoToStandardErrorNotIntoJsonOutput) {
  ASSERT_EQ(import(speech("a", "要加快推进老旧小区改造。").dump() + "\n").exit_code, 0);
  testing::write_file(dir_.path() / "data" / "index" / "OPEN", "");
  const std::vector<std::string> command = {testing::wenku_binary(),         "search", "--data",
                                            (dir_.path() / "data").string(), "--json", "老旧小区"};
  const auto merged = testing::run(command);
  ASSERT_EQ(merged.exit_code, 0) << merged.out;
  EXPECT_NE(merged.out.find("will be rebuilt"), std::string::npos) << merged.out;
  testing::write_file(dir_.path() / "data" / "index" / "OPEN", "");
  const auto out = testing::run_stdout(command);
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_EQ(out.out.find("will be rebuilt"), std::string::npos) << out.out;
  const auto json = nlohmann::json::parse(out.out);
  EXPECT_EQ(json.at("total"), 1) << out.out;
}

}  // namespace
}  // namespace wenku::app
