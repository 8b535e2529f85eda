// The analysis of one document as JSON, in the shape `wenku analyze --json` prints and the
// store keeps: {"title","outline":[{"level","text","para"}],"template",
// "tasks":[{"task","leader","lead_unit","partners","implementer","deadline","para"}],"keywords"}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "doc/outline.h"
#include "doc/tasks.h"

namespace wenku::doc {

void to_json(nlohmann::json& j, const OutlineItem& item);
void to_json(nlohmann::json& j, const TaskRow& row);

// Everything analysed of one document; `keywords` are filled by the caller (text module).
struct Analysis {
  std::string title;
  std::vector<OutlineItem> outline;
  std::string template_text;  // make_template() of the content
  std::vector<TaskRow> tasks;
  std::vector<std::string> keywords;
};

// The JSON object above, with the keys in that order.
nlohmann::ordered_json analysis_to_json(const Analysis& a);

}  // namespace wenku::doc
