// The analysis of one document as JSON, in the shape `wenku analyze --json` prints and the
// store keeps: {"title","outline":[{"level","text","para"}],"template",
// "tasks":[{"task","section","leader","lead_unit","partners","implementer","deadline","para"}],
// "keywords"}.
// A task row's last_para is not written (a row read back has its para for it). The store's
// analyses have no "template" and empty "tasks": the 模板版 and the 任务分解表
// are made when shown (io::visible_template, doc::extract_tasks). Analyses stored by earlier
// versions may still carry a template and tasks, which nothing shows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "doc/outline.h"
#include "doc/tasks.h"

namespace wenku::doc {

void to_json(nlohmann::json& j, const OutlineItem& item);
void to_json(nlohmann::json& j, const TaskRow& row);
void from_json(const nlohmann::json& j, OutlineItem& item);
void from_json(const nlohmann::json& j, TaskRow& row);

// Everything analysed of one document; `keywords` are filled by the caller (text module).
struct Analysis {
  std::string title;
  std::vector<OutlineItem> outline;
  std::string template_text;   // make_template() of the content; empty in the store
  std::vector<TaskRow> tasks;  // extract_tasks() of the document; empty in the store
  std::vector<std::string> keywords;
};

// The JSON object above, with the keys in that order; "template" only when `template_text`
// is not empty.
nlohmann::ordered_json analysis_to_json(const Analysis& a);

// The Analysis stored as `json` (the dump of analysis_to_json): an empty Analysis for "" (a
// document not analysed); missing keys stay empty (a task row stored before rows had a
// "section" reads with section ""). Throws std::runtime_error when `json`
// is malformed or a value has the wrong type.
Analysis analysis_from_json(std::string_view json);

// The texts of the outline headings of `json` (the dump of analysis_to_json), in order, read
// without parsing past the outline: what follows it (in analyses stored before 2026-11-28 a
// template, a copy of the whole text) is never lexed (the search index reads the headings of
// every document this way). Items that are not objects or whose "text" is not a string are
// skipped. Empty for "", for JSON without an "outline" array, and for JSON malformed before
// the outline ends; what follows the outline is not checked.
std::vector<std::string> outline_texts(std::string_view json);

}  // namespace wenku::doc
