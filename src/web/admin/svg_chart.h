// Server-rendered SVG charts (bar and line) for the admin dashboard: a complete inline
// <svg> element, no script, no style attributes (CSP-safe), sized by its viewBox.
#pragma once

#include <string>
#include <vector>

namespace wenku::web {

// One point of a series: its label on the x axis (e.g. "03-14") and its value (>= 0).
struct ChartPoint {
  std::string label;
  double value = 0;
};

enum class ChartKind { kBar, kLine };

struct ChartOptions {
  std::string title;  // drawn above the plot and given as the accessible name
  std::string unit;   // appended to the values in tooltips, e.g. "篇"; may be empty
  int width = 640;    // viewBox size in user units; the element scales to its container
  int height = 220;
  bool integer = true;  // counts: steps of at least 1, values printed without decimals
};

// Draws `points` left to right as a bar or line chart with a y axis from 0 to a round
// maximum (1, 2 or 5 times a power of ten per step, at most 5 steps, whole steps when
// `options.integer`), grid lines, the
// y values at each step, and at most about 8 x labels (always the last one). Each bar or
// point carries a <title> tooltip "label: value unit". Every text (title, labels, unit) is
// XML-escaped, so any input is safe to inline in HTML. Negative or non-finite values are
// drawn as 0. With no points, the axes and "暂无数据" are drawn.
std::string svg_chart(ChartKind kind, const std::vector<ChartPoint>& points,
                      const ChartOptions& options);

}  // namespace wenku::web
