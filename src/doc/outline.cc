#include "doc/outline.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "doc/numerals.h"
#include "text/utf8.h"

namespace wenku::doc {

namespace {

// The numbering systems of headings; each keeps its own count.
enum class System {
  kBian,        // 第一编
  kFenbian,     // 第一分编
  kPart,        // 第一部分
  kChapter,     // 第一章
  kSection,     // 第一节
  kArticle,     // 第一条 (an article: the body of a law, no heading)
  kHanComma,    // 一、
  kHanParen,    // （一）
  kDigitDot,    // 1. 1．
  kDigitComma,  // 1、
  kDigitParen,  // （1）
  kOrdinal,     // 第一，
  kYiShi,       // 一是
  kYiYao,       // 一要
  kSequence,    // 首先 其次 再次 最后
  kCount
};

constexpr std::size_t kSystems = static_cast<std::size_t>(System::kCount);
constexpr int kLastItem = 0;  // number of 最后: continues whatever came before
constexpr std::size_t kMaxHeadingChars = 40;

struct Marker {
  System system;
  int number;
  std::size_t end = 0;  // byte length of the marker itself ("一、", "第一，", "（一）")
};

// A paragraph that starts with a marker, before the numbering is checked.
struct Candidate {
  std::size_t para;
  Marker marker;
  std::string_view paragraph;  // from the marker to the end of its paragraph
  std::size_t offset;          // byte offset of the marker in its (trimmed) paragraph
  std::string_view next;       // the following paragraph, when it has no marker of its own
};

bool consume(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// The marker read from `original`, now advanced to `rest` (plus `extra` bytes of suffix).
Marker marker_at(System system, int number, std::string_view original, std::string_view rest,
                 std::size_t extra = 0) {
  return Marker{system, number, original.size() - rest.size() + extra};
}

// Reads a number in Chinese numerals or digits at the start of `s`, advancing it.
std::optional<int> consume_number(std::string_view& s, bool digits) {
  if (digits) {
    const DigitRun run = digit_prefix(s);
    if (run.bytes == 0 || run.value > 9999) return std::nullopt;
    s.remove_prefix(run.bytes);
    return static_cast<int>(run.value);
  }
  const NumeralRun run = chinese_numeral_prefix(s);
  if (run.bytes == 0 || run.value <= 0 || run.value > 9999) return std::nullopt;
  s.remove_prefix(run.bytes);
  return static_cast<int>(run.value);
}

bool starts_with_digit(std::string_view s) { return digit_prefix(s).bytes > 0; }

// （一） (一) （1） (1)
std::optional<Marker> parenthesised(const std::string_view paragraph) {
  std::string_view s = paragraph;
  if (!consume(s, "（") && !consume(s, "(")) return std::nullopt;
  const bool digits = starts_with_digit(s);
  const auto n = consume_number(s, digits);
  if (!n || (!consume(s, "）") && !consume(s, ")"))) return std::nullopt;
  return marker_at(digits ? System::kDigitParen : System::kHanParen, *n, paragraph, s);
}

// 第一编 第一分编 第一部分 第一章 第一节 第一条 第一，
std::optional<Marker> ordinal(const std::string_view paragraph) {
  std::string_view s = paragraph;
  if (!consume(s, "第")) return std::nullopt;
  const auto n = consume_number(s, starts_with_digit(s));
  if (!n) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, System>, 9> kSuffixes{
      {{"分编", System::kFenbian},
       {"编", System::kBian},
       {"部分", System::kPart},
       {"章", System::kChapter},
       {"节", System::kSection},
       {"条", System::kArticle},
       {"，", System::kOrdinal},
       {"、", System::kOrdinal},
       {",", System::kOrdinal}}};
  for (const auto& [suffix, system] : kSuffixes) {
    if (s.starts_with(suffix)) return marker_at(system, *n, paragraph, s, suffix.size());
  }
  return std::nullopt;
}

// 一、 一是 一要 1. 1． 1、
std::optional<Marker> bare_number(const std::string_view paragraph) {
  std::string_view s = paragraph;
  const bool digits = starts_with_digit(s);
  const auto n = consume_number(s, digits);
  if (!n) return std::nullopt;
  if (digits) {
    if (consume(s, "、")) return marker_at(System::kDigitComma, *n, paragraph, s);
    if ((consume(s, ".") || consume(s, "．")) && !starts_with_digit(s)) {
      return marker_at(System::kDigitDot, *n, paragraph, s);
    }
    return std::nullopt;
  }
  if (consume(s, "、")) return marker_at(System::kHanComma, *n, paragraph, s);
  if (consume(s, "是")) return marker_at(System::kYiShi, *n, paragraph, s);
  if (consume(s, "要")) return marker_at(System::kYiYao, *n, paragraph, s);
  return std::nullopt;
}

// 首先 其次 再次 最后, followed by a comma, colon, 要 or 是.
std::optional<Marker> sequence_word(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, int>, 4> kWords{
      {{"首先", 1}, {"其次", 2}, {"再次", 3}, {"最后", kLastItem}}};
  for (const auto& [word, number] : kWords) {
    std::string_view rest = s;
    if (!consume(rest, word)) continue;
    for (std::string_view next : {"，", "、", "：", ",", "要", "是"}) {
      if (rest.starts_with(next)) return marker_at(System::kSequence, number, s, rest, next.size());
    }
  }
  return std::nullopt;
}

std::optional<Marker> marker_of(std::string_view paragraph) {
  if (auto m = parenthesised(paragraph)) return m;
  if (auto m = ordinal(paragraph)) return m;
  if (auto m = bare_number(paragraph)) return m;
  return sequence_word(paragraph);
}

// The divisions of a law, which hold its articles: 编 分编 部分 章 节.
bool is_division(System system) {
  return system == System::kBian || system == System::kFenbian || system == System::kPart ||
         system == System::kChapter || system == System::kSection;
}

// A numbered paragraph that ends in ；is an item of an enumeration.
bool is_enumeration_item(std::string_view paragraph) {
  return paragraph.ends_with("；") || paragraph.ends_with(";");
}

// The heading phrase of a paragraph: up to its first 。：；！？ (all of it without them).
std::string_view phrase_of(std::string_view paragraph) {
  std::size_t end = paragraph.size();
  for (std::string_view stop : {"。", "：", "；", "！", "？", ":"}) {
    end = std::min(end, paragraph.find(stop));
  }
  return paragraph.substr(0, end);
}

// `heading` (a marker, with its punctuation in its first `marker` bytes, then the phrase) cut
// to at most kMaxHeadingChars characters: back to its last ， or 、 after the marker when it
// has one, else at the bound (never inside a UTF-8 sequence).
std::string bounded(std::string_view heading, std::size_t marker) {
  const std::string_view head = text::prefix_code_points(heading, kMaxHeadingChars);
  if (head.size() < heading.size()) {
    std::size_t cut = 0;
    for (std::string_view comma : {"，", "、"}) {
      const std::size_t at = head.rfind(comma);
      if (at != std::string_view::npos && at > marker) cut = std::max(cut, at);
    }
    heading = cut > 0 ? head.substr(0, cut) : head;
  }
  return std::string(text::trim(heading));
}

// The byte length of marker `m` at the start of `s` with the punctuation after it.
std::size_t marker_size(std::string_view s, const Marker& m) {
  std::string_view rest = s.substr(m.end);
  for (std::string_view punct : {"，", "、", "：", ",", ":"}) consume(rest, punct);
  return s.size() - rest.size();
}

// Whether `paragraph` (starting with marker `m`) reads as a heading rather than a sentence: a
// phrase of at most kMaxHeadingChars characters with no sentence end before its last
// character, not opening with a Chinese numeral (一、二等奖 is no heading) and not ending in ；.
bool heading_shaped(std::string_view paragraph, const Marker& m) {
  std::string_view phrase = text::trim(paragraph.substr(marker_size(paragraph, m)));
  if (phrase.empty() || is_enumeration_item(phrase) ||
      text::count_code_points(paragraph) > kMaxHeadingChars) {
    return false;
  }
  if (chinese_numeral_prefix(phrase).bytes > 0) return false;
  static constexpr std::array<std::string_view, 9> kStops{"。", "！", "？", "；", "：",
                                                          "!",  "?",  ";",  ":"};
  for (std::string_view stop : kStops) {
    if (phrase.ends_with(stop)) phrase.remove_suffix(stop.size());
  }
  return std::none_of(kStops.begin(), kStops.end(), [&](std::string_view stop) {
    return phrase.find(stop) != std::string_view::npos;
  });
}

// Decides which candidates are headings and at which level. The open lists form a stack,
// outermost first; each remembers its system and the number of its last item.
class OutlineBuilder {
 public:
  // `han_comma_paragraphs`: how many paragraphs of the text open with a 一、 marker, articles
  // and their items included.
  OutlineBuilder(const std::vector<Candidate>& candidates, std::size_t han_comma_paragraphs)
      : candidates_(candidates), han_comma_paragraphs_(han_comma_paragraphs) {
    closed_last_.fill(-1);
  }

  // Decides candidate `i` (called in text order): its level, or 0 when it is no heading.
  int level_of(std::size_t i) {
    const Candidate& c = candidates_[i];
    const int n = c.marker.number;
    const System system = c.marker.system;
    int& closed = closed_last_[static_cast<std::size_t>(system)];
    if (is_enumeration_item(c.paragraph)) return reject(closed);
    if (n == 1) {
      if (!next_is_second(i) && !is_lone_heading(i)) return reject(closed);
      // A new list: it replaces a list of its system that is innermost, else it nests,
      // even inside a list of its own system further out.
      if (!open_.empty() && open_.back().system == system) close_after(open_.size() - 1);
      return open(system, 1);
    }
    for (std::size_t depth = open_.size(); depth-- > 0;) {
      OpenList& list = open_[depth];
      if (list.system != system) continue;
      if (n == kLastItem ? list.last < 2 : list.last != n - 1) break;
      list.last = n == kLastItem ? list.last + 1 : n;
      close_after(depth + 1);
      return static_cast<int>(depth + 1);
    }
    // A list closed by an outer heading may go on (a numbering run on across the outer list).
    if (n != kLastItem && closed == n - 1) return open(system, n);
    return reject(closed);
  }

 private:
  struct OpenList {
    System system;
    int last;
  };

  int open(System system, int number) {
    open_.push_back(OpenList{system, number});
    return static_cast<int>(open_.size());
  }

  static int reject(int& closed) {
    closed = -1;  // a rejected item breaks its system's numbering
    return 0;
  }

  void close_after(std::size_t depth) {
    for (std::size_t k = depth; k < open_.size(); ++k) {
      closed_last_[static_cast<std::size_t>(open_[k].system)] = open_[k].last;
    }
    open_.resize(depth);
  }

  // Whether candidate `i` is a 一、 heading alone in its text (an excerpt, a truncated text):
  // the only paragraph of the text opening with a 一、 marker, and of heading shape (see
  // heading_shaped).
  bool is_lone_heading(std::size_t i) const {
    const Candidate& c = candidates_[i];
    return c.marker.system == System::kHanComma && c.offset == 0 && han_comma_paragraphs_ == 1 &&
           heading_shaped(c.paragraph, c.marker);
  }

  // Whether a later item 2 of the system of candidate `i` (item 1) continues its list; lists of
  // the same system nested inside it (their own items 1 and 2) are skipped. After 首先 the
  // next item must be 其次: 首先 … 最后 alone is how speeches open and close, not a list.
  bool next_is_second(std::size_t i) const {
    const System system = candidates_[i].marker.system;
    int nested = 0;
    for (std::size_t j = i + 1; j < candidates_.size(); ++j) {
      const Marker& m = candidates_[j].marker;
      if (m.system != system) continue;
      if (m.number == 1) {
        ++nested;
      } else if (m.number == 2) {
        if (nested == 0) return true;
        --nested;
      } else if (nested == 0) {
        return false;
      }
    }
    return false;
  }

  const std::vector<Candidate>& candidates_;
  const std::size_t han_comma_paragraphs_;
  std::vector<OpenList> open_;
  std::array<int, kSystems> closed_last_{};  // last number of the latest closed list per system
};

// The heading text of a candidate: its marker and phrase. A marker standing alone in its
// paragraph ("一要", "第一，") takes its phrase from the next paragraph.
std::string candidate_text(const Candidate& c) {
  const std::size_t marker = marker_size(c.paragraph, c.marker);
  if (!text::trim(c.paragraph.substr(marker)).empty() || c.next.empty()) {
    return bounded(phrase_of(c.paragraph), marker);
  }
  return bounded(std::string(c.paragraph).append(phrase_of(c.next)), c.paragraph.size());
}

// The list item before `m` is often written inside one of the two paragraphs before
// `para`, as a later sentence ("…困难和挑战。一是国际金融危机…。" then "二是…" as the next
// paragraph). Returns the last such item, searching the nearest paragraph first.
std::optional<Candidate> inline_previous_item(const std::vector<std::string_view>& paras,
                                              std::size_t para, const Marker& m) {
  for (std::size_t back = 1; back <= 2 && back <= para; ++back) {
    const std::string_view p = text::trim(paras[para - back]);
    std::optional<Candidate> found;
    for (std::size_t pos = 0;;) {
      std::size_t next = std::string_view::npos;
      for (std::string_view stop : {"。", "：", "；", "！", "？"}) {
        const std::size_t at = p.find(stop, pos);
        if (at != std::string_view::npos) next = std::min(next, at + stop.size());
      }
      if (next == std::string_view::npos) break;
      const std::string_view sentence = p.substr(next);
      const auto item = marker_of(sentence);
      if (item && item->system == m.system && item->number == m.number - 1) {
        found = Candidate{para - back, *item, sentence, next, {}};
      }
      pos = next;
    }
    if (found) return found;
  }
  return std::nullopt;
}

// The marked paragraphs of `paras`, plus list items written inline just before a marked
// paragraph that continues their list, in text order.
std::vector<Candidate> find_candidates(const std::vector<std::string_view>& paras) {
  std::vector<Candidate> candidates;
  std::array<int, kSystems> last_number{};  // number of the last candidate of each system
  bool in_article = false;                  // from an article to the next division of the law
  for (std::size_t i = 0; i < paras.size(); ++i) {
    const std::string_view p = text::trim(paras[i]);
    const auto marker = marker_of(p);
    if (!marker) continue;
    if (marker->system == System::kArticle) in_article = true;
    if (is_division(marker->system)) in_article = false;
    if (in_article) continue;
    int& last = last_number[static_cast<std::size_t>(marker->system)];
    if (marker->number >= 2 && last != marker->number - 1) {
      if (auto item = inline_previous_item(paras, i, *marker)) candidates.push_back(*item);
    }
    last = marker->number;
    candidates.push_back(Candidate{i, *marker, p, 0, {}});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.para != b.para ? a.para < b.para : a.offset < b.offset;
                   });
  for (Candidate& c : candidates) {
    const std::size_t next = c.para + 1;
    if (next < paras.size() && !marker_of(text::trim(paras[next])))
      c.next = text::trim(paras[next]);
  }
  return candidates;
}

}  // namespace

std::size_t heading_marker_size(std::string_view s) {
  const auto marker = marker_of(s);
  return marker ? marker_size(s, *marker) : 0;
}

std::optional<ListMarker> list_marker(std::string_view s) {
  const auto marker = marker_of(s);
  if (!marker || marker->system == System::kArticle) return std::nullopt;
  return ListMarker{static_cast<int>(marker->system), marker->number, marker_size(s, *marker)};
}

std::string heading_text(std::string_view s) {
  const auto marker = marker_of(s);
  return bounded(phrase_of(s), marker ? marker_size(s, *marker) : 0);
}

std::vector<OutlineItem> extract_outline(const Document& d) {
  const std::vector<std::string_view> paras = paragraphs(d.content);
  const std::vector<Candidate> candidates = find_candidates(paras);
  const auto han_comma = std::count_if(paras.begin(), paras.end(), [](std::string_view p) {
    const auto marker = marker_of(text::trim(p));
    return marker && marker->system == System::kHanComma;
  });
  std::vector<OutlineItem> outline;
  OutlineBuilder builder(candidates, static_cast<std::size_t>(han_comma));
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (const int level = builder.level_of(i); level > 0) {
      outline.push_back(OutlineItem{level, candidate_text(candidates[i]), candidates[i].para});
    }
  }
  return outline;
}

}  // namespace wenku::doc
