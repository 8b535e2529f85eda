#include "doc/analysis.h"

namespace wenku::doc {

namespace {

nlohmann::ordered_json outline_item_json(const OutlineItem& item) {
  return {{"level", item.level}, {"text", item.text}, {"para", item.para}};
}

nlohmann::ordered_json task_row_json(const TaskRow& row) {
  return {
      {"task", row.task},         {"leader", row.leader},           {"lead_unit", row.lead_unit},
      {"partners", row.partners}, {"implementer", row.implementer}, {"deadline", row.deadline},
      {"para", row.para}};
}

}  // namespace

void to_json(nlohmann::json& j, const OutlineItem& item) {
  j = nlohmann::json(outline_item_json(item));
}

void to_json(nlohmann::json& j, const TaskRow& row) { j = nlohmann::json(task_row_json(row)); }

nlohmann::ordered_json analysis_to_json(const Analysis& a) {
  nlohmann::ordered_json outline = nlohmann::ordered_json::array();
  for (const OutlineItem& item : a.outline) outline.push_back(outline_item_json(item));
  nlohmann::ordered_json tasks = nlohmann::ordered_json::array();
  for (const TaskRow& row : a.tasks) tasks.push_back(task_row_json(row));
  nlohmann::ordered_json j;
  j["title"] = a.title;
  j["outline"] = std::move(outline);
  j["template"] = a.template_text;
  j["tasks"] = std::move(tasks);
  j["keywords"] = a.keywords;
  return j;
}

}  // namespace wenku::doc
