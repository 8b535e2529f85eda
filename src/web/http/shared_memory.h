// Memory that the processes of one server share: mapped before the workers are forked, every
// worker sees (and writes) the same bytes. Only lock-free atomics may live in it.
#pragma once

#include <cstddef>

namespace wenku::web {

class SharedMemory {
 public:
  // Maps `bytes` of zeroed anonymous shared memory. Throws std::system_error when the
  // system refuses.
  explicit SharedMemory(std::size_t bytes);
  ~SharedMemory();  // unmaps this process's view; forked processes keep theirs
  SharedMemory(const SharedMemory&) = delete;
  SharedMemory& operator=(const SharedMemory&) = delete;

  void* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace wenku::web
