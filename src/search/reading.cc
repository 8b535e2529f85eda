#include "search/reading.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include <unicode/uchar.h>

#include "search/aliases.h"
#include "search/index.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/utf8.h"

namespace wenku::search {

namespace {

// The kinds of 公文 a writer names when asking for one (乡村振兴讲话, 上海口岸条例): they
// describe the document, so they are matched against its title and category.
constexpr std::string_view kGenreWords[] = {
    "公报", "决定",     "决议",     "发言", "司法解释", "实施细则", "工作总结", "工作报告",
    "心得", "心得体会", "意见",     "总结", "批复",     "报告",     "方案",     "条例",
    "案例", "演讲",     "致辞",     "规划", "规定",     "讲稿",     "讲话",     "讲话稿",
    "贺信", "贺词",     "述职报告", "通知", "办法",     "细则",
};

// Words that carry no meaning of their own in a typed run (关于 of a title, 的 of a phrase)
// and words about the file rather than the text (全文, 范文, 下载 …: 二十大报告全文); dropped
// from the word readings.
constexpr std::string_view kFunctionWords[] = {
    "的",   "之",   "和",   "与",     "及",   "以及", "关于", "有关", "对于", "等",
    "全文", "原文", "范文", "完整版", "下载", "大全", "精选", "模板", "范本",
};

// Genre words of speeches: a category named with any of them (领导人讲话) is a category of
// each of them (致辞, 演讲 …).
constexpr std::string_view kSpeechWords[] = {"讲话", "讲稿", "致辞", "演讲", "发言", "贺词"};

bool is_function_word(std::string_view key) {
  return std::ranges::find(kFunctionWords, key) != std::end(kFunctionWords);
}

// The year of "2019" or "2019年" (1900-2100); 0 for anything else.
int year_of(std::string_view key) {
  constexpr std::string_view kYearSuffix = "年";
  if (key.ends_with(kYearSuffix)) key.remove_suffix(kYearSuffix.size());
  if (key.size() != 4) return 0;
  int year = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), year);
  if (ec != std::errc() || end != key.data() + key.size()) return 0;
  return year >= 1900 && year <= 2100 ? year : 0;
}

// True when `word` holds a letter or digit of any script (the segmenter's punctuation
// tokens hold none).
bool holds_letter_or_digit(std::string_view word) {
  for (std::size_t pos = 0; pos < word.size();) {
    if (u_isalnum(static_cast<UChar32>(text::decode_at(word, pos)))) return true;
  }
  return false;
}

// Genre words that the segmenter glues to the word before them (管理条例, 新年贺词) and that
// are split off it, so that a title holding 飞行管理暂行条例 matches 飞行管理条例.
constexpr std::string_view kSuffixGenres[] = {"条例", "办法", "规定", "细则",
                                              "讲话", "致辞", "贺词"};

// Appends `word` to `out`, its genre suffix (kSuffixGenres) as a word of its own when the
// rest is two characters or more.
void append_word(std::string_view word, std::vector<RunWord>& out) {
  if (!is_genre_word(word)) {
    for (std::string_view genre : kSuffixGenres) {
      if (!word.ends_with(genre)) continue;
      const auto stem = word.substr(0, word.size() - genre.size());
      if (text::count_code_points(stem) < 2) break;
      out.push_back({std::string(stem), {}, false, 0});
      out.push_back({std::string(genre), {}, false, 0});
      return;
    }
  }
  out.push_back({std::string(word), {}, false, 0});
}

// True for a word of one Han character that is not a function word.
bool is_lone_han(std::string_view word) {
  std::size_t pos = 0;
  return !word.empty() && text::is_han(text::decode_at(word, pos)) && pos == word.size() &&
         !is_function_word(word);
}

// Appends the segmenter's words of `text` (punctuation left out) to `out`. Single characters
// are weak words and costly ones (each is a prefix search over every bigram starting with
// it): a run of them becomes one word (三 大 -> 三大), and one left alone joins the word
// before it, else the word after it (监督 法 -> 监督法), never across punctuation or a
// function word. Every word stays a substring of `text`.
void append_words(std::string_view text, const text::Segmenter& segmenter,
                  std::vector<RunWord>& out) {
  if (text.empty()) return;
  std::vector<std::string_view> words;  // views into `text`; punctuation as an empty view
  for (auto token : segmenter.cut_views(text)) {
    words.push_back(holds_letter_or_digit(token) ? token : std::string_view{});
  }
  auto join = [&](std::size_t into, std::size_t from) {  // adjacent words, either order
    const char* begin = std::min(words[into].data(), words[from].data());
    const char* end =
        std::max(words[into].data() + words[into].size(), words[from].data() + words[from].size());
    words[into] = std::string_view(begin, static_cast<std::size_t>(end - begin));
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(from));
  };
  auto joinable = [&](std::size_t i) { return !words[i].empty() && !is_function_word(words[i]); };
  for (std::size_t i = 0; i + 1 < words.size();) {
    if (is_lone_han(words[i]) && is_lone_han(words[i + 1])) {
      join(i, i + 1);
      while (i + 1 < words.size() && is_lone_han(words[i + 1])) join(i, i + 1);
    }
    ++i;
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!is_lone_han(words[i])) continue;
    if (i > 0 && joinable(i - 1)) {
      join(i - 1, i);
      --i;
    } else if (i + 1 < words.size() && joinable(i + 1)) {
      join(i + 1, i);
    }
  }
  for (auto word : words) {
    if (!word.empty()) append_word(word, out);
  }
}

// The run with the span of `match` replaced by `variant`.
std::string replaced(std::string_view run, const AliasMatch& match, std::string_view variant) {
  std::string out(run.substr(0, match.begin));
  out += variant;
  out += run.substr(match.end);
  return out;
}

constexpr std::size_t kMaxPhraseVariants = 8;

}  // namespace

std::string_view reading_name(Reading reading) {
  switch (reading) {
    case Reading::kWords:
      return "words";
    case Reading::kExpanded:
      return "expanded";
    case Reading::kRelaxed:
      return "relaxed";
    case Reading::kPhrase:
      break;
  }
  return "phrase";
}

std::string_view reading_notice(Reading reading) {
  switch (reading) {
    case Reading::kWords:
      return "未找到与输入完全一致的内容，已按分词检索";
    case Reading::kExpanded:
      return "已按分词检索，并展开常用简称（如 人大常委会 → 人民代表大会常务委员会）";
    case Reading::kRelaxed:
      return "没有同时包含全部词语的文档，以下结果包含其中大部分词语";
    case Reading::kPhrase:
      break;
  }
  return "";
}

bool is_genre_word(std::string_view key) {
  return std::ranges::find(kGenreWords, key) != std::end(kGenreWords);
}

bool genre_in_category(std::string_view genre, std::string_view category) {
  if (category.find(genre) != std::string_view::npos) return true;
  auto speech = [](std::string_view word) {
    return std::ranges::any_of(kSpeechWords, [&](std::string_view s) { return word.ends_with(s); });
  };
  if (!speech(genre)) return false;
  return std::ranges::any_of(
      kSpeechWords, [&](std::string_view s) { return category.find(s) != std::string_view::npos; });
}

bool is_typed_run(const QueryClause& clause) {
  if (clause.exclude || clause.any_of.size() != 1) return false;
  const auto& term = clause.any_of.front();
  if (!term.typed || term.field != Field::kAny) return false;
  for (std::size_t pos = 0; pos < term.text.size();) {
    if (text::is_han(text::decode_at(term.text, pos))) return true;
  }
  return false;
}

std::vector<std::string_view> variant_parts(std::string_view variant) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start < variant.size()) {
    const std::size_t end = std::min(variant.find(' ', start), variant.size());
    parts.push_back(variant.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

TypedRun read_run(std::string_view typed, const text::Segmenter& segmenter,
                  const Aliases& aliases) {
  TypedRun run;
  run.key = text::normalize_key(typed);
  const std::string_view key = run.key;
  std::vector<bool> boundary(key.size() + 1, false);
  boundary[0] = boundary[key.size()] = true;
  for (auto token : segmenter.cut_views(key)) {
    boundary[static_cast<std::size_t>(token.data() + token.size() - key.data())] = true;
  }
  // An alias form counts where the segmenter's cut agrees with it at both ends, or does not
  // cut inside it: 人大常委会 in 各级人大常委会监督法, 十四五 in 十四五规划 (one word for the
  // segmenter), not 人大 in 个人大数据 (个人 / 大 / 数据). The text between forms is segmented
  // on its own.
  auto agrees = [&](const AliasMatch& match) {
    if (boundary[match.begin] && boundary[match.end]) return true;
    return std::none_of(boundary.begin() + static_cast<std::ptrdiff_t>(match.begin) + 1,
                        boundary.begin() + static_cast<std::ptrdiff_t>(match.end),
                        [](bool b) { return b; });
  };
  std::vector<AliasMatch> matches;
  for (auto& match : aliases.find(key)) {
    if (agrees(match)) matches.push_back(std::move(match));
  }
  std::size_t at = 0;
  for (const auto& match : matches) {
    append_words(key.substr(at, match.begin - at), segmenter, run.words);
    run.words.push_back(
        {std::string(key.substr(match.begin, match.end - match.begin)), match.variants, false, 0});
    at = match.end;
  }
  append_words(key.substr(at), segmenter, run.words);

  std::vector<RunWord> kept;
  for (auto& word : run.words) {
    if (is_function_word(word.key) && run.words.size() > 1) continue;
    word.genre = is_genre_word(word.key);
    word.year = year_of(word.key);
    if (kept.size() < kMaxRunWords) kept.push_back(std::move(word));
  }
  run.words = std::move(kept);

  for (const auto& match : matches) {
    for (const auto& variant : match.variants) {
      if (variant.find(' ') != std::string::npos) continue;  // a pair of words, not a phrase
      if (run.phrase_variants.size() == kMaxPhraseVariants) break;
      run.phrase_variants.push_back(replaced(run.key, match, variant));
    }
  }
  return run;
}

}  // namespace wenku::search
