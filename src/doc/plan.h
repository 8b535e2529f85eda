// Plan parts (工作安排) of a text — the sections about work to be done — and their work
// items: the rows the 任务分解表 (doc/tasks.h) lists besides the named assignments.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"

namespace wenku::doc {

// One work item of a plan part.
struct PlanItem {
  std::string task;           // the work, without its number marker (see plan_items)
  std::string section;        // 类别: the heading of the part's section holding it
  std::size_t para = 0;       // 0-based index of its paragraph in paragraphs(d.content)
  std::size_t text_para = 0;  // the paragraph its task is read from (para + 1 after a marker
                              // that stands alone)
  std::size_t begin = 0;      // byte offsets in d.content of the text it covers: a sentence, or
  std::size_t end = 0;        // an item with the paragraphs after it up to the next item
  bool sentence = false;      // a task sentence of a 政府工作报告, else a numbered item
};

// Whether a heading names work to be done in a document of year `year` (0: unknown):
// - it names the work itself: 下一步, 今后, 重点工作, 工作安排, 工作部署, 工作打算, 工作计划,
//   工作的建议 (对今年政府工作的建议), 主要任务, 重点任务, 目标任务, 工作任务, 重大任务, 重大举措,
//   主要举措, 民生实事;
// - a time not before `year` (今年 but not 今年以来, 明年, 2026年 or 二〇二六年, a five-year
//   plan “十五五”, “七五”时期 … that has not ended by `year`) followed by 工作 or 任务
//   ("三、2026年主要工作"); or
// - a count of work (is_plan_lead_in: "三、全力抓好七项重点工作") in a heading that names no
//   time before `year` and no review word.
// A time before `year` ("2025年主要工作" in 2026) or a review word (回顾 过去 成就 成绩 成效
// 总结 以来) between the nearest time before the words and the words (before them when there
// is no time) makes a heading a review; "“十四五”发展成就和“十五五”主要目标任务" is a plan.
bool is_plan_heading(std::string_view heading, int year);

// Whether `sentence` announces a list of work: a count (以下, 如下, 下面, 几个, 几项, 几方面,
// 几件, or a number from 2 (两 too) with 项 大 个 件 条 方面: 八项, 十大, 六个方面, but not
// after 第 (第二十条) nor 党的二十大) at most 12 characters before a work word
// (工作 任务 行动 举措 措施 工程 事情 件事, and 合作: 构建“五大合作格局”), and no 了 before it and
// no 过去, 以来 or 回顾 (a report of work done: 我们主要做了以下工作).
bool is_plan_lead_in(std::string_view sentence);

// Whether `d` is a 政府工作报告: its category, or a title naming one that is not about one
// (…关于政府工作报告的决议).
bool is_government_report(const Document& d);

// Returns the work items of the plan parts of `d`, in text order; none for a text of
// articles (a paragraph opening with 第一条, 第12条 …: a law or a regulation).
// The plan parts, none nested in another:
// - sections whose heading names work to be done (is_plan_heading, with year_of(d.date)) and
//   lies in no review section (one whose heading names a review word or a time before the
//   year: "三是…主要目标任务如期完成" under "一、2020年工作回顾"): a heading of the outline
//   (extract_outline), up to the next heading of its level or higher, or a heading line
//   without a number marker (at most 30 characters, a Han character and no punctuation but
//   quotes: "“十五五”时期主要目标和2026年重点工作"; not the first paragraph nor the title), up
//   to the next such line, the outline's headings after it being its sub-headings;
// - in a 政府工作报告 (is_government_report), the top-level sections after the first such
//   section that is top-level, but those whose heading has a review word; in one that has
//   none of those sections, its top-level sections after the last one naming 回顾, 成就 or
//   总结;
// - lists announced by a lead-in sentence (is_plan_lead_in) outside those sections: the
//   numbered items after it in its paragraph ("…以下工作：一是…；二是…"), else, when it ends
//   its paragraph, the list starting with item 1 within the next 3 paragraphs, up to an
//   address, an item that breaks its numbering, a number marker of no open list but item 1,
//   or 3 paragraphs without an item;
// - attachments that list tasks: a paragraph 附件, 附件1, 附件一 (with ： and the title, else
//   the title is the next paragraph) whose title names 实事, 重点工作, 工作安排, 任务, 清单,
//   项目 or 分工 and no 名词, 注释, 解释 or 说明. Each attachment runs to the next one; the
//   first attachment, or a glossary title (名词解释, 名词注释), ends the body, which no
//   section above reaches beyond.
// The items of a 政府工作报告's sections are its task sentences: each sentence (ended by
// 。！？) of the paragraphs from the first heading inside the section on (the section's own
// heading when it has none), except the heading phrase of a paragraph that opens with a
// heading (all of a heading line), paragraphs from an address (各位代表！, 同志们， …) to the
// next heading, sentences ending in ： and sentences of fewer than 4 Han characters
// (fragments of a sentence cut by a stray line break). Everywhere else the items are the
// numbered paragraphs of the part's lists (list_marker: an item 1 starts a list, nested in the
// list of the item before it; the next number continues a list), only the innermost where
// they nest, or the inline items after a lead-in.
// Sections are heading texts (heading_text): a sentence's is the nearest heading above it
// inside its section; an item's the item holding its list, else the section's heading, the
// heading at most two paragraphs above a lead-in, the lead-in sentence, or the attachment's
// title. The task is the sentence, or the item's first sentence (the next paragraph's when its
// marker stands alone), without its end punctuation and number marker, cut to at most 160
// characters (back to its last ， ； or 、 when it has one in them).
std::vector<PlanItem> plan_items(const Document& d);

}  // namespace wenku::doc
