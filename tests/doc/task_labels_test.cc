// The 任务分解表 against hand labels (tests/data/task_labels.json): rows of provincial
// 政府工作报告 and of speeches, labelled by reading before the plan rows were written.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "doc/corpus_reader.h"
#include "doc/outline.h"
#include "doc/tasks.h"
#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::doc {
namespace {

constexpr std::size_t kKeyChars = 6;

// `task` after its number marker ("一要加大科技投入" -> "加大科技投入").
std::u32string unmarked(std::string_view task) {
  task.remove_prefix(heading_marker_size(task));
  task = text::trim(task);
  std::u32string out;
  for (std::size_t pos = 0; pos < task.size() && out.size() < kKeyChars;) {
    out.push_back(text::decode_at(task, pos));
  }
  return out;
}

// Whether a row's task and a label's start are the same task: one starts the other, over
// their first kKeyChars characters (at least 2) after the number marker.
bool same_task(std::string_view task, std::string_view start) {
  const std::u32string a = unmarked(task);
  const std::u32string b = unmarked(start);
  const std::size_t n = std::min(a.size(), b.size());
  return n >= 2 && a.substr(0, n) == b.substr(0, n);
}

struct Score {
  std::size_t expected = 0, found = 0, matched = 0, same_section = 0, leads = 0, same_lead = 0;
  double precision() const { return static_cast<double>(matched) / static_cast<double>(found); }
  double recall() const { return static_cast<double>(matched) / static_cast<double>(expected); }
};

// Scores extract_tasks on the labelled documents of `kind` ("政府工作报告" or "speech") in
// `set` ("tuned" or "held-out"), printing each document's counts and the rows it missed or
// added.
Score score_set(const nlohmann::json& labels, const std::filesystem::path& corpus,
                const std::string& kind, const std::string& set) {
  const auto chosen = [&](const nlohmann::json& d) {
    return d.at("kind") == kind && d.at("set") == set;
  };
  std::map<std::string, std::set<std::string>> ids_by_file;
  for (const auto& d : labels.at("docs")) {
    if (chosen(d)) ids_by_file[d.at("file")].insert(d.at("id"));
  }
  std::map<std::string, Document> docs;
  for (const auto& [file, ids] : ids_by_file) {
    docs.merge(testing::read_corpus_docs(corpus / file, ids));
  }
  Score score;
  for (const auto& label : labels.at("docs")) {
    if (!chosen(label)) continue;
    const std::string id = label.at("id");
    EXPECT_TRUE(docs.contains(id)) << id;
    if (!docs.contains(id)) continue;
    const std::vector<TaskRow> rows = extract_tasks(docs.at(id));
    std::vector<bool> used(rows.size(), false);
    std::size_t matched = 0;
    std::vector<std::string> missed;
    for (const auto& want : label.at("expected")) {
      const std::size_t para = want.at("para");
      const std::string start = want.at("start");
      std::size_t k = 0;
      while (k < rows.size() &&
             (used[k] || rows[k].para != para || !same_task(rows[k].task, start)))
        ++k;
      if (k == rows.size()) {
        missed.push_back(std::to_string(para) + " " + start);
        continue;
      }
      used[k] = true;
      ++matched;
      score.same_section +=
          std::string_view(rows[k].section).starts_with(want.at("section").get<std::string>());
      if (want.contains("lead_unit")) {
        ++score.leads;
        score.same_lead += rows[k].lead_unit == want.at("lead_unit").get<std::string>();
      }
    }
    score.expected += label.at("expected").size();
    score.found += rows.size();
    score.matched += matched;
    std::printf("  %-20s expected %3zu found %3zu matched %3zu\n", id.c_str(),
                label.at("expected").size(), rows.size(), matched);
    for (std::size_t i = 0; i < missed.size() && i < 5; ++i) {
      std::printf("    missed  %s\n", missed[i].c_str());
    }
    std::size_t shown = 0;
    for (std::size_t k = 0; k < rows.size() && shown < 5; ++k) {
      if (used[k]) continue;
      ++shown;
      std::printf("    added   %zu %s\n", rows[k].para,
                  std::string(text::prefix_code_points(rows[k].task, 12)).c_str());
    }
  }
  std::printf(
      "%s, %s: rows precision %.3f recall %.3f (%zu matched, %zu found, %zu labelled); "
      "section agreement %.3f; lead units %zu/%zu\n",
      kind.c_str(), set.c_str(), score.precision(), score.recall(), score.matched, score.found,
      score.expected, static_cast<double>(score.same_section) / static_cast<double>(score.matched),
      score.same_lead, score.leads);
  return score;
}

class TaskLabels : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = wenku::testing::corpus_dir();
    if (corpus_.empty()) GTEST_SKIP() << "../shared/corpus is absent";
    labels_ = nlohmann::json::parse(
        wenku::testing::read_file(wenku::testing::test_data_dir() / "task_labels.json"));
  }
  std::filesystem::path corpus_;
  nlohmann::json labels_;
};

// Measured: tuned precision 0.971 recall 1.000, held-out 0.842 / 0.970 (the
// held-out report's 政府自身建设 section, which the labels leave out, reads as plan).
TEST_F(TaskLabels, GovernmentReportsTaskSentences) {
  const Score tuned = score_set(labels_, corpus_, "政府工作报告", "tuned");
  const Score held_out = score_set(labels_, corpus_, "政府工作报告", "held-out");
  EXPECT_GE(tuned.expected, 300u);
  EXPECT_GE(held_out.expected, 90u);
  EXPECT_GE(tuned.precision(), 0.95);
  EXPECT_GE(tuned.recall(), 0.95);
  EXPECT_GE(tuned.same_section, tuned.matched * 95 / 100);
  EXPECT_EQ(tuned.same_lead, tuned.leads);
  EXPECT_GE(held_out.precision(), 0.8);
  EXPECT_GE(held_out.recall(), 0.9);
}

// Measured: tuned precision 1.000 recall 0.887, held-out 1.000 / 0.278 (two of
// the three held-out lists are announced without a count of work: 将…合作规划好、建设好).
TEST_F(TaskLabels, SpeechPlanItems) {
  const Score tuned = score_set(labels_, corpus_, "speech", "tuned");
  const Score held_out = score_set(labels_, corpus_, "speech", "held-out");
  EXPECT_GE(tuned.expected, 40u);
  EXPECT_GE(held_out.expected, 15u);
  EXPECT_GE(tuned.precision(), 0.95);
  EXPECT_GE(tuned.recall(), 0.85);
  EXPECT_GE(tuned.same_section, tuned.matched * 95 / 100);
  EXPECT_GE(held_out.precision(), 0.9);
  EXPECT_GE(held_out.recall(), 0.25);
}

}  // namespace
}  // namespace wenku::doc
