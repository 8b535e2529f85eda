// The 任务分解表 (task breakdown) as a table of cells, the one layout its page, CSV, .xlsx and
// Word exports share.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "doc/tasks.h"

namespace wenku::io {

// The column headings of the task table, in order: 序号 类别 工作任务 责任领导 牵头单位
// 配合单位 具体落实 完成时限 段落.
const std::vector<std::string>& task_columns();

// The cells of task `row` number `index` (0-based) of a table, in the order of
// task_columns(): the 1-based number, the section (类别), the fields, the partners joined
// with 、 and the 1-based paragraph.
std::vector<std::string> task_cells(const doc::TaskRow& row, std::size_t index);

}  // namespace wenku::io
