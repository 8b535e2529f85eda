// 任务分解表: the assignments a speech hands out, one row per assignment.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "doc/document.h"

namespace wenku::doc {

struct TaskRow {
  std::string task;       // the work assigned, as a short phrase
  std::string leader;     // responsible leader (…负责 / 由…负责 / …负总责)
  std::string lead_unit;  // lead unit (…牵头 / 由…牵头)
  std::vector<std::string> partners;  // partner units (…参与 / 配合 / 协助), split on 、 and 等
  std::string implementer;  // implementer (…具体抓好落实 / …负责落实 / …具体落实)
  std::string deadline;     // "6月底前" from …要在6月底前完成, else ""
  std::size_t para = 0;     // 0-based index of its paragraph in paragraphs(d.content)
};

// Returns the assignments of `d` in text order: one row per sentence (ended by 。！？；)
// that names a leader, a lead unit, an implementer or a deadline in the set phrases above;
// partners alone make no row. Phrases are read clause by clause (clauses end at ，：), a
// leading 由 is dropped, and a leader without 由 must end in 同志 or a title (书记, …长,
// 主任), so that 对人民负责 or 负责同志 make no row. A deadline is a date followed by 前,
// 之前 or 以前 (要在6月底前实现…, 于年底前完成, 9月30日前, 2025年前, 一季度前, 春节前);
// spans back from now (三年前, 两个月前, 日前), 提前, and years before the year of `d.date`
// (一九七八年以前 in a 1980 report) are not deadlines. Every field has at
// most 20 characters (a longer one is left empty), the task at most 40.
// The task is the part of the clause before the assignment ("棚户区改造工作由…负责"), or
// the clause of a deadline without its date and modal words ("要在6月底前实现全覆盖" ->
// 实现全覆盖, "碳排放力争于2030年前达到峰值" -> 碳排放达到峰值); when that is empty or
// only refers back (这项工作, 此项工作 …), it is the first clause of the sentence that
// assigns nothing, else the first clause of the sentence before in the paragraph, without
// a heading marker ("（二）在降本上下功夫" -> 在降本上下功夫).
std::vector<TaskRow> extract_tasks(const Document& d);

// True when extract_tasks(d) is not empty; stops reading at the first assignment (a
// document page asks it whether to show the 任务分解表 button).
bool has_tasks(const Document& d);

}  // namespace wenku::doc
