#include "doc/tasks.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "doc/outline.h"
#include "doc/plan.h"
#include "text/utf8.h"

namespace wenku::doc {

namespace {

constexpr std::size_t kMaxFieldChars = 20;
constexpr std::size_t kMaxTaskChars = 40;
constexpr std::size_t kBareVerbChars = 2;  // 完成, 到位: a verb alone names no work

constexpr std::array<std::string_view, 6> kSentenceEnds{"。", "！", "？", "；", "!", "?"};
constexpr std::array<std::string_view, 4> kClauseEnds{"，", "：", ",", ":"};
constexpr std::array<std::string_view, 7> kReferences{
    "这项工作", "此项工作", "该项工作", "这项任务", "此项任务", "上述工作", "这些工作"};
constexpr std::array<std::string_view, 4> kPartnerVerbs{"参与", "配合", "协助", "参加"};
constexpr std::array<std::string_view, 4> kImplementPhrases{"具体抓好落实", "具体负责落实",
                                                            "负责落实", "具体落实"};
constexpr std::array<std::string_view, 10> kAdverbs{"要",   "积极", "密切", "全力", "主动",
                                                    "共同", "协同", "具体", "负责", "等部门"};
constexpr std::array<std::string_view, 5> kLeaderEnds{"同志", "书记", "长", "主任", "主席"};
// How the names of bodies end (市发展改革委, 区司法局, 各县区, 领导小组办公室): a body that is
// 负责 is the lead unit, not a leader.
constexpr std::array<std::string_view, 24> kUnitEnds{
    "局",   "委",   "办", "厅", "部",   "院",   "所", "中心", "政府", "公司", "集团", "单位",
    "部门", "县区", "县", "区", "街道", "乡镇", "处", "科",   "室",   "站",   "组",   "会"};

// Splits `s` after each of `ends`, trimming the pieces and dropping empty ones.
template <std::size_t N>
std::vector<std::string_view> split(std::string_view s,
                                    const std::array<std::string_view, N>& ends) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    std::size_t cut = s.size();
    std::size_t skip = 0;
    for (std::string_view end : ends) {
      const std::size_t at = s.find(end);
      if (at < cut) {
        cut = at;
        skip = end.size();
      }
    }
    if (const auto piece = text::trim(s.substr(0, cut)); !piece.empty()) out.push_back(piece);
    s.remove_prefix(std::min(s.size(), cut + skip));
  }
  return out;
}

template <std::size_t N>
bool ends_with_any(std::string_view s, const std::array<std::string_view, N>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return s.ends_with(w); });
}

// Drops a leading 由 (also one inside: "这项工作由李明同志" -> "李明同志") and trailing adverbs.
std::string_view subject_of(std::string_view before_verb) {
  if (const std::size_t at = before_verb.rfind("由"); at != std::string_view::npos) {
    before_verb.remove_prefix(at + std::string_view("由").size());
  }
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view adverb : kAdverbs) {
      if (before_verb.size() > adverb.size() && before_verb.ends_with(adverb)) {
        before_verb.remove_suffix(adverb.size());
        stripped = true;
      }
    }
  }
  return text::trim(before_verb);
}

// `s` as a leader or unit name: "" when it is empty, longer than 20 characters, or reads as a
// clause rather than a name (contains 要 or quotation marks, ends with 、).
std::string bounded(std::string_view s) {
  const std::size_t chars = text::count_code_points(s);
  const bool clause = s.find("要") != std::string_view::npos ||
                      s.find("“") != std::string_view::npos ||
                      s.find("”") != std::string_view::npos || s.ends_with("、");
  return chars > 0 && chars <= kMaxFieldChars && !clause ? std::string(s) : std::string();
}

// The units of `units` ("财政局、税务局等部门") appended to `out`: split on 、, cut at 等.
void add_units(std::string_view units, std::vector<std::string>& out) {
  if (const std::size_t etc = units.find("等"); etc != std::string_view::npos)
    units = units.substr(0, etc);
  for (std::string_view unit : split(units, std::array<std::string_view, 1>{"、"})) {
    if (auto name = bounded(unit); !name.empty()) out.push_back(std::move(name));
  }
}

// A task candidate without the modal 要 around it.
std::string_view clean_task(std::string_view task) {
  task = text::trim(task);
  if (task.starts_with("要")) task.remove_prefix(std::string_view("要").size());
  if (task.ends_with("要")) task.remove_suffix(std::string_view("要").size());
  return text::trim(task);
}

// `s` without the modal words that end it before a date (要, 力争, 确保 …).
std::string_view without_modal(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kModals{"力争", "确保", "争取", "务必",
                                                           "必须", "要求", "要"};
  s = clean_task(s);
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view modal : kModals) {
      if (s.ends_with(modal)) {
        s = text::trim(s.substr(0, s.size() - modal.size()));
        stripped = true;
      }
    }
  }
  return s;
}

// The part of a clause before the assignment (before 由 when there is one).
std::string_view task_part(std::string_view clause, std::size_t verb) {
  std::string_view before = clause.substr(0, verb);
  const std::size_t by = before.find("由");
  return text::trim(by == std::string_view::npos ? std::string_view() : before.substr(0, by));
}

// A deadline in a clause: "6月底前" of "要在6月底前实现…" or "年底之前" of "于年底之前完成".
struct Deadline {
  std::size_t lead;   // where the clause's own words before the date end (at 在/于 if any)
  std::size_t begin;  // first byte of the date
  std::size_t size;   // bytes of the date with its 前 / 之前 / 以前
};

// Characters a date before 前 is written with.
bool is_date_char(char32_t cp) {
  static constexpr std::u32string_view kDateChars =
      U"0123456789０１２３４５６７８９〇零一二三四五六七八九十两年月日号底末初中上下半季度旬今明本"
      U"当第";
  return kDateChars.find(cp) != std::u32string_view::npos;
}

bool is_numeral_char(char32_t cp) {
  static constexpr std::u32string_view kNumerals =
      U"0123456789０１２３４５６７８９〇零一二三四五六七八九十";
  return kNumerals.find(cp) != std::u32string_view::npos;
}

// Whether `date` (code points before 前) names a point in time rather than a span back
// from now: 6月底 年底 年末 9月30日 一季度 中旬 2025年 6月 are dates; 三年 两个月 日 (日前,
// "recently") are not.
bool is_deadline_date(std::u32string_view date) {
  if (date.size() < 2) return false;
  const char32_t last = date.back();
  const char32_t before_last = date[date.size() - 2];
  if (last == U'底' || last == U'末' || last == U'旬' || date.ends_with(U"季度")) return true;
  if (last == U'月' || last == U'日' || last == U'号') return is_numeral_char(before_last);
  if (last == U'年') {  // a year number: 2025年
    return date.size() >= 5 && std::all_of(date.end() - 5, date.end() - 1,
                                           [](char32_t c) { return is_numeral_char(c); });
  }
  return false;
}

// The year a date names (2025年, 一九八五年底 -> 1985), or 0 when it names none.
int year_of_date(std::u32string_view date) {
  static constexpr std::u32string_view kDigits[] = {U"0123456789", U"０１２３４５６７８９",
                                                    U"〇一二三四五六七八九"};
  const std::size_t at = date.find(U'年');
  if (at != 4) return 0;
  int year = 0;
  for (char32_t c : date.substr(0, 4)) {
    std::size_t digit = std::u32string_view::npos;
    for (std::u32string_view digits : kDigits) digit = std::min(digit, digits.find(c));
    if (c == U'零') digit = 0;
    if (digit == std::u32string_view::npos) return 0;
    year = year * 10 + static_cast<int>(digit);
  }
  return year;
}

// The first deadline of `clause`: a date (see is_deadline_date) or a season of work
// (春节, 汛期 …) followed by 前, 之前 or 以前, optionally after 在 / 于. A year before
// `doc_year` (the document's own year, 0 when unknown) is a comparison with the past
// (一九七八年以前), not a deadline.
std::optional<Deadline> find_deadline(std::string_view clause, int doc_year) {
  static constexpr std::array<std::u32string_view, 5> kSeasons{U"春节", U"国庆节", U"元旦", U"汛期",
                                                               U"中秋节"};
  // Most clauses have no 前: they are not decoded.
  if (clause.find("前") == std::string_view::npos) return std::nullopt;
  std::u32string cps;
  std::vector<std::size_t> offsets;  // byte offset of each code point, plus the end
  for (std::size_t pos = 0; pos < clause.size();) {
    offsets.push_back(pos);
    cps.push_back(text::decode_at(clause, pos));
  }
  offsets.push_back(clause.size());
  for (std::size_t i = 1; i < cps.size(); ++i) {
    if (cps[i] != U'前') continue;
    std::size_t end = i;  // the date ends before 之 / 以 / 前
    if (cps[end - 1] == U'之' || cps[end - 1] == U'以') --end;
    std::size_t begin = end;
    while (begin > 0 && is_date_char(cps[begin - 1])) --begin;
    const std::u32string_view head = std::u32string_view(cps).substr(0, end);
    if (!is_deadline_date(head.substr(begin))) {
      const auto season = std::find_if(kSeasons.begin(), kSeasons.end(),
                                       [&](std::u32string_view w) { return head.ends_with(w); });
      if (season == kSeasons.end()) continue;
      begin = end - season->size();
    }
    const int year = year_of_date(std::u32string_view(cps).substr(begin, end - begin));
    if (doc_year > 0 && year > 0 && year < doc_year) continue;
    const bool by = begin > 0 && (cps[begin - 1] == U'在' || cps[begin - 1] == U'于');
    return Deadline{offsets[by ? begin - 1 : begin], offsets[begin],
                    offsets[i + 1] - offsets[begin]};
  }
  return std::nullopt;
}

// What one clause of a document of year `doc_year` assigns, merged into `row`; the text before 由
// goes to `task`. Returns whether the clause is an assignment (names someone or something in a set
// phrase).
bool read_clause(std::string_view clause, int doc_year, TaskRow& row, std::string& task) {
  auto take_task = [&](std::size_t verb) {
    if (task.empty()) task = clean_task(task_part(clause, verb));
  };
  for (std::string_view phrase : kImplementPhrases) {
    if (const std::size_t at = clause.find(phrase); at != std::string_view::npos) {
      if (row.implementer.empty()) row.implementer = bounded(subject_of(clause.substr(0, at)));
      take_task(at);
      return true;
    }
  }
  // 牵头 ends its clause in an assignment (市商务局牵头，…); 牵头组织… is an ordinary verb. A
  // person who leads (李明同志牵头) is the leader.
  if (const std::size_t at = clause.find("牵头");
      at != std::string_view::npos &&
      (clause.ends_with("牵头") || clause.substr(at).starts_with("牵头负责"))) {
    const std::string_view who = subject_of(clause.substr(0, at));
    std::string& field = ends_with_any(who, kLeaderEnds) ? row.leader : row.lead_unit;
    if (field.empty()) field = bounded(who);
    take_task(at);
    return true;
  }
  for (std::string_view verb : {std::string_view("负总责"), std::string_view("负责")}) {
    const std::size_t at = clause.find(verb);
    if (at == std::string_view::npos) continue;
    const std::string_view before = clause.substr(0, at);
    const std::string_view after = clause.substr(at + verb.size());
    // A、B共同负责: the units responsible (after a leader who 牵头), else partners.
    if (text::trim(before).ends_with("共同") && before.find("对") == std::string_view::npos) {
      const std::string_view units = subject_of(before);
      if (units.empty()) return false;
      if (row.lead_unit.empty()) {
        row.lead_unit = bounded(units);
      } else if (row.partners.empty()) {
        add_units(units, row.partners);
      }
      return true;
    }
    const bool by = before.find("由") != std::string_view::npos;
    const bool named = ends_with_any(text::trim(before), kLeaderEnds);
    const bool not_a_leader = after.starts_with("同志") || after.starts_with("人") ||
                              after.starts_with("任") || after.starts_with("制") ||
                              before.find("对") != std::string_view::npos;
    if (!(by || named) || not_a_leader) return false;
    const std::string_view who = subject_of(before);
    const bool body = ends_with_any(text::trim(who), kUnitEnds) && !who.ends_with("干部");
    std::string& field = !named && body ? row.lead_unit : row.leader;
    if (field.empty()) {
      field = bounded(who);
      take_task(at);
    }
    return true;
  }
  for (std::string_view verb : kPartnerVerbs) {
    const std::size_t at = clause.find(verb);
    if (at == std::string_view::npos || !row.partners.empty()) continue;
    add_units(subject_of(clause.substr(0, at)), row.partners);
    return !row.partners.empty();
  }
  if (const auto deadline = find_deadline(clause, doc_year)) {
    if (row.deadline.empty())
      row.deadline = bounded(clause.substr(deadline->begin, deadline->size));
    if (task.empty()) {
      // The clause without its date: 手续要在9月底前完成 -> 手续; 二氧化碳排放力争于2030年前
      // 达到峰值 -> 二氧化碳排放达到峰值; 要在6月底前实现全覆盖 -> 实现全覆盖.
      const std::string_view before = without_modal(clause.substr(0, deadline->lead));
      const std::string_view after = text::trim(clause.substr(deadline->begin + deadline->size));
      task = std::string(before);
      if (text::count_code_points(after) > kBareVerbChars) task += after;
    }
    return true;
  }
  return false;
}

// A note in brackets naming who is responsible: （牵头单位：X；配合单位：Y、Z） or
// （X牵头，Y配合）.
struct Note {
  std::size_t begin;  // byte offsets of the note in its text, brackets included
  std::size_t end;
  std::string_view content;  // between the brackets
};

// What note content `content` assigns, merged into `row`: each piece (split at ；，) is a label
// (牵头单位 or 责任单位: the lead unit, else partners; 配合单位: partners) with its units after
// a colon, or a clause that assigns (read_clause). Returns false, leaving `row` as it was,
// when a piece is neither.
bool read_note(std::string_view content, int doc_year, TaskRow& row) {
  static constexpr std::array<std::string_view, 4> kPieceEnds{"；", ";", "，", ","};
  static constexpr std::array<std::string_view, 3> kLabels{"牵头单位", "责任单位", "配合单位"};
  TaskRow read = row;
  std::string unused;
  const auto pieces = split(content, kPieceEnds);
  for (std::string_view piece : pieces) {
    const auto label = std::find_if(kLabels.begin(), kLabels.end(),
                                    [&](std::string_view l) { return piece.starts_with(l); });
    if (label == kLabels.end()) {
      if (!read_clause(piece, doc_year, read, unused)) return false;
      continue;
    }
    std::string_view units = piece.substr(label->size());
    if (!units.starts_with("：") && !units.starts_with(":")) return false;
    units = text::trim(units.substr(units.starts_with("：") ? std::string_view("：").size() : 1));
    if (*label != "配合单位" && read.lead_unit.empty()) {
      read.lead_unit = bounded(units);
    } else if (read.partners.empty()) {
      add_units(units, read.partners);
    }
  }
  if (pieces.empty()) return false;
  row = std::move(read);
  return true;
}

// The notes of `s` (text of a document of year `doc_year`), in order.
std::vector<Note> notes_in(std::string_view s, int doc_year) {
  std::vector<Note> notes;
  for (std::size_t from = 0; from < s.size();) {
    std::size_t open = std::string_view::npos;
    std::string_view close;
    std::size_t inner = 0;
    for (const auto& [o, c] : {std::pair<std::string_view, std::string_view>{"（", "）"},
                               std::pair<std::string_view, std::string_view>{"(", ")"}}) {
      if (const std::size_t at = s.find(o, from); at < open) {
        open = at;
        close = c;
        inner = at + o.size();
      }
    }
    if (open == std::string_view::npos) break;
    const std::size_t end = s.find(close, inner);
    if (end == std::string_view::npos) break;
    const std::string_view content = text::trim(s.substr(inner, end - inner));
    TaskRow scratch;
    if (read_note(content, doc_year, scratch))
      notes.push_back(Note{open, end + close.size(), content});
    from = inner;
  }
  return notes;
}

// `text` without its notes.
std::string without_notes(std::string_view text) {
  std::string out;
  std::size_t kept = 0;
  for (const Note& note : notes_in(text, 0)) {
    if (note.begin < kept) continue;
    out.append(text.substr(kept, note.begin - kept));
    kept = note.end;
  }
  return out.append(text.substr(kept));
}

bool is_reference(std::string_view task) {
  return task.empty() || std::any_of(kReferences.begin(), kReferences.end(),
                                     [&](std::string_view r) { return task.starts_with(r); });
}

// The task phrase (see the header): `own` words of the assignment, else the sentence's first
// `work` clause, else the first clause of the `previous` sentence; heading markers dropped.
std::string task_phrase(std::string_view own, std::string_view work,
                        std::string_view previous_sentence) {
  std::string_view task = is_reference(own) ? work : own;
  if (is_reference(task)) {
    // A sentence of clause ends alone ("，：") has no clause.
    const auto clauses = split(previous_sentence, kClauseEnds);
    if (!clauses.empty()) task = clauses.front();
  }
  task.remove_prefix(heading_marker_size(task));
  task = clean_task(task);
  const std::string_view cut = text::prefix_code_points(task, kMaxTaskChars);
  return is_reference(cut) ? std::string() : std::string(cut);
}

// An assignment and where its sentence is.
struct Assignment {
  TaskRow row;
  std::size_t begin;  // byte offsets in d.content of its sentence (without its end mark)
  std::size_t end;
  bool only_assigns;  // no work of its own: its task is the sentence before's
};

// Calls `take(assignment)` for each assignment of `d` in text order (see extract_tasks) until
// it returns false.
template <typename Take>
void scan_assignments(const Document& d, Take take) {
  const std::vector<std::string_view> paras = paragraphs(d.content);
  const int doc_year = year_of(d.date);
  for (std::size_t i = 0; i < paras.size(); ++i) {
    const std::vector<Note> notes = notes_in(paras[i], doc_year);
    std::string_view previous;
    for (std::string_view sentence : split(paras[i], kSentenceEnds)) {
      TaskRow row;
      row.para = i;
      row.last_para = i;
      // The sentence without the notes it overlaps, whose assignments are read first.
      const auto at = static_cast<std::size_t>(sentence.data() - paras[i].data());
      std::string plain;
      std::size_t kept = at;
      for (const Note& note : notes) {
        if (note.end <= at || note.begin >= at + sentence.size()) continue;
        if (note.begin >= at) read_note(note.content, doc_year, row);
        plain.append(paras[i].substr(kept, std::max(note.begin, kept) - kept));
        kept = std::max(kept, note.end);
      }
      if (kept < at + sentence.size())
        plain.append(paras[i].substr(kept, at + sentence.size() - kept));
      std::string own;
      std::string_view work;  // the first clause that assigns nothing
      for (std::string_view clause : split(std::string_view(plain), kClauseEnds)) {
        const bool assigns = read_clause(clause, doc_year, row, own);
        if (!assigns && is_reference(work) && !is_reference(clean_task(clause))) {
          work = clean_task(clause);
        }
      }
      if (!row.leader.empty() || !row.lead_unit.empty() || !row.implementer.empty() ||
          !row.deadline.empty()) {
        row.task = without_notes(task_phrase(own, work, previous));
        const auto begin = static_cast<std::size_t>(sentence.data() - d.content.data());
        const bool only = is_reference(own) && is_reference(work);
        if (!take(Assignment{std::move(row), begin, begin + sentence.size(), only})) return;
      }
      previous = sentence;
    }
  }
}

// Fills the empty fields of `into` from `from`.
void fill(TaskRow& into, const TaskRow& from) {
  into.last_para = std::max({into.last_para, from.para, from.last_para});
  for (auto [to, value] :
       {std::pair{&into.leader, &from.leader}, std::pair{&into.lead_unit, &from.lead_unit},
        std::pair{&into.implementer, &from.implementer},
        std::pair{&into.deadline, &from.deadline}}) {
    if (to->empty()) *to = *value;
  }
  if (into.partners.empty()) into.partners = from.partners;
}

}  // namespace

std::vector<TaskRow> extract_tasks(const Document& d) {
  struct Placed {
    TaskRow row;
    std::size_t begin;
    std::size_t end;
    bool sentence;
    bool kept = true;
  };
  std::vector<Placed> placed;
  for (PlanItem& item : plan_items(d)) {
    TaskRow row;
    row.task = without_notes(std::move(item.task));
    row.section = std::move(item.section);
    row.para = item.para;
    row.last_para = item.text_para;
    placed.push_back(Placed{std::move(row), item.begin, item.end, item.sentence});
  }
  const std::size_t items = placed.size();
  std::vector<std::size_t> merged_into(items, items);  // where a dropped sentence row went
  scan_assignments(d, [&](Assignment a) {
    std::size_t holder = items;  // the item whose text holds it
    std::size_t last = items;    // the last item ending before it
    for (std::size_t k = 0; k < items && placed[k].begin <= a.begin; ++k) {
      if (a.begin < placed[k].end) holder = k;
      if (placed[k].end <= a.begin) last = k;
    }
    while (holder < items && !placed[holder].kept) holder = merged_into[holder];
    // A sentence that only assigns belongs to the item before it, in its paragraph or the one
    // before; a sentence row of its own (a 政府工作报告's) goes.
    const bool own_sentence =
        holder < items && placed[holder].sentence && placed[holder].begin == a.begin;
    if (a.only_assigns && (holder == items || own_sentence)) {
      const std::size_t target = own_sentence ? (holder > 0 ? holder - 1 : items) : last;
      if (target < items && placed[target].row.para + 1 >= a.row.para) {
        fill(placed[target].row, a.row);
        if (own_sentence) {
          placed[holder].kept = false;
          merged_into[holder] = target;
        }
        return true;
      }
    }
    if (holder < items) {
      fill(placed[holder].row, a.row);
    } else {
      placed.push_back(Placed{std::move(a.row), a.begin, a.end, false});
    }
    return true;
  });
  std::stable_sort(placed.begin(), placed.end(),
                   [](const Placed& x, const Placed& y) { return x.begin < y.begin; });
  std::vector<TaskRow> rows;
  for (Placed& p : placed) {
    if (p.kept) rows.push_back(std::move(p.row));
  }
  return rows;
}

bool has_tasks(const Document& d) {
  bool found = false;
  scan_assignments(d, [&](const Assignment&) {
    found = true;
    return false;
  });
  return found || !plan_items(d).empty();
}

}  // namespace wenku::doc
