// The GB/T 9704 Word export as LibreOffice lays it out: `wenku export --format docx` of the
// 2016 政府工作报告 (gwr-2016 of ../shared/corpus) converted to PDF by LibreOffice headless and
// read with poppler (pdfinfo, pdftotext); pages 1 and 2 are rendered (pdftoppm) into
// test-artifacts/ for a person to look at. Skips, saying why, without the corpus, LibreOffice
// or poppler (scripts/test installs both).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "doc/document.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::app {
namespace {

constexpr const char* kDocId = "gwr-2016";

// The path of program `name` on PATH; "" when it is not installed.
std::string program_path(const std::string& name) {
  const auto found = testing::run({"/bin/sh", "-c", "command -v " + name});
  return found.exit_code == 0 ? std::string(text::trim(found.out)) : "";
}

// The corpus record of kDocId, as one JSON Lines line; "" when the corpus is absent.
std::string corpus_record() {
  const auto dir = testing::corpus_dir();
  if (dir.empty()) return "";
  std::ifstream in(dir / "gov_work_reports.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (nlohmann::json::parse(line).value("id", "") == kDocId) return line;
  }
  return "";
}

// How many 3号 lines of 28 characters `content` fills with a two-character first-line
// indent: a Latin letter or digit is half a character wide.
int lines_of(std::string_view content) {
  int lines = 0;
  for (std::string_view paragraph : doc::paragraphs(content)) {
    double width = 2;
    for (std::size_t pos = 0; pos < paragraph.size();) {
      width += text::decode_at(paragraph, pos) < 0x80 ? 0.5 : 1;
    }
    lines += static_cast<int>(std::ceil(width / 28));
  }
  return lines;
}

// The lines of page `page` of `pdf` that hold text, as pdftotext -layout gives them.
std::vector<std::string> page_lines(const std::string& pdftotext, const std::filesystem::path& pdf,
                                    int page) {
  const auto result = testing::run({pdftotext, "-layout", "-f", std::to_string(page), "-l",
                                    std::to_string(page), pdf.string(), "-"});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  std::vector<std::string> lines;
  std::istringstream in(result.out);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \f") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// True when `line` holds Chinese text alone: no ASCII letter, digit or space between its
// first and last character (pdftotext spaces Latin runs out, which says nothing of widths).
bool is_chinese_only(std::string_view line) {
  const std::string_view trimmed = text::trim(line);
  return !trimmed.empty() &&
         std::ranges::none_of(trimmed, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

TEST(WordRender, LibreOfficeLaysTheReportOutOnTheNationalPage) {
  const std::string record = corpus_record();
  if (record.empty()) GTEST_SKIP() << "../shared/corpus is absent: " << kDocId << " not rendered";
  std::map<std::string, std::string> path;
  for (const char* program : {"soffice", "pdfinfo", "pdftotext", "pdftoppm"}) {
    path[program] = program_path(program);
    if (path[program].empty()) {
      GTEST_SKIP() << program << " is not installed (scripts/test installs LibreOffice and "
                   << "poppler-utils): the Word export was not rendered";
    }
  }
  testing::TempDir dir;
  testing::write_file(dir.path() / "in.jsonl", record + "\n");
  const std::string data = (dir.path() / "data").string();
  const auto imported = testing::run(
      {testing::wenku_binary(), "import", "--data", data, (dir.path() / "in.jsonl").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  const auto docx = dir.path() / "report.docx";
  const auto exported = testing::run({testing::wenku_binary(), "export", "--data", data, "--format",
                                      "docx", "--out", docx.string(), kDocId});
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  const auto converted = testing::run(
      {path["soffice"], "-env:UserInstallation=file://" + (dir.path() / "profile").string(),
       "--headless", "--convert-to", "pdf", "--outdir", dir.path().string(), docx.string()});
  ASSERT_EQ(converted.exit_code, 0) << converted.out;
  const auto pdf = dir.path() / "report.pdf";
  ASSERT_TRUE(std::filesystem::exists(pdf)) << converted.out;

  // A4, and as many pages as 22 lines of 28 characters make of the text (within 10 %).
  const auto info = testing::run({path["pdfinfo"], pdf.string()});
  ASSERT_EQ(info.exit_code, 0) << info.out;
  EXPECT_THAT(info.out, ::testing::HasSubstr("(A4)")) << info.out;
  std::smatch pages_match;
  ASSERT_TRUE(std::regex_search(info.out, pages_match, std::regex("Pages:\\s+([0-9]+)")));
  const int pages = std::stoi(pages_match[1]);
  const std::string content = nlohmann::json::parse(record).at("content");
  const double expected = (lines_of(content) + 1) / 22.0;  // the title's line too
  EXPECT_NEAR(pages, expected, expected * 0.1) << "pages for " << lines_of(content) << " lines";

  // Every page but the last: 22 lines of text and its number "— N —", right on odd pages and
  // left on even ones; no Chinese line longer than 28 characters, and most full ones exactly.
  int full_lines = 0;
  for (int page = 1; page < pages; ++page) {
    const auto lines = page_lines(path["pdftotext"], pdf, page);
    ASSERT_FALSE(lines.empty()) << "page " << page;
    EXPECT_EQ(lines.size(), 23u) << "page " << page << ": 22 lines and the page number";
    const std::string& number = lines.back();
    EXPECT_TRUE(std::regex_search(number, std::regex("—\\s*" + std::to_string(page) + "\\s*—")))
        << "page " << page << ": " << number;
    const std::size_t indent = number.find_first_not_of(' ');
    if (page % 2 == 1) {
      EXPECT_GT(indent, 20u) << "page " << page << " (odd): number on the right: " << number;
    } else {
      EXPECT_LT(indent, 6u) << "page " << page << " (even): number on the left: " << number;
    }
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      if (!is_chinese_only(lines[i])) continue;
      const std::string_view line = text::trim(lines[i]);
      // A closing mark may hang past the margin (Word's and LibreOffice's default, as in print).
      const bool hangs =
          std::regex_search(std::string(line), std::regex("(，|。|、|；|：|！|？|”|）|》)$"));
      const std::size_t chars = text::count_code_points(line) - (hangs ? 1 : 0);
      EXPECT_LE(chars, 28u) << "page " << page << ": " << lines[i];
      if (chars == 28) ++full_lines;
    }
  }
  EXPECT_GT(full_lines, pages * 5) << "lines of exactly 28 characters";

  // Pages 1 and 2 for a person to look at.
  const auto artifacts = testing::artifacts_dir();
  const auto rendered = testing::run({path["pdftoppm"], "-r", "80", "-png", "-f", "1", "-l", "2",
                                      pdf.string(), (artifacts / "word-gwr-2016-page").string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.out;
  EXPECT_TRUE(std::filesystem::exists(artifacts / "word-gwr-2016-page-01.png") ||
              std::filesystem::exists(artifacts / "word-gwr-2016-page-1.png"));
}

}  // namespace
}  // namespace wenku::app
