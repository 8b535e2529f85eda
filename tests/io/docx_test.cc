#include "io/docx.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "io/import.h"
#include "io/zip_fixture.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

using testing::core_xml;
using testing::document_xml;
using testing::make_docx;
using testing::make_zip;

doc::Document parse_ok(std::string_view bytes, std::string_view file_name = "doc.docx") {
  Parsed parsed = parse_docx(bytes, file_name);
  EXPECT_TRUE(parsed.doc) << file_name << ": " << parsed.error;
  return parsed.doc.value_or(doc::Document{});
}

std::string error_of(std::string_view bytes) {
  Parsed parsed = parse_docx(bytes, "bad.docx");
  EXPECT_FALSE(parsed.doc) << "gave: " << (parsed.doc ? parsed.doc->content : "");
  return parsed.error;
}

// `xml` without its XML declaration, so that a DOCTYPE can go before the root element.
std::string without_declaration(const std::string& xml) { return xml.substr(xml.find("?>") + 2); }

// A paragraph of one run holding `text`.
std::string para(const std::string& text) {
  return "<w:p><w:r><w:t>" + text + "</w:t></w:r></w:p>";
}

TEST(ParseDocx, ReadsParagraphsRunsTabsAndBreaks) {
  const std::string body =
      "<w:p><w:pPr><w:ind w:firstLine=\"640\"/></w:pPr>"
      "<w:r><w:rPr><w:b/></w:rPr><w:t>各区县</w:t></w:r><w:r><w:t>人民政府：</w:t></w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">　　为贯彻落实 </w:t></w:r>"
      "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r><w:r><w:t>“十四五”规划</w:t></w:r>"
      "<w:hyperlink><w:r><w:t>（附件）</w:t></w:r></w:hyperlink></w:p>"
      "<w:p><w:r><w:t>姓名</w:t><w:tab/><w:t>职务</w:t><w:br/><w:t>张三</w:t>"
      "<w:noBreakHyphen/><w:t>科长</w:t></w:r></w:p>"
      "<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>";
  auto d = parse_ok(
      make_docx(document_xml(body), core_xml("关于印发《实施方案》的通知", "2024-03-05T08:30:00Z")),
      "/tmp/实施方案.docx");
  EXPECT_EQ(d.title, "关于印发《实施方案》的通知");
  EXPECT_EQ(d.date, "2024-03-05");
  EXPECT_EQ(d.content,
            "各区县人民政府：\n"
            "为贯彻落实  “十四五”规划（附件）\n"
            "姓名 职务\n"
            "张三-科长");
  EXPECT_EQ(d.id, parse_plain_text("标题\n正文", "实施方案.txt").doc->id)
      << "the id comes from the stem, as for a text file";
  EXPECT_EQ(d.source, "/tmp/实施方案.docx");
  EXPECT_EQ(d.category, "");
}

TEST(ParseDocx, FirstParagraphIsTheTitleWithoutCoreTitle) {
  const std::string body = para("　2024年工作总结　") + para("一、主要成绩") + para("（一）……");
  for (const std::string& core : {std::string(), core_xml("", "2023-12-31T23:00:00Z"),
                                  core_xml("   ", ""), std::string("<broken")}) {
    auto d = parse_ok(make_docx(document_xml(body), core));
    EXPECT_EQ(d.title, "2024年工作总结") << core;
    EXPECT_EQ(d.content, "一、主要成绩\n（一）……") << core;
  }
  EXPECT_EQ(parse_ok(make_docx(document_xml(body), core_xml("", "2023-12-31T23:00:00Z"))).date,
            "2023-12-31");
  EXPECT_EQ(parse_ok(make_docx(document_xml(body), core_xml("", "2023-13-45T00:00:00Z"))).date, "");
  EXPECT_EQ(parse_ok(make_docx(document_xml(body), core_xml("", "去年"))).date, "");
}

TEST(ParseDocx, TableCellsAreParagraphs) {
  const std::string body =
      para("会议签到表") +
      "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:t>单位</w:t></w:r></w:p><w:p><w:r><w:t>（盖章）</w:t></w:r></w:p></w:tc>"
      "</w:tr><w:tr><w:tc><w:p><w:r><w:t>李四</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>"
      "<w:tc><w:tbl><w:tr><w:tc>" +
      para("嵌套") + "</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>" + para("表后正文");
  auto d = parse_ok(make_docx(document_xml(body)));
  EXPECT_EQ(d.title, "会议签到表");
  EXPECT_EQ(d.content, "姓名\n单位 （盖章）\n李四\n嵌套\n表后正文");
}

TEST(ParseDocx, SkipsDeletedTextFieldCodesAndFallbacks) {
  const std::string body =
      para("标题") +
      "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>"
      "<w:r><w:instrText> PAGE </w:instrText></w:r><w:ins><w:r><w:t>插入的</w:t></w:r></w:ins>"
      "</w:p><w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
      "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
      "<mc:Fallback><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent>"
      "</mc:Fallback></mc:AlternateContent></w:r></w:p>";
  EXPECT_EQ(parse_ok(make_docx(document_xml(body))).content, "保留插入的\n文本框");
}

TEST(ParseDocx, AcceptsAnyNamespacePrefix) {
  const std::string xml =
      "<?xml version=\"1.0\"?><doc xmlns=\"http://purl.oclc.org/ooxml/wordprocessingml/main\">"
      "<body><p><r><t>严格格式</t></r></p><p><r><t>正文</t></r></p></body></doc>";
  auto d = parse_ok(make_docx(xml));
  EXPECT_EQ(d.title, "严格格式");
  EXPECT_EQ(d.content, "正文");

  const std::string prefixed =
      "<x:document xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<x:body><x:p><x:r><x:t>前缀</x:t></x:r></x:p><x:p><x:r><x:t>不同</x:t></x:r></x:p>"
      "<w:p><w:r><w:t>未绑定</w:t></w:r></w:p></x:body></x:document>";
  auto p = parse_ok(make_docx(prefixed));
  EXPECT_EQ(p.title, "前缀");
  EXPECT_EQ(p.content, "不同");
}

TEST(ParseDocx, KeepsChineseTextExactly) {
  // Rare and supplementary-plane characters, full-width punctuation, mixed scripts.
  const std::string text = "𠀀𪚥龘 「引号」《书名》——破折号…… ①②③ ＡＢＣ 한국어 Ελληνικά";
  auto d = parse_ok(make_docx(document_xml(para("标题") + para(text))));
  EXPECT_EQ(d.content, text);
}

TEST(ParseDocx, RefusesWhatIsNotAZipArchive) {
  EXPECT_EQ(error_of(""), "not a .docx file: the file is empty");
  for (std::string_view bytes :
       {std::string_view("PK\x03\x04"), std::string_view("plain text, not a zip\n"),
        std::string_view("%PDF-1.7\n")}) {
    EXPECT_NE(error_of(bytes).find("not a .docx file (not a readable ZIP archive"),
              std::string::npos)
        << bytes;
  }
  const std::string good = make_docx(document_xml(para("标题") + para("正文")));
  for (std::size_t cut : {good.size() / 2, good.size() - 10, std::size_t{100}}) {
    EXPECT_NE(error_of(good.substr(0, cut)).find("not a .docx file"), std::string::npos) << cut;
  }
}

TEST(ParseDocx, RefusesDamagedEntries) {
  // Stored (uncompressed) first, so that its bytes sit at a known place: a changed byte
  // there fails the CRC check.
  const std::string xml = document_xml(para("标题") + para(std::string(500, 'x')));
  std::string zip = make_zip({{"word/document.xml", xml, true}});
  const std::size_t data = zip.find("xxxxx");
  ASSERT_NE(data, std::string::npos);
  zip[data + 100] = 'y';
  EXPECT_NE(error_of(zip).find("damaged .docx: cannot read word/document.xml"), std::string::npos);
}

TEST(ParseDocx, RefusesArchivesWithoutTheDocument) {
  EXPECT_EQ(error_of(make_zip({{"readme.txt", "hello"}})),
            "not a Word document: word/document.xml is missing");
  EXPECT_EQ(error_of(make_zip({{"word/document2.xml", "<x/>"}})),
            "not a Word document: word/document.xml is missing");
  // OPC part names are case-insensitive.
  EXPECT_EQ(
      parse_ok(make_zip({{"Word/Document.XML", document_xml(para("甲") + para("乙"))}})).content,
      "乙");
}

TEST(ParseDocx, RefusesZipBombs) {
  const std::string zeros(kMaxDocxEntryBytes + 1, '\0');
  const std::string bomb = make_zip({{"word/document.xml", zeros}});
  EXPECT_LT(bomb.size(), 1024u * 1024u) << "it is a bomb: small packed, huge unpacked";
  EXPECT_NE(error_of(bomb).find("word/document.xml would unpack to more than 64 MiB"),
            std::string::npos);

  const std::string_view part(zeros.data(), 60 * 1024 * 1024);
  const std::string doc = document_xml(para("标题") + para("正文"));
  const std::string many = make_zip({{"word/document.xml", doc},
                                     {"a.bin", part},
                                     {"b.bin", part},
                                     {"c.bin", part},
                                     {"d.bin", part},
                                     {"e.bin", part}});
  EXPECT_NE(error_of(many).find("would unpack to more than 256 MiB"), std::string::npos);

  EXPECT_NE(error_of(std::string(kMaxDocxBytes + 1, 'x')).find("file exceeds 32 MiB"),
            std::string::npos);
}

TEST(ParseDocx, RefusesBadXml) {
  auto docx = [](const std::string& xml) { return make_docx(xml); };
  EXPECT_NE(error_of(docx("<w:document><w:body><w:p>")).find("invalid XML in word/document.xml"),
            std::string::npos);
  EXPECT_NE(error_of(docx("")).find("invalid XML in word/document.xml"), std::string::npos);
  EXPECT_EQ(error_of(docx("<document><body><p><r><t>无命名空间</t></r></p></body></document>")),
            "word/document.xml is not WordprocessingML");

  // Billion laughs: refused for its DTD before any entity could be expanded.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">";
  for (char c = 'b'; c <= 'j'; ++c) {
    laughs += std::string("<!ENTITY ") + c + " \"" + std::string(10, '&') + "\">";
  }
  laughs += "]>" + without_declaration(document_xml(para("标题") + para("&j;")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of(docx(laughs)),
            "word/document.xml contains a DTD, which Office Open XML forbids");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(error_of(docx("<!DOCTYPE x SYSTEM \"file:///etc/passwd\">" +
                          without_declaration(document_xml(para("标题") + para("正文")))))
                .find("contains a DTD"),
            std::string::npos);
}

TEST(ParseDocx, RefusesInvalidText) {
  EXPECT_EQ(error_of(make_docx(document_xml(para("标题") + para("坏\xFF字节")))),
            "text: invalid UTF-8 at byte 3");
  EXPECT_EQ(error_of(make_docx(document_xml(""))), "no text: the document is empty");
  EXPECT_EQ(error_of(make_docx(document_xml(para("只有标题")))), "no text after the title");
  EXPECT_EQ(error_of(make_docx(document_xml(para(std::string(kMaxDocumentBytes + 1, 'x'))))),
            "text exceeds 8 MiB");
}

TEST(ParseDocx, SurvivesDeepNesting) {
  std::string open, close;
  for (int i = 0; i < 300000; ++i) {
    open += "<w:sdt><w:sdtContent>";
    close += "</w:sdtContent></w:sdt>";
  }
  auto d = parse_ok(make_docx(document_xml(para("标题") + open + para("深处") + close)));
  EXPECT_EQ(d.content, "深处");
}

// A .docx written by LibreOffice, when it is installed: a real-world producer's layout.
TEST(ParseDocx, ReadsADocumentWrittenByLibreOffice) {
  // soffice may be there for Calc alone (libreoffice-calc-nogui); Writer is libswlo.so.
  const char* has_writer =
      "test -e \"$(dirname \"$(readlink -f \"$(command -v soffice)\")\")/libswlo.so\"";
  if (std::system(has_writer) != 0) {
    GTEST_SKIP() << "LibreOffice Writer (soffice) is not installed";
  }
  testing::TempDir dir;
  testing::write_file(dir.path() / "sample.txt",
                      "关于开展安全生产大检查的通知\n各科室：\n\t根据上级要求，现开展检查。\n"
                      "一、检查时间：2024年3月\n二、检查内容：消防、用电。\n");
  const auto profile = dir.path() / "profile";
  const std::string command =
      "cd '" + dir.path().string() + "' && soffice -env:UserInstallation=file://" +
      profile.string() +
      " --headless --infilter='Text (encoded):UTF8,LF,,,' --convert-to docx --outdir '" +
      dir.path().string() + "' sample.txt >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::string bytes = testing::read_file(dir.path() / "sample.docx");
  auto d = parse_ok(bytes, "sample.docx");
  EXPECT_EQ(d.title, "关于开展安全生产大检查的通知");
  EXPECT_EQ(d.content,
            "各科室：\n根据上级要求，现开展检查。\n一、检查时间：2024年3月\n"
            "二、检查内容：消防、用电。");
  EXPECT_TRUE(d.date.empty() || (d.date.size() == 10 && d.date[4] == '-')) << d.date;
}

}  // namespace
}  // namespace wenku::io
