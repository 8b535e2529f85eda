#include "search/pinyin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <thread>
#include <vector>

namespace wenku::search {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One table for the whole suite: creating ICU's transliterator takes a tenth of a second.
const PinyinTable& table() {
  static const PinyinTable instance;
  return instance;
}

// complete() over `titles` with a generous limit.
std::vector<std::size_t> complete(const std::vector<std::string>& titles, std::string_view typed,
                                  std::size_t limit = 100) {
  return PinyinTitles(table(), titles).complete(typed, limit);
}

TEST(PinyinTableTest, OneToneLessSyllablePerHanCharacter) {
  EXPECT_THAT(table().syllables("政府工作报告"),
              ElementsAre("zheng", "fu", "gong", "zuo", "bao", "gao"));
  // Asked again, from the cache.
  EXPECT_THAT(table().syllables("报告政府"), ElementsAre("bao", "gao", "zheng", "fu"));
}

TEST(PinyinTableTest, AsciiRunIsOneLowercasedUnit) {
  EXPECT_THAT(table().syllables("2019年GDP报告"), ElementsAre("2019", "nian", "gdp", "bao", "gao"));
  EXPECT_THAT(table().syllables("5G网络"), ElementsAre("5g", "wang", "luo"));
  EXPECT_THAT(table().syllables("Covid19"), ElementsAre("covid19"));
}

TEST(PinyinTableTest, FullWidthLettersAndDigitsCountAsAscii) {
  EXPECT_THAT(table().syllables("ＧＤＰ２０２４ａ年"), ElementsAre("gdp2024a", "nian"));
}

TEST(PinyinTableTest, PunctuationAndSpacesGiveNothingAndEndARun) {
  EXPECT_THAT(table().syllables("《政府》 工作，"), ElementsAre("zheng", "fu", "gong", "zuo"));
  EXPECT_THAT(table().syllables("a-b c（d）"), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(table().syllables("é"), IsEmpty());
  // A Han character ICU has no Latin reading for (the iteration mark 々 comes back as is).
  EXPECT_THAT(table().syllables("人々"), ElementsAre("ren"));
  EXPECT_THAT(table().syllables("，。！ ——"), IsEmpty());
  EXPECT_THAT(table().syllables(""), IsEmpty());
}

TEST(PinyinTableTest, InvalidBytesAreSkipped) {
  EXPECT_THAT(table().syllables("ab\xff\xfe"
                                "cd政"),
              ElementsAre("ab", "cd", "zheng"));
}

TEST(PinyinTableTest, SafeToCallFromSeveralThreads) {
  const PinyinTable fresh;  // an empty cache, filled by the threads at once
  const std::string text = "中华人民共和国国务院政府工作报告关于决议";
  const std::vector<std::string> expected = PinyinTable().syllables(text);
  ASSERT_EQ(expected.size(), 20u);
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&fresh, &text, &result] {
      for (int i = 0; i < 50; ++i) result = fresh.syllables(text);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(PinyinTitlesTest, LooksLikePinyin) {
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin("zfgzbg"));
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin("ZhengFu"));
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin("zheng fu gong'zuo"));
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin("2019nian"));
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin("zf"));
  EXPECT_TRUE(PinyinTitles::looks_like_pinyin(std::string(64, 'z')));

  EXPECT_FALSE(PinyinTitles::looks_like_pinyin(""));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("z"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin(" z ' "));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("2019"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("政府"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("zheng政府"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("zf-gz"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin("ｚｆ"));
  EXPECT_FALSE(PinyinTitles::looks_like_pinyin(std::string(65, 'z')));
}

const std::vector<std::string> kReports = {"无关的标题", "2024年政府工作报告", "关于工作的通知"};

TEST(PinyinTitlesTest, FullPinyinFindsTitle) {
  EXPECT_THAT(complete(kReports, "zhengfugongzuobaogao"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "gongzuobaogao"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "baogao"), ElementsAre(1));
  // Case, spaces and apostrophes do not matter.
  EXPECT_THAT(complete(kReports, "Zheng Fu Gong'Zuo"), ElementsAre(1));
}

TEST(PinyinTitlesTest, PrefixOfFullPinyinFindsTitle) {
  EXPECT_THAT(complete(kReports, "zhengfugongzuob"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "zhengfugongzuobaoga"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "zhengfug"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "zhen"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "gongzuo"), ElementsAre(1, 2));
  EXPECT_THAT(complete(kReports, "zhengfugongzuobaogaox"), IsEmpty());
}

TEST(PinyinTitlesTest, InitialsFindTitle) {
  EXPECT_THAT(complete(kReports, "zfgzbg"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "ZFGZ"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "gzbg"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "zf"), ElementsAre(1));
  EXPECT_THAT(complete(kReports, "gzdtz"), ElementsAre(2));
  EXPECT_THAT(complete(kReports, "zfgzbgx"), IsEmpty());
  EXPECT_THAT(complete(kReports, "zfbg"), IsEmpty());  // not consecutive
}

TEST(PinyinTitlesTest, NoMatchStartingInsideASyllable) {
  // zhengfugongzuobaogao holds hengfu, engfugongzuo, ngfugong and aogao, but not where a
  // syllable starts. The other titles have units starting with he, en, ng and ao, so that the
  // first two letters alone do not rule these out.
  const std::vector<std::string> titles = {"政府工作报告", "和平恩情奥运", "NGO"};
  ASSERT_THAT(table().syllables(titles[1]), ElementsAre("he", "ping", "en", "qing", "ao", "yun"));
  EXPECT_THAT(complete(titles, "hengfu"), IsEmpty());
  EXPECT_THAT(complete(titles, "engfugongzuo"), IsEmpty());
  EXPECT_THAT(complete(titles, "ngfugong"), IsEmpty());
  EXPECT_THAT(complete(titles, "aogao"), IsEmpty());
  EXPECT_THAT(complete(titles, "henfu"), IsEmpty());
  EXPECT_THAT(complete(titles, "heping"), ElementsAre(1));
  EXPECT_THAT(complete(titles, "ngo"), ElementsAre(2));
  // Nor inside an ASCII unit, in either form.
  const std::vector<std::string> gdp = {"GDP报告", "DP"};
  EXPECT_THAT(complete(gdp, "gdpbg"), ElementsAre(0));
  EXPECT_THAT(complete(gdp, "gdpbao"), ElementsAre(0));
  EXPECT_THAT(complete(gdp, "dp"), ElementsAre(1));
  EXPECT_THAT(complete(gdp, "dpbg"), IsEmpty());
  EXPECT_THAT(complete(gdp, "dpbao"), IsEmpty());
}

TEST(PinyinTitlesTest, TitleWithDigits) {
  const std::vector<std::string> titles = {"2024年政府工作报告", "02号", "第4年"};
  EXPECT_THAT(complete(titles, "2024nianzhengfu"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "2024nzfgzbg"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "2024n"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "nianzhengfu"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "nzfgz"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "02hao"), ElementsAre(1));
  EXPECT_THAT(complete(titles, "4nian"), ElementsAre(2));  // not inside 2024
  EXPECT_THAT(complete(titles, "024nianzhengfu"), IsEmpty());
  EXPECT_THAT(complete(titles, "2023nianzhengfu"), IsEmpty());
}

TEST(PinyinTitlesTest, PunctuationBetweenCharactersIsSkipped) {
  const std::vector<std::string> titles = {"关于《政府工作报告》的决议"};
  EXPECT_THAT(complete(titles, "guanyuzhengfu"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "gyzfgzbgdjy"), ElementsAre(0));
  EXPECT_THAT(complete(titles, "baogaodejueyi"), ElementsAre(0));
}

TEST(PinyinTitlesTest, NoMatchAcrossTitles) {
  // The first title ends in zheng, the next starts with fu: no zhengfu.
  const std::vector<std::string> titles = {"行政", "府"};
  ASSERT_THAT(table().syllables("行政府"), ElementsAre("xing", "zheng", "fu"));
  EXPECT_THAT(complete(titles, "zhengfu"), IsEmpty());
  EXPECT_THAT(complete(titles, "xzf"), IsEmpty());
  EXPECT_THAT(complete(titles, "zf"), IsEmpty());
}

TEST(PinyinTitlesTest, TitlesOrderAndLimitAreRespected) {
  const std::vector<std::string> titles = {"政府工作报告解读", "无关", "2024年政府工作报告",
                                           "政府工作",         "其他", "政府工作报告"};
  EXPECT_THAT(complete(titles, "zfgz", 10), ElementsAre(0, 2, 3, 5));
  EXPECT_THAT(complete(titles, "zhengfugongzuo", 10), ElementsAre(0, 2, 3, 5));
  EXPECT_THAT(complete(titles, "zfgz", 3), ElementsAre(0, 2, 3));
  EXPECT_THAT(complete(titles, "zhengfugongzuo", 1), ElementsAre(0));
  EXPECT_THAT(complete(titles, "zfgz", 0), IsEmpty());
}

TEST(PinyinTitlesTest, FullAndInitialsMatchesAreMergedInOrder) {
  // "an": the initials of 爱你 (ai ni), the full pinyin of 安全 (an quan), both of 阿牛 (a niu)
  // and 安宁 (an ning), which come once; 关爱 (guan ai) holds "an" only inside guan.
  const std::vector<std::string> titles = {"爱你", "关爱", "安全", "阿牛", "安宁"};
  ASSERT_THAT(table().syllables("爱你关爱安全阿牛安宁"),
              ElementsAre("ai", "ni", "guan", "ai", "an", "quan", "a", "niu", "an", "ning"));
  EXPECT_THAT(complete(titles, "an", 10), ElementsAre(0, 2, 3, 4));
  EXPECT_THAT(complete(titles, "an", 3), ElementsAre(0, 2, 3));
  EXPECT_THAT(complete(titles, "an", 2), ElementsAre(0, 2));
  EXPECT_THAT(complete(titles, "an", 1), ElementsAre(0));
}

// complete() against a plain check of each title, for every key starting at or just after a
// unit start of some title (limited to 64 characters, as typed input is).
TEST(PinyinTitlesTest, AgreesWithAPlainCheckOfEachTitle) {
  const std::vector<std::string> titles = {"2025年中华人民共和国国务院政府工作报告",
                                           "关于《政府工作报告》的决议",
                                           "GDP报告",
                                           "5G网络建设三年行动计划",
                                           "和平恩情奥运",
                                           "爱你",
                                           "关爱",
                                           "安全",
                                           "阿牛",
                                           "安宁",
                                           "国务院办公厅关于2019年部分节假日安排的通知",
                                           "NGO",
                                           "DP",
                                           "第4年",
                                           "哈阿阿"};  // haaa: aa inside ha and where 阿 starts
  struct Units {
    std::vector<std::string> full;      // the units
    std::vector<std::string> initials;  // their initials: a Han syllable's first letter
  };
  std::vector<Units> units;
  for (const std::string& title : titles) {
    std::string lowered = title;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Units u;
    for (const std::string& unit : table().syllables(title)) {
      const bool ascii = lowered.find(unit) != std::string::npos;
      u.full.push_back(unit);
      u.initials.push_back(ascii ? unit : unit.substr(0, 1));
    }
    units.push_back(std::move(u));
  }
  const auto joined_from = [](const std::vector<std::string>& parts, std::size_t i) {
    std::string out;
    for (; i < parts.size(); ++i) out += parts[i];
    return out;
  };
  const auto matches = [&](const Units& u, const std::string& key) {
    for (std::size_t i = 0; i < u.full.size(); ++i) {
      if (joined_from(u.full, i).starts_with(key)) return true;  // (a)
      if (joined_from(u.initials, i).starts_with(key) && key.size() > u.initials[i].size()) {
        return true;  // (b): at least two units
      }
    }
    return false;
  };
  std::vector<std::string> keys;
  for (const Units& u : units) {
    for (std::size_t i = 0; i < u.full.size(); ++i) {
      for (const std::string& from : {joined_from(u.full, i), joined_from(u.initials, i)}) {
        for (std::size_t skip : {0, 1}) {
          for (std::size_t n = 2; skip + n <= from.size() && n <= 64; ++n) {
            keys.push_back(from.substr(skip, n));
          }
        }
      }
    }
  }
  const PinyinTitles searchable(table(), titles);
  std::size_t found = 0;
  for (const std::string& key : keys) {
    if (!PinyinTitles::looks_like_pinyin(key)) continue;
    std::vector<std::size_t> expected;
    for (std::size_t t = 0; t < titles.size(); ++t) {
      if (matches(units[t], key)) expected.push_back(t);
    }
    found += !expected.empty();
    ASSERT_EQ(searchable.complete(key, titles.size()), expected) << key;
  }
  EXPECT_GT(keys.size(), 2000u);
  EXPECT_GT(found, 1000u);
}

TEST(PinyinTitlesTest, NonPinyinInputGivesNothing) {
  // A title whose full pinyin is 140 letters (zhengfu 20 times) and initials 40 (zf 20 times).
  std::string long_title;
  for (int i = 0; i < 20; ++i) long_title += "政府";
  const std::vector<std::string> titles = {long_title, "2019年", "政府"};
  std::string full;
  for (int i = 0; i < 10; ++i) full += "zhengfu";  // 70 letters
  EXPECT_THAT(complete(titles, full.substr(0, 64)), ElementsAre(0));
  EXPECT_THAT(complete(titles, full.substr(0, 65)), IsEmpty());  // too long
  EXPECT_THAT(complete(titles, "政府"), IsEmpty());
  EXPECT_THAT(complete(titles, "zheng府"), IsEmpty());
  EXPECT_THAT(complete(titles, "2019"), IsEmpty());
  EXPECT_THAT(complete(titles, "z"), IsEmpty());
  EXPECT_THAT(complete(titles, ""), IsEmpty());
  EXPECT_THAT(complete(titles, "zheng-fu"), IsEmpty());
  EXPECT_THAT(complete(titles, "zhengfu"), ElementsAre(0, 2));
}

TEST(PinyinTitlesTest, EmptyTitlesAndNoTitles) {
  EXPECT_THAT(complete({}, "zhengfu"), IsEmpty());
  EXPECT_THAT(complete({"", "，", "政府"}, "zhengfu"), ElementsAre(2));
  const PinyinTitles titles(table(), {"政府", "报告"});
  EXPECT_EQ(titles.size(), 2u);
  EXPECT_EQ(titles.title(1), "报告");
}

}  // namespace
}  // namespace wenku::search
