// The GB/T 9704 Word files: their XML, part by part, and what importing them gives back.
#include "io/word.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "doc/document.h"
#include "doc/outline.h"
#include "io/docx.h"
#include "io/task_table.h"
#include "testing/unzipped.h"

namespace wenku::io {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The parts of a .docx file, parsed.
class Package {
 public:
  explicit Package(const std::string& bytes) {
    for (const auto& [name, contents] : testing::zip_entries(bytes)) {
      names_.push_back(name);
      EXPECT_TRUE(parts_[name].load_string(contents.c_str())) << name << " is not XML";
    }
  }
  const std::vector<std::string>& names() const { return names_; }
  // The node `xpath` selects in part `name` (an empty node when none does).
  pugi::xml_node node(const std::string& name, const char* xpath) const {
    const auto it = parts_.find(name);
    if (it == parts_.end()) return {};
    return it->second.select_node(xpath).node();
  }
  // The value of attribute `attribute` of that node; "" when there is none.
  std::string value(const std::string& name, const char* xpath, const char* attribute) const {
    return node(name, xpath).attribute(attribute).value();
  }
  pugi::xpath_node_set nodes(const std::string& name, const char* xpath) const {
    return parts_.at(name).select_nodes(xpath);
  }

 private:
  std::vector<std::string> names_;
  std::map<std::string, pugi::xml_document> parts_;
};

constexpr const char* kDocument = "word/document.xml";
constexpr const char* kStyles = "word/styles.xml";

// A speech as the store holds it, with its outline.
struct Speech {
  doc::Document d;
  std::vector<doc::OutlineItem> outline;
};

Speech speech(std::string content) {
  Speech s;
  s.d.id = "s";
  s.d.title = "在全市乡村振兴工作会议上的讲话";
  s.d.date = "2024-03-15";
  s.d.content = std::move(content);
  s.outline = doc::extract_outline(s.d);
  return s;
}

std::string export_of(const Speech& s) {
  return word_document({s.d.title, s.d.date, s.d.content, s.outline});
}

const std::string kSpeech =
    "（2024年3月15日）\n"
    "同志们：\n"
    "今天召开全市乡村振兴工作会议，主要任务是部署2024年工作。\n"
    "一、充分认识做好乡村振兴工作的重要意义\n"
    "（一）坚持稳中求进。全面落实“四个不摘”要求——巩固拓展脱贫攻坚成果……\n"
    "（二）坚持守正创新。用好改革这个法宝。\n"
    "二、扎实推进重点任务\n"
    "1.稳定粮食生产。全年粮食播种面积稳定在1200万亩以上。\n"
    "2.发展乡村产业。\n"
    "（1）壮大特色产业。\n"
    "（2）培育新型经营主体。\n"
    "市人民政府\n"
    "2024年3月15日";

// The style of the paragraph whose text starts with `start` in document.xml.
std::string style_of_paragraph(const Package& p, const std::string& start) {
  for (const auto& found : p.nodes(kDocument, "//w:body/w:p")) {
    std::string text;
    for (const auto& t : found.node().select_nodes(".//w:t")) text += t.node().child_value();
    if (text.starts_with(start)) {
      return found.node().child("w:pPr").child("w:pStyle").attribute("w:val").value();
    }
  }
  return "(no paragraph starts with " + start + ")";
}

TEST(WordDocument, PageIsA4WithTheNationalMarginsAndLineGrid) {
  const Package p(export_of(speech(kSpeech)));
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgSz", "w:w"), "11906");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgSz", "w:h"), "16838");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgMar", "w:top"), "2098");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgMar", "w:bottom"), "1984");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgMar", "w:left"), "1587");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgMar", "w:right"), "1474");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:docGrid", "w:type"), "lines");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:docGrid", "w:linePitch"), "579");
  // The block is 156 × 225 mm: 22 lines of 579 fit its height, 28 squeezed characters its width.
  const int block_height = kWordPageHeight - kWordMarginTop - kWordMarginBottom;
  EXPECT_LE(22 * kWordLinePitch, block_height);
  EXPECT_GT(23 * kWordLinePitch, block_height);
  const int block_width = kWordPageWidth - kWordMarginLeft - kWordMarginRight;
  EXPECT_NEAR(block_width, 156 * 1440 / 25.4, 1);
  const int squeezed = 20 * 16 + kWordCharacterSqueeze;  // twips per 3号 character
  EXPECT_LE(28 * squeezed, block_width);
  EXPECT_GT(29 * squeezed, block_width);
  // The text's style sets those lines and that squeeze.
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Normal']/w:pPr/w:spacing", "w:line"), "579");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Normal']/w:pPr/w:spacing", "w:lineRule"),
            "exact");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Normal']/w:rPr/w:spacing", "w:val"), "-5");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Normal']/w:rPr/w:sz", "w:val"), "32");
}

TEST(WordDocument, TitleTextAndHeadingsHaveTheirFontsSizesAndIndents) {
  const Package p(export_of(speech(kSpeech)));
  // Title: 2号 方正小标宋简体, centred.
  EXPECT_EQ(style_of_paragraph(p, "在全市乡村振兴工作会议上的讲话"), "Title");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Title']/w:name", "w:val"), "Title");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Title']/w:rPr/w:sz", "w:val"), "44");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Title']/w:rPr/w:rFonts", "w:eastAsia"),
            "方正小标宋简体");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Title']/w:pPr/w:jc", "w:val"), "center");
  // Body: 3号 仿宋_GB2312 with Latin in Times New Roman, indented two characters by its own
  // style; neither the document defaults nor Normal indent anything.
  EXPECT_EQ(style_of_paragraph(p, "今天召开"), "BodyText");
  EXPECT_EQ(p.value(kStyles, "//w:docDefaults//w:rFonts", "w:eastAsia"), "仿宋_GB2312");
  EXPECT_EQ(p.value(kStyles, "//w:docDefaults//w:rFonts", "w:ascii"), "Times New Roman");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='BodyText']/w:pPr/w:ind", "w:firstLineChars"),
            "200");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='BodyText']/w:pPr/w:ind", "w:firstLine"), "640");
  EXPECT_TRUE(p.node(kStyles, "//w:docDefaults//w:ind").empty());
  EXPECT_TRUE(p.node(kStyles, "//w:style[@w:styleId='Normal']//w:ind").empty());
  // Headings by their marker, in Word's built-in heading styles (by name), none bold.
  EXPECT_EQ(style_of_paragraph(p, "一、充分认识"), "Heading1");
  EXPECT_EQ(style_of_paragraph(p, "（一）坚持稳中求进"), "Heading2");
  EXPECT_EQ(style_of_paragraph(p, "1.稳定粮食生产"), "Heading3");
  EXPECT_EQ(style_of_paragraph(p, "（1）壮大特色产业"), "Heading4");
  const std::map<std::string, std::string> fonts = {
      {"1", "黑体"}, {"2", "楷体_GB2312"}, {"3", "仿宋_GB2312"}, {"4", "仿宋_GB2312"}};
  for (const auto& [level, font] : fonts) {
    const std::string style = "//w:style[@w:styleId='Heading" + level + "']";
    EXPECT_EQ(p.value(kStyles, (style + "/w:name").c_str(), "w:val"), "heading " + level);
    EXPECT_EQ(p.value(kStyles, (style + "/w:rPr/w:rFonts").c_str(), "w:eastAsia"), font);
    EXPECT_EQ(p.value(kStyles, (style + "/w:rPr/w:b").c_str(), "w:val"), "0");
    EXPECT_EQ(p.value(kStyles, (style + "/w:pPr/w:outlineLvl").c_str(), "w:val"),
              std::to_string(std::stoi(level) - 1));
  }
  // A heading phrase followed by text: the text after it in the body's font.
  const auto run_in = p.node(kDocument, "//w:p[w:pPr/w:pStyle/@w:val='Heading2'][1]");
  ASSERT_FALSE(run_in.empty());
  const auto first_run = run_in.child("w:r");
  EXPECT_EQ(std::string(first_run.child("w:t").child_value()), "（一）坚持稳中求进。");
  EXPECT_TRUE(first_run.child("w:rPr").empty()) << "the phrase takes the heading style's font";
  const auto after = first_run.next_sibling("w:r");
  EXPECT_EQ(after.child("w:rPr").child("w:rFonts").attribute("w:eastAsia").value(),
            std::string("仿宋_GB2312"));
  // The opening date under the title is centred in 楷体.
  EXPECT_EQ(style_of_paragraph(p, "（2024年3月15日）"), "Subtitle");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Subtitle']/w:rPr/w:rFonts", "w:eastAsia"),
            "楷体_GB2312");
}

TEST(WordDocument, QuotesDashesAndEllipsesAreInTheChineseFont) {
  const Package p(export_of(speech(kSpeech)));
  std::vector<std::string> chinese_only;
  for (const auto& found : p.nodes(kDocument, "//w:r[w:rPr/w:rFonts/@w:hint='eastAsia']")) {
    const auto fonts = found.node().child("w:rPr").child("w:rFonts");
    EXPECT_EQ(fonts.attribute("w:ascii").value(),
              std::string(fonts.attribute("w:eastAsia").value()));
    EXPECT_EQ(fonts.attribute("w:hAnsi").value(),
              std::string(fonts.attribute("w:eastAsia").value()));
    chinese_only.push_back(found.node().child("w:t").child_value());
  }
  EXPECT_THAT(chinese_only, ::testing::IsSupersetOf({"“", "”", "——", "……"}));
  // Latin letters and digits are not among them: they keep Times New Roman.
  for (const auto& text : chinese_only)
    EXPECT_EQ(text.find_first_of("0123456789"), std::string::npos);
}

TEST(WordDocument, PageNumbersAreDashedAndAlternateSides) {
  const Package p(export_of(speech(kSpeech)));
  EXPECT_FALSE(p.node("word/settings.xml", "//w:evenAndOddHeaders").empty());
  EXPECT_EQ(p.value(kDocument, "//w:footerReference[@w:type='default']", "r:id"), "rIdFooterOdd");
  EXPECT_EQ(p.value(kDocument, "//w:footerReference[@w:type='even']", "r:id"), "rIdFooterEven");
  EXPECT_EQ(p.value("word/_rels/document.xml.rels", "//*[@Id='rIdFooterOdd']", "Target"),
            "footer1.xml");
  EXPECT_EQ(p.value("word/_rels/document.xml.rels", "//*[@Id='rIdFooterEven']", "Target"),
            "footer2.xml");
  for (const char* footer : {"word/footer1.xml", "word/footer2.xml"}) {
    std::string text;
    for (const auto& t : p.nodes(footer, "//w:t")) text += t.node().child_value();
    EXPECT_EQ(text, "— 1 —") << footer;  // U+2014 either side of the PAGE field's number
    EXPECT_THAT(std::string(p.node(footer, "//w:instrText").child_value()), HasSubstr("PAGE"));
  }
  EXPECT_EQ(p.value("word/footer1.xml", "//w:pPr/w:jc", "w:val"), "right");
  EXPECT_EQ(p.value("word/footer1.xml", "//w:pPr/w:ind", "w:right"), "280");
  EXPECT_EQ(p.value("word/footer2.xml", "//w:pPr/w:jc", "w:val"), "left");
  EXPECT_EQ(p.value("word/footer2.xml", "//w:pPr/w:ind", "w:left"), "280");
  // 4号 宋体, dashes included, and no squeeze; 7 mm below the block.
  EXPECT_EQ(p.value(kStyles, "//w:style[w:name/@w:val='footer']/w:rPr/w:sz", "w:val"), "28");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Footer']/w:rPr/w:rFonts", "w:ascii"), "宋体");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Footer']/w:rPr/w:rFonts", "w:eastAsia"),
            "宋体");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Footer']/w:rPr/w:spacing", "w:val"), "0");
  const int footer = std::stoi(p.value(kDocument, "//w:sectPr/w:pgMar", "w:footer"));
  EXPECT_NEAR(kWordMarginBottom - footer - 280, 7 * 1440 / 25.4, 1);
}

TEST(WordDocument, TheClosingDateIsRightAlignedFourCharactersInUnderItsSignature) {
  const Package p(export_of(speech(kSpeech)));
  EXPECT_EQ(style_of_paragraph(p, "2024年3月15日"), "Date");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Date']/w:pPr/w:jc", "w:val"), "right");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Date']/w:pPr/w:ind", "w:rightChars"), "400");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='Date']/w:pPr/w:ind", "w:right"), "1280");
  // 市人民政府 (5 characters) centred over the date (10): 4 + 2.5 characters in.
  EXPECT_EQ(style_of_paragraph(p, "市人民政府"), "Signature");
  EXPECT_EQ(
      p.value(kDocument, "//w:p[w:pPr/w:pStyle/@w:val='Signature']/w:pPr/w:ind", "w:rightChars"),
      "650");
  // Chinese numerals and a 模板版's X's are dates too; a text that ends in a sentence has none.
  for (const char* date : {"二〇二四年三月十五日", "X年X月X日", "XXXX年X月X日"}) {
    const Package dated(export_of(speech(std::string("正文一段。\n") + date)));
    EXPECT_EQ(style_of_paragraph(dated, date), "Date") << date;
  }
  const Package undated(export_of(speech("正文一段。\n最后一段写于2024年3月15日。")));
  EXPECT_TRUE(undated.node(kDocument, "//w:pStyle[@w:val='Date']").empty());
  EXPECT_TRUE(undated.node(kDocument, "//w:pStyle[@w:val='Signature']").empty());
}

TEST(WordDocument, FontsHaveStandInsForMachinesWithoutTheGbFonts) {
  const Package p(export_of(speech(kSpeech)));
  const std::string fang_song =
      p.value("word/fontTable.xml", "//w:font[@w:name='仿宋_GB2312']/w:altName", "w:val");
  EXPECT_THAT(fang_song, HasSubstr("FangSong"));
  EXPECT_THAT(fang_song, HasSubstr("STFangsong"));
  EXPECT_EQ(p.value("word/fontTable.xml", "//w:font[@w:name='仿宋_GB2312']/w:charset", "w:val"),
            "86");
  for (const char* font : {"楷体_GB2312", "黑体", "宋体", "方正小标宋简体"}) {
    const std::string xpath = std::string("//w:font[@w:name='") + font + "']/w:altName";
    EXPECT_FALSE(p.value("word/fontTable.xml", xpath.c_str(), "w:val").empty()) << font;
  }
  EXPECT_THAT(p.value("word/fontTable.xml", "//w:font[@w:name='楷体_GB2312']/w:altName", "w:val"),
              HasSubstr("KaiTi"));
  EXPECT_THAT(p.value("word/fontTable.xml", "//w:font[@w:name='黑体']/w:altName", "w:val"),
              HasSubstr("SimHei"));
}

TEST(WordDocument, ImportingTheFileGivesBackTheTitleParagraphsAndDate) {
  const Speech s = speech(kSpeech + "\n<b>&amp; 特殊字符 \"引号\" 'single' & < >");
  const Parsed back = parse_docx(export_of(s), "back.docx");
  ASSERT_TRUE(back.doc) << back.error;
  EXPECT_EQ(back.doc->title, s.d.title);
  EXPECT_EQ(back.doc->content, s.d.content);
  EXPECT_EQ(back.doc->date, "2024-03-15");
}

TEST(WordDocument, CharactersXmlForbidsAreLeftOutAndTabsKept) {
  const Speech s = speech("第一段\x01有控制字符\x1b。\n第二段\t有制表符。");
  const std::string bytes = export_of(s);
  const Package p(bytes);  // every part parses
  const Parsed back = parse_docx(bytes, "back.docx");
  ASSERT_TRUE(back.doc) << back.error;
  EXPECT_EQ(back.doc->content, "第一段有控制字符。\n第二段 有制表符。");
  EXPECT_FALSE(p.node(kDocument, "//w:tab").empty());
}

TEST(WordDocument, TheTemplateVersionKeepsItsXsPlain) {
  const Speech s = speech("XX市XX局召开会议，XXX同志出席。\nX年X月X日");
  const Package p(export_of(s));
  EXPECT_TRUE(p.node(kDocument, "//w:highlight").empty());
  EXPECT_TRUE(p.node(kDocument, "//w:shd").empty());
  EXPECT_EQ(style_of_paragraph(p, "XX市XX局"), "BodyText");
}

TEST(WordTasks, IsALandscapeTableWithARepeatedHeaderRow) {
  doc::TaskRow row;
  row.section = "一、扎实推进重点任务";
  row.task = "稳定粮食生产";
  row.lead_unit = "市农业农村局";
  row.partners = {"市发改委", "市财政局"};
  row.deadline = "2024年底前";
  row.para = 7;
  const Package p(word_tasks("在全市乡村振兴工作会议上的讲话", {row}));
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgSz", "w:orient"), "landscape");
  EXPECT_EQ(p.value(kDocument, "//w:sectPr/w:pgSz", "w:w"), "16838");
  EXPECT_EQ(style_of_paragraph(p, "在全市乡村振兴工作会议上的讲话任务分解表"), "Title");
  EXPECT_EQ(p.nodes(kDocument, "//w:tbl/w:tblGrid/w:gridCol").size(), 9u);
  int width = 0;  // the columns fill the landscape block
  for (const auto& column : p.nodes(kDocument, "//w:tbl/w:tblGrid/w:gridCol")) {
    width += column.node().attribute("w:w").as_int();
  }
  EXPECT_LE(width, kWordPageHeight - kWordMarginTop - kWordMarginBottom);
  EXPECT_GE(width, kWordPageHeight - kWordMarginTop - kWordMarginBottom - 9);
  EXPECT_EQ(p.nodes(kDocument, "//w:tbl/w:tr").size(), 2u);
  EXPECT_FALSE(p.node(kDocument, "//w:tbl/w:tr[1]/w:trPr/w:tblHeader").empty());
  std::vector<std::string> cells;
  for (const auto& tc : p.nodes(kDocument, "//w:tbl/w:tr[2]/w:tc")) {
    std::string text;
    for (const auto& t : tc.node().select_nodes(".//w:t")) text += t.node().child_value();
    cells.push_back(text);
  }
  EXPECT_EQ(cells, task_cells(row, 0));
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='TableHeading']/w:rPr/w:rFonts", "w:eastAsia"),
            "黑体");
  EXPECT_EQ(p.value(kStyles, "//w:style[@w:styleId='TableText']/w:rPr/w:rFonts", "w:eastAsia"),
            "仿宋_GB2312");
  EXPECT_THAT(p.names(), ::testing::Contains("word/footer1.xml"));
}

TEST(WordDocument, PackageHasTheContentTypesFirstAndEveryPartDeclared) {
  const Package p(export_of(speech(kSpeech)));
  ASSERT_FALSE(p.names().empty());
  EXPECT_EQ(p.names().front(), "[Content_Types].xml");
  for (const auto& name : p.names()) {
    if (name.ends_with(".rels") || name == "[Content_Types].xml") continue;
    const std::string xpath = "//*[@PartName='/" + name + "']";
    EXPECT_FALSE(p.node("[Content_Types].xml", xpath.c_str()).empty()) << name;
  }
  EXPECT_THAT(p.names(), Not(::testing::Contains("word/numbering.xml")));
}

// Where each element may stand among its siblings (ECMA-376 part 1, the sequences of CT_PPr,
// CT_RPr, CT_SectPr, CT_Style, CT_Settings, CT_TblPr, CT_Font as far as we write them): Word
// refuses a file whose elements are out of order, LibreOffice does not, so only this catches it.
const std::map<std::string, std::vector<std::string>>& schema_orders() {
  static const std::map<std::string, std::vector<std::string>> orders = {
      {"w:pPr",
       {"w:pStyle", "w:keepNext", "w:keepLines", "w:widowControl", "w:snapToGrid", "w:spacing",
        "w:ind", "w:jc", "w:outlineLvl", "w:rPr"}},
      {"w:rPr",
       {"w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:color", "w:spacing", "w:sz", "w:szCs",
        "w:highlight", "w:lang"}},
      {"w:sectPr",
       {"w:headerReference", "w:footerReference", "w:pgSz", "w:pgMar", "w:cols", "w:docGrid"}},
      {"w:style", {"w:name", "w:basedOn", "w:next", "w:qFormat", "w:pPr", "w:rPr", "w:tblPr"}},
      {"w:settings",
       {"w:defaultTabStop", "w:evenAndOddHeaders", "w:characterSpacingControl", "w:compat",
        "w:themeFontLang"}},
      {"w:tblPr", {"w:tblStyle", "w:tblW", "w:tblBorders", "w:tblLayout", "w:tblCellMar"}},
      {"w:font", {"w:altName", "w:panose1", "w:charset", "w:family", "w:pitch"}},
      {"w:tc", {"w:tcPr", "w:p"}},
      {"w:tr", {"w:trPr", "w:tc"}},
  };
  return orders;
}

// Every element of `package` whose order the schema fixes, checked; how many were.
int check_schema_order(const Package& package) {
  int checked = 0;
  for (const auto& name : package.names()) {
    if (!name.starts_with("word/") || name.ends_with(".rels")) continue;
    for (const auto& [element, order] : schema_orders()) {
      for (const auto& found : package.nodes(name, ("//" + element).c_str())) {
        std::size_t last = 0;
        for (const auto& child : found.node().children()) {
          const auto at = std::ranges::find(order, std::string(child.name()));
          EXPECT_NE(at, order.end()) << name << ": " << child.name() << " in " << element
                                     << " is not in the test's list: add it in schema order";
          if (at == order.end()) continue;
          const auto index = static_cast<std::size_t>(at - order.begin());
          EXPECT_GE(index, last) << name << ": " << child.name() << " after " << order[last]
                                 << " in " << element;
          last = std::max(last, index);
        }
        ++checked;
      }
    }
  }
  return checked;
}

TEST(WordDocument, ElementsAreInTheOrderTheSchemaFixes) {
  EXPECT_GT(check_schema_order(Package(export_of(speech(kSpeech)))), 50);
  doc::TaskRow row;
  row.task = "稳定粮食生产";
  EXPECT_GT(check_schema_order(Package(word_tasks("讲话", {row}))), 50);
}

}  // namespace
}  // namespace wenku::io
