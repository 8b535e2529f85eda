#include "doc/tasks.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "text/utf8.h"

namespace wenku::doc {

namespace {

constexpr std::size_t kMaxFieldChars = 20;
constexpr std::size_t kMaxTaskChars = 40;

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

// A task candidate without the modal 要 around it.
std::string_view clean_task(std::string_view task) {
  task = text::trim(task);
  if (task.starts_with("要")) task.remove_prefix(std::string_view("要").size());
  if (task.ends_with("要")) task.remove_suffix(std::string_view("要").size());
  return text::trim(task);
}

// The part of a clause before the assignment (before 由 when there is one).
std::string_view task_part(std::string_view clause, std::size_t verb) {
  std::string_view before = clause.substr(0, verb);
  const std::size_t by = before.find("由");
  return text::trim(by == std::string_view::npos ? std::string_view() : before.substr(0, by));
}

// What one clause assigns, merged into `row`; the text before 由 goes to `task`.
void read_clause(std::string_view clause, TaskRow& row, std::string_view& task) {
  auto take_task = [&](std::size_t verb) {
    if (task.empty()) task = clean_task(task_part(clause, verb));
  };
  for (std::string_view phrase : kImplementPhrases) {
    if (const std::size_t at = clause.find(phrase); at != std::string_view::npos) {
      if (row.implementer.empty()) row.implementer = bounded(subject_of(clause.substr(0, at)));
      take_task(at);
      return;
    }
  }
  // 牵头 ends its clause in an assignment (市商务局牵头，…); 牵头组织… is an ordinary verb.
  if (const std::size_t at = clause.find("牵头");
      at != std::string_view::npos &&
      (clause.ends_with("牵头") || clause.substr(at).starts_with("牵头负责"))) {
    if (row.lead_unit.empty()) row.lead_unit = bounded(subject_of(clause.substr(0, at)));
    take_task(at);
    return;
  }
  for (std::string_view verb : {std::string_view("负总责"), std::string_view("负责")}) {
    const std::size_t at = clause.find(verb);
    if (at == std::string_view::npos) continue;
    const std::string_view before = clause.substr(0, at);
    const std::string_view after = clause.substr(at + verb.size());
    const bool by = before.find("由") != std::string_view::npos;
    const bool named = ends_with_any(text::trim(before), kLeaderEnds);
    const bool not_a_leader = after.starts_with("同志") || after.starts_with("人") ||
                              after.starts_with("任") || after.starts_with("制") ||
                              before.find("对") != std::string_view::npos;
    if ((by || named) && !not_a_leader && row.leader.empty()) {
      row.leader = bounded(subject_of(before));
      take_task(at);
    }
    return;
  }
  for (std::string_view verb : kPartnerVerbs) {
    const std::size_t at = clause.find(verb);
    if (at == std::string_view::npos || !row.partners.empty()) continue;
    std::string_view units = subject_of(clause.substr(0, at));
    if (const std::size_t etc = units.find("等"); etc != std::string_view::npos)
      units = units.substr(0, etc);
    for (std::string_view unit : split(units, std::array<std::string_view, 1>{"、"})) {
      if (auto name = bounded(unit); !name.empty()) row.partners.push_back(std::move(name));
    }
    return;
  }
  for (std::string_view done : {std::string_view("之前完成"), std::string_view("前完成")}) {
    const std::size_t at = clause.find(done);
    if (at == std::string_view::npos) continue;
    if (clause.substr(0, at + 3).ends_with("提前")) return;  // 提前完成: ahead of time, no date
    std::size_t from = std::string_view::npos;
    for (std::string_view prep : {std::string_view("在"), std::string_view("于")}) {
      const std::size_t p = clause.rfind(prep, at);
      if (p != std::string_view::npos && (from == std::string_view::npos || p > from))
        from = p + prep.size();
    }
    if (from != std::string_view::npos && row.deadline.empty()) {
      const std::size_t end = at + done.size() - std::string_view("完成").size();
      row.deadline = bounded(clause.substr(from, end - from));
      if (task.empty()) task = clean_task(clause.substr(0, from - std::string_view("在").size()));
    }
    return;
  }
}

bool is_reference(std::string_view task) {
  return task.empty() || std::any_of(kReferences.begin(), kReferences.end(),
                                     [&](std::string_view r) { return task.starts_with(r); });
}

// The task phrase: see the header.
std::string task_phrase(std::string_view own, const std::vector<std::string_view>& clauses,
                        std::string_view previous_sentence) {
  std::string_view task = own;
  if (is_reference(task) && !clauses.empty()) {
    const std::string_view first = clauses.front();
    const bool assigns = first.find("由") != std::string_view::npos ||
                         first.find("负责") != std::string_view::npos ||
                         first.find("牵头") != std::string_view::npos;
    task = assigns ? std::string_view() : clean_task(first);
  }
  if (is_reference(task) && !previous_sentence.empty()) {
    task = split(previous_sentence, kClauseEnds).front();
  }
  task = clean_task(task);
  const std::string_view cut = text::prefix_code_points(task, kMaxTaskChars);
  return is_reference(cut) ? std::string() : std::string(cut);
}

}  // namespace

std::vector<TaskRow> extract_tasks(const Document& d) {
  std::vector<TaskRow> rows;
  const std::vector<std::string_view> paras = paragraphs(d.content);
  for (std::size_t i = 0; i < paras.size(); ++i) {
    std::string_view previous;
    for (std::string_view sentence : split(paras[i], kSentenceEnds)) {
      TaskRow row;
      row.para = i;
      std::string_view own;
      const std::vector<std::string_view> clauses = split(sentence, kClauseEnds);
      for (std::string_view clause : clauses) read_clause(clause, row, own);
      if (!row.leader.empty() || !row.lead_unit.empty() || !row.implementer.empty() ||
          !row.deadline.empty()) {
        row.task = task_phrase(own, clauses, previous);
        rows.push_back(std::move(row));
      }
      previous = sentence;
    }
  }
  return rows;
}

}  // namespace wenku::doc
