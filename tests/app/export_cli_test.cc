// `wenku export`: the real binary on a library with one imported speech.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/test_support.h"
#include "testing/unzipped.h"

namespace wenku::app {
namespace {

class ExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const nlohmann::json record = {
        {"id", "speech-1"},
        {"title", "在全区营商环境大会上的讲话"},
        {"date", "2024-04-09"},
        {"category", "讲话稿"},
        {"source", "test"},
        {"content",
         "同志们：\n一、在提效上下功夫。由区政务服务中心牵头，各审批部门配合，要在6月底前实现"
         "线上全流程办理。\n二、2024年杭州市新增企业300家。"}};
    testing::write_file(dir_.path() / "in.jsonl", record.dump() + "\n");
    const auto result =
        testing::run({testing::wenku_binary(), "import", "--data", data(), in().string()});
    ASSERT_EQ(result.exit_code, 0) << result.out;
  }

  std::string data() const { return (dir_.path() / "data").string(); }
  std::filesystem::path in() const { return dir_.path() / "in.jsonl"; }

  // Runs `wenku export … --out FILE ID` and returns FILE's contents.
  std::string export_doc(std::vector<std::string> options, const std::string& id = "speech-1") {
    const auto out = dir_.path() / "out";
    std::vector<std::string> argv{
        testing::wenku_binary(), "export", "--data", data(), "--out", out.string()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(id);
    last_ = testing::run(argv);
    return last_.exit_code == 0 ? testing::read_file(out) : "";
  }

  testing::TempDir dir_;
  testing::RunResult last_;
};

TEST_F(ExportCliTest, CsvXlsxAndText) {
  const std::string csv = export_doc({"--format", "csv"});
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("1,,实现线上全流程办理,,区政务服务中心,各审批部门,,6月底前,2\r\n"),
            std::string::npos)
      << csv;

  const std::string xlsx = export_doc({"--format", "xlsx"});
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  EXPECT_EQ(xlsx.substr(0, 2), "PK");

  EXPECT_EQ(export_doc({"--format", "txt"}),
            "在全区营商环境大会上的讲话\n同志们：\n一、在提效上下功夫。由区政务服务中心牵头，"
            "各审批部门配合，要在6月底前实现线上全流程办理。\n二、2024年杭州市新增企业300家。\n");
  const std::string templated = export_doc({"--format", "txt", "--template"});
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  EXPECT_NE(templated.find("二、X年X市新增企业X家。\n"), std::string::npos) << templated;
  EXPECT_NE(templated.find("要在X月底前实现"), std::string::npos) << templated;
}

// `wenku analyze --json` prints the template and the tasks, which the store does not keep.
TEST_F(ExportCliTest, AnalyzeJsonPrintsTheTemplateAndTheTasks) {
  const auto text = dir_.path() / "speech.txt";
  testing::write_file(
      text,
      "在全区大会上的讲话\n一、总体要求\n2024年杭州市新增企业300家。\n二、重点任务\n"
      "要在6月底前完成。\n");
  const auto result = testing::run({testing::wenku_binary(), "analyze", "--json", text.string()});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json.at("template"),
            "一、总体要求\nX年X市新增企业X家。\n二、重点任务\n要在X月底前完成。")
      << result.out;
  EXPECT_EQ(json.at("outline").size(), 2u) << result.out;
  ASSERT_EQ(json.at("tasks").size(), 1u) << result.out;
  EXPECT_EQ(json.at("tasks")[0].at("deadline"), "6月底前") << result.out;
  EXPECT_EQ(json.at("tasks")[0].at("para"), 3) << result.out;
}

// `wenku analyze` reads a text as an import would store it (cleaned; --raw: as given) and
// prints each task with the 任务分解表's column names, 类别 first, empty ones left out.
TEST_F(ExportCliTest, AnalyzeCleansTheTextAndPrintsTheTasksColumns) {
  const auto text = dir_.path() / "flattened.txt";
  std::string body =
      "同志们：　今天召开全区工作会议。下面，我讲两点意见。一、回顾去年工作　去年全区经济平稳。"
      "二、扎实做好今年重点工作　今年要抓好以下两项工作：一是稳定粮食生产。此项工作由区农业农村局"
      "牵头，各镇街共同负责。二是发展乡村产业。要在6月底前建成产业园。";
  while (body.size() < 2400) body += "要坚持稳中求进工作总基调，推动高质量发展。";
  testing::write_file(text, "在全区工作会议上的讲话\n" + body + "\n");
  const auto cleaned = testing::run({testing::wenku_binary(), "analyze", text.string()});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.out;
  EXPECT_NE(cleaned.out.find("  - 稳定粮食生产 | 类别：二、扎实做好今年重点工作 | "
                             "牵头单位：区农业农村局 | 配合单位：各镇街\n"),
            std::string::npos)
      << cleaned.out;
  EXPECT_NE(
      cleaned.out.find("  - 发展乡村产业 | 类别：二、扎实做好今年重点工作 | 完成时限：6月底前\n"),
      std::string::npos)
      << cleaned.out;
  const auto raw = testing::run({testing::wenku_binary(), "analyze", "--raw", text.string()});
  ASSERT_EQ(raw.exit_code, 0) << raw.out;
  // As given, the text is one paragraph: no headings, so no outline and no section of its own.
  EXPECT_NE(cleaned.out.find("提纲：\n  一、回顾去年工作"), std::string::npos) << cleaned.out;
  EXPECT_NE(raw.out.find("提纲：\n\n任务分解："), std::string::npos) << raw.out;
  EXPECT_EQ(raw.out.find("| 类别：二、扎实做好今年重点工作 |"), std::string::npos) << raw.out;
}

TEST_F(ExportCliTest, UnknownDocumentAndBadOptionsFail) {
  export_doc({"--format", "csv"}, "no-such-doc");
  EXPECT_EQ(last_.exit_code, 1);
  EXPECT_NE(last_.out.find("no-such-doc"), std::string::npos) << last_.out;
  export_doc({"--format", "pdf"});
  EXPECT_NE(last_.exit_code, 0);
  export_doc({"--format", "csv", "--template"});
  EXPECT_EQ(last_.exit_code, 2);
  export_doc({"--format", "xlsx", "--tasks"});
  EXPECT_EQ(last_.exit_code, 2);
  export_doc({"--format", "docx", "--tasks", "--template"});
  EXPECT_EQ(last_.exit_code, 2);
}

// --format docx: the text, the 模板版 (--template) and the 任务分解表 (--tasks) as Word files;
// `wenku import` of the text's file gives back its title, date and paragraphs.
TEST_F(ExportCliTest, WordFilesOfTheTextTemplateAndTasksImportBack) {
  const std::string text = export_doc({"--format", "docx"});
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  const std::string all_text = testing::unzipped(text);
  EXPECT_NE(all_text.find("在全区营商环境大会上的讲话"), std::string::npos);
  EXPECT_NE(all_text.find("2024年杭州市新增企业300家"), std::string::npos);

  const std::string templated = testing::unzipped(export_doc({"--format", "docx", "--template"}));
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  EXPECT_NE(templated.find("X年X市新增企业X家"), std::string::npos);
  EXPECT_EQ(templated.find("杭州市新增企业300家"), std::string::npos);

  const std::string tasks = testing::unzipped(export_doc({"--format", "docx", "--tasks"}));
  ASSERT_EQ(last_.exit_code, 0) << last_.out;
  EXPECT_NE(tasks.find("<w:tbl>"), std::string::npos);
  EXPECT_NE(tasks.find("区政务服务中心"), std::string::npos);

  // Back into a library of its own, through the importer of uploads and `wenku import`.
  const auto file = dir_.path() / "speech-1.docx";
  testing::write_file(file, text);
  const auto back_data = (dir_.path() / "back").string();
  const auto imported =
      testing::run({testing::wenku_binary(), "import", "--data", back_data, file.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  const auto out = dir_.path() / "back.txt";
  const auto exported = testing::run({testing::wenku_binary(), "export", "--data", back_data,
                                      "--format", "txt", "--out", out.string(), "speech-1"});
  ASSERT_EQ(exported.exit_code, 0) << exported.out;
  EXPECT_EQ(testing::read_file(out), export_doc({"--format", "txt"}));
}

}  // namespace
}  // namespace wenku::app
