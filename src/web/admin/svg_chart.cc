#include "web/admin/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <pugixml.hpp>

namespace wenku::web {

namespace {

constexpr double kMarginLeft = 48;
constexpr double kMarginRight = 12;
constexpr double kMarginTop = 30;
constexpr double kMarginBottom = 30;
constexpr int kMaxSteps = 5;
constexpr std::size_t kMaxXLabels = 8;

// A coordinate with two decimals.
std::string num(double v) { return fmt::format("{:.2f}", v); }

double clean(double v) { return std::isfinite(v) && v > 0 ? v : 0; }

// The smallest "round" step (1, 2 or 5 times a power of ten) dividing [0, max] into at most
// kMaxSteps steps; 1 for an empty range.
double nice_step(double max) {
  if (max <= 0) return 1;
  const double raw = max / kMaxSteps;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

pugi::xml_node add(pugi::xml_node parent, const char* name,
                   std::initializer_list<std::pair<const char*, std::string>> attributes) {
  auto node = parent.append_child(name);
  for (const auto& [key, value] : attributes) node.append_attribute(key).set_value(value.c_str());
  return node;
}

void add_text(pugi::xml_node parent, double x, double y, const char* anchor,
              const std::string& text, const char* css_class) {
  auto node = add(parent, "text",
                  {{"x", num(x)}, {"y", num(y)}, {"text-anchor", anchor}, {"class", css_class}});
  node.text().set(text.c_str());
}

// A value as the axis and tooltips show it.
std::string value_text(double v, const ChartOptions& options) {
  return options.integer ? fmt::format("{:.0f}", v) : fmt::format("{:g}", v);
}

void add_tooltip(pugi::xml_node parent, const ChartPoint& p, const ChartOptions& options) {
  const std::string text =
      fmt::format("{}: {}{}", p.label, value_text(clean(p.value), options), options.unit);
  parent.append_child("title").text().set(text.c_str());
}

}  // namespace

std::string svg_chart(ChartKind kind, const std::vector<ChartPoint>& points,
                      const ChartOptions& options) {
  const double width = std::max(options.width, 200);
  const double height = std::max(options.height, 120);
  const double plot_left = kMarginLeft;
  const double plot_right = width - kMarginRight;
  const double plot_top = kMarginTop;
  const double plot_bottom = height - kMarginBottom;
  const double plot_width = plot_right - plot_left;
  const double plot_height = plot_bottom - plot_top;

  double max = 0;
  for (const auto& p : points) max = std::max(max, clean(p.value));
  const double step = options.integer ? std::max(1.0, nice_step(max)) : nice_step(max);
  const int steps = std::max(1, static_cast<int>(std::ceil(max / step)));
  const double top_value = step * steps;
  auto y_of = [&](double v) { return plot_bottom - clean(v) / top_value * plot_height; };

  pugi::xml_document doc;
  auto svg = add(doc, "svg",
                 {{"xmlns", "http://www.w3.org/2000/svg"},
                  {"viewBox", fmt::format("0 0 {} {}", width, height)},
                  {"class", kind == ChartKind::kBar ? "chart chart-bar" : "chart chart-line"},
                  {"role", "img"},
                  {"aria-label", options.title},
                  {"font-size", "11"},
                  {"font-family", "sans-serif"}});
  svg.append_child("title").text().set(options.title.c_str());
  add_text(svg, plot_left, 16, "start", options.title, "chart-title");

  // Grid lines and y values.
  auto grid = add(svg, "g", {{"class", "chart-grid"}, {"stroke", "#e3e3e3"}});
  for (int i = 0; i <= steps; ++i) {
    const double v = step * i;
    const double y = y_of(v);
    add(grid, "line",
        {{"x1", num(plot_left)}, {"x2", num(plot_right)}, {"y1", num(y)}, {"y2", num(y)}});
    add_text(svg, plot_left - 6, y + 4, "end", value_text(v, options), "chart-value");
  }
  add(svg, "line",
      {{"class", "chart-axis"},
       {"stroke", "#666"},
       {"x1", num(plot_left)},
       {"x2", num(plot_left)},
       {"y1", num(plot_top)},
       {"y2", num(plot_bottom)}});
  add(svg, "line",
      {{"class", "chart-axis"},
       {"stroke", "#666"},
       {"x1", num(plot_left)},
       {"x2", num(plot_right)},
       {"y1", num(plot_bottom)},
       {"y2", num(plot_bottom)}});

  if (points.empty()) {
    add_text(svg, plot_left + plot_width / 2, plot_top + plot_height / 2, "middle", "暂无数据",
             "chart-empty");
  } else {
    const double slot = plot_width / static_cast<double>(points.size());
    auto x_of = [&](std::size_t i) { return plot_left + slot * (static_cast<double>(i) + 0.5); };
    const std::size_t every = (points.size() + kMaxXLabels - 1) / kMaxXLabels;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const bool last = i + 1 == points.size();
      // The last label is always drawn; a regular label too close before it is skipped.
      if (last || (i % every == 0 && points.size() - 1 - i >= every)) {
        add_text(svg, x_of(i), plot_bottom + 16, "middle", points[i].label, "chart-label");
      }
    }
    auto marks = add(svg, "g", {{"class", "chart-marks"}, {"fill", "#b8412c"}});
    if (kind == ChartKind::kBar) {
      const double bar = std::max(1.0, slot * 0.7);
      for (std::size_t i = 0; i < points.size(); ++i) {
        const double y = y_of(points[i].value);
        auto rect = add(marks, "rect",
                        {{"x", num(x_of(i) - bar / 2)},
                         {"y", num(y)},
                         {"width", num(bar)},
                         {"height", num(plot_bottom - y)}});
        add_tooltip(rect, points[i], options);
      }
    } else {
      std::string line;
      for (std::size_t i = 0; i < points.size(); ++i) {
        line += fmt::format("{}{},{}", i ? " " : "", num(x_of(i)), num(y_of(points[i].value)));
      }
      add(marks, "polyline",
          {{"points", line}, {"fill", "none"}, {"stroke", "#b8412c"}, {"stroke-width", "2"}});
      for (std::size_t i = 0; i < points.size(); ++i) {
        auto dot = add(marks, "circle",
                       {{"cx", num(x_of(i))}, {"cy", num(y_of(points[i].value))}, {"r", "3"}});
        add_tooltip(dot, points[i], options);
      }
    }
  }

  std::ostringstream out;
  doc.save(out, "",
           pugi::format_raw | pugi::format_no_declaration | pugi::format_skip_control_chars);
  return out.str();
}

}  // namespace wenku::web
