// The import clean-up (io::clean_up) on the corpus: the flattened, badly titled speeches of
// xi_speeches_2020.jsonl come out as paragraphs under real or derived titles, the clean files
// come out (nearly) as they went in, and `wenku import` reports it per file and restores
// the texts as given with --raw. The thresholds are the measured numbers with a little room
// (the measurements are in the assertion messages and the note).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "doc/corpus_reader.h"
#include "io/cleanup.h"
#include "io/import.h"
#include "store/store.h"
#include "testing/kept_characters.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku {
namespace {

namespace fs = std::filesystem;
using testing::corpus_dir;

struct Cleaned {
  doc::Document before;
  doc::Document after;
  io::CleanupResult result;
};

// Every record of a corpus file read as the importer reads it, and cleaned.
std::vector<Cleaned> clean_file(const fs::path& path) {
  std::vector<Cleaned> out;
  std::istringstream lines(doc::testing::read_corpus_file(path));
  for (std::string line; std::getline(lines, line);) {
    io::Parsed parsed = io::parse_jsonl_record(line);
    EXPECT_TRUE(parsed.doc) << parsed.error;
    if (!parsed.doc) continue;
    Cleaned c{*parsed.doc, *parsed.doc, {}};
    c.result = io::clean_up(c.after);
    out.push_back(std::move(c));
  }
  return out;
}

std::size_t median(std::vector<std::size_t> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

using testing::kept_characters;

class CleanupCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (corpus_dir().empty()) GTEST_SKIP() << "../shared/corpus is absent";
  }
  static fs::path file(const char* name) { return corpus_dir() / name; }
};

// Every document of every file: nothing lost, idempotent.
TEST_F(CleanupCorpusTest, NoTextIsLostAndCleaningTwiceChangesNothing) {
  for (const char* name :
       {"xi_speeches_2020.jsonl", "xi_speeches_2022_2025.jsonl",
        "provincial_gov_reports_2026.jsonl", "gov_work_reports.jsonl", "cpc_congress_reports.jsonl",
        "xinwen_lianbo.jsonl.zst", "laws_regulations.jsonl.zst"}) {
    const auto docs = clean_file(file(name));
    ASSERT_FALSE(docs.empty()) << name;
    for (const auto& c : docs) {
      ASSERT_TRUE(kept_characters(c.before.content) ==
                  kept_characters(c.after.content + c.after.source_note))
          << name << " " << c.before.id << ": characters lost or added";
      doc::Document again = c.after;
      ASSERT_FALSE(io::clean_up(again).changed) << name << " " << c.before.id;
    }
  }
}

TEST_F(CleanupCorpusTest, TheFlattenedSpeechesOf2020ComeOutAsParagraphsUnderRealTitles) {
  const auto docs = clean_file(file("xi_speeches_2020.jsonl"));
  ASSERT_EQ(docs.size(), 58u);
  std::vector<std::size_t> before;
  std::vector<std::size_t> after;
  io::CleanupTally tally;
  for (const auto& c : docs) {
    before.push_back(c.result.paragraphs_before);
    after.push_back(c.result.paragraphs_after);
    tally.add(c.result);
  }
  const auto one_paragraph = [](const std::vector<std::size_t>& counts) {
    return std::count(counts.begin(), counts.end(), 1u);
  };
  // Measured: 48 one-paragraph speeches before, 2 after (news stories with no paragraph
  // marks); median 1 before, 12 after.
  EXPECT_EQ(one_paragraph(before), 48);
  EXPECT_LE(one_paragraph(after), 3);
  EXPECT_EQ(median(before), 1u);
  EXPECT_GE(median(after), 10u);
  EXPECT_GE(tally.texts_split, 44u);
  // Measured: all 58 titles replaced, 24 by the text's own title line, 34 derived; 196 lines
  // moved to the notes.
  EXPECT_EQ(tally.titles_fixed + tally.titles_derived, 58u);
  EXPECT_GE(tally.titles_fixed, 22u);
  EXPECT_GE(tally.lines_moved, 180u);

  std::size_t cut_titles = 0;
  for (const auto& c : docs) {
    const std::string& title = c.after.title;
    EXPECT_FALSE(title.ends_with("：")) << c.before.id << " " << title;  // no salutation
    EXPECT_FALSE(title.starts_with("新华社")) << c.before.id << " " << title;
    EXPECT_FALSE(title.starts_with("同志们") || title.starts_with("尊敬的") ||
                 title.starts_with("主席先生"))
        << c.before.id << " " << title;
    EXPECT_LE(text::count_code_points(title), 60u) << c.before.id << " " << title;
    cut_titles += title.ends_with("…");
    EXPECT_EQ(c.after.title_derived, c.result.title_derived) << c.before.id;
    // No dateline or newspaper credit is left at the ends of the text.
    EXPECT_FALSE(c.after.content.ends_with("版）")) << c.before.id;
    EXPECT_FALSE(c.after.content.starts_with("新华社")) << c.before.id;
  }
  // Measured: 8 derived titles are a first sentence cut at a comma (…); 42 titles had … before.
  EXPECT_LE(cut_titles, 9u);
}

// The newer files already have paragraphs and real titles: the titles stay, no text is
// split, and what moves is the news wrapping at their heads (repeated title lines, leads,
// datelines, captions): a small share of their text.
TEST_F(CleanupCorpusTest, TheCleanFilesChangeLittle) {
  for (const char* name : {"xi_speeches_2022_2025.jsonl", "provincial_gov_reports_2026.jsonl"}) {
    const auto docs = clean_file(file(name));
    ASSERT_FALSE(docs.empty()) << name;
    std::size_t chars_before = 0;
    std::size_t chars_moved = 0;
    for (const auto& c : docs) {
      EXPECT_EQ(c.after.title, c.before.title) << name << " " << c.before.id;
      EXPECT_LE(c.result.paragraphs_after, c.result.paragraphs_before) << c.before.id;
      chars_before += text::count_code_points(c.before.content);
      chars_moved += text::count_code_points(c.after.source_note);
    }
    // Measured: 3.9 % of the 2022-2025 speeches' text moved to the notes, none of the reports'.
    EXPECT_LE(chars_moved * 100, chars_before * 5)
        << name << ": " << chars_moved << " of " << chars_before << " characters moved";
  }
  for (const auto& c : clean_file(file("provincial_gov_reports_2026.jsonl"))) {
    EXPECT_FALSE(c.result.changed) << c.before.id;
  }
}

// The original files other than the 2020 speeches: only a title repeated as the first
// paragraph moves (22 新闻联播 items, 2 resolutions on the government work report).
TEST_F(CleanupCorpusTest, TheOtherFilesComeOutNearlyUnchanged) {
  const std::map<std::string, std::size_t> most_changed{{"gov_work_reports.jsonl", 2},
                                                        {"cpc_congress_reports.jsonl", 0},
                                                        {"xinwen_lianbo.jsonl.zst", 25},
                                                        {"laws_regulations.jsonl.zst", 0}};
  for (const auto& [name, limit] : most_changed) {
    std::size_t changed = 0;
    for (const auto& c : clean_file(file(name.c_str()))) {
      if (!c.result.changed) continue;
      ++changed;
      EXPECT_EQ(c.after.title, c.before.title) << name << " " << c.before.id;
      EXPECT_EQ(c.result.paragraphs_after + 1, c.result.paragraphs_before) << c.before.id;
      EXPECT_EQ(c.after.source_note, c.before.title) << name << " " << c.before.id;
    }
    EXPECT_LE(changed, limit) << name;
  }
}

// `wenku import` cleans and reports per file; --raw imports the texts as given.
TEST_F(CleanupCorpusTest, ImportReportsPerFileAndRawReimportRestoresTheTexts) {
  testing::TempDir data;
  const fs::path speeches = file("xi_speeches_2020.jsonl");
  const auto import = [&](bool raw) {
    std::vector<std::string> argv{testing::wenku_binary().string(), "import", "--data",
                                  data.path().string()};
    if (raw) argv.push_back("--raw");
    argv.push_back(speeches.string());
    return testing::run(argv);
  };
  const auto cleaned = import(false);
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.out;
  EXPECT_NE(cleaned.out.find("clean-up of " + speeches.string() + ": 58 of 58 documents changed"),
            std::string::npos)
      << cleaned.out;
  const auto originals = doc::testing::read_corpus_docs(speeches, {"xi2020-20201125-1"});
  const doc::Document& original = originals.at("xi2020-20201125-1");
  {
    auto store = store::open_sqlite(data.path() / "wenku.sqlite");
    const auto d = store->get("xi2020-20201125-1");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->title, "在全国劳动模范和先进工作者表彰大会上的讲话");
    EXPECT_FALSE(d->title_derived);
    EXPECT_GT(doc::paragraphs(d->content).size(), 5u);
    EXPECT_NE(d->source_note.find("（新华社北京11月24日电）"), std::string::npos);
  }
  const auto raw = import(true);
  ASSERT_EQ(raw.exit_code, 0) << raw.out;
  EXPECT_EQ(raw.out.find("clean-up of"), std::string::npos) << raw.out;
  auto store = store::open_sqlite(data.path() / "wenku.sqlite");
  const auto d = store->get("xi2020-20201125-1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->title, original.title);
  EXPECT_TRUE(d->title_derived);  // as the record says
  EXPECT_EQ(d->content, original.content);
  EXPECT_EQ(d->source_note, "");
}

}  // namespace
}  // namespace wenku
