// parse_jsonl_record: one line of the corpus JSON Lines format -> a validated document.
#include <fmt/format.h>
#include <simdjson.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <new>
#include <stdexcept>

#include "io/import.h"
#include "io/line_reader.h"
#include "io/validate.h"
#include "text/utf8.h"

namespace wenku::io {
namespace {

// Why a record was rejected; caught in parse_jsonl_record and turned into Parsed::error.
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Records are flat objects; deeper nesting is refused before it can exhaust memory.
constexpr int kMaxDepth = 16;

constexpr std::array<std::string_view, 9> kFieldNames = {
    "id", "title", "date", "category", "source", "content", "url", "subcategory", "title_derived"};

// One field of a record as read: absent, JSON null, a string (its decoded text, valid until
// the next parse on this thread), true, false or another value.
struct Field {
  enum class Kind { kAbsent, kNull, kString, kTrue, kFalse, kOther };
  Kind kind = Kind::kAbsent;
  std::string_view text;
};
using Fields = std::array<Field, kFieldNames.size()>;

// Sets the field `key` names (the last of repeated keys counts); other keys are ignored.
void set_field(Fields& fields, std::string_view key, Field value) {
  const auto it = std::ranges::find(kFieldNames, key);
  if (it != kFieldNames.end()) fields[static_cast<std::size_t>(it - kFieldNames.begin())] = value;
}

[[noreturn]] void throw_too_deep() {
  throw RecordError(fmt::format("invalid JSON: nested deeper than {} levels", kMaxDepth));
}

// The fallback for the numbers simdjson refuses: integers beyond 64 bits are valid JSON,
// which nlohmann reads as doubles (both refuse doubles beyond ±1.8e308, "1e400"). Slower, and
// only for such lines.
Fields parse_fields_with_nlohmann(std::string_view line) {
  using nlohmann::json;
  auto limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxDepth) throw_too_deep();
    return true;
  };
  thread_local json record;
  try {
    record = json::parse(line.begin(), line.end(), limit_depth);
  } catch (const json::exception& e) {
    // Drop the "[json.exception.parse_error.101] " prefix: it means nothing to a user.
    std::string_view what = e.what();
    if (auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
    throw RecordError(fmt::format("invalid JSON: {}", what));
  }
  if (!record.is_object()) throw RecordError("record is not a JSON object");
  Fields fields;
  for (const auto& [key, value] : record.items()) {
    Field field{value.is_null() ? Field::Kind::kNull : Field::Kind::kOther, {}};
    if (value.is_string()) field = {Field::Kind::kString, value.get_ref<const std::string&>()};
    if (value.is_boolean())
      field.kind = value.get<bool>() ? Field::Kind::kTrue : Field::Kind::kFalse;
    set_field(fields, key, field);
  }
  return fields;
}

// Parses `line` as one JSON object with simdjson's DOM parser, which validates the whole
// line (nlohmann's parser was 3 % of an import of the corpus; this is several times faster),
// or with nlohmann for a number simdjson refuses.
Fields parse_fields(std::string_view line) {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    // simdjson counts the record itself as level 1.
    if (p.allocate(simdjson::SIMDJSON_PADDING, kMaxDepth + 1) != simdjson::SUCCESS) {
      throw std::bad_alloc();
    }
    return p;
  }();
  simdjson::dom::element root;
  if (auto error = parser.parse(line.data(), line.size()).get(root); error) {
    if (error == simdjson::DEPTH_ERROR) throw_too_deep();
    if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
      return parse_fields_with_nlohmann(line);
    }
    throw RecordError(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) throw RecordError("record is not a JSON object");
  Fields fields;
  for (const auto member : object) {
    Field field{member.value.is_null() ? Field::Kind::kNull : Field::Kind::kOther, {}};
    if (std::string_view text; member.value.get(text) == simdjson::SUCCESS) {
      field = {Field::Kind::kString, text};
    }
    if (bool truth; member.value.get(truth) == simdjson::SUCCESS) {
      field.kind = truth ? Field::Kind::kTrue : Field::Kind::kFalse;
    }
    set_field(fields, member.key, field);
  }
  return fields;
}

enum class Presence { kRequired, kOptional };

const Field& field_named(const Fields& fields, std::string_view name) {
  return fields[static_cast<std::size_t>(std::ranges::find(kFieldNames, name) -
                                         kFieldNames.begin())];
}

// The string value of field `name`; an optional field may be absent or null (then "").
std::string string_field(const Fields& fields, std::string_view name, Presence presence) {
  const Field& field = field_named(fields, name);
  if (field.kind == Field::Kind::kAbsent ||
      (presence == Presence::kOptional && field.kind == Field::Kind::kNull)) {
    if (presence == Presence::kRequired) throw RecordError(fmt::format("missing field '{}'", name));
    return {};
  }
  if (field.kind != Field::Kind::kString) {
    throw RecordError(fmt::format("field '{}' is not a string", name));
  }
  // The line is valid UTF-8 and both parsers decode escapes into valid UTF-8 (lone surrogates
  // are refused), but a \u0000 escape still decodes to a NUL byte.
  if (field.text.find('\0') == std::string_view::npos) return std::string(field.text);
  if (auto error = detail::utf8_error(field.text)) {
    throw RecordError(fmt::format("field '{}': {}", name, *error));
  }
  return std::string(field.text);
}

// The value of the optional boolean field `name`: false when absent or null.
bool bool_field(const Fields& fields, std::string_view name) {
  const Field& field = field_named(fields, name);
  switch (field.kind) {
    case Field::Kind::kAbsent:
    case Field::Kind::kNull:
    case Field::Kind::kFalse:
      return false;
    case Field::Kind::kTrue:
      return true;
    case Field::Kind::kString:
    case Field::Kind::kOther:
      break;
  }
  throw RecordError(fmt::format("field '{}' is not true or false", name));
}

void require_non_empty(const std::string& value, const char* name) {
  if (value.empty()) throw RecordError(fmt::format("field '{}' is empty", name));
}

doc::Document to_document(std::string_view line) {
  if (line.size() > kMaxDocumentBytes) throw RecordError(detail::too_large("record"));
  if (auto error = detail::utf8_error(line)) throw RecordError(*error);
  const Fields record = parse_fields(line);

  doc::Document d;
  d.id = string_field(record, "id", Presence::kRequired);
  d.title = text::trim(string_field(record, "title", Presence::kRequired));
  d.date = string_field(record, "date", Presence::kRequired);
  d.category = text::trim(string_field(record, "category", Presence::kRequired));
  d.source = string_field(record, "source", Presence::kRequired);
  d.content = detail::normalize_paragraphs(string_field(record, "content", Presence::kRequired));
  d.url = string_field(record, "url", Presence::kOptional);
  d.subcategory = text::trim(string_field(record, "subcategory", Presence::kOptional));
  d.title_derived = bool_field(record, "title_derived");

  require_non_empty(d.id, "id");
  if (!detail::is_valid_id(d.id)) {
    throw RecordError(fmt::format("invalid id '{}': only A-Z a-z 0-9 . _ - are allowed", d.id));
  }
  require_non_empty(d.title, "title");
  require_non_empty(d.content, "content");
  if (!detail::is_valid_date(d.date)) {
    throw RecordError(
        fmt::format("invalid date '{}': expected YYYY, YYYY-MM or YYYY-MM-DD", d.date));
  }
  return d;
}

}  // namespace

Parsed parse_jsonl_record(std::string_view line) {
  try {
    return Parsed{to_document(line), {}};
  } catch (const RecordError& e) {
    return Parsed{std::nullopt, e.what()};
  }
}

namespace detail {

void for_each_jsonl_record(LineReader& reader,
                           const std::function<void(std::size_t line, Parsed parsed)>& on_record) {
  using Result = LineReader::Result;
  std::string line;
  Result result;
  while ((result = reader.next(line)) != Result::kEnd) {
    if (result == Result::kLine && text::trim(line).empty()) continue;
    on_record(reader.line_number(), result == Result::kTooLong
                                        ? Parsed{std::nullopt, too_large("record")}
                                        : parse_jsonl_record(line));
  }
}

}  // namespace detail

}  // namespace wenku::io
