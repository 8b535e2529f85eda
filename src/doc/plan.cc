#include "doc/plan.h"

#include <algorithm>
#include <array>
#include <optional>

#include "doc/numerals.h"
#include "doc/outline.h"
#include "text/utf8.h"

namespace wenku::doc {

namespace {

using Paras = std::vector<std::string_view>;

constexpr std::size_t kMaxTaskChars = 160;
constexpr std::size_t kLeadInReach = 3;         // paragraphs before a lead-in's first item
constexpr std::size_t kLeadInHeadingReach = 2;  // paragraphs from a heading to its lead-in
constexpr std::size_t kCountReach = 12;         // characters from a count to its work word
constexpr std::size_t kMaxUnmarkedHeadingChars = 30;
constexpr std::size_t kMinSentenceHan = 4;  // fewer: a fragment of a sentence cut by a line

constexpr std::array<std::string_view, 16> kPlanWords{
    "下一步",   "今后",       "重点工作", "工作安排", "工作部署", "工作打算",
    "工作计划", "工作的建议", "主要任务", "重点任务", "目标任务", "工作任务",
    "重大任务", "重大举措",   "主要举措", "民生实事"};
constexpr std::array<std::string_view, 7> kReviewWords{"回顾", "过去", "成就", "成绩",
                                                       "成效", "总结", "以来"};
constexpr std::array<std::string_view, 3> kPastWords{"过去", "以来", "回顾"};
constexpr std::array<std::string_view, 3> kReviewHeadingWords{"回顾", "成就", "总结"};
constexpr std::array<std::string_view, 9> kWorkWords{"工作", "任务", "行动", "举措", "措施",
                                                     "工程", "事情", "件事", "合作"};
constexpr std::array<std::string_view, 8> kAddresses{
    "各位代表", "同志们", "女士们", "先生们", "朋友们", "各位嘉宾", "各位朋友", "各位同事"};
constexpr std::array<std::string_view, 3> kSentenceEnds{"。", "！", "？"};

bool contains(std::string_view s, std::string_view word) {
  return s.find(word) != std::string_view::npos;
}

template <std::size_t N>
bool contains_any(std::string_view s, const std::array<std::string_view, N>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return contains(s, w); });
}

// Whether the last kCountReach characters of `before` hold a count (see is_plan_lead_in).
bool counts_before(std::string_view before) {
  std::size_t from = before.size();
  for (std::size_t n = 0; n < kCountReach && from > 0; ++n) {
    do {
      --from;
    } while (from > 0 && (static_cast<unsigned char>(before[from]) & 0xC0) == 0x80);
  }
  const std::string_view near = before.substr(from);
  for (std::string_view anchor : {"以下", "如下", "下面", "几个", "几项", "几方面", "几件"}) {
    if (contains(near, anchor)) return true;
  }
  for (std::size_t pos = 0; pos < near.size();) {
    const std::string_view rest = near.substr(pos);
    const DigitRun digits = digit_prefix(rest);
    const NumeralRun numeral = chinese_numeral_prefix(rest);
    const bool two = rest.starts_with("两");  // 两项: a count, though no numeral run
    const std::size_t bytes =
        two ? std::string_view("两").size() : std::max(digits.bytes, numeral.bytes);
    if (bytes == 0) {
      text::decode_at(near, pos);
      continue;
    }
    const std::int64_t value = two ? 2 : digits.bytes > 0 ? digits.value : numeral.value;
    const std::string_view unit = rest.substr(bytes);
    // 第二十条 is an ordinal; 党的二十大 names a congress: neither is a count.
    const std::string_view lead = before.substr(0, from + pos);
    const bool ordinal = lead.ends_with("第") || (unit.starts_with("大") && lead.ends_with("的"));
    if (value >= 2 && !ordinal) {
      for (std::string_view u : {"项", "大", "个方面", "方面", "个", "件", "条"}) {
        if (unit.starts_with(u)) return true;
      }
    }
    pos += bytes;
  }
  return false;
}

// A time named in a heading and where it ends.
struct Time {
  int last_year;    // the last year it covers (a five-year plan's last year)
  std::size_t end;  // byte offset after it
};

// The last year of the five-year plan that numeral run `run` ("十四五", "七五", "十五") names
// when `after` it reads as a plan's name (”, 时期, 计划, 规划, 期间), else 0.
int five_year_plan(std::string_view run, std::string_view after) {
  if (!run.ends_with("五")) return 0;
  const std::int64_t plan =
      chinese_numeral_value(run.substr(0, run.size() - std::string_view("五").size()));
  if (plan < 6 || plan > 19) return 0;
  for (std::string_view name : {"”", "\"", "时期", "计划", "规划", "期间"}) {
    if (after.starts_with(name)) return 1966 + 5 * static_cast<int>(plan - 3) + 4;  // 三五: 1966
  }
  return 0;
}

// The times named in `s`, in order: 2026年 and 二〇二六年, 今年 (`year`; not 今年以来), 明年
// (`year` + 1) and five-year plans (“十五五”: 2026–2030). A year of 0 (unknown) stands for
// 今年 and 明年.
std::vector<Time> times_in(std::string_view s, int year) {
  std::vector<Time> out;
  for (std::size_t pos = 0; pos < s.size();) {
    const std::string_view rest = s.substr(pos);
    const DigitRun digits = digit_prefix(rest);
    const NumeralRun numeral = chinese_numeral_prefix(rest);
    if (digits.bytes > 0 || numeral.bytes > 0) {
      const std::size_t bytes = digits.bytes > 0 ? digits.bytes : numeral.bytes;
      const std::string_view after = rest.substr(bytes);
      const bool year_run = digits.bytes > 0 || (numeral.chars == 4 && !numeral.has_unit);
      const std::int64_t value = digits.bytes > 0 ? digits.value : numeral.value;
      if (year_run && after.starts_with("年") && value >= 1000 && value <= 9999) {
        out.push_back(Time{static_cast<int>(value), pos + bytes});
      } else if (const int last =
                     digits.bytes > 0 ? 0 : five_year_plan(rest.substr(0, bytes), after);
                 last > 0) {
        out.push_back(Time{last, pos + bytes});
      }
      pos += bytes;
      continue;
    }
    if (rest.starts_with("今年") && !rest.starts_with("今年以来")) {
      out.push_back(Time{year, pos + std::string_view("今年").size()});
    } else if (rest.starts_with("明年")) {
      out.push_back(Time{year == 0 ? 0 : year + 1, pos + std::string_view("明年").size()});
    }
    text::decode_at(s, pos);
  }
  return out;
}

bool not_past(const Time& t, int year) {
  return year == 0 || t.last_year == 0 || t.last_year >= year;
}

// Whether `paragraph` opens with an address (各位代表！, 同志们，, 女士们、先生们！).
bool is_address(std::string_view paragraph) {
  for (std::string_view address : kAddresses) {
    if (!paragraph.starts_with(address)) continue;
    const std::string_view rest = paragraph.substr(address.size());
    if (rest.empty()) return true;
    for (std::string_view p : {"！", "，", "：", "、", "!", ",", ":"}) {
      if (rest.starts_with(p)) return true;
    }
  }
  return false;
}

// Splits `s` into sentences ended by 。！？ (the end kept), dropping blank ones.
std::vector<std::string_view> sentences(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    std::size_t cut = s.size();
    std::size_t skip = 0;
    for (std::string_view end : kSentenceEnds) {
      const std::size_t at = s.find(end);
      if (at < cut) {
        cut = at;
        skip = end.size();
      }
    }
    const std::string_view sentence = s.substr(0, std::min(s.size(), cut + skip));
    if (!text::trim(sentence).empty()) out.push_back(text::trim(sentence));
    s.remove_prefix(sentence.size());
  }
  return out;
}

std::size_t han_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < s.size();) n += text::is_han(text::decode_at(s, pos)) ? 1 : 0;
  return n;
}

// `s` without its end punctuation and number marker, at most kMaxTaskChars characters.
std::string task_text(std::string_view s) {
  s.remove_prefix(heading_marker_size(s));
  s = text::trim(s);
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view end : {"。", "！", "？", "；", "：", "，"}) {
      if (s.ends_with(end)) {
        s.remove_suffix(end.size());
        stripped = true;
      }
    }
  }
  const std::string_view head = text::prefix_code_points(s, kMaxTaskChars);
  if (head.size() < s.size()) {
    std::size_t cut = 0;
    for (std::string_view comma : {"，", "；", "、"}) {
      if (const std::size_t at = head.rfind(comma); at != std::string_view::npos)
        cut = std::max(cut, at);
    }
    s = cut > 0 ? head.substr(0, cut) : head;
  }
  return std::string(text::trim(s));
}

// The title of the attachment paragraph `i` opens (附件, 附件1：标题), or nullopt when it opens
// none; `title_para` is set to the paragraph holding the title.
std::optional<std::string_view> attachment_title(const Paras& paras, std::size_t i,
                                                 std::size_t& title_para) {
  std::string_view p = text::trim(paras[i]);
  if (!p.starts_with("附件")) return std::nullopt;
  p.remove_prefix(std::string_view("附件").size());
  const std::size_t number = std::max(digit_prefix(p).bytes, chinese_numeral_prefix(p).bytes);
  p.remove_prefix(number);
  bool separated = number > 0;
  for (std::string_view sep : {"：", ":", "　", " "}) {
    if (p.starts_with(sep)) {
      p.remove_prefix(sep.size());
      separated = true;
    }
  }
  p = text::trim(p);
  if (p.empty()) {
    title_para = i + 1;
    return title_para < paras.size() ? text::trim(paras[title_para]) : std::string_view();
  }
  if (!separated || text::count_code_points(p) > 40) return std::nullopt;
  title_para = i;
  return p;
}

// `paragraph` after its heading phrase (up to its first 。：；！？, as heading_text reads it).
std::string_view after_heading_phrase(std::string_view paragraph) {
  std::size_t stop = paragraph.size();
  for (std::string_view mark : {"。", "：", "；", "！", "？", ":"}) {
    if (const std::size_t at = paragraph.find(mark); at < stop) stop = at + mark.size();
  }
  return text::trim(paragraph.substr(stop));
}

// Whether `paragraph` is a heading without a number marker: a line of at most
// kMaxUnmarkedHeadingChars characters with a Han character and no punctuation but quotes.
bool is_unmarked_heading(std::string_view paragraph) {
  paragraph = text::trim(paragraph);
  if (paragraph.empty() || heading_marker_size(paragraph) > 0 ||
      text::count_code_points(paragraph) > kMaxUnmarkedHeadingChars) {
    return false;
  }
  for (std::string_view mark :
       {"。", "，", "、", "；", "：", "！", "？", ",", ";", ":", "!", "?"}) {
    if (contains(paragraph, mark)) return false;
  }
  return han_count(paragraph) > 0;
}

bool is_glossary_title(std::string_view p) {
  p = text::trim(p);
  return text::count_code_points(p) <= 12 && (contains(p, "名词解释") || contains(p, "名词注释"));
}

bool lists_tasks(std::string_view title) {
  static constexpr std::array<std::string_view, 7> kTaskWords{
      "实事", "重点工作", "工作安排", "任务", "清单", "项目", "分工"};
  static constexpr std::array<std::string_view, 4> kNoteWords{"名词", "注释", "解释", "说明"};
  return contains_any(title, kTaskWords) && !contains_any(title, kNoteWords);
}

// The items of a text: what plan_items collects, with the document's paragraphs and outline.
class PlanReader {
 public:
  explicit PlanReader(const Document& d)
      : d_(d),
        report_(is_government_report(d)),
        paras_(paragraphs(d.content)),
        outline_(extract_outline(d)) {}

  std::vector<PlanItem> read() {
    if (has_articles()) return {};
    const std::size_t body = body_end();
    const int year = year_of(d_.date);
    std::vector<bool> covered(paras_.size(), false);
    bool report_plan = false;  // a 政府工作报告's plan began at a top-level section
    std::size_t h = 0;         // the first outline item at or after paragraph p
    for (std::size_t p = 0; p < body; ++p) {
      while (h < outline_.size() && outline_[h].para < p) ++h;
      if (covered[p]) continue;
      const bool marked = h < outline_.size() && opens_with(p, outline_[h]);
      std::string heading;
      std::size_t end = body;
      const bool top = marked && outline_[h].level == 1;
      if (marked && !under_review(h, year) &&
          (is_plan_heading(outline_[h].text, year) ||
           (report_plan && top && !contains_any(outline_[h].text, kReviewWords)))) {
        heading = outline_[h].text;
        report_plan = report_plan || (report_ && top);
        for (std::size_t k = h + 1; k < outline_.size(); ++k) {
          if (outline_[k].level <= outline_[h].level) {
            end = std::min(end, outline_[k].para);
            break;
          }
        }
      } else if (!marked && p > 0 && text::trim(paras_[p]) != d_.title &&
                 is_unmarked_heading(paras_[p]) && is_plan_heading(paras_[p], year)) {
        heading = std::string(text::trim(paras_[p]));
        for (std::size_t k = p + 1; k < end; ++k) {
          if (is_unmarked_heading(paras_[k])) end = k;
        }
      } else {
        continue;
      }
      section(p, heading, end, covered);
    }
    if (!found_section_ && report_) sections_after_review(body, covered);
    lead_in_items(body, covered);
    attachment_items(body);
    std::stable_sort(items_.begin(), items_.end(),
                     [](const PlanItem& a, const PlanItem& b) { return a.begin < b.begin; });
    return std::move(items_);
  }

 private:
  std::size_t offset(std::string_view part) const {
    return static_cast<std::size_t>(part.data() - d_.content.data());
  }

  // The items of the plan section headed `heading` in paragraph `p`, up to paragraph `end`.
  void section(std::size_t p, const std::string& heading, std::size_t end,
               std::vector<bool>& covered) {
    found_section_ = true;
    std::fill(covered.begin() + static_cast<std::ptrdiff_t>(p),
              covered.begin() + static_cast<std::ptrdiff_t>(std::max(end, p + 1)), true);
    std::size_t next = 0;  // the first outline item after the heading
    while (next < outline_.size() && outline_[next].para <= p) ++next;
    if (report_) {
      sentence_items(p, heading, next, end);
    } else {
      list_items(p + 1, end, heading, false);
    }
  }

  // A 政府工作报告 that names no plan section: its top-level sections after the last review
  // (a heading naming 回顾, 成就 or 总结) are its plan.
  void sections_after_review(std::size_t body, std::vector<bool>& covered) {
    std::size_t review = outline_.size();
    for (std::size_t k = 0; k < outline_.size() && outline_[k].para < body; ++k) {
      if (outline_[k].level == 1 && contains_any(outline_[k].text, kReviewHeadingWords)) review = k;
    }
    for (std::size_t k = review + 1; k < outline_.size() && outline_[k].para < body; ++k) {
      if (outline_[k].level != 1) continue;
      std::size_t end = body;
      for (std::size_t j = k + 1; j < outline_.size(); ++j) {
        if (outline_[j].level == 1) {
          end = std::min(end, outline_[j].para);
          break;
        }
      }
      section(outline_[k].para, outline_[k].text, end, covered);
    }
  }

  // Whether a heading above outline_[h] (a section holding it) is a review: it names a review
  // word or a time before `year` ("一、2025年工作回顾" holds "三是…主要目标任务如期完成").
  bool under_review(std::size_t h, int year) const {
    int level = outline_[h].level;
    for (std::size_t k = h; k-- > 0 && level > 1;) {
      if (outline_[k].level >= level) continue;
      level = outline_[k].level;
      const std::string_view heading = outline_[k].text;
      const auto times = times_in(heading, year);
      if (contains_any(heading, kReviewWords) ||
          std::any_of(times.begin(), times.end(),
                      [&](const Time& t) { return !not_past(t, year); })) {
        return true;
      }
    }
    return false;
  }

  // Whether the text is made of articles (第一条 …): a law or a regulation, which has no plan.
  bool has_articles() const {
    return std::any_of(paras_.begin(), paras_.end(), [](std::string_view p) {
      p = text::trim(p);
      return heading_marker_size(p) > 0 && !list_marker(p);
    });
  }

  // The paragraph where the attachments or a glossary start (the end of the body).
  std::size_t body_end() const {
    for (std::size_t i = 0; i < paras_.size(); ++i) {
      std::size_t title = 0;
      if (attachment_title(paras_, i, title) || is_glossary_title(paras_[i])) return i;
    }
    return paras_.size();
  }

  // Whether paragraph `p` opens with outline heading `item`.
  bool opens_with(std::size_t p, const OutlineItem& item) const {
    const std::string_view t = text::trim(paras_[p]);
    const std::size_t marker = heading_marker_size(t);
    return item.para == p && marker > 0 &&
           std::string_view(item.text).starts_with(t.substr(0, marker));
  }

  // Adds the item of `text` (read from paragraph `text_para`), covering [begin, end).
  void add(std::string_view text, std::string section, std::size_t para, std::size_t text_para,
           std::size_t begin, std::size_t end, bool sentence) {
    std::string task = task_text(text);
    if (task.empty()) return;
    items_.push_back(
        PlanItem{std::move(task), std::move(section), para, text_para, begin, end, sentence});
  }

  // The task sentences of the 政府工作报告 section headed `section` in paragraph `heading`,
  // up to paragraph `end`; outline_[next] is the first heading after its own.
  void sentence_items(std::size_t heading, std::string section, std::size_t next, std::size_t end) {
    const bool has_subheadings = next < outline_.size() && outline_[next].para < end;
    bool skipping = false;
    for (std::size_t p = has_subheadings ? outline_[next].para : heading; p < end; ++p) {
      std::string_view body = text::trim(paras_[p]);
      bool opens = p == heading;
      for (; next < outline_.size() && outline_[next].para <= p; ++next) {
        if (!opens_with(p, outline_[next])) continue;
        section = outline_[next].text;
        opens = true;
      }
      if (opens) {
        skipping = false;
        body = after_heading_phrase(body);
      }
      if (is_address(body)) skipping = true;
      if (skipping) continue;
      for (std::string_view s : sentences(body)) {
        if (s.ends_with("：") || s.ends_with(":") || han_count(s) < kMinSentenceHan) continue;
        add(s, section, p, p, offset(s), offset(s) + s.size(), true);
      }
    }
  }

  // The numbered items of the lists in paragraphs [begin, end) (see plan_items); `lead_in`:
  // the lists a lead-in announced, which end at whatever breaks them. Returns the paragraph
  // after the last one read.
  std::size_t list_items(std::size_t begin, std::size_t end, const std::string& section,
                         bool lead_in) {
    struct Found {
      std::size_t para;
      std::size_t depth;
      std::size_t parent;  // index in `found` of the item holding its list, or npos
    };
    struct Open {
      int system;
      int number;
      std::size_t item;  // index in `found` of its last item
    };
    constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::vector<Found> found;
    std::vector<Open> open;
    std::size_t p = begin;
    for (; p < end; ++p) {
      const std::string_view t = text::trim(paras_[p]);
      if (is_address(t)) {
        if (lead_in) break;
        open.clear();
        continue;
      }
      const auto m = list_marker(t);
      if (!m) {
        if (lead_in && found.empty() && p - begin >= kLeadInReach) break;
        continue;
      }
      // A lead-in's list ends where no item follows within reach.
      if (lead_in && !found.empty() && p - found.back().para > kLeadInReach) break;
      const auto depth = std::find_if(open.begin(), open.end(),
                                      [&](const Open& o) { return o.system == m->system; });
      if (depth != open.end()) {
        const bool next = m->number == depth->number + 1 || (m->number == 0 && depth->number >= 2);
        if (!next) {
          if (lead_in) break;
          continue;
        }
        open.erase(depth + 1, open.end());
        open.back().number = m->number == 0 ? open.back().number + 1 : m->number;
      } else if (m->number == 1) {
        open.push_back(Open{m->system, 1, npos});
      } else {
        if (lead_in) break;
        continue;
      }
      const std::size_t d = open.size() - 1;
      found.push_back(Found{p, d, d > 0 ? open[d - 1].item : npos});
      open.back().item = found.size() - 1;
    }
    for (std::size_t k = 0; k < found.size(); ++k) {
      if (k + 1 < found.size() && found[k + 1].depth > found[k].depth) continue;  // holds a list
      const std::size_t para = found[k].para;
      const std::size_t stop = k + 1 < found.size() ? found[k + 1].para : p;
      const std::size_t end_offset =
          stop < paras_.size() ? offset(paras_[stop]) : d_.content.size();
      std::size_t text_para = para;  // a marker alone takes its text from the next paragraph
      const std::string_view t = text::trim(paras_[para]);
      if (text::trim(t.substr(heading_marker_size(t))).empty() && para + 1 < paras_.size())
        ++text_para;
      const std::string_view first = text::trim(paras_[text_para]);
      const auto s = sentences(first);
      add(s.empty() ? first : s.front(),
          found[k].parent == npos ? section
                                  : heading_text(text::trim(paras_[found[found[k].parent].para])),
          para, text_para, offset(paras_[para]), end_offset, false);
    }
    return p;
  }

  // The inline list after a lead-in in paragraph `p` (from byte `from` of its trimmed text):
  // items numbered from 1, each after a 。：；; true when it has at least two.
  bool inline_items(std::size_t p, std::size_t from, const std::string& section) {
    const std::string_view t = text::trim(paras_[p]);
    std::vector<std::size_t> found;  // where each item starts
    std::optional<ListMarker> first;
    for (std::size_t pos = from; pos < t.size();) {
      std::size_t next = std::string_view::npos;
      for (std::string_view stop : {"。", "：", "；", ":", ";"}) {
        if (const std::size_t at = t.find(stop, pos); at != std::string_view::npos)
          next = std::min(next, at + stop.size());
      }
      if (next == std::string_view::npos) break;
      const auto m = list_marker(t.substr(next));
      const int expected = static_cast<int>(found.size()) + 1;
      if (m && m->number == expected && (!first || first->system == m->system)) {
        if (!first) first = m;
        found.push_back(next);
      }
      pos = next;
    }
    if (found.size() < 2) return false;
    for (std::size_t k = 0; k < found.size(); ++k) {
      const std::size_t end = k + 1 < found.size() ? found[k + 1] : t.size();
      std::string_view item = t.substr(found[k], end - found[k]);
      std::size_t cut = item.size();
      for (std::string_view stop : {"。", "；", ";"}) cut = std::min(cut, item.find(stop));
      add(item.substr(0, cut), section, p, p, offset(item), offset(item) + item.size(), false);
    }
    return true;
  }

  // The lists announced by lead-in sentences in the body outside the sections `covered`.
  void lead_in_items(std::size_t body, const std::vector<bool>& covered) {
    for (std::size_t p = 0; p < body; ++p) {
      if (covered[p]) continue;
      const std::string_view t = text::trim(paras_[p]);
      const auto all = sentences(t);
      for (std::size_t k = 0; k < all.size(); ++k) {
        if (!is_plan_lead_in(all[k])) continue;
        const std::string section = lead_in_section(p, all[k]);
        if (inline_items(p, offset(all[k]) - offset(t), section)) break;
        if (k + 1 < all.size()) continue;  // a list follows the paragraph's last sentence
        const std::size_t before = items_.size();
        const std::size_t after = list_items(p + 1, body, section, true);
        if (items_.size() > before) p = after - 1;
      }
    }
  }

  // The section of a lead-in sentence in paragraph `p`: the heading at most two paragraphs
  // above it, else the sentence.
  std::string lead_in_section(std::size_t p, std::string_view sentence) const {
    for (auto it = outline_.rbegin(); it != outline_.rend(); ++it) {
      if (it->para > p) continue;
      if (p - it->para <= kLeadInHeadingReach) return it->text;
      break;
    }
    return heading_text(sentence);
  }

  // The items of the attachments that list tasks, from paragraph `body` on.
  void attachment_items(std::size_t body) {
    std::vector<std::pair<std::size_t, std::size_t>> starts;  // (marker, title paragraph)
    for (std::size_t i = body; i < paras_.size(); ++i) {
      std::size_t title = 0;
      if (attachment_title(paras_, i, title) || is_glossary_title(paras_[i])) {
        starts.emplace_back(i, is_glossary_title(paras_[i]) ? i : title);
      }
    }
    for (std::size_t a = 0; a < starts.size(); ++a) {
      const auto [marker, title_para] = starts[a];
      std::size_t unused = 0;
      const auto title = attachment_title(paras_, marker, unused);
      if (!title || !lists_tasks(*title)) continue;
      const std::size_t end = a + 1 < starts.size() ? starts[a + 1].first : paras_.size();
      list_items(title_para + 1, end, heading_text(*title), false);
    }
  }

  const Document& d_;
  const bool report_;  // a 政府工作报告: its sections' items are sentences
  const Paras paras_;
  const std::vector<OutlineItem> outline_;
  std::vector<PlanItem> items_;
  bool found_section_ = false;  // a plan section was read
};

}  // namespace

bool is_plan_heading(std::string_view heading, int year) {
  const std::vector<Time> times = times_in(heading, year);
  // The nearest time before byte `at`, when there is one.
  auto time_before = [&](std::size_t at) -> const Time* {
    const Time* found = nullptr;
    for (const Time& t : times) {
      if (t.end <= at) found = &t;
    }
    return found;
  };
  for (std::string_view word : kPlanWords) {
    for (std::size_t at = heading.find(word); at != std::string_view::npos;
         at = heading.find(word, at + word.size())) {
      const Time* t = time_before(at);
      if (t && !not_past(*t, year)) continue;
      const std::size_t from = t ? t->end : 0;
      if (!contains_any(heading.substr(from, at - from), kReviewWords)) return true;
    }
  }
  for (const Time& t : times) {
    const std::string_view after = heading.substr(t.end);
    if (not_past(t, year) && (contains(after, "工作") || contains(after, "任务")) &&
        !contains_any(after, kReviewWords)) {
      return true;
    }
  }
  // A count of work to do: 全力抓好七项重点工作.
  return is_plan_lead_in(heading) && !contains_any(heading, kReviewWords) &&
         std::all_of(times.begin(), times.end(), [&](const Time& t) { return not_past(t, year); });
}

bool is_plan_lead_in(std::string_view sentence) {
  if (contains_any(sentence, kPastWords)) return false;
  for (std::string_view word : kWorkWords) {
    for (std::size_t at = sentence.find(word); at != std::string_view::npos;
         at = sentence.find(word, at + word.size())) {
      const std::string_view before = sentence.substr(0, at);
      if (contains(before, "了")) break;
      if (counts_before(before)) return true;
    }
  }
  return false;
}

bool is_government_report(const Document& d) {
  return d.category == "政府工作报告" ||
         (contains(d.title, "政府工作报告") && !contains(d.title, "关于"));
}

std::vector<PlanItem> plan_items(const Document& d) { return PlanReader(d).read(); }

}  // namespace wenku::doc
