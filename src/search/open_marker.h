// Internal to the search module: detects an index that was not closed cleanly.
#pragma once

#include <filesystem>

namespace wenku::search {

// A marker file that exists while any process has the index directory open, guarded by an
// advisory lock (flock) on a lock file so that a process opening the index while another
// one has it open does not mistake the other's marker for a crash. A marker found by the
// first opener means the previous session ended without closing the index.
class OpenMarker {
 public:
  // Takes the lock of `dir` (exclusive when no other process holds it, shared otherwise),
  // notes whether a stale marker was found, then (re)creates the marker.
  explicit OpenMarker(const std::filesystem::path& dir);
  // Removes the marker when no other process still holds the lock.
  ~OpenMarker();
  OpenMarker(const OpenMarker&) = delete;
  OpenMarker& operator=(const OpenMarker&) = delete;

  // True when the marker of an earlier session was left behind (unclean shutdown).
  bool unclean() const { return unclean_; }
  // True for the one process that may change the index: the first to open it, holding an
  // exclusive lock on the WRITER file until it closes. Groonga files must never be written by
  // two processes at once, nor removed under a process that has them mapped.
  bool may_write() const { return writer_fd_ >= 0; }
  // Downgrades an exclusive lock to a shared one once the index is ready, letting other
  // processes open it too.
  void share();

 private:
  int fd_ = -1;
  int writer_fd_ = -1;
  std::filesystem::path marker_;
  bool unclean_ = false;
};

}  // namespace wenku::search
