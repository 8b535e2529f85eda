// A small in-memory cache of values that may be a little stale (hot lists, related documents,
// QR codes): each value expires a fixed time after it was computed.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace wenku::web {

// Thread-safe. Values are shared read-only between the threads that get them.
template <typename Value>
class TtlCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Values are fresh for `ttl` by `clock` (tests pass their own). When `max_entries` are held
  // the cache is emptied before the next insertion: simpler than LRU bookkeeping, and every
  // value is cheap to recompute.
  TtlCache(std::chrono::steady_clock::duration ttl, std::size_t max_entries,
           Clock clock = std::chrono::steady_clock::now)
      : ttl_(ttl), max_entries_(max_entries), clock_(std::move(clock)) {}

  // The value for `key` if it was computed less than `ttl` ago, else `compute()`, stored and
  // returned. `compute` runs without the lock, so two threads missing at once both compute
  // (the last one stored wins); an exception from it propagates and stores nothing.
  std::shared_ptr<const Value> get(const std::string& key, const std::function<Value()>& compute) {
    const auto now = clock_();
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(key);
      if (it != entries_.end() && now - it->second.computed_at < ttl_) return it->second.value;
    }
    auto value = std::make_shared<const Value>(compute());
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.clear();
    entries_[key] = Entry{value, now};
    return value;
  }

 private:
  struct Entry {
    std::shared_ptr<const Value> value;
    std::chrono::steady_clock::time_point computed_at;
  };

  const std::chrono::steady_clock::duration ttl_;
  const std::size_t max_entries_;
  const Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace wenku::web
