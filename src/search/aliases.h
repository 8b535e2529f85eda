// Abbreviations and aliases of 公文 (人大 = 人民代表大会, 十九大 = 第十九次全国代表大会, 2019 =
// 2019年): the forms query reading adds to a typed word so that a search for one form also
// finds documents that use another.
//
// Two sources of forms:
//  - the hand-written table dict/aliases.utf8 (see dict/README.md): groups of equivalent
//    forms, one group per line;
//  - numeral rules, built in, that need no table (a congress, a plenum, a five-year plan, a
//    year, an ordinal with Arabic or Chinese numerals).
//
// Two-part forms: a variant that holds single spaces (U+0020) stands for several words that
// must all occur, anywhere in the document and in any order: 两会 has the variant
// "全国人大 全国政协", 纪委监委 has "纪律检查委员会 监察委员会". In the table such a form is
// written with '+' between its parts (全国人大+全国政协). A two-part form is only ever a
// variant: find() never reports it as a form typed in a run. No other variant holds a space.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::search {

// One known form found in a typed run of Chinese.
struct AliasMatch {
  std::size_t begin = 0, end = 0;     // byte span of the form in the run
  std::vector<std::string> variants;  // the other forms to search for it, normalize_key'd,
                                      // never the form itself; at most Aliases::kMaxVariants
};

class Aliases {
 public:
  // An empty table (numeral rules still apply).
  Aliases();

  // Reads `dict_dir`/aliases.utf8: lines starting with '#' and blank lines are skipped; every
  // other line is a group of equivalent forms separated by spaces or tabs, a form of several
  // parts written part+part. Every form goes through text::normalize_key; forms that become
  // equal are one form. Throws std::runtime_error naming the file and line ("PATH:LINE: what")
  // for a malformed line: not valid UTF-8, fewer than two distinct forms, more than
  // kMaxVariants + 1 forms, no form of one part, an empty part. Throws std::runtime_error
  // naming the file when it cannot be read. A form in several groups gets the variants of all
  // of them (in file order, the first kMaxVariants). Takes under a millisecond for the shipped
  // table (~200 groups), plus the first normalize_key call of the process.
  static Aliases load(const std::filesystem::path& dict_dir);

  // Known forms in `run` (a run of text the user typed, already normalize_key'd, valid UTF-8),
  // leftmost-longest, non-overlapping, in order. At each position the longest form of the
  // table or of the rules wins (the table on a tie); a form made of ASCII letters or digits at
  // an end is not found inside a longer ASCII word (gdp in gdpr). Forms are found anywhere in
  // the run, also inside a longer word (人大 in 个人大数据): query reading should search the
  // typed text as well as the variants. The numeral rules (N: Chinese or Arabic numerals; the
  // variants use the Chinese numerals as written in 公文, 十九 not 一十九):
  //   congress, N = 11..29 (十大 and below are too often not a congress):
  //     [党的|中共|中国共产党]十九大, 19大, 第十九次全国代表大会, 第19次全国代表大会
  //     -> 十九大, 第十九次全国代表大会;
  //   plenum, N = 1..99, M = 1..9:
  //     [党的|中共|中国共产党][第]十九届四中全会, 19届4中全会,
  //     [第]十九届中央委员会第四次全体会议 -> 十九届四中全会, 第十九届中央委员会第四次全体会议;
  //   five-year plan, N = 11..19: 十四五, [第]十四个五年规划 -> 十四五, 第十四个五年规划;
  //   year 1900..2099: 2019, 2019年, 二〇一九年 (or 二零一九年) -> 2019, 2019年, 二〇一九年;
  //     four Arabic digits are a year only when no digit, '.' or 第 comes before them and no
  //     digit, '.', '%' or quantity word (万, 元, 个, 人 …) after them;
  //   ordinal, N = 1..99999: 第19次 <-> 第十九次, and likewise before 届, 条, 章.
  // Each rule's variants are its canonical forms other than the typed text.
  // Thread-safe (const). Speed (Release, one core): 0.2 to 2 microseconds for a query of 5 to
  // 30 characters; allocates only the result.
  std::vector<AliasMatch> find(std::string_view run) const;

  static constexpr std::size_t kMaxVariants = 6;

  // Number of distinct forms the table knows (forms of one part; 0 for an empty table).
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    char32_t first = 0;  // first code point of `form`
    std::string form;
    std::vector<std::string> variants;
  };
  // Sorted by first code point, then longest form first: the forms that start at a position
  // are one binary search away, the longest tried first.
  std::vector<Entry> entries_;
};

}  // namespace wenku::search
