#include "search/aliases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "testing/test_support.h"
#include "text/normalize.h"

namespace wenku::search {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The shipped table, loaded once.
const Aliases& shipped() {
  static const Aliases aliases = Aliases::load(wenku::testing::dict_dir());
  return aliases;
}

// A compact picture of the matches: "form>variant|variant" per match.
std::vector<std::string> picture(const Aliases& aliases, std::string_view typed) {
  const std::string run = text::normalize_key(typed);
  std::vector<std::string> out;
  for (const AliasMatch& m : aliases.find(run)) {
    std::string p = run.substr(m.begin, m.end - m.begin) + ">";
    for (std::size_t i = 0; i < m.variants.size(); ++i) p += (i > 0 ? "|" : "") + m.variants[i];
    out.push_back(p);
  }
  return out;
}

// The variants of `typed` when the whole of it is one known form; fails the test otherwise.
std::vector<std::string> variants_of(const Aliases& aliases, std::string_view typed) {
  const std::string run = text::normalize_key(typed);
  const std::vector<AliasMatch> matches = aliases.find(run);
  if (matches.size() != 1 || matches[0].begin != 0 || matches[0].end != run.size()) {
    ADD_FAILURE() << typed << " is not one known form: "
                  << ::testing::PrintToString(picture(aliases, typed));
    return {};
  }
  return matches[0].variants;
}

std::vector<std::string> variants_of(std::string_view typed) {
  return variants_of(shipped(), typed);
}

// Writes `contents` as aliases.utf8 in `dir` and loads it; returns the error message.
std::string load_error(const wenku::testing::TempDir& dir, const std::string& contents) {
  wenku::testing::write_file(dir.path() / "aliases.utf8", contents);
  try {
    Aliases::load(dir.path());
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(AliasesTest, ShippedTableLoads) {
  EXPECT_GE(shipped().size(), 150u);
  EXPECT_THAT(variants_of("人大"), Contains("人民代表大会"));
}

TEST(AliasesTest, RendaBothWays) {
  EXPECT_THAT(variants_of("人大"), Contains("人民代表大会"));
  EXPECT_THAT(variants_of("人民代表大会"), Contains("人大"));
  EXPECT_THAT(variants_of("全国人大"), ElementsAre("全国人民代表大会"));
  EXPECT_THAT(variants_of("全国人民代表大会"), ElementsAre("全国人大"));
}

TEST(AliasesTest, RendaChangweihui) {
  EXPECT_THAT(variants_of("人大常委会"), ElementsAre("人民代表大会常务委员会"));
  EXPECT_THAT(variants_of("人民代表大会常务委员会"), ElementsAre("人大常委会"));
  EXPECT_THAT(variants_of("全国人大常委会"), ElementsAre("全国人民代表大会常务委员会"));
  EXPECT_THAT(variants_of("全国人民代表大会常务委员会"), ElementsAre("全国人大常委会"));
}

TEST(AliasesTest, Zhengxie) {
  EXPECT_THAT(variants_of("政协"), UnorderedElementsAre("政治协商会议", "中国人民政治协商会议"));
  EXPECT_THAT(variants_of("中国人民政治协商会议"), UnorderedElementsAre("政协", "政治协商会议"));
  EXPECT_THAT(variants_of("全国政协"), Contains("中国人民政治协商会议全国委员会"));
}

TEST(AliasesTest, Guowuyuan) {
  EXPECT_THAT(variants_of("国务院"), UnorderedElementsAre("中华人民共和国国务院", "中央人民政府"));
  EXPECT_THAT(variants_of("中央人民政府"), UnorderedElementsAre("国务院", "中华人民共和国国务院"));
}

TEST(AliasesTest, Dangdaihui) {
  EXPECT_THAT(variants_of("党代会"), UnorderedElementsAre("党的代表大会", "全国代表大会"));
  EXPECT_THAT(variants_of("党的代表大会"), Contains("党代会"));
}

TEST(AliasesTest, LianghuiIsTwoPartForm) {
  EXPECT_THAT(variants_of("两会"), Contains("全国人大 全国政协"));
  // A two-part form is searched for, never found in what was typed.
  EXPECT_THAT(picture(shipped(), "全国人大 全国政协"),
              ElementsAre("全国人大>全国人民代表大会",
                          "全国政协>中国人民政治协商会议全国委员会|政协全国委员会"));
}

TEST(AliasesTest, Fagaiwei) {
  EXPECT_THAT(variants_of("发改委"), UnorderedElementsAre("发展和改革委员会", "发展改革委"));
  EXPECT_THAT(variants_of("发展改革委"), UnorderedElementsAre("发改委", "发展和改革委员会"));
}

TEST(AliasesTest, JiweiJianweiIsTwoPartForm) {
  EXPECT_THAT(variants_of("纪委监委"), Contains("纪律检查委员会 监察委员会"));
  EXPECT_THAT(variants_of("中纪委"), Contains("中央纪律检查委员会"));
}

TEST(AliasesTest, Baomi) {
  EXPECT_THAT(variants_of("保密"), ElementsAre("保守秘密"));
  EXPECT_THAT(variants_of("保守秘密"), ElementsAre("保密"));
}

TEST(AliasesTest, ZhongyangJingjiGongzuoHuiyi) {
  EXPECT_THAT(variants_of("中央经济工作会议"), Contains("中央经济会议"));
  EXPECT_THAT(variants_of("中央经济会议"), Contains("中央经济工作会议"));
}

TEST(AliasesTest, LianggaoAndTheSupremeBodies) {
  EXPECT_THAT(variants_of("两高"), Contains("最高人民法院 最高人民检察院"));
  EXPECT_THAT(variants_of("最高法"), Contains("最高人民法院"));
  EXPECT_THAT(variants_of("最高检"), Contains("最高人民检察院"));
}

// The other groups named by the issue, one known pair each.
TEST(AliasesTest, EveryGroupOfTheIssue) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"中共中央", "中国共产党中央委员会"},
      {"党中央", "中共中央"},
      {"住建", "住房和城乡建设"},
      {"人社", "人力资源和社会保障"},
      {"卫健委", "卫生健康委员会"},
      {"工信部", "工业和信息化部"},
      {"市场监管", "市场监督管理"},
      {"安监", "安全生产监督管理"},
      {"环保", "环境保护"},
      {"三农", "农业农村农民"},
      {"三农", "农业 农村 农民"},
      {"刑诉法", "刑事诉讼法"},
      {"民诉法", "民事诉讼法"},
      {"行诉法", "行政诉讼法"},
      {"个税", "个人所得税"},
      {"消法", "消费者权益保护法"},
      {"治安处罚法", "治安管理处罚法"},
      {"道交法", "道路交通安全法"},
  };
  for (const auto& [typed, variant] : pairs) {
    EXPECT_THAT(variants_of(typed), Contains(variant)) << typed;
    if (variant.find(' ') == std::string::npos) {
      EXPECT_THAT(variants_of(variant), Contains(typed)) << variant;
    }
  }
}

TEST(AliasesTest, LeftmostLongest) {
  EXPECT_THAT(picture(shipped(), "人大常委会"), ElementsAre("人大常委会>人民代表大会常务委员会"));
  EXPECT_THAT(picture(shipped(), "全国人大常委会全体会议"),
              ElementsAre("全国人大常委会>全国人民代表大会常务委员会", "全体会议>全会"));
  // X部门 (any level) is not the ministry X部.
  EXPECT_THAT(picture(shipped(), "环保部门"), ElementsAre("环保部门>环境保护部门"));
  EXPECT_THAT(picture(shipped(), "环保部"), ElementsAre("环保部>环境保护部"));
  // Leftmost first, then the next form after it.
  const std::string run = "省人大常委会和全国人大";
  const std::vector<AliasMatch> matches = shipped().find(run);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(run.substr(matches[0].begin, matches[0].end - matches[0].begin), "人大常委会");
  EXPECT_EQ(run.substr(matches[1].begin, matches[1].end - matches[1].begin), "全国人大");
  EXPECT_EQ(matches[0].begin, std::string("省").size());
}

TEST(AliasesTest, SeveralFormsInOrder) {
  EXPECT_THAT(picture(shipped(), "十九大关于人大2019年"),
              ElementsAre("十九大>第十九次全国代表大会", "人大>人民代表大会|人代会",
                          "2019年>2019|二〇一九年"));
}

TEST(AliasesTest, RunWithoutForms) {
  EXPECT_THAT(shipped().find("高质量发展"), IsEmpty());
  EXPECT_THAT(shipped().find(""), IsEmpty());
  EXPECT_THAT(shipped().find("abc 123"), IsEmpty());
}

TEST(AliasesTest, CongressShiXDa) {
  EXPECT_THAT(variants_of("十九大"), ElementsAre("第十九次全国代表大会"));
  EXPECT_THAT(variants_of("第十九次全国代表大会"), ElementsAre("十九大"));
  EXPECT_THAT(variants_of("二十大"), ElementsAre("第二十次全国代表大会"));
  EXPECT_THAT(variants_of("十八大"), ElementsAre("第十八次全国代表大会"));
  EXPECT_THAT(variants_of("党的十九大"), ElementsAre("十九大", "第十九次全国代表大会"));
  EXPECT_THAT(variants_of("中国共产党第二十次全国代表大会"),
              ElementsAre("二十大", "第二十次全国代表大会"));
  // 十大 (the top ten) and 三十九大 are not congresses.
  EXPECT_THAT(shipped().find("十大"), IsEmpty());
  EXPECT_THAT(shipped().find("三十九大"), IsEmpty());
}

TEST(AliasesTest, CongressArabic) {
  EXPECT_THAT(variants_of("19大"), ElementsAre("十九大", "第十九次全国代表大会"));
  EXPECT_THAT(variants_of("第20次全国代表大会"), ElementsAre("二十大", "第二十次全国代表大会"));
  EXPECT_THAT(shipped().find("119大"), IsEmpty());
}

TEST(AliasesTest, Plenum) {
  EXPECT_THAT(variants_of("十九届四中全会"), ElementsAre("第十九届中央委员会第四次全体会议"));
  EXPECT_THAT(variants_of("第十九届中央委员会第四次全体会议"), ElementsAre("十九届四中全会"));
  EXPECT_THAT(variants_of("二十届三中全会"), ElementsAre("第二十届中央委员会第三次全体会议"));
  EXPECT_THAT(variants_of("党的十九届四中全会"),
              ElementsAre("十九届四中全会", "第十九届中央委员会第四次全体会议"));
  EXPECT_THAT(variants_of("中国共产党第十九届中央委员会第四次全体会议"),
              ElementsAre("十九届四中全会", "第十九届中央委员会第四次全体会议"));
  EXPECT_THAT(variants_of("19届4中全会"),
              ElementsAre("十九届四中全会", "第十九届中央委员会第四次全体会议"));
}

TEST(AliasesTest, FiveYearPlan) {
  EXPECT_THAT(variants_of("十四五"), ElementsAre("第十四个五年规划"));
  EXPECT_THAT(variants_of("第十四个五年规划"), ElementsAre("十四五"));
  EXPECT_THAT(variants_of("十一五"), ElementsAre("第十一个五年规划"));
  EXPECT_THAT(variants_of("十五五"), ElementsAre("第十五个五年规划"));
  EXPECT_THAT(picture(shipped(), "十四五规划"), ElementsAre("十四五>第十四个五年规划"));
  EXPECT_THAT(shipped().find("十五"), IsEmpty());
}

TEST(AliasesTest, YearArabic) {
  EXPECT_THAT(variants_of("2019"), ElementsAre("2019年", "二〇一九年"));
  EXPECT_THAT(variants_of("2019年"), ElementsAre("2019", "二〇一九年"));
  EXPECT_THAT(variants_of("２０１９年"), ElementsAre("2019", "二〇一九年"));  // full-width typed
  // Quantities and longer numbers are not years.
  EXPECT_THAT(shipped().find("2000万"), IsEmpty());
  EXPECT_THAT(shipped().find("20190"), IsEmpty());
  EXPECT_THAT(shipped().find("12019"), IsEmpty());
  EXPECT_THAT(shipped().find("1800年"), IsEmpty());
}

TEST(AliasesTest, YearChinese) {
  EXPECT_THAT(variants_of("二〇一九年"), ElementsAre("2019", "2019年"));
  EXPECT_THAT(variants_of("二零二三年"), ElementsAre("2023", "2023年", "二〇二三年"));
  EXPECT_THAT(shipped().find("二〇一九"), IsEmpty());  // without 年 it could be any number
}

TEST(AliasesTest, OrdinalArabicAndChinese) {
  EXPECT_THAT(variants_of("第19次"), ElementsAre("第十九次"));
  EXPECT_THAT(variants_of("第十九次"), ElementsAre("第19次"));
  EXPECT_THAT(variants_of("第19届"), ElementsAre("第十九届"));
  EXPECT_THAT(variants_of("第105条"), ElementsAre("第一百零五条"));
  EXPECT_THAT(variants_of("第一千零一十条"), ElementsAre("第1010条"));
  EXPECT_THAT(variants_of("第3章"), ElementsAre("第三章"));
  EXPECT_THAT(variants_of("第二十章"), ElementsAre("第20章"));
  EXPECT_THAT(shipped().find("第19号"), IsEmpty());
}

TEST(AliasesTest, VariantsAreKeysNeverTheFormAndFew) {
  const std::vector<std::string> runs = {"两会",   "人大常委会",       "十九大",  "党的十九大",
                                         "2019",   "二〇一九年",       "第105条", "十九届四中全会",
                                         "十四五", "中央纪委国家监委", "gdp"};
  for (const std::string& run : runs) {
    for (const AliasMatch& m : shipped().find(run)) {
      EXPECT_LE(m.variants.size(), Aliases::kMaxVariants) << run;
      for (const std::string& v : m.variants) {
        EXPECT_EQ(text::normalize_key(v), v) << run;
        EXPECT_NE(v, run.substr(m.begin, m.end - m.begin)) << run;
      }
    }
  }
}

TEST(AliasesTest, AsciiFormsAreWholeWords) {
  EXPECT_THAT(variants_of("GDP"), ElementsAre("国内生产总值"));
  EXPECT_THAT(picture(shipped(), "gdp增速"), ElementsAre("gdp>国内生产总值"));
  EXPECT_THAT(shipped().find("gdpr"), IsEmpty());
  EXPECT_THAT(shipped().find("xgdp"), IsEmpty());
  // Also after a match that ends in a digit.
  EXPECT_THAT(picture(shipped(), "2019gdp"), ElementsAre("2019>2019年|二〇一九年"));
}

TEST(AliasesTest, EmptyTableKeepsTheNumeralRules) {
  const Aliases empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_THAT(empty.find("人大"), IsEmpty());
  EXPECT_THAT(variants_of(empty, "十九大"), ElementsAre("第十九次全国代表大会"));
}

TEST(AliasesTest, LoadsATable) {
  const wenku::testing::TempDir dir;
  wenku::testing::write_file(dir.path() / "aliases.utf8",
                             "\xEF\xBB\xBF# a comment\n"
                             "\n"
                             "  # an indented comment\n"
                             "# Traditional and full-width forms fold\n"
                             "甲乙會\t丙丁  ＡＢ\r\n"
                             "# two parts\n"
                             "戊 己+庚 己+庚\n"
                             "# 甲乙会 again: its variants add up\n"
                             "甲乙会 辛\n");
  const Aliases aliases = Aliases::load(dir.path());
  EXPECT_EQ(aliases.size(), 5u);  // 甲乙会 丙丁 ab 戊 辛
  EXPECT_THAT(variants_of(aliases, "甲乙会"), ElementsAre("丙丁", "ab", "辛"));
  EXPECT_THAT(variants_of(aliases, "AB"), ElementsAre("甲乙会", "丙丁"));
  EXPECT_THAT(variants_of(aliases, "戊"), ElementsAre("己 庚"));
  EXPECT_THAT(aliases.find("己庚"), IsEmpty());
}

TEST(AliasesTest, TableWinsATieWithARule) {
  const wenku::testing::TempDir dir;
  wenku::testing::write_file(dir.path() / "aliases.utf8", "十九大 某某\n");
  const Aliases aliases = Aliases::load(dir.path());
  EXPECT_THAT(variants_of(aliases, "十九大"), ElementsAre("某某"));
  // A longer rule match still wins.
  EXPECT_THAT(variants_of(aliases, "党的十九大"), ElementsAre("十九大", "第十九次全国代表大会"));
}

TEST(AliasesTest, LoadErrorMissingFile) {
  const wenku::testing::TempDir dir;
  try {
    Aliases::load(dir.path());
    FAIL() << "loaded a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir.path() / "aliases.utf8").string()));
  }
}

TEST(AliasesTest, LoadErrorGroupOfOneForm) {
  const wenku::testing::TempDir dir;
  const std::string file = (dir.path() / "aliases.utf8").string();
  EXPECT_THAT(load_error(dir, "# ok\n甲 乙\n# one form\n丙\n"), HasSubstr(file + ":4:"));
  EXPECT_THAT(load_error(dir, "甲 甲\n"), HasSubstr(file + ":1:"));  // the same form twice
  EXPECT_THAT(load_error(dir, "甲 甲\n"), HasSubstr("two different forms"));
  EXPECT_THAT(load_error(dir, "甲+乙 丙+丁\n"), HasSubstr(file + ":1:"));  // nothing to find
  EXPECT_THAT(load_error(dir, "甲 乙+\n"), HasSubstr(file + ":1: empty part"));
  EXPECT_THAT(load_error(dir, "a b c d e f g h\n"), HasSubstr(file + ":1: a group has at most 7"));
  EXPECT_EQ(load_error(dir, "a b c d e f g\n"), "(loaded)");
  // An ideographic space is no separator, and a form may hold no space.
  EXPECT_THAT(load_error(dir, "甲\u3000乙 丙\n"),
              HasSubstr(file + ":1: '甲\u3000乙' holds a space"));
}

TEST(AliasesTest, LoadErrorInvalidUtf8) {
  const wenku::testing::TempDir dir;
  const std::string file = (dir.path() / "aliases.utf8").string();
  EXPECT_THAT(load_error(dir, "# ok\n甲 乙\n丙 \xE4\xB8\n"),
              HasSubstr(file + ":3: not valid UTF-8"));
  EXPECT_THAT(load_error(dir, "甲 乙\n# \xFF in a comment is invalid too\n"),
              HasSubstr(file + ":2: not valid UTF-8"));
}

TEST(AliasesTest, FindsEveryFormOfALongRun) {
  const std::string run = text::normalize_key("全国人大常委会关于十四五规划2021年第19条的决定");
  EXPECT_EQ(shipped().find(run).size(), 4u);
}

}  // namespace
}  // namespace wenku::search
