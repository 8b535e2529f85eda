// clean_up: the title, the news wrapping and the flattened paragraphs of an imported text.
//
// Patterns (datelines, dates, photo credits, title lines) are ICU regular expressions run on
// the UTF-8 text through a UText, so their matches come back as byte offsets into it.
// Sentence ends, spaces and the address words of salutations are found by hand: each is one
// of a few fixed UTF-8 strings looked for with string_view operations at positions that are
// character boundaries (the start of the text, the end of a match, a position found by
// find), so no scan ever splits a UTF-8 sequence; code points are decoded with text/utf8.h
// only where a character class (Han, digit, numeral) matters.
#include "io/cleanup.h"

#include <unicode/regex.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "doc/numerals.h"
#include "doc/outline.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

using std::string_view;
constexpr std::size_t npos = string_view::npos;

// ---- regular expressions over UTF-8 ---------------------------------------------------------

struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t group_begin = npos;  // capture group 1, npos when the pattern has none or it
  std::size_t group_end = npos;    // did not take part in the match
};

// A compiled ICU regular expression. Each thread keeps its own matcher per expression.
class Regex {
 public:
  explicit Regex(string_view pattern) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError where;
    pattern_.reset(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                       pattern.data(), static_cast<std::int32_t>(pattern.size()))),
                                   0, where, status));
    if (U_FAILURE(status)) {
      throw std::logic_error(std::string("cleanup: bad regular expression: ") +
                             u_errorName(status));
    }
  }

  // The first match in `s` that starts at or after byte `from`.
  std::optional<Match> find(string_view s, std::size_t from = 0) const {
    if (from > s.size()) return std::nullopt;
    icu::RegexMatcher& m = matcher_for(s);
    UErrorCode status = U_ZERO_ERROR;
    if (!m.find(static_cast<std::int64_t>(from), status) || U_FAILURE(status)) return std::nullopt;
    return match_of(m);
  }

  // The match that starts exactly at byte `at` of `s`; `$` matches at the end of `s`.
  std::optional<Match> at(string_view s, std::size_t at) const {
    if (at > s.size()) return std::nullopt;
    icu::RegexMatcher& m = matcher_for(s);
    UErrorCode status = U_ZERO_ERROR;
    m.region(static_cast<std::int64_t>(at), static_cast<std::int64_t>(s.size()), status);
    if (U_FAILURE(status) || !m.lookingAt(status) || U_FAILURE(status)) return std::nullopt;
    return match_of(m);
  }

 private:
  icu::RegexMatcher& matcher_for(string_view s) const {
    thread_local std::unordered_map<const icu::RegexPattern*, std::unique_ptr<icu::RegexMatcher>>
        matchers;
    auto& matcher = matchers[pattern_.get()];
    UErrorCode status = U_ZERO_ERROR;
    if (!matcher) matcher.reset(pattern_->matcher(status));
    UText text = UTEXT_INITIALIZER;
    utext_openUTF8(&text, s.data(), static_cast<std::int64_t>(s.size()), &status);
    matcher->reset(&text);  // keeps a shallow clone of `text`, which reads `s` in place
    utext_close(&text);
    if (U_FAILURE(status)) throw std::logic_error("cleanup: ICU matcher failed");
    return *matcher;
  }

  static Match match_of(icu::RegexMatcher& m) {
    UErrorCode status = U_ZERO_ERROR;
    Match out;
    out.begin = static_cast<std::size_t>(m.start64(status));
    out.end = static_cast<std::size_t>(m.end64(status));
    if (m.groupCount() >= 1 && m.start64(1, status) >= 0) {
      out.group_begin = static_cast<std::size_t>(m.start64(1, status));
      out.group_end = static_cast<std::size_t>(m.end64(1, status));
    }
    return out;
  }

  std::unique_ptr<icu::RegexPattern> pattern_;
};

// The agencies whose datelines wrap the texts.
constexpr std::array<string_view, 5> kAgencies{"新华社", "中新社", "人民网", "央视网", "本报"};

// kAgencies as a group of a regular expression: (?:新华社|中新社|…).
std::string agency_group() {
  std::string out = "(?:";
  for (string_view agency : kAgencies) {
    if (out.size() > 3) out += '|';
    out += agency;
  }
  return out + ")";
}

// A full date, 2020年11月24日 (ASCII or full-width digits).
#define WENKU_DATE R"(\d{4}年\d{1,2}月\d{1,2}日)"

// 新华社北京5月18日电 (with 记者 names in brackets after it, and the spaces that follow).
const Regex& dateline() {
  static const Regex re(agency_group() + R"(\p{Han}{0,12}?(?:\d{1,2}月)?\d{1,2}日电)"
                                         R"((?:[（(]记者[^）)]{1,30}[）)])?[ 　\x{2003}]*)");
  return re;
}
// （新华社北京5月18日电）, （据新华社合肥8月21日电…标题）: group 1 is the headline after 电.
const Regex& dateline_in_brackets() {
  static const Regex re(R"(（据?)" + agency_group() +
                        R"([^（）]{0,40}?\d{1,2}日电([^（）]{0,120})）)");
  return re;
}
// 《 人民日报 》（ 2020年05月19日 02 版）
const Regex& newspaper_credit() {
  static const Regex re(R"(《[ 　]*[^《》]{1,20}?[ 　]*》[ 　]*（[ 　]*)" WENKU_DATE
                        R"([ 　]*\d{0,3}[ 　]*版[ 　]*）)");
  return re;
}
// 新华社记者 鞠鹏/摄, 新华社发（王壮飞 摄）, 新华社发 陈钟昊/摄, and a bare 新华社发 (not the
// start of 新华社发布 or 新华社发表).
const Regex& photo_credit() {
  static const Regex re(
      R"((?:新华社|人民日报|人民网|中新社|央视网?)记者[ 　]*[\p{Han}·]{2,5}(?:[、 　]+[\p{Han}·]{2,5})*)"
      R"([ 　]*[/／]?[ 　]*摄|新华社发(?:[ 　]*[\p{Han}·]{2,5}[ 　]*[/／][ 　]*摄|（[^）]{1,30}摄）)?)"
      R"((?![布表出来起行文稿展]))");
  return re;
}
// （2020年9月4日，北京）, （2024年2月8日，上午）: the date of a title line.
const Regex& date_in_brackets() {
  static const Regex re(R"(（)" WENKU_DATE R"((?:[，,、 　][^（）。]{0,30})?）)");
  return re;
}
// A title line: a phrase without sentence punctuation and its date in brackets
// (在全国劳动模范和先进工作者表彰大会上的讲话（2020年11月24日）); group 1 is the phrase.
const Regex& title_line() {
  static const Regex re(R"(([^。！？：；（）!?:;]{2,100}?)[ 　]*（)" WENKU_DATE
                        R"((?:[，,、 　][^（）。]{0,30})?）)");
  return re;
}
// An excerpt's attribution: （2020年2月5日在中央全面依法治国委员会第三次会议上的讲话）.
const Regex& attribution() {
  static const Regex re(
      R"(（)" WENKU_DATE
      R"([^（）]{2,80}?(?:讲话|发言|致辞|演讲|报告|谈话|批示|指示|讲话要点|文章)[^（）]{0,12}）)");
  return re;
}
// A date that opens a caption or a news lead: 2020年9月8日, 当地时间8月23日上午, 18日下午.
const Regex& opening_date() {
  static const Regex re(R"((?:当地时间)?(?:(?:\d{4}年)?\d{1,2}月)?\d{1,2}日)");
  return re;
}
// A letter's signature at the end of a flattened text: a name (with titles) and a full
// date. Group 1 is the name.
const Regex& signature() {
  static const Regex re(R"(([\p{Han}、 　]{2,28}?)[ 　]*)" WENKU_DATE R"([ 　]*$)");
  return re;
}
// 第一个问题： (the heading of a speech's parts, which doc::heading_marker_size does not read).
const Regex& question_heading() {
  static const Regex re(R"(第([一二三四五六七八九十]{1,3})个(?:问题|方面)[：，:,])");
  return re;
}
// 在…上的讲话 / 在…时的讲话 in a ※ note: the speech a text was taken from.
const Regex& speech_occasion() {
  static const Regex re(
      R"((在[^，。；！？]{2,60}?(?:上|时)的(?:讲话|发言|致辞|演讲|报告|讲话要点)))");
  return re;
}
// 我们召开…会议 in a speech's opening sentences; group 1 is the meeting.
const Regex& meeting_opened() {
  static const Regex re(
      R"(我们(?:在这里)?(?:隆重)?(?:召开|举行)(?:了)?(?:一个|这次|今天的)?)"
      R"(([^，。；！？“”]{2,40}?(?:座谈会|会议|大会|论坛|峰会|典礼|仪式|茶话会|团拜会|招待会|开班式)))");
  return re;
}
// 隆重集会，纪念… in a speech's opening sentences; group 1 is what is commemorated.
const Regex& assembly_held() {
  static const Regex re(R"(集会，((?:纪念|庆祝)[^，。；！？]{2,40}))");
  return re;
}
// 我就《…》起草的有关情况向全会作说明: a speech explaining a draft; group 1 is the draft.
const Regex& draft_explained() {
  static const Regex re(R"(就(《[^》]{2,80}》)(?:起草的)?(?:有关)?情况向[^，。；]{1,10}作说明)");
  return re;
}
// 给…回信 in a news lead; group 1 is the addressee.
const Regex& letter_addressee() {
  static const Regex re(R"(给([^，。；！？]{2,40}?)回信)");
  return re;
}
// 值此…之际 opening a letter of congratulation; group 1 is the occasion.
const Regex& occasion() {
  static const Regex re(R"(^值此([^，。；！？]{2,60}?)(?:召开|开幕|举办|举行)?之际)");
  return re;
}
// An editor's or source line: 来源：…, 责任编辑：…, （责任编辑：…）.
const Regex& editor_line() {
  static const Regex re(
      R"([（【(]?(?:责任编辑|责编|编辑|来源|稿源)[：:][^（）【】()。！？]{1,40}[）】)]?[ 　]*)");
  return re;
}

#undef WENKU_DATE

// ---- characters ------------------------------------------------------------------------------

constexpr std::array<string_view, 5> kSpaces{" ", "\u3000", "\u2003", "\u00a0", "\t"};
constexpr std::array<string_view, 5> kSentenceEnds{"。", "！", "？", "!", "?"};
// Marks that close a sentence's quotation or bracket: 。” and …讲话）.
constexpr std::array<string_view, 2> kClosers{"”", "）"};

bool starts_with_any(string_view s, const auto& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [s](string_view p) { return s.starts_with(p); });
}
bool ends_with_any(string_view s, const auto& suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [s](string_view p) { return s.ends_with(p); });
}
bool contains_any(string_view s, const auto& needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [s](string_view n) { return s.find(n) != npos; });
}

std::size_t skip_spaces(string_view s, std::size_t pos) {
  for (bool moved = true; moved && pos < s.size();) {
    moved = false;
    for (string_view space : kSpaces) {
      if (s.substr(pos).starts_with(space)) {
        pos += space.size();
        moved = true;
        break;
      }
    }
  }
  return pos;
}

string_view strip(string_view s) {
  s.remove_prefix(skip_spaces(s, 0));
  for (bool moved = true; moved && !s.empty();) {
    moved = false;
    for (string_view space : kSpaces) {
      if (s.ends_with(space)) {
        s.remove_suffix(space.size());
        moved = true;
        break;
      }
    }
  }
  return s;
}

// True when `s` holds only spaces and invisible format characters (zero-width spaces and
// joiners, byte order marks), which a page never shows.
bool is_blank(string_view s) {
  constexpr std::array<string_view, 5> kInvisible{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"};
  for (std::size_t pos = skip_spaces(s, 0); pos < s.size(); pos = skip_spaces(s, pos)) {
    const auto it = std::find_if(kInvisible.begin(), kInvisible.end(),
                                 [&](string_view c) { return s.substr(pos).starts_with(c); });
    if (it == kInvisible.end()) return false;
    pos += it->size();
  }
  return true;
}

std::size_t chars(string_view s) { return text::count_code_points(s); }

bool is_han_at(string_view s, std::size_t pos) {
  return pos < s.size() && text::is_han(text::decode_at(s, pos));
}

// The byte length of the first `n` characters of `s`, all Han; 0 when `s` has fewer or
// another character among them.
std::size_t han_prefix(string_view s, std::size_t n) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (pos >= s.size() || !text::is_han(text::decode_at(s, pos))) return 0;
  }
  return pos;
}

// True when the text before `pos` ends a sentence, or is empty: it ends with 。！？, with ）
// (…的讲话）二确保…) or with ” closing a sentence (。”).
bool after_sentence_end(string_view s, std::size_t pos) {
  const string_view before = strip(s.substr(0, pos));
  if (before.empty() || ends_with_any(before, kSentenceEnds) || before.ends_with("）")) return true;
  return before.ends_with("”") &&
         ends_with_any(before.substr(0, before.size() - string_view("”").size()), kSentenceEnds);
}

// `s` without the sentence-end and closing marks at its end.
string_view without_end_marks(string_view s) {
  for (bool cut = true; cut;) {
    cut = false;
    for (string_view mark : kSentenceEnds) {
      if (s.ends_with(mark)) {
        s.remove_suffix(mark.size());
        cut = true;
      }
    }
    for (string_view mark : kClosers) {
      if (s.ends_with(mark)) {
        s.remove_suffix(mark.size());
        cut = true;
      }
    }
  }
  return s;
}

// The end of the sentence that runs from `pos`: after its 。！？ and the closing marks right
// after it (。”), or the end of `s`.
std::size_t sentence_end(string_view s, std::size_t pos) {
  std::size_t end = npos;
  std::size_t mark = 0;
  for (string_view stop : kSentenceEnds) {
    if (const std::size_t at = s.find(stop, pos); at < end) {
      end = at;
      mark = stop.size();
    }
  }
  if (end == npos) return s.size();
  end += mark;
  for (bool moved = true; moved;) {
    moved = false;
    for (string_view closer : kClosers) {
      if (s.substr(end).starts_with(closer)) {
        end += closer.size();
        moved = true;
      }
    }
  }
  return end;
}

// Positions in `s` where a sentence starts after the end of another (after_sentence_end),
// at a character that is not a space.
std::vector<std::size_t> sentence_starts(string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::size_t before = pos;
    text::decode_at(s, pos);
    const string_view ch = s.substr(before, pos - before);
    if (!ends_with_any(ch, kSentenceEnds) && !ends_with_any(ch, kClosers)) continue;
    const std::size_t next = skip_spaces(s, pos);
    if (next < s.size() && (out.empty() || out.back() != next) && after_sentence_end(s, next) &&
        !starts_with_any(s.substr(next), kClosers)) {
      out.push_back(next);
    }
  }
  return out;
}

// ---- salutations and names -------------------------------------------------------------------

// How the people a speech or letter addresses are named: the ends of the terms of a
// salutation (同志们, 各位代表, 尊敬的萨勒曼国王, “硬骨头六连”全体官兵 …).
constexpr std::array<string_view, 58> kAddressEnds{
    "同志们", "朋友们", "同胞们", "女士们", "先生们", "同学们", "乡亲们", "老师们",   "孩子们",
    "青年们", "代表们", "战友们", "姐妹们", "兄弟们", "校友们", "学生们", "毕业生们", "少年们",
    "队员们", "同事们", "先生",   "女士",   "同事",   "朋友",   "代表",   "来宾",     "嘉宾",
    "同胞",   "委员",   "同志",   "国王",   "总统",   "总理",   "首相",   "秘书长",   "主席",
    "总干事", "院士",   "专家",   "老师",   "团长",   "负责人", "阁下",   "殿下",     "陛下",
    "理事",   "首脑",   "元首",   "官兵",   "留学生", "使节",   "师生",   "党员",     "队员",
    "职工",   "员工",   "同学",   "学生"};

constexpr std::array<string_view, 3> kAddressOpeners{"尊敬的", "亲爱的", "各位"};

// A term of a salutation: at most 40 characters without spaces, 尊敬的 or 亲爱的 only at its
// start, ending in one of kAddressEnds — or, when it is not the last term, opening with one
// of kAddressOpeners (尊敬的昂山素季国务资政).
bool is_address_term(string_view segment, bool last) {
  segment = strip(segment);
  if (segment.empty() || chars(segment) > 40 || contains_any(segment, kSpaces)) return false;
  for (string_view opener : {string_view("尊敬的"), string_view("亲爱的")}) {
    if (const std::size_t at = segment.find(opener); at != npos && at > 0) return false;
  }
  return ends_with_any(segment, kAddressEnds) ||
         (!last && starts_with_any(segment, kAddressOpeners));
}

// The byte length of the salutation at the start of `s`: terms of address (is_address_term)
// separated by ， 、 or , and ended by `terminator` (：opens a speech or letter, ！ calls on the
// audience within it); 0 when `s` does not start with one.
std::size_t salutation_size(string_view s, string_view terminator, std::size_t max_chars) {
  const std::size_t end = s.find(terminator);
  if (end == npos || end == 0) return 0;
  const string_view body = s.substr(0, end);
  if (chars(body) > max_chars) return 0;
  constexpr std::array<string_view, 10> kStops{"。", "！", "？", "；", "：",
                                               "!",  "?",  ";",  ":",  "\n"};
  if (contains_any(body, kStops)) return 0;
  for (std::size_t from = 0; from <= body.size();) {
    std::size_t cut = body.size();
    std::size_t cut_size = 0;
    for (string_view comma : {string_view("，"), string_view("、"), string_view(",")}) {
      const std::size_t at = body.find(comma, from);
      if (at < cut) {
        cut = at;
        cut_size = comma.size();
      }
    }
    if (!is_address_term(body.substr(from, cut - from), cut == body.size())) return 0;
    if (cut == body.size()) break;
    from = cut + cut_size;
  }
  return end + terminator.size();
}

std::size_t opening_salutation_size(string_view s) { return salutation_size(s, "：", 150); }
std::size_t vocative_size(string_view s) { return salutation_size(s, "！", 40); }

// An opening salutation that starts with a word of address that never ends a name
// (尊敬的, 各位, 同志们 …): one that can follow a speaker's name without taking the name's
// last characters (习近平同志们： is 习近平 and 同志们：, never 习近 and 平同志们：).
constexpr std::array<string_view, 12> kCleanSalutationStarts{
    "尊敬的", "亲爱的", "各位",   "同志们", "朋友们", "同胞们",
    "女士们", "先生们", "同学们", "乡亲们", "老师们", "大会主席"};

bool starts_with_clean_salutation(string_view s) {
  return starts_with_any(s, kCleanSalutationStarts) && opening_salutation_size(s) > 0;
}

// Position titles written before a speaker's name (中华人民共和国主席 习近平, 北京市市长 殷勇).
constexpr std::array<string_view, 15> kPositionTitles{
    "总书记", "主席", "书记", "总理",   "省长",     "市长",   "州长", "县长",
    "区长",   "主任", "部长", "委员长", "行政长官", "秘书长", "总统"};

// The names a text gives with a position title before them somewhere (…军委主席习近平在…):
// each run of 2, 3 and 4 Han characters after a title. A speaker line's name without a
// delimiter after it is taken only when it is one of these.
std::set<std::string, std::less<>> titled_names(string_view text) {
  std::set<std::string, std::less<>> names;
  for (string_view title : kPositionTitles) {
    for (std::size_t at = text.find(title); at != npos; at = text.find(title, at + 1)) {
      const string_view rest = text.substr(skip_spaces(text, at + title.size()));
      for (std::size_t n = 2; n <= 4; ++n) {
        if (const std::size_t bytes = han_prefix(rest, n)) names.emplace(rest.substr(0, bytes));
      }
    }
  }
  return names;
}

class SpeakerReader {
 public:
  explicit SpeakerReader(string_view text) : text_(text) {}

  // The byte length of a speaker line at the start of `s`: an optional ※, position titles
  // (中华人民共和国主席, 中共中央总书记、国家主席) and a name of 2 to 4 Han characters; 0
  // when there is none. The name ends where a delimiter follows it (the end, a space, a
  // digit, ※, a bracket, a dateline, a salutation, 大家好); without one it must be a name the
  // text gives elsewhere after a title (titled()), or three characters after ※.
  std::size_t size_at(string_view s) {
    const std::size_t start = s.starts_with("※") ? skip_spaces(s, string_view("※").size()) : 0;
    const string_view window =
        s.substr(0, start + text::prefix_code_points(s.substr(start), 32).size());
    // After each position title within the first characters, in order; then at the start.
    std::vector<std::size_t> name_starts;
    for (string_view title : kPositionTitles) {
      for (std::size_t at = window.find(title, start); at != npos;
           at = window.find(title, at + 1)) {
        if (all_title_characters(s.substr(start, at - start))) {
          name_starts.push_back(skip_spaces(s, at + title.size()));
        }
      }
    }
    std::sort(name_starts.begin(), name_starts.end());
    name_starts.push_back(start);
    for (const std::size_t at : name_starts) {
      if (const std::size_t name = name_size(s.substr(at))) return at + name;
    }
    // After ※ a name is certain; its length is not: three characters, the usual one.
    return start > 0 && han_prefix(s.substr(start), 3) > 0 ? start + han_prefix(s.substr(start), 3)
                                                           : 0;
  }

  // The byte length of a name at the start of `s` that the text gives elsewhere right after a
  // position title (…军委主席习近平在…), 3, 4 or 2 characters long; 0 when there is none.
  std::size_t titled(string_view s) {
    if (!names_) names_ = titled_names(text_);
    for (std::size_t n : {3, 4, 2}) {
      const std::size_t bytes = han_prefix(s, n);
      if (bytes > 0 && names_->contains(s.substr(0, bytes))) return bytes;
    }
    return 0;
  }

 private:
  static bool all_title_characters(string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
      const char32_t cp = text::decode_at(s, pos);
      if (!text::is_han(cp) && cp != U'、' && cp != U' ' && cp != U'\u3000') return false;
    }
    return true;
  }

  static bool delimits_name(string_view after) {
    if (after.empty() || skip_spaces(after, 0) > 0) return true;
    if (doc::digit_prefix(after).bytes > 0 || after.starts_with("※") || after.starts_with("（") ||
        after.starts_with("大家好")) {
      return true;
    }
    if (starts_with_any(after, kAgencies) && dateline().at(after, 0)) return true;
    return starts_with_clean_salutation(after);
  }

  std::size_t name_size(string_view s) {
    for (std::size_t n : {3, 2, 4}) {
      const std::size_t bytes = han_prefix(s, n);
      if (bytes > 0 && delimits_name(s.substr(bytes))) return bytes;
    }
    return titled(s);
  }

  string_view text_;
  std::optional<std::set<std::string, std::less<>>> names_;
};

// ---- heading markers -------------------------------------------------------------------------

struct Marker {
  std::string system;  // the marker with its number replaced by '#': "#、", "（#）", "第#，"
  std::int64_t number = 0;
  std::size_t size = 0;  // bytes, with the punctuation after it
};

// The heading marker at the start of `s` (doc::heading_marker_size, or 第一个问题：) with its
// numbering system and number; none for a law's article (第一条), for the sequence words
// (首先 … 最后, which open plain sentences as often as headings) and for 一、二季度.
std::optional<Marker> marker_at(string_view s) {
  if (auto q = question_heading().at(s, 0)) {
    return Marker{"第#个问题", doc::chinese_numeral_prefix(s.substr(q->group_begin)).value, q->end};
  }
  const std::size_t size = doc::heading_marker_size(s);
  if (size == 0) return std::nullopt;
  const string_view marker = s.substr(0, size);
  for (std::size_t pos = 0; pos < marker.size();) {
    const doc::NumeralRun han = doc::chinese_numeral_prefix(marker.substr(pos));
    const doc::DigitRun digits = doc::digit_prefix(marker.substr(pos));
    const std::size_t run = std::max(han.bytes, digits.bytes);
    if (run == 0) {
      text::decode_at(marker, pos);
      continue;
    }
    std::string system(marker.substr(0, pos));
    system += '#';
    string_view tail = marker.substr(pos + run);
    while (!tail.empty() && (tail.ends_with("，") || tail.ends_with("："))) {
      tail.remove_suffix(tail.ends_with("，") ? string_view("，").size()
                                              : string_view("：").size());
    }
    while (tail.ends_with(",") || tail.ends_with(":")) tail.remove_suffix(1);
    system += tail;
    if (system == "第#条") return std::nullopt;
    // 一、二季度: a list of numerals, not a heading.
    if (system == "#、" && doc::chinese_numeral_prefix(s.substr(size)).bytes > 0) {
      return std::nullopt;
    }
    return Marker{std::move(system), han.bytes > 0 ? han.value : digits.value, size};
  }
  return std::nullopt;  // 首先 其次 再次 最后
}

// A section numeral standing alone before its text (二确保人民群众…): 一 … 十 followed by a
// Han character that does not continue a numeral, a marker or a word of quantity.
std::optional<Marker> lone_numeral_at(string_view s) {
  const doc::NumeralRun run = doc::chinese_numeral_prefix(s);
  if (run.bytes == 0 || run.chars != 1 || run.value < 1 || run.value > 10) return std::nullopt;
  const string_view rest = s.substr(run.bytes);
  constexpr std::array<string_view, 12> kNotAfter{"、", "是", "要", "些", "切", "直",
                                                  "起", "样", "般", "道", "定", "同"};
  if (!is_han_at(rest, 0) || starts_with_any(rest, kNotAfter)) return std::nullopt;
  return Marker{"lone #", run.value, run.bytes};
}

// The numbers of each marker system met at the starts of sentences and paragraphs; a marker
// splits a paragraph only when its neighbour in the numbering is there too.
class Numbering {
 public:
  void add(const Marker& m) { seen_.emplace(m.system, m.number); }
  bool has_neighbour(const Marker& m) const {
    return seen_.contains({m.system, m.number - 1}) || seen_.contains({m.system, m.number + 1});
  }

 private:
  std::set<std::pair<std::string, std::int64_t>> seen_;
};

// ---- the pieces of a text --------------------------------------------------------------------

// A run of the original text in order: a line of the note, or text of the body. `cut`
// marks that a paragraph ends before it.
struct Piece {
  string_view text;
  bool note = false;
  bool flattened = false;  // of a flattened paragraph (splitting applies)
};

constexpr std::size_t kFlatOnlyParagraphChars = 600;
constexpr std::size_t kFlatParagraphChars = 2000;
constexpr std::size_t kMaxLeadChars = 400;

// True when `s` opens with a law's article: 第一条, 第12条.
bool opens_article(string_view s) {
  const std::size_t size = doc::heading_marker_size(s);
  return size > 0 && s.starts_with("第") && s.substr(0, size).find("条") != npos;
}

// A law: a text with two or more articles at the starts of its paragraphs or, in a
// paragraph long enough to be a flattened one, of its sentences (…本规则。 第二条 …).
bool is_law(const std::vector<string_view>& paragraphs) {
  int articles = 0;
  for (string_view p : paragraphs) {
    if (opens_article(p) && ++articles >= 2) return true;
    if (chars(p) < kFlatOnlyParagraphChars) continue;
    for (const std::size_t at : sentence_starts(p)) {
      if (opens_article(p.substr(at)) && ++articles >= 2) return true;
    }
  }
  return false;
}

// True when `sentence` names, after a position title, someone that `other` names too
// (…军委主席习近平来到四川… and 这是…习近平在…看望).
bool names_same_person(string_view sentence, string_view other) {
  for (string_view title : kPositionTitles) {
    for (std::size_t at = sentence.find(title); at != npos; at = sentence.find(title, at + 1)) {
      const string_view rest = sentence.substr(at + title.size());
      for (std::size_t n : {3, 2}) {
        const std::size_t bytes = han_prefix(rest, n);
        if (bytes > 0 && other.find(rest.substr(0, bytes)) != npos) return true;
      }
    }
  }
  return false;
}

// The start of the caption that a photo credit at `credit` ends, searching back no further
// than `floor`: the last of the four sentences before it that opens with a date (2020年9月8日，
// 当地时间…); else a last sentence that opens with 这是, with the sentence before it when that
// names the same person after a position title; else the credit alone.
std::size_t caption_start(string_view s, std::size_t floor, std::size_t credit) {
  std::vector<std::size_t> starts{skip_spaces(s, floor)};
  for (std::size_t pos = floor; pos < credit;) {
    pos = sentence_end(s.substr(0, credit), pos);
    const std::size_t next = skip_spaces(s, pos);
    if (next < credit) starts.push_back(next);
  }
  const std::size_t first = starts.size() > 4 ? starts.size() - 4 : 0;
  for (std::size_t i = starts.size(); i-- > first;) {
    if (chars(s.substr(starts[i], credit - starts[i])) > kMaxLeadChars) break;
    if (opening_date().at(s, starts[i])) return starts[i];
  }
  const std::size_t last = starts.back();
  if (!s.substr(last).starts_with("这是") || chars(s.substr(last, credit - last)) > kMaxLeadChars) {
    return credit;
  }
  if (starts.size() >= 2) {
    const std::size_t before = starts[starts.size() - 2];
    if (names_same_person(s.substr(before, last - before), s.substr(last, credit - last))) {
      return before;
    }
  }
  return last;
}

// The head of a text: what precedes its body (title line, date, speaker, dateline, the lead
// of a news story, the label of a letter) and the salutation that opens the body.
struct Head {
  std::vector<Piece> pieces;
  std::size_t paragraph = 0;  // where the body starts: paragraph and byte offset in it
  std::size_t offset = 0;
  std::string title;               // the text's own title line, "" when it has none
  string_view letter;              // 回信, 贺信 …: the label of a letter, "" when none
  std::vector<string_view> leads;  // news leads moved to the note
  bool ends_with_speaker = false;  // the body follows a speaker line (※习近平一当前…)
};

constexpr std::array<string_view, 6> kLetterLabels{"回信", "复信", "贺信",
                                                   "贺电", "唁电", "慰问信"};

class HeadReader {
 public:
  HeadReader(const std::vector<string_view>& paragraphs, const doc::Document& d, bool title_is_own,
             SpeakerReader& speakers)
      : paragraphs_(paragraphs), d_(d), title_is_own_(title_is_own), speakers_(speakers) {}

  Head read() {
    bool after_title = false;  // a title line or its date was just read
    bool dated = false;        // … and it had its date: a speaker line may follow
    bool wire = false;         // a dateline was read: the text is a news agency's story
    while (head_.paragraph < paragraphs_.size()) {
      const string_view para = paragraphs_[head_.paragraph];
      head_.offset = skip_spaces(para, head_.offset);
      const string_view s = para.substr(head_.offset);
      if (s.empty()) {
        ++head_.paragraph;
        head_.offset = 0;
        continue;
      }
      const bool at_text_start = head_.paragraph == 0 && head_.offset == 0;
      if (auto m = dateline().at(s, 0)) {
        note(m->end);
        wire = true;
        continue;
      }
      if (auto m = date_in_brackets().at(s, 0)) {
        note(m->end);
        after_title = dated = true;
        continue;
      }
      if (const std::size_t n = title_line_size(s, at_text_start)) {
        dated = date_in_brackets().find(s.substr(0, n)).has_value();
        note(n);
        after_title = true;
        continue;
      }
      if (dated || speaker_next_ || s.starts_with("※")) {
        speaker_next_ = false;
        if (const std::size_t n = speakers_.size_at(s)) {
          note(n);
          after_title = dated = false;
          head_.ends_with_speaker = true;
          continue;
        }
      }
      if (at_text_start) {
        if (const std::size_t n = letter_label_size(s)) {
          head_.letter = s.substr(0, n);
          note(n);
          continue;
        }
      }
      if (const std::size_t n = opening_salutation_size(s)) {
        body(n);
        break;
      }
      if (const std::size_t n = lead_size(s, wire || after_title)) {
        head_.leads.push_back(s.substr(0, n));
        note(n);
        continue;
      }
      break;
    }
    return std::move(head_);
  }

 private:
  void note(std::size_t n) { take(n, true); }
  void body(std::size_t n) { take(n, false); }
  // Takes the next `n` bytes of the paragraph, with the rest of it when that is blank.
  void take(std::size_t n, bool is_note) {
    head_.ends_with_speaker = false;
    const string_view para = paragraphs_[head_.paragraph];
    if (is_blank(para.substr(head_.offset + n))) n = para.size() - head_.offset;
    head_.pieces.push_back(Piece{para.substr(head_.offset, n), is_note, false});
    head_.offset += n;
    if (head_.offset >= para.size()) {
      ++head_.paragraph;
      head_.offset = 0;
    }
  }

  string_view next_paragraph() const {
    return head_.paragraph + 1 < paragraphs_.size() ? paragraphs_[head_.paragraph + 1] : "";
  }

  // A title line: a phrase with its date in brackets, the document's own title (when it is a
  // real one) followed by nothing or by what follows a title line, or at the very start of
  // the text a phrase before ※ or a titled name (不断开拓…新境界※习近平).
  std::size_t title_line_size(string_view s, bool at_text_start) {
    if (auto m = title_line().at(s, 0)) {
      set_title(s.substr(m->group_begin, m->group_end - m->group_begin));
      return m->end;
    }
    if (title_is_own_ && !d_.title_derived && chars(d_.title) >= 4) {
      const std::size_t at = s.find(d_.title);
      if (at != npos && at < 300 && is_title_phrase(s.substr(0, at), true)) {
        const std::size_t end = at + d_.title.size();
        const string_view after = s.substr(skip_spaces(s, end));
        if (after.empty() || after.starts_with("（") || after.starts_with("※") ||
            speakers_.size_at(after) > 0 || opening_salutation_size(after) > 0) {
          set_title(s.substr(0, end));
          return end;
        }
      }
    }
    if (!at_text_start || starts_with_clean_salutation(s)) return 0;
    if (const std::size_t star = s.find("※"); star != npos && star < 200) {
      const string_view phrase = s.substr(0, star);
      if (is_title_phrase(phrase, false) && chars(strip(phrase)) >= 4) {
        set_title(phrase);
        return star;  // the speaker reader takes ※ and the name
      }
    }
    // A title, then the speaker's name (one the text gives elsewhere after a position title)
    // and a delimiter: 构建起强大的公共卫生体系 为维护人民健康提供有力保障习近平2018年1月，…
    // Looked for only when the document's title is not one (the text's start, a salutation).
    if (title_is_own_) return 0;
    const string_view window = text::prefix_code_points(s, 64);
    for (std::size_t pos = 0; pos < window.size();) {
      text::decode_at(window, pos);
      const string_view phrase = s.substr(0, pos);
      if (!is_title_phrase(phrase, false)) break;  // and so is every longer one
      if (chars(phrase) < 4) continue;
      const string_view rest = s.substr(pos);
      if (const std::size_t name = speakers_.titled(rest)) {
        const string_view after = rest.substr(name);
        if (after.empty() || doc::digit_prefix(after).bytes > 0 ||
            starts_with_clean_salutation(after)) {
          set_title(phrase);
          speaker_next_ = true;
          return pos;
        }
      }
      // …的说明习近平同志们：: a name of three characters before a salutation.
      const std::size_t three = han_prefix(rest, 3);
      if (three > 0 && starts_with_clean_salutation(rest.substr(three))) {
        set_title(phrase);
        speaker_next_ = true;
        return pos;
      }
    }
    return 0;
  }

  // A phrase that can be a title: no sentence punctuation, colon or bracket, no digits unless
  // `digits_allowed`, and not a dash item (——).
  static bool is_title_phrase(string_view s, bool digits_allowed) {
    constexpr std::array<string_view, 12> kNot{"。", "！", "？", "：", "；", "，",
                                               "!",  "?",  ":",  ";",  "（", "）"};
    if (contains_any(s, kNot) || strip(s).starts_with("——")) return false;
    if (!digits_allowed) {
      for (std::size_t pos = 0; pos < s.size(); text::decode_at(s, pos)) {
        if (doc::digit_prefix(s.substr(pos)).bytes > 0) return false;
      }
    }
    return true;
  }

  void set_title(string_view phrase) {
    if (head_.title.empty()) head_.title = std::string(strip(phrase));
  }

  // 回信 or 贺信 … at the start of the text, before a salutation or 值此.
  static std::size_t letter_label_size(string_view s) {
    for (string_view label : kLetterLabels) {
      if (!s.starts_with(label)) continue;
      const string_view after = s.substr(skip_spaces(s, label.size()));
      if (opening_salutation_size(after) > 0 || after.starts_with("值此")) return label.size();
    }
    return 0;
  }

  // Whole sentences of news wrapping at the start of `s`: a photo caption or the lead of a
  // news story, which ends with a photo credit (taken with it, when all of it is a caption);
  // or where a dateline, a title line's date or title follows (in the same paragraph or the
  // next) — or, when it opens with a date, a salutation; or, in a story already known as
  // one (`in_story`: after a dateline or a title line), with 全文如下：. At most
  // kMaxLeadChars characters.
  std::size_t lead_size(string_view s, bool in_story) {
    const bool dated = opening_date().at(s, 0).has_value();
    for (std::size_t end = 0; end < s.size();) {
      constexpr string_view kFollows = "全文如下：";
      std::size_t next_end = sentence_end(s, end);
      if (const std::size_t colon = s.find(kFollows, end); in_story && colon < next_end) {
        next_end = colon + kFollows.size();
      }
      end = next_end;
      if (chars(s.substr(0, end)) > kMaxLeadChars) return 0;
      if (in_story && s.substr(0, end).ends_with(kFollows)) return end;
      const std::size_t next = skip_spaces(s, end);
      if (auto credit = photo_credit().at(s, next)) {
        // A caption: all of it, or the body goes on before it.
        return caption_start(s, 0, next) == 0 ? credit->end : 0;
      }
      const string_view rest = next < s.size() ? s.substr(next) : next_paragraph();
      if (rest.empty()) return 0;
      if (dateline().at(rest, 0) || date_in_brackets().at(rest, 0) || title_line().at(rest, 0)) {
        return end;
      }
      if (dated && opening_salutation_size(rest) > 0) return end;
      if (next >= s.size()) return 0;
    }
    return 0;
  }

  const std::vector<string_view>& paragraphs_;
  const doc::Document& d_;
  bool title_is_own_;
  SpeakerReader& speakers_;
  Head head_;
  bool speaker_next_ = false;  // the title line read ends where a speaker's name begins
};

// ---- notes within the body -------------------------------------------------------------------

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The spans of `s` (a paragraph's text after the head) that belong to the note, in order
// and without overlap.
std::vector<Span> note_spans(string_view s) {
  std::vector<Span> spans;
  auto add_all = [&](const Regex& re, auto&& accept) {
    for (auto m = re.find(s); m; m = re.find(s, std::max(m->end, m->begin + 1))) {
      if (accept(*m)) spans.push_back(Span{m->begin, m->end});
    }
  };
  // Each expression runs only where the text has a word it needs: most texts have none.
  const auto always = [](const Match&) { return true; };
  if (s.find("日电") != npos) {
    add_all(dateline_in_brackets(), always);
    add_all(dateline(), [&](const Match& m) { return after_sentence_end(s, m.begin); });
  }
  if (s.find("》") != npos && s.find("版") != npos) add_all(newspaper_credit(), always);
  constexpr std::array<string_view, 4> kEditorWords{"编辑", "来源", "稿源", "责编"};
  if (contains_any(s, kEditorWords)) {
    add_all(editor_line(), [&](const Match& m) {
      // A line of its own, or (责任编辑：…) in brackets at the end of a sentence.
      const bool whole = strip(s.substr(0, m.begin)).empty() && strip(s.substr(m.end)).empty();
      const bool bracketed =
          s.substr(m.begin).starts_with("（") || s.substr(m.begin).starts_with("【");
      return whole || (bracketed && after_sentence_end(s, m.begin));
    });
  }
  for (std::size_t star = s.find("※"); star != npos; star = s.find("※", star + 1)) {
    spans.push_back(Span{star, sentence_end(s, star)});
  }
  // Photo credits with their captions, each searched back to the span before it.
  std::sort(spans.begin(), spans.end(), [](Span a, Span b) { return a.begin < b.begin; });
  std::vector<Span> credits;
  const bool has_credit = s.find("摄") != npos || s.find("新华社发") != npos;
  for (auto m = has_credit ? photo_credit().find(s) : std::nullopt; m;
       m = photo_credit().find(s, m->end)) {
    const bool bare = s.substr(m->begin, m->end - m->begin) == "新华社发";
    if (bare && !after_sentence_end(s, m->begin)) continue;
    std::size_t floor = 0;
    for (const Span& span : spans) {
      if (span.end <= m->begin) floor = std::max(floor, span.end);
    }
    if (!credits.empty() && credits.back().end <= m->begin)
      floor = std::max(floor, credits.back().end);
    credits.push_back(Span{caption_start(s, floor, m->begin), m->end});
  }
  spans.insert(spans.end(), credits.begin(), credits.end());
  std::sort(spans.begin(), spans.end(),
            [](Span a, Span b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
  std::vector<Span> out;
  for (const Span& span : spans) {
    if (!out.empty() && span.begin < out.back().end) {
      out.back().end = std::max(out.back().end, span.end);
    } else {
      out.push_back(span);
    }
  }
  return out;
}

// ---- splitting flattened paragraphs ----------------------------------------------------------

// The byte length of a heading line at the start of `s`, whose marker takes `marker_size`
// bytes: a phrase of at most 40 characters without sentence punctuation, ended by a space
// (一、充分肯定过去一年的成绩　过去一年，…); 0 when `s` does not start with one.
std::size_t heading_line_size(string_view s, std::size_t marker_size) {
  constexpr std::size_t kMaxHeadingChars = 40;
  constexpr std::array<string_view, 12> kSentencePunctuation{"。", "！", "？", "；", "，", "：",
                                                             "!",  "?",  ";",  ",",  ":",  "\n"};
  for (std::size_t pos = marker_size, n = 0; pos < s.size() && n <= kMaxHeadingChars; ++n) {
    const string_view rest = s.substr(pos);
    if (starts_with_any(rest, kSpaces)) return n == 0 ? 0 : pos;
    if (starts_with_any(rest, kSentencePunctuation)) return 0;
    text::decode_at(s, pos);
  }
  return 0;
}

// Whether `s` starts with a call on the audience followed by a comma (同志们，做好今年的工作…;
// 各位领导、同志们，…): terms of address up to the first ， that start with a word that never
// ends a name (kCleanSalutationStarts).
bool vocative_with_comma(string_view s) {
  constexpr std::size_t kMaxChars = 20;
  return starts_with_any(s, kCleanSalutationStarts) && salutation_size(s, "，", kMaxChars) > 0;
}

// The positions in `s` after each ：, past the spaces after it: where a list's first item
// follows its lead-in.
std::vector<std::size_t> after_colons(string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t at = s.find("："); at != npos; at = s.find("：", at + 1)) {
    out.push_back(skip_spaces(s, at + string_view("：").size()));
  }
  return out;
}

// The split points of a flattened piece `s`: byte offsets where a new paragraph starts.
std::vector<std::size_t> split_points(string_view s, const Numbering& numbering) {
  std::vector<std::size_t> cuts;
  // Runs of ideographic spaces: the paragraph indents of the page the text was copied from.
  for (std::size_t at = s.find("\u3000\u3000"); at != npos; at = s.find("\u3000\u3000", at)) {
    const std::size_t next = skip_spaces(s, at);
    cuts.push_back(next);
    at = next;
  }
  for (std::size_t at = s.find("\u2003\u2003"); at != npos; at = s.find("\u2003\u2003", at)) {
    const std::size_t next = skip_spaces(s, at);
    cuts.push_back(next);
    at = next;
  }
  // At the piece's start (after a caption or a note) only what ends there counts.
  const std::size_t start = skip_spaces(s, 0);
  if (const std::size_t n =
          std::max(vocative_size(s.substr(start)), opening_salutation_size(s.substr(start)))) {
    cuts.push_back(skip_spaces(s, start + n));
  }
  const std::vector<std::size_t> starts = sentence_starts(s);
  for (const std::size_t p : starts) {
    const string_view rest = s.substr(p);
    if (auto m = marker_at(rest); m && numbering.has_neighbour(*m)) {
      cuts.push_back(p);
      if (const std::size_t n = heading_line_size(rest, m->size)) {
        cuts.push_back(skip_spaces(s, p + n));
      }
    } else if (vocative_with_comma(rest)) {
      cuts.push_back(p);
    } else if (const std::size_t n = vocative_size(rest)) {
      cuts.push_back(p);
      cuts.push_back(skip_spaces(s, p + n));
    } else if (const std::size_t n2 = opening_salutation_size(rest)) {
      cuts.push_back(p);
      cuts.push_back(skip_spaces(s, p + n2));
    } else if (rest.starts_with("——")) {
      cuts.push_back(p);
    } else if (auto a = attribution().at(rest, 0)) {
      cuts.push_back(p);
      const std::size_t after = skip_spaces(s, p + a->end);
      cuts.push_back(after);
      if (auto numeral = lone_numeral_at(s.substr(after));
          numeral && numbering.has_neighbour(*numeral)) {
        cuts.push_back(after + numeral->size);
      }
    }
  }
  // A list whose first item follows its lead-in's colon (…以下四项工作：一是…。二是…): the
  // first item starts a paragraph when the second starts a sentence.
  for (const std::size_t item : after_colons(s)) {
    const auto first = marker_at(s.substr(item));
    if (!first || first->number != 1) continue;
    const bool second_starts_sentence = std::ranges::any_of(starts, [&](std::size_t p) {
      const auto m = p > item ? marker_at(s.substr(p)) : std::nullopt;
      return m && m->system == first->system && m->number == 2;
    });
    if (second_starts_sentence) cuts.push_back(item);
  }
  for (std::size_t at = s.find("如下："); at != npos; at = s.find("如下：", at + 1)) {
    cuts.push_back(skip_spaces(s, at + string_view("如下：").size()));
  }
  // A letter's signature closing the piece: …绿水青山。习近平2020年8月30日
  if (auto sig = signature().find(s)) {
    const std::size_t name = skip_spaces(s, sig->group_begin);
    if (after_sentence_end(s, name) && name > 0) {
      cuts.push_back(name);
      cuts.push_back(skip_spaces(s, sig->group_end));
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::erase_if(cuts, [&](std::size_t c) { return c == 0 || c >= s.size(); });
  return cuts;
}

// ---- titles ----------------------------------------------------------------------------------

constexpr std::array<string_view, 3> kEllipses{"…", "...", "⋯"};

string_view without_ellipsis(string_view title) {
  title = strip(title);
  for (bool cut = true; cut;) {
    cut = false;
    for (string_view e : kEllipses) {
      if (title.ends_with(e)) {
        title.remove_suffix(e.size());
        cut = true;
      }
    }
  }
  return strip(title);
}

// A title that is not one: a salutation, a dateline, a cut line (…), or the text's start.
bool is_bad_title(string_view title, string_view content) {
  const string_view cut = without_ellipsis(title);
  if (cut.empty()) return true;
  if (cut.size() != strip(title).size()) return true;
  if (opening_salutation_size(title) == strip(title).size() || dateline().at(title, 0)) return true;
  const std::size_t first_end = content.find('\n');
  const string_view first = content.substr(0, first_end);
  return first.starts_with(cut) && first.size() > cut.size();
}

// A title for the page: runs of spaces become one space.
std::string tidy_title(string_view title) {
  std::string out;
  title = strip(title);
  for (std::size_t pos = 0; pos < title.size();) {
    const std::size_t next = skip_spaces(title, pos);
    if (next > pos) {
      out += ' ';
      pos = next;
      continue;
    }
    const std::size_t start = pos;
    text::decode_at(title, pos);
    out.append(title.substr(start, pos - start));
  }
  return out;
}

std::string group_of(string_view s, const Match& m) {
  return std::string(strip(s.substr(m.group_begin, m.group_end - m.group_begin)));
}

constexpr std::size_t kMaxDerivedChars = 40;

// The first `max` sentences of the body's paragraphs, stripped, salutations and vocatives
// left out.
std::vector<string_view> opening_sentences(const std::vector<string_view>& body, std::size_t max) {
  std::vector<string_view> out;
  for (string_view para : body) {
    if (opening_salutation_size(para) == para.size() || vocative_size(para) == para.size())
      continue;
    for (std::size_t pos = 0; pos < para.size() && out.size() < max;) {
      const std::size_t end = sentence_end(para, pos);
      if (const string_view sentence = strip(para.substr(pos, end - pos)); !sentence.empty()) {
        out.push_back(sentence);
      }
      pos = skip_spaces(para, end);
    }
    if (out.size() >= max) break;
  }
  return out;
}

// The first sentence of the body that says more than a greeting (大家好！), without its
// end marks, cut back to its last comma within kMaxDerivedChars characters (or at them) and
// then marked with …
std::string first_sentence_title(const std::vector<string_view>& body) {
  for (string_view sentence : opening_sentences(body, 4)) {
    sentence = strip(without_end_marks(sentence));
    if (chars(sentence) <= 6) continue;
    if (chars(sentence) <= kMaxDerivedChars) return std::string(sentence);
    string_view head = text::prefix_code_points(sentence, kMaxDerivedChars);
    std::size_t comma = 0;
    for (string_view mark : {string_view("，"), string_view("、")}) {
      if (const std::size_t at = head.rfind(mark); at != npos) comma = std::max(comma, at);
    }
    if (chars(head.substr(0, comma)) >= 10) head = head.substr(0, comma);
    return std::string(head) + "…";
  }
  return "";
}

// A title derived from the text when it has no title line of its own.
std::string derive_title(const Head& head, const std::vector<string_view>& notes,
                         const std::vector<string_view>& body) {
  for (string_view note : notes) {
    if (note.starts_with("※")) {
      if (auto m = speech_occasion().find(note)) return group_of(note, *m);
    }
  }
  for (string_view note : notes) {
    if (auto m = dateline_in_brackets().at(note, 0); m && m->group_end > m->group_begin) {
      const std::string headline = group_of(note, *m);
      if (chars(headline) >= 8) return headline;
    }
  }
  if (!head.letter.empty() && !body.empty()) {
    const string_view first = body.front();
    if (head.letter == "回信" || head.letter == "复信") {
      if (const std::size_t n = opening_salutation_size(first)) {
        return "给" + std::string(strip(first.substr(0, n - string_view("：").size()))) + "的回信";
      }
    }
    if (auto m = occasion().at(first, 0)) {
      return "致" + group_of(first, *m) + "的" + std::string(head.letter);
    }
  }
  for (string_view lead : head.leads) {
    if (auto m = letter_addressee().find(lead)) return "给" + group_of(lead, *m) + "的回信";
  }
  // The opening sentences of a speech: 今天，我们召开…座谈会 / 隆重集会，纪念…
  for (const string_view sentence : opening_sentences(body, 3)) {
    if (auto m = draft_explained().find(sentence))
      return "关于" + group_of(sentence, *m) + "的说明";
    if (auto m = meeting_opened().find(sentence)) return "在" + group_of(sentence, *m) + "上的讲话";
    if (auto m = assembly_held().find(sentence)) {
      return "在" + group_of(sentence, *m) + "集会上的讲话";
    }
  }
  return first_sentence_title(body);
}

// The stripped, non-empty texts of the pieces that are notes (`notes`) or body, in order.
std::vector<string_view> lines_of(const std::vector<Piece>& pieces, bool notes) {
  std::vector<string_view> out;
  for (const Piece& p : pieces) {
    if (const string_view line = strip(p.text); p.note == notes && !line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

std::string joined(const std::vector<string_view>& lines) {
  std::string out;
  for (string_view line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

void CleanupTally::add(const CleanupResult& result) {
  ++documents;
  changed += result.changed;
  titles_fixed += result.title_fixed;
  titles_derived += result.title_derived;
  if (result.paragraphs_after > result.paragraphs_before) {
    ++texts_split;
    paragraphs_before += result.paragraphs_before;
    paragraphs_after += result.paragraphs_after;
  }
  lines_moved += result.lines_moved;
}

CleanupResult clean_up(doc::Document& d) {
  CleanupResult result;
  const std::string original = d.content;
  const std::vector<string_view> paragraphs = doc::paragraphs(original);
  result.paragraphs_before = result.paragraphs_after = paragraphs.size();
  if (paragraphs.empty()) return result;

  const bool bad_title = is_bad_title(d.title, original);
  SpeakerReader speakers(original);
  const Head head = HeadReader(paragraphs, d, !bad_title, speakers).read();

  // The body after the head, its note spans apart, pieces of flattened paragraphs marked.
  const bool law = is_law(paragraphs);
  std::vector<Piece> pieces = head.pieces;
  const std::size_t first_body = pieces.size();
  for (std::size_t i = head.paragraph; i < paragraphs.size(); ++i) {
    const string_view para =
        i == head.paragraph ? paragraphs[i].substr(head.offset) : paragraphs[i];
    const std::size_t length = chars(paragraphs[i]);
    const bool flattened = !law && (length >= kFlatParagraphChars ||
                                    (paragraphs.size() == 1 && length >= kFlatOnlyParagraphChars));
    std::size_t cursor = 0;
    for (const Span& span : note_spans(para)) {
      pieces.push_back(Piece{para.substr(cursor, span.begin - cursor), false, flattened});
      pieces.push_back(Piece{para.substr(span.begin, span.end - span.begin), true, false});
      cursor = span.end;
    }
    pieces.push_back(Piece{para.substr(cursor), false, flattened});
  }

  // The numbering of the markers at the starts of paragraphs and, in flattened pieces, of
  // sentences; a section numeral right after the speaker (※习近平一当前…) counts with the
  // ones after excerpt attributions.
  Numbering numbering;
  std::optional<Marker> numeral_after_speaker;
  for (std::size_t i = first_body; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    if (p.note) continue;
    const string_view s = strip(p.text);
    if (i == first_body && head.ends_with_speaker) {
      numeral_after_speaker = lone_numeral_at(s);
      if (numeral_after_speaker) numbering.add(*numeral_after_speaker);
    }
    std::vector<std::size_t> starts{0};
    if (p.flattened) {
      const auto more = sentence_starts(s);
      starts.insert(starts.end(), more.begin(), more.end());
      const auto items = after_colons(s);
      starts.insert(starts.end(), items.begin(), items.end());
    }
    for (const std::size_t at : starts) {
      if (auto m = marker_at(s.substr(at))) numbering.add(*m);
      if (!p.flattened) continue;
      if (auto a = attribution().at(s, at)) {
        if (auto n = lone_numeral_at(s.substr(skip_spaces(s, a->end)))) numbering.add(*n);
      }
    }
  }
  std::vector<Piece> split(pieces.begin(),
                           pieces.begin() + static_cast<std::ptrdiff_t>(first_body));
  for (std::size_t i = first_body; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    std::vector<std::size_t> cuts;
    if (!p.note && p.flattened) cuts = split_points(p.text, numbering);
    if (i == first_body && numeral_after_speaker &&
        numbering.has_neighbour(*numeral_after_speaker)) {
      cuts.insert(cuts.begin(), skip_spaces(p.text, 0) + numeral_after_speaker->size);
    }
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
      if (cut <= from) continue;
      split.push_back(Piece{p.text.substr(from, cut - from), p.note, p.flattened});
      from = cut;
    }
    split.push_back(Piece{p.text.substr(from), p.note, p.flattened});
  }

  const std::vector<string_view> body = lines_of(split, false);
  std::vector<string_view> notes = lines_of(split, true);
  if (body.empty()) return result;  // nothing but wrapping: leave the text as given

  // The title: the text's own title line, else one derived from the text.
  std::string title = d.title;
  bool derived = d.title_derived;
  std::string old_title_note;
  std::string restored_salutation;
  if (bad_title) {
    const bool own = !head.title.empty();
    std::string better =
        tidy_title(own ? string_view(head.title) : derive_title(head, notes, body));
    if (!better.empty()) {
      derived = !own;
      if (better != d.title) {
        // The old title goes where the text keeps it, unless the text has it already.
        const string_view old = without_ellipsis(d.title);
        if (!old.empty() && original.find(old) == npos) {
          if (opening_salutation_size(d.title) == d.title.size()) {
            restored_salutation = d.title;
          } else {
            old_title_note = "原标题：" + d.title;
          }
        }
        (own ? result.title_fixed : result.title_derived) = true;
        title = std::move(better);
      }
    }
  }
  if (!old_title_note.empty()) notes.push_back(old_title_note);

  std::vector<string_view> content_lines;
  if (!restored_salutation.empty()) content_lines.push_back(restored_salutation);
  content_lines.insert(content_lines.end(), body.begin(), body.end());
  std::string content = joined(content_lines);
  std::string note = d.source_note;
  if (!notes.empty()) note += (note.empty() ? "" : "\n") + joined(notes);

  result.lines_moved = notes.size();
  result.paragraphs_after = content_lines.size();
  result.changed = content != d.content || title != d.title || note != d.source_note ||
                   derived != d.title_derived;
  d.content = std::move(content);
  d.title = std::move(title);
  d.source_note = std::move(note);
  d.title_derived = derived;
  return result;
}

}  // namespace wenku::io
