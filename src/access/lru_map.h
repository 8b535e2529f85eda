// A map from strings to values holding at most a fixed number of entries: to make room it
// forgets the least recently used one. Used by Accounts for its session cache.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace wenku::access {

// Not thread-safe: its owner locks. Every operation is O(1) on average but erase_if, O(size).
template <typename Value>
class LruMap {
 public:
  // Holds at most `capacity` entries; with 0 it holds none (put stores nothing).
  explicit LruMap(std::size_t capacity) : capacity_(capacity) {}
  LruMap(const LruMap&) = delete;
  LruMap& operator=(const LruMap&) = delete;

  // The value under `key`, made the most recently used, or nullptr. The pointer is valid
  // until the next put, erase, erase_if or clear.
  Value* find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);  // iterators stay valid
    return &it->second->second;
  }

  // Stores `value` under `key` (replacing what was there) as the most recently used entry;
  // when the map is full, the least recently used entry goes first.
  void put(std::string_view key, Value value) {
    if (capacity_ == 0) return;
    if (Value* there = find(key)) {
      *there = std::move(value);
      return;
    }
    if (entries_.size() >= capacity_) {
      index_.erase(std::string_view(entries_.back().first));
      entries_.pop_back();
    }
    entries_.emplace_front(std::string(key), std::move(value));
    index_.emplace(std::string_view(entries_.front().first), entries_.begin());
  }

  // Returns false when nothing was under `key`.
  bool erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    auto entry = it->second;
    index_.erase(it);
    entries_.erase(entry);
    return true;
  }

  // Erases every entry whose value satisfies `pred(const Value&)`; returns how many.
  template <typename Pred>
  std::size_t erase_if(Pred pred) {
    std::size_t erased = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (pred(std::as_const(it->second))) {
        index_.erase(std::string_view(it->first));
        it = entries_.erase(it);
        ++erased;
      } else {
        ++it;
      }
    }
    return erased;
  }

  void clear() {
    index_.clear();
    entries_.clear();
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<std::string, Value>;

  const std::size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  // Keys are views of the strings in `entries_`, whose nodes never move.
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

}  // namespace wenku::access
