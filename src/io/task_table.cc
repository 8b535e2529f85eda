#include "io/task_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace wenku::io {

const std::vector<std::string>& task_columns() {
  static const std::vector<std::string> kColumns{"序号",     "类别",     "工作任务",
                                                 "责任领导", "牵头单位", "配合单位",
                                                 "具体落实", "完成时限", "段落"};
  return kColumns;
}

std::vector<std::string> task_cells(const doc::TaskRow& row, std::size_t index) {
  return {std::to_string(index + 1),
          row.section,
          row.task,
          row.leader,
          row.lead_unit,
          fmt::format("{}", fmt::join(row.partners, "、")),
          row.implementer,
          row.deadline,
          std::to_string(row.para + 1)};
}

}  // namespace wenku::io
