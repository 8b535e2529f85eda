#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "io/import.h"
#include "testing/test_support.h"

namespace wenku::io {
namespace {

using nlohmann::json;

json good_record() {
  return json{{"id", "gwr-2021"},
              {"title", "2021年政府工作报告"},
              {"date", "2021-03-05"},
              {"category", "政府工作报告"},
              {"source", "github:example/repo@0123456789ab:reports.jsonl"},
              {"content", "各位代表：\n现在，我代表国务院，向大会报告政府工作。"}};
}

std::string line_of(const json& record) { return record.dump(); }

std::string error_of(std::string_view line) {
  Parsed parsed = parse_jsonl_record(line);
  EXPECT_FALSE(parsed.doc.has_value()) << "accepted: " << line;
  return parsed.error;
}

std::string error_with(const std::string& field, const json& value) {
  json record = good_record();
  record[field] = value;
  return error_of(line_of(record));
}

TEST(ParseJsonlRecord, AcceptsAGoodRecordWithAllFields) {
  json record = good_record();
  record["url"] = "https://zh.wikisource.org/wiki/x";
  record["subcategory"] = "山东";
  record["title_derived"] = true;
  Parsed parsed = parse_jsonl_record(line_of(record));
  ASSERT_TRUE(parsed.doc) << parsed.error;
  const doc::Document& d = *parsed.doc;
  EXPECT_EQ(d.id, "gwr-2021");
  EXPECT_EQ(d.title, "2021年政府工作报告");
  EXPECT_EQ(d.date, "2021-03-05");
  EXPECT_EQ(d.category, "政府工作报告");
  EXPECT_EQ(d.subcategory, "山东");
  EXPECT_EQ(d.source, "github:example/repo@0123456789ab:reports.jsonl");
  EXPECT_EQ(d.url, "https://zh.wikisource.org/wiki/x");
  EXPECT_TRUE(d.title_derived);
  EXPECT_EQ(d.content, "各位代表：\n现在，我代表国务院，向大会报告政府工作。");
  EXPECT_TRUE(parsed.error.empty());
}

TEST(ParseJsonlRecord, OptionalFieldsMayBeAbsentOrNull) {
  json record = good_record();
  record["url"] = nullptr;
  Parsed parsed = parse_jsonl_record(line_of(record));
  ASSERT_TRUE(parsed.doc) << parsed.error;
  EXPECT_EQ(parsed.doc->url, "");
  EXPECT_EQ(parsed.doc->subcategory, "");
  EXPECT_EQ(error_with("subcategory", 3), "field 'subcategory' is not a string");
}

TEST(ParseJsonlRecord, NormalisesContentParagraphs) {
  json record = good_record();
  record["content"] = "\r\n　　第一段。\r\n\n  第二段。  \n\n";
  record["title"] = "  标题　";
  Parsed parsed = parse_jsonl_record(line_of(record));
  ASSERT_TRUE(parsed.doc) << parsed.error;
  EXPECT_EQ(parsed.doc->content, "第一段。\n第二段。");
  EXPECT_EQ(parsed.doc->title, "标题");
}

TEST(ParseJsonlRecord, NamesEachMissingField) {
  for (const char* field : {"id", "title", "date", "category", "source", "content"}) {
    json record = good_record();
    record.erase(field);
    EXPECT_EQ(error_of(line_of(record)), std::string("missing field '") + field + "'");
  }
}

TEST(ParseJsonlRecord, NamesMistypedFields) {
  EXPECT_EQ(error_with("date", 2021), "field 'date' is not a string");
  EXPECT_EQ(error_with("id", nullptr), "field 'id' is not a string");
  EXPECT_EQ(error_with("content", json::array({"a", "b"})), "field 'content' is not a string");
  EXPECT_EQ(error_with("url", false), "field 'url' is not a string");
}

TEST(ParseJsonlRecord, RejectsEmptyRequiredText) {
  EXPECT_EQ(error_with("id", ""), "field 'id' is empty");
  EXPECT_EQ(error_with("title", "　 "), "field 'title' is empty");
  EXPECT_EQ(error_with("content", "\n \n　\n"), "field 'content' is empty");
}

TEST(ParseJsonlRecord, RejectsIdsOutsideTheAllowedCharacters) {
  EXPECT_EQ(error_with("id", "a b"), "invalid id 'a b': only A-Z a-z 0-9 . _ - are allowed");
  for (const char* bad : {"a/b", "文库", "x?y", "a\tb", "<script>"}) {
    EXPECT_NE(error_with("id", bad).find("invalid id"), std::string::npos) << bad;
  }
  for (const char* good : {"law-0123456789ab", "A.b_C-9", "xwlb-20230101-01"}) {
    json record = good_record();
    record["id"] = good;
    EXPECT_TRUE(parse_jsonl_record(line_of(record)).doc) << good;
  }
}

TEST(ParseJsonlRecord, AcceptsOnlyTheDocumentedDateForms) {
  for (const char* good : {"", "1954", "2021-12", "2021-12-25", "2024-02-29"}) {
    json record = good_record();
    record["date"] = good;
    Parsed parsed = parse_jsonl_record(line_of(record));
    ASSERT_TRUE(parsed.doc) << good << ": " << parsed.error;
    EXPECT_EQ(parsed.doc->date, good);
  }
  for (const char* bad : {"21", "2021-1-5", "2021/12/25", "2021-13", "2021-00-10", "2023-02-29",
                          "2021-12-32", "2021-12-25T00:00", "二〇二一年", " 2021"}) {
    EXPECT_EQ(error_with("date", bad),
              std::string("invalid date '") + bad + "': expected YYYY, YYYY-MM or YYYY-MM-DD");
  }
}

TEST(ParseJsonlRecord, ExplainsInvalidJson) {
  EXPECT_EQ(error_of("[1, 2]"), "record is not a JSON object");
  EXPECT_EQ(error_of("\"just a string\""), "record is not a JSON object");
  for (std::string_view bad : {"{\"id\": ", "{id: 1}", "", "{\"a\":1} trailing"}) {
    std::string error = error_of(bad);
    EXPECT_TRUE(error.starts_with("invalid JSON: ")) << error;
    EXPECT_EQ(error.find("[json.exception"), std::string::npos) << error;
  }
}

// Valid JSON with integers beyond 64 bits (simdjson refuses them; nlohmann, the fallback,
// reads them as doubles): the record is read like any other.
TEST(ParseJsonlRecord, ReadsRecordsWithNumbersBeyond64Bits) {
  const std::string base = line_of(good_record());
  for (std::string_view number :
       {"123456789012345678901234567890", "-98765432109876543210", "18446744073709551616"}) {
    std::string line = base;
    line.insert(line.size() - 1, std::string(", \"views\": ") + std::string(number));
    Parsed parsed = parse_jsonl_record(line);
    ASSERT_TRUE(parsed.doc) << line << ": " << parsed.error;
    EXPECT_EQ(parsed.doc->id, "gwr-2021");
    EXPECT_EQ(parsed.doc->title, "2021年政府工作报告");
    EXPECT_NE(parsed.doc->content.find("政府工作"), std::string::npos);
  }
  // The fallback keeps every rule: types, missing fields, malformed numbers, nesting.
  std::string big_title = base;
  big_title.replace(big_title.find("\"2021年政府工作报告\""),
                    std::string("\"2021年政府工作报告\"").size(), "123456789012345678901234567890");
  EXPECT_EQ(error_of(big_title), "field 'title' is not a string");
  EXPECT_EQ(error_of("{\"views\": 123456789012345678901234567890}"), "missing field 'id'");
  EXPECT_TRUE(error_of("{\"views\": 01}").starts_with("invalid JSON: "))
      << error_of("{\"views\": 01}");
  const std::string deep =
      "{\"views\": 123456789012345678901234567890, \"x\":" + std::string(100, '[') +
      std::string(100, ']') + "}";
  EXPECT_EQ(error_of(deep), "invalid JSON: nested deeper than 16 levels");
}

TEST(ParseJsonlRecord, RefusesDeepNesting) {
  std::string deep = "{\"x\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(error_of(deep), "invalid JSON: nested deeper than 16 levels");
}

TEST(ParseJsonlRecord, ReportsTheByteOfInvalidUtf8) {
  std::string line = line_of(good_record());
  auto at = line.find("各位");
  line[at + 1] = '\x41';  // breaks the three-byte sequence of 各 at its second byte
  EXPECT_EQ(error_of(line), "invalid UTF-8 at byte " + std::to_string(at));

  std::string latin1 = "{\"id\": \"x\", \"title\": \"caf\xE9\"}";
  EXPECT_EQ(error_of(latin1), "invalid UTF-8 at byte " + std::to_string(latin1.find('\xE9')));
}

TEST(ParseJsonlRecord, RejectsEscapedNulAndLoneSurrogates) {
  json record = good_record();
  std::string line = line_of(record);
  auto at = line.find("现在");
  line.insert(at, "\\u0000");
  std::string error = error_of(line);
  EXPECT_TRUE(error.starts_with("field 'content': invalid UTF-8 at byte ")) << error;

  std::string surrogate = line_of(record);
  surrogate.insert(surrogate.find("现在"), "\\ud800");
  EXPECT_TRUE(error_of(surrogate).starts_with("invalid JSON: ")) << error_of(surrogate);
}

TEST(ParseJsonlRecord, RejectsRecordsOverTheSizeLimit) {
  json record = good_record();
  record["content"] = std::string(kMaxDocumentBytes, 'a');
  EXPECT_EQ(error_of(line_of(record)), "record exceeds 8 MiB");

  record["content"] = std::string(kMaxDocumentBytes - 1000, 'a');
  EXPECT_TRUE(parse_jsonl_record(line_of(record)).doc);
}

TEST(ParseJsonlRecord, ParsesRealCorpusRecords) {
  auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  std::ifstream in(dir / "xi_speeches_2020.jsonl");
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    Parsed parsed = parse_jsonl_record(line);
    ASSERT_TRUE(parsed.doc) << "line " << count + 1 << ": " << parsed.error;
    const json raw = json::parse(line);
    EXPECT_EQ(parsed.doc->id, raw["id"]);
    EXPECT_EQ(parsed.doc->content, raw["content"]) << parsed.doc->id << ": already in normal form";
    EXPECT_EQ(parsed.doc->category, "领导人讲话");
    ++count;
  }
  EXPECT_EQ(count, 58);
}

}  // namespace
}  // namespace wenku::io
