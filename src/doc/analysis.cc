#include "doc/analysis.h"

#include <stdexcept>

namespace wenku::doc {

namespace {

nlohmann::ordered_json outline_item_json(const OutlineItem& item) {
  return {{"level", item.level}, {"text", item.text}, {"para", item.para}};
}

nlohmann::ordered_json task_row_json(const TaskRow& row) {
  return {{"task", row.task},         {"section", row.section},
          {"leader", row.leader},     {"lead_unit", row.lead_unit},
          {"partners", row.partners}, {"implementer", row.implementer},
          {"deadline", row.deadline}, {"para", row.para}};
}

// `j[key]` read into `out` when present.
template <typename T>
void read_key(const nlohmann::json& j, const char* key, T& out) {
  if (const auto it = j.find(key); it != j.end()) it->get_to(out);
}

// A SAX reader of an analysis JSON that collects the outline items' "text" strings and stops
// the parser once the outline array closes.
class OutlineTextsReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> texts;
  bool outline_complete = false;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    if (in_outline_ && depth_ == kItemDepth && item_key_ == "text") {
      texts.push_back(std::move(value));
    }
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == kTopDepth) top_key_ = std::move(name);
    if (depth_ == kItemDepth) item_key_ = std::move(name);
    return true;
  }
  bool start_object(std::size_t) override {
    ++depth_;
    item_key_.clear();
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    if (depth_ == kTopDepth + 1 && top_key_ == "outline") in_outline_ = true;
    return true;
  }
  bool end_array() override {
    --depth_;
    if (in_outline_ && depth_ == kTopDepth) {
      outline_complete = true;
      return false;  // nothing after the outline is needed
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // Nesting of the value being read: 1 inside the analysis object, 2 inside the outline
  // array, 3 inside an outline item.
  static constexpr int kTopDepth = 1;
  static constexpr int kItemDepth = 3;
  int depth_ = 0;
  bool in_outline_ = false;
  std::string top_key_;
  std::string item_key_;
};

}  // namespace

std::vector<std::string> outline_texts(std::string_view json) {
  OutlineTextsReader reader;
  nlohmann::json::sax_parse(json.begin(), json.end(), &reader);
  if (!reader.outline_complete) return {};
  return std::move(reader.texts);
}

void from_json(const nlohmann::json& j, OutlineItem& item) {
  read_key(j, "level", item.level);
  read_key(j, "text", item.text);
  read_key(j, "para", item.para);
}

void from_json(const nlohmann::json& j, TaskRow& row) {
  read_key(j, "task", row.task);
  read_key(j, "section", row.section);
  read_key(j, "leader", row.leader);
  read_key(j, "lead_unit", row.lead_unit);
  read_key(j, "partners", row.partners);
  read_key(j, "implementer", row.implementer);
  read_key(j, "deadline", row.deadline);
  read_key(j, "para", row.para);
  row.last_para = row.para;
}

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
  if (!a.template_text.empty()) j["template"] = a.template_text;
  j["tasks"] = std::move(tasks);
  j["keywords"] = a.keywords;
  return j;
}

Analysis analysis_from_json(std::string_view json) {
  Analysis a;
  if (json.empty()) return a;
  try {
    const nlohmann::json j = nlohmann::json::parse(json);
    read_key(j, "title", a.title);
    read_key(j, "outline", a.outline);
    read_key(j, "template", a.template_text);
    read_key(j, "tasks", a.tasks);
    read_key(j, "keywords", a.keywords);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed analysis: ") + e.what());
  }
  return a;
}

}  // namespace wenku::doc
