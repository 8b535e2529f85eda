// Terminal progress display for long-running commands.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace wenku::app {

// Draws "[#####.....]  45%  12,345 docs  3,210 docs/s  ETA 0:07" on one terminal line,
// redrawn at most ten times a second. Draws nothing when `out` is not a terminal.
class ProgressBar {
 public:
  // `unit`: what the items are, e.g. "docs" or "rows" (a string literal: it is kept).
  explicit ProgressBar(std::FILE* out, const char* unit = "docs");
  // Reports progress: `done` of `total` units of work (bytes), `items` finished so far.
  void update(std::uint64_t done, std::uint64_t total, std::uint64_t items);
  // Clears the line (when one was drawn).
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::FILE* out_;
  const char* unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace wenku::app
