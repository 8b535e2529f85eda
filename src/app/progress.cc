#include "app/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <string>

namespace wenku::app {

namespace {

std::string format_duration(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* out, const char* unit)
    : out_(out),
      unit_(unit),
      enabled_(isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::update(std::uint64_t done, std::uint64_t total, std::uint64_t items) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  if (fraction > 1) fraction = 1;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  double rate = elapsed > 0 ? static_cast<double>(items) / elapsed : 0;
  std::string eta = fraction > 0.001 ? format_duration(elapsed / fraction - elapsed) : "--:--";
  fmt::print(out_, "\r[{}] {:3.0f}%  {} {}  {:.0f} {}/s  ETA {}\x1b[K", bar, fraction * 100, items,
             unit_, rate, unit_, eta);
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (!drawn_) return;
  fmt::print(out_, "\r\x1b[K");
  std::fflush(out_);
}

}  // namespace wenku::app
