// How a run of Chinese typed without quotes is read: people type `2019年政府工作报告` or
// `乡村振兴讲话`, never with spaces between words. Index::search tries the readings below in
// order (see docs/architecture.md, "Reading a query").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wenku::text {
class Segmenter;
}

namespace wenku::search {

class Aliases;
struct QueryClause;

// The readings of a typed run, in the order they are tried.
enum class Reading {
  kPhrase,    // the run as one exact phrase (what quotes would mean)
  kWords,     // the run cut into words, all of them ANDed, each an exact substring
  kExpanded,  // kWords with 公文 abbreviations and aliases expanded (人大常委会 →
              // 人民代表大会常务委员会)
  kRelaxed,   // most of the words: all but one (any of two)
};

// "phrase", "words", "expanded", "relaxed": the API's `interpretation`.
std::string_view reading_name(Reading reading);

// The short Chinese notice shown when a query was read as `reading`; "" for kPhrase.
std::string_view reading_notice(Reading reading);

// One word of a typed run.
struct RunWord {
  std::string key;  // text::normalize_key'd
  // Other forms of the word (Aliases), searched as alternatives by the expanded reading. A
  // form with a space is a pair of words that must both occur (两会 → 全国人大 全国政协).
  std::vector<std::string> variants;
  // A genre word (讲话, 报告, 条例 …): it matches the document's title or category, not its
  // text, whenever the run has a word that is not one.
  bool genre = false;
  // The year a year word names (2019年, 2019): in a title match, the document's year counts
  // as well as its title. 0 for other words.
  int year = 0;
};

// A typed run, read.
struct TypedRun {
  std::string key;  // the whole run, normalize_key'd: the phrase reading
  // The words of the run in order, without punctuation and function words (的 和 与 及 关于 …),
  // known alias forms kept whole (人大常委会 is one word even where the segmenter cuts it).
  std::vector<RunWord> words;
  // The run with its alias forms replaced by their variants (各级人大常委会监督法 →
  // 各级人民代表大会常务委员会监督法): exact phrases the expanded reading also accepts.
  std::vector<std::string> phrase_variants;
};

// True for the genre words of 公文 (讲话 致辞 报告 总结 心得体会 条例 办法 规定 决定 决议 司法解释
// 案例 …), given normalize_key'd.
bool is_genre_word(std::string_view key);

// True when documents of the category named `category` are of the genre `genre` (both
// normalize_key'd): the name holds the genre word (领导人讲话 for 讲话), or both are of
// speeches (领导人讲话 for 致辞, 演讲, 贺词 …).
bool genre_in_category(std::string_view genre, std::string_view category);

// True when `clause` is a typed run: one unquoted word (QueryTerm::typed), not excluded, not a
// field term, holding a Han character (Latin words, numbers and codes stay exact).
bool is_typed_run(const QueryClause& clause);

// The words of an alias variant: itself, or the parts of a two-part form ("全国人大 全国政协").
std::vector<std::string_view> variant_parts(std::string_view variant);

// Reads `typed` (valid UTF-8 without NUL, as parse_query leaves its terms): normalises it,
// finds its alias forms, segments the text between them and marks genre and year words.
// At most kMaxRunWords words are kept (the rest are dropped from the word readings; the
// phrase reading still holds the whole run). Cost: one segmentation of a short text.
TypedRun read_run(std::string_view typed, const text::Segmenter& segmenter, const Aliases& aliases);

inline constexpr std::size_t kMaxRunWords = 8;

}  // namespace wenku::search
