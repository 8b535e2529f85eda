#include "io/export.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "io/task_table.h"
#include "io/word.h"
#include "text/utf8.h"

namespace wenku::io {

namespace {

namespace fs = std::filesystem;

// Columns holding numbers (序号, 段落), written as numbers in .xlsx.
bool is_number_column(std::size_t column) { return column == 0 || column == 8; }

// One CSV field (RFC 4180 section 2). A cell that a spreadsheet would read as a formula
// (starting with = + - @, a tab or a carriage return: OWASP's CSV injection) gets a ' before
// it, so that it stays text.
std::string csv_field(std::string_view s) {
  const bool formula =
      !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
  const std::string_view guard = formula ? "'" : "";
  if (s.find_first_of(",\"\r\n") == std::string_view::npos)
    return std::string(guard) + std::string(s);
  std::string out = "\"" + std::string(guard);
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void append_csv_line(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(cells[i]);
  }
  out += "\r\n";
}

// A new empty file in the temporary directory, removed again when this goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string_view suffix) {
    std::string pattern = (fs::temp_directory_path() / "wenku-export-XXXXXX").string();
    pattern += suffix;
    const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + pattern);
    close(fd);
    path_ = pattern;
  }
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void check(lxw_error error, std::string_view what) {
  if (error != LXW_NO_ERROR) {
    throw std::runtime_error(fmt::format("xlsx: {}: {}", what, lxw_strerror(error)));
  }
}

void write_sheet(lxw_workbook* book, const std::vector<doc::TaskRow>& rows) {
  lxw_worksheet* sheet = workbook_add_worksheet(book, "任务分解表");
  if (sheet == nullptr) throw std::runtime_error("xlsx: cannot add the worksheet");
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  static constexpr double kWidths[] = {6, 24, 48, 14, 18, 24, 16, 14, 8};
  for (lxw_col_t c = 0; c < std::size(kWidths); ++c) {
    check(worksheet_set_column(sheet, c, c, kWidths[c], nullptr), "column width");
  }
  const auto& columns = task_columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    check(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), columns[c].c_str(), header),
          "header");
  }
  worksheet_freeze_panes(sheet, 1, 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto cells = task_cells(rows[r], r);
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      check(is_number_column(c) ? worksheet_write_number(sheet, row, col, std::stod(cells[c]), wrap)
                                : worksheet_write_string(sheet, row, col, cells[c].c_str(), wrap),
            "cell");
    }
  }
}

}  // namespace

std::vector<doc::TaskRow> visible_tasks(const access::Readable& r,
                                        const std::vector<doc::TaskRow>& tasks) {
  std::vector<doc::TaskRow> shown;
  for (const doc::TaskRow& row : tasks) {
    if (std::max(row.para, row.last_para) < r.whole_paragraphs()) shown.push_back(row);
  }
  return shown;
}

doc::MarkedTemplate visible_template(const access::Readable& r, const doc::PlaceNames& places) {
  return doc::make_marked_template(r.text(), places);
}

std::string plain_text(std::string_view title, std::string_view body) {
  return fmt::format("{}\n{}\n", title, body);
}

std::string export_file_name(std::string_view title, std::string_view label,
                             std::string_view extension) {
  static constexpr std::size_t kMaxTitleChars = 60;
  std::string name;
  for (char c : text::prefix_code_points(text::trim(title), kMaxTitleChars)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F &&
        std::string_view(R"(/\:*?"<>|)").find(c) == std::string_view::npos) {
      name += c;
    }
  }
  name = std::string(text::trim(name));
  if (name.empty())
    name = label.empty() ? "文档" : std::string(label);
  else if (!label.empty())
    name = fmt::format("{}-{}", name, label);
  return fmt::format("{}.{}", name, extension);
}

std::string tasks_csv(const std::vector<doc::TaskRow>& rows) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark
  append_csv_line(out, task_columns());
  for (std::size_t r = 0; r < rows.size(); ++r) append_csv_line(out, task_cells(rows[r], r));
  return out;
}

std::string tasks_xlsx(const std::vector<doc::TaskRow>& rows, std::string_view title) {
  const TempFile file(".xlsx");
  lxw_workbook* book = workbook_new(file.path().c_str());
  if (book == nullptr) throw std::runtime_error("xlsx: cannot create " + file.path().string());
  const std::string title_text(title);
  lxw_doc_properties properties{};
  properties.title = const_cast<char*>(title_text.c_str());  // the C API is not const-correct
  try {
    write_sheet(book, rows);
    check(workbook_set_properties(book, &properties), "properties");
  } catch (...) {
    workbook_close(book);
    throw;
  }
  check(workbook_close(book), "write " + file.path().string());
  std::ifstream in(file.path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) throw std::runtime_error("xlsx: cannot read back " + file.path().string());
  return bytes.str();
}

std::string text_docx(const access::Readable& r, bool template_version,
                      const doc::PlaceNames& places) {
  if (!r.complete()) throw std::logic_error("a Word export needs the whole text");
  const std::string text = template_version ? visible_template(r, places).text : std::string();
  return word_document({.title = r.title(),
                        .date = r.date(),
                        .text = template_version ? std::string_view(text) : r.text(),
                        .outline = r.outline()});
}

}  // namespace wenku::io
