#include "io/upload.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/docx.h"
#include "io/zip_fixture.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::io {
namespace {

using nlohmann::json;

std::string record(const std::string& id, const std::string& source = "人民网",
                   const std::string& category = "讲话") {
  return json{
      {"id", id},         {"title", "标题" + id}, {"date", "2024-05-01"}, {"category", category},
      {"source", source}, {"content", "正文。"}}
      .dump();
}

std::string small_docx() {
  return testing::make_docx(testing::document_xml(
      "<w:p><w:r><w:t>述职报告</w:t></w:r></w:p><w:p><w:r><w:t>本人一年来……</w:t></w:r></w:p>"));
}

TEST(Upload, ChoosesTheFormatByExtensionIgnoringCase) {
  EXPECT_EQ(format_of_file("a.txt"), FileFormat::kPlainText);
  EXPECT_EQ(format_of_file("dir/B.MD"), FileFormat::kPlainText);
  EXPECT_EQ(format_of_file("c.Html"), FileFormat::kHtml);
  EXPECT_EQ(format_of_file("C:\\x\\d.HTM"), FileFormat::kHtml);
  EXPECT_EQ(format_of_file("报告.DOCX"), FileFormat::kDocx);
  EXPECT_EQ(format_of_file("corpus.jsonl"), FileFormat::kJsonLines);
  for (std::string_view name : {"a.doc", "a.pdf", "a.jsonl.zst", "docx", "a.txt.exe", "", "."}) {
    EXPECT_EQ(format_of_file(name), FileFormat::kUnsupported) << name;
  }
  EXPECT_EQ(max_file_bytes(FileFormat::kPlainText), kMaxDocumentBytes);
  EXPECT_EQ(max_file_bytes(FileFormat::kHtml), kMaxDocumentBytes);
  EXPECT_EQ(max_file_bytes(FileFormat::kDocx), 32u * 1024 * 1024);
  EXPECT_EQ(max_file_bytes(FileFormat::kJsonLines), 32u * 1024 * 1024);
  EXPECT_EQ(max_file_bytes(FileFormat::kUnsupported), 0u);
}

TEST(Upload, ReadsEachOneDocumentFormat) {
  const UploadOptions options{.category = "工作总结", .source = "upload"};
  const std::string docx = small_docx();
  struct Case {
    std::string name;
    std::string bytes;
  };
  for (const Case& c :
       {Case{"总结.TXT", "述职报告\n本人一年来……\n"}, Case{"总结.md", "# 述职报告\n\n本人一年来……"},
        Case{"总结.HTM", "<title>述职报告</title><p>本人一年来……</p>"}, Case{"总结.docx", docx}}) {
    UploadResult r = parse_upload(c.name, c.bytes, options);
    ASSERT_EQ(r.documents.size(), 1u) << c.name << ": " << r.issues.at(0).reason;
    EXPECT_TRUE(r.issues.empty()) << c.name;
    const doc::Document& d = r.documents[0];
    EXPECT_EQ(d.title, "述职报告") << c.name;
    EXPECT_EQ(d.content, "本人一年来……") << c.name;
    EXPECT_EQ(d.category, "工作总结") << c.name;
    EXPECT_EQ(d.source, "upload") << c.name;
    EXPECT_TRUE(d.id.starts_with("doc-")) << c.name << ": " << d.id;
  }
  // Same stem, same id: uploading a new version replaces the old one.
  EXPECT_EQ(parse_upload("总结.txt", "甲\n乙", options).documents.at(0).id,
            parse_upload("总结.docx", docx, options).documents.at(0).id);
  // An empty source option keeps the file name; an empty category leaves 未分类.
  UploadResult kept = parse_upload("plan.txt", "计划\n正文", {.category = "", .source = ""});
  EXPECT_EQ(kept.documents.at(0).source, "plan.txt");
  EXPECT_EQ(kept.documents.at(0).category, "");
  EXPECT_EQ(kept.documents.at(0).id, "plan");
}

TEST(Upload, OneDocumentFormatsGiveOneIssueWhenRefused) {
  UploadResult r = parse_upload("坏.docx", "PK\x03\x04 truncated", {});
  EXPECT_TRUE(r.documents.empty());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].file, "坏.docx");
  EXPECT_EQ(r.issues[0].line, 0u);
  EXPECT_NE(r.issues[0].reason.find("not a .docx file"), std::string::npos);

  UploadResult empty = parse_upload("空.html", "<script>x()</script>", {});
  ASSERT_EQ(empty.issues.size(), 1u);
  EXPECT_NE(empty.issues[0].reason.find("no readable text"), std::string::npos);
}

TEST(Upload, JsonLinesGiveADocumentPerRecordAndAnIssuePerBadLine) {
  const std::string bytes = record("a1") + "\n\n" +        // line 1, blank 2
                            "{not json\n" +                // line 3
                            record("bad id!") + "\r\n" +   // line 4
                            record("a2", "", "") + "\n" +  // line 5
                            "   \n" +                      // blank 6
                            "{\"id\":\"x" + std::string(kMaxDocumentBytes, 'x') +
                            "\"}\n" +      // line 7
                            record("a3");  // line 8, no newline
  UploadResult r = parse_upload("batch.JSONL", bytes, {.category = "默认", .source = "upload"});
  ASSERT_EQ(r.documents.size(), 3u);
  EXPECT_EQ(r.documents[0].id, "a1");
  EXPECT_EQ(r.documents[0].source, "人民网") << "a record keeps its own source";
  EXPECT_EQ(r.documents[0].category, "讲话") << "and its own category";
  EXPECT_EQ(r.documents[1].id, "a2");
  EXPECT_EQ(r.documents[1].source, "upload") << "an empty source gets the default";
  EXPECT_EQ(r.documents[1].category, "默认") << "an empty category gets the default";
  EXPECT_EQ(r.documents[2].id, "a3");
  ASSERT_EQ(r.issues.size(), 3u);
  EXPECT_EQ(r.issues[0].line, 3u);
  EXPECT_NE(r.issues[0].reason.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r.issues[1].line, 4u);
  EXPECT_NE(r.issues[1].reason.find("invalid id 'bad id!'"), std::string::npos);
  EXPECT_EQ(r.issues[2].line, 7u);
  EXPECT_EQ(r.issues[2].reason, "record exceeds 8 MiB");
  for (const auto& issue : r.issues) EXPECT_EQ(issue.file, "batch.JSONL");
}

// A .jsonl file that holds no record says so instead of answering nothing.
TEST(Upload, AJsonLinesFileWithoutRecordsIsAnIssue) {
  for (const std::string& bytes : {std::string(), std::string("\n  \r\n\n")}) {
    UploadResult r = parse_upload("empty.jsonl", bytes, {});
    EXPECT_TRUE(r.documents.empty());
    ASSERT_EQ(r.issues.size(), 1u) << bytes.size() << " bytes";
    EXPECT_EQ(r.issues[0].line, 0u);
    EXPECT_NE(r.issues[0].reason.find("文件中没有文档"), std::string::npos);
  }
  // A file whose records are all refused has their issues, not this one.
  UploadResult bad = parse_upload("bad.jsonl", "{not json\n", {});
  ASSERT_EQ(bad.issues.size(), 1u);
  EXPECT_NE(bad.issues[0].reason.find("invalid JSON"), std::string::npos);
}

TEST(Upload, RefusesUnsupportedTypesAndOversizedFiles) {
  UploadResult r = parse_upload("公文.doc", "\xD0\xCF\x11\xE0", {});
  EXPECT_TRUE(r.documents.empty());
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_NE(r.issues[0].reason.find("不支持的文件类型"), std::string::npos);
  EXPECT_NE(r.issues[0].reason.find("unsupported file type"), std::string::npos);

  const std::string big_text(kMaxDocumentBytes + 1, 'x');
  const std::string big_package(32 * 1024 * 1024 + 1, '\n');
  for (auto [name, bytes, reason] : {std::tuple{"a.txt", &big_text, "file exceeds 8 MiB"},
                                     std::tuple{"a.html", &big_text, "file exceeds 8 MiB"},
                                     std::tuple{"a.jsonl", &big_package, "file exceeds 32 MiB"},
                                     std::tuple{"a.docx", &big_package, "file exceeds 32 MiB"}}) {
    UploadResult too_big = parse_upload(name, *bytes, {});
    EXPECT_TRUE(too_big.documents.empty()) << name;
    ASSERT_EQ(too_big.issues.size(), 1u) << name;
    EXPECT_EQ(too_big.issues[0].reason, reason) << name;
  }
  // A .jsonl of 8 MiB + 1 is fine: only each record is limited to 8 MiB.
  std::string many;
  while (many.size() <= kMaxDocumentBytes) many += record("r" + std::to_string(many.size())) + "\n";
  EXPECT_TRUE(parse_upload("many.jsonl", many, {}).issues.empty());
}

TEST(Upload, WenkuImportReadsHtmlAndDocxThroughTheSameCode) {
  testing::TempDir dir;
  const auto html = dir.path() / "notice.HTML";
  const auto htm = dir.path() / "broken.htm";
  const auto docx = dir.path() / "report.docx";
  const auto bad_docx = dir.path() / "bad.docx";
  testing::write_file(html, "<title>通知</title><nav>首页</nav><p>正文第一段。</p>");
  testing::write_file(htm, "<style>p{}</style>");
  testing::write_file(docx, small_docx());
  testing::write_file(bad_docx, small_docx().substr(0, 100));
  auto store = store::open_sqlite(dir.path() / "wenku.db");
  ImportStats stats = import_files(*store, {html, htm, docx, bad_docx});
  EXPECT_EQ(stats.read, 4u);
  EXPECT_EQ(stats.inserted, 2u);
  ASSERT_EQ(stats.issues.size(), 2u);
  EXPECT_EQ(stats.issues[0].file, htm.string());
  EXPECT_NE(stats.issues[0].reason.find("no readable text"), std::string::npos);
  EXPECT_EQ(stats.issues[1].file, bad_docx.string());
  EXPECT_NE(stats.issues[1].reason.find("not a .docx file"), std::string::npos);
  auto notice = store->get("notice");
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->title, "通知");
  EXPECT_EQ(notice->content, "正文第一段。");
  EXPECT_EQ(notice->source, html.string());
  auto report = store->get("report");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->title, "述职报告");
}

}  // namespace
}  // namespace wenku::io
