// libFuzzer target for the document analysis: outline, template and tasks of any valid UTF-8
// text (documents are validated at import, so invalid input is skipped), checking the
// invariants their contracts promise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doc/analysis.h"
#include "doc/outline.h"
#include "doc/tasks.h"
#include "doc/templater.h"
#include "text/utf8.h"

namespace {

using namespace wenku;

// A few place names in the shape load_place_names() gives, so that the target needs no data
// files: full names map to their proper part, short forms to themselves.
const doc::PlaceNames& places() {
  static const doc::PlaceNames names = [] {
    std::map<std::string, std::size_t, std::less<>> proper;
    for (std::string_view name : {"浙江省", "浙江", "杭州市", "杭州", "西湖区", "安吉县"}) {
      const bool level = name.ends_with("省") || name.ends_with("市") || name.ends_with("区") ||
                         name.ends_with("县");
      proper.emplace(name, level ? name.size() - 3 : name.size());
    }
    return doc::PlaceNames(proper);
  }();
  return names;
}

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!text::is_valid_utf8(input)) return 0;
  doc::Document d;
  d.content = std::string(input);
  const std::size_t paragraphs = doc::paragraphs(d.content).size();

  doc::Analysis a;
  a.outline = doc::extract_outline(d);
  for (const auto& item : a.outline) {
    require(item.level >= 1 && item.para < paragraphs && text::is_valid_utf8(item.text));
  }

  std::size_t last_end = 0;
  for (const auto& span : doc::template_spans(d.content, places())) {
    require(span.begin >= last_end && span.begin < span.end && span.end <= d.content.size());
    last_end = span.end;
  }
  a.template_text = doc::make_template(d.content, places());
  require(text::is_valid_utf8(a.template_text));

  a.tasks = doc::extract_tasks(d);
  for (const auto& row : a.tasks) {
    require(row.para < paragraphs);
    require(text::count_code_points(row.task) <= 160);  // a plan item: 160, an assignment: 40
    for (const std::string* field :
         {&row.leader, &row.lead_unit, &row.implementer, &row.deadline}) {
      require(text::count_code_points(*field) <= 20 && text::is_valid_utf8(*field));
    }
  }

  const doc::Analysis back = doc::analysis_from_json(doc::analysis_to_json(a).dump());
  require(back.outline.size() == a.outline.size() && back.tasks.size() == a.tasks.size() &&
          back.template_text == a.template_text);
  return 0;
}
