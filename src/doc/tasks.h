// 任务分解表: the work items of a text's plan parts and the assignments it hands out, one row
// per item or assignment.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "doc/document.h"

namespace wenku::doc {

struct TaskRow {
  std::string task;       // the work: a plan item or sentence, or a short phrase assigned
  std::string section;    // 类别: the heading of the plan part's section ("" outside them)
  std::string leader;     // responsible leader (…负责 / 由…负责 / …负总责)
  std::string lead_unit;  // lead unit (…牵头 / 由…牵头)
  std::vector<std::string> partners;  // partner units (…参与 / 配合 / 协助), split on 、 and 等
  std::string implementer;  // implementer (…具体抓好落实 / …负责落实 / …具体落实)
  std::string deadline;     // "6月底前" from …要在6月底前完成, else ""
  std::size_t para = 0;     // 0-based index of its paragraph in paragraphs(d.content)
  std::size_t last_para = 0;  // the last paragraph its task and fields are read from (≥ para)
};

// Returns the 任务分解表 of `d` in text order: the work items of its plan parts
// (doc::plan_items: a 政府工作报告's task sentences, the numbered items of other texts'
// plans, the items of attachments that list tasks), each with its section, plus the
// assignments below; an assignment inside an item's text fills the item's empty fields, and
// a sentence that only assigns ("此项工作由X同志牵头，A、B共同负责") fills those of the item
// just before it in its paragraph or the one before, with no row of its own. Other
// assignments are rows of their own, section "".
// An assignment is a sentence (ended by 。！？；) that names a leader, a lead unit, an
// implementer or a deadline in the set phrases of TaskRow, or a note (牵头单位：X) /
// (责任单位：X) / (配合单位：X、Y) in full-width or ASCII brackets; partners alone make no
// row. Phrases are read clause by clause (clauses end at ，：), a leading 由 is dropped, and a
// leader without 由 must end in 同志 or a title (书记, …长, 主任, 主席), so that 对人民负责 or
// 负责同志 make no row; a person (so named) who 牵头 is the leader, and "A、B共同负责" after
// it makes A、B the lead unit (the partners when there is one). A deadline is a date followed
// by 前, 之前 or 以前 (要在6月底前实现…, 于年底前完成, 9月30日前, 2025年前, 一季度前, 春节前);
// spans back from now (三年前, 两个月前, 日前), 提前, and years before the year of `d.date`
// (一九七八年以前 in a 1980 report) are not deadlines. Every field has at most 20 characters
// (a longer one is left empty); a plan item's task at most 160 (see plan_items), an
// assignment's at most 40. The assignment's task is the part of the clause before it
// ("棚户区改造工作由…负责"), or the clause of a deadline without its date and modal words
// ("要在6月底前实现全覆盖" -> 实现全覆盖, "碳排放力争于2030年前达到峰值" -> 碳排放达到峰值);
// when that is empty or only refers back (这项工作, 此项工作 …), it is the first clause of the
// sentence that assigns nothing, else the first clause of the sentence before in the
// paragraph, without a heading marker ("（二）在降本上下功夫" -> 在降本上下功夫). Notes are
// removed from every task.
std::vector<TaskRow> extract_tasks(const Document& d);

// True when extract_tasks(d) is not empty; stops reading at the first assignment, and reads
// the plan parts only when there is none (a document page asks it whether to show the
// 任务分解表 button).
bool has_tasks(const Document& d);

}  // namespace wenku::doc
