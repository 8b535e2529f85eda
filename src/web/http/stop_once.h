// Stopping a server exactly once, whether the stop is asked before or after it listens.
#pragma once

#include <atomic>
#include <functional>
#include <utility>

namespace wenku::web {

// A signal can arrive while the server is still opening; a stop asked then would be lost
// (the opening server ignores it and goes on serving). StopOnce remembers the request and
// stops once the server listens. Both methods may be called from any thread; `stop` runs at
// most once, and it runs exactly once as soon as both request() and listening() were called.
class StopOnce {
 public:
  explicit StopOnce(std::function<void()> stop) : stop_(std::move(stop)) {}

  // A stop is wanted (e.g. SIGTERM): stops now if the server listens, else once it does.
  void request() {
    wanted_ = true;
    if (listening_) stop_now();
  }

  // The server listens now: stops it at once if a stop was wanted before.
  void listening() {
    listening_ = true;
    if (wanted_) stop_now();
  }

 private:
  void stop_now() {
    if (!done_.exchange(true)) stop_();
  }

  std::function<void()> stop_;
  // Sequentially consistent: of request() and listening() racing, at least one sees the
  // other's flag.
  std::atomic<bool> wanted_{false};
  std::atomic<bool> listening_{false};
  std::atomic<bool> done_{false};
};

}  // namespace wenku::web
