#include "base/embedded.h"

#include <algorithm>

namespace wenku::embedded {

const File* find(const std::vector<File>& files, std::string_view path) {
  auto it = std::lower_bound(files.begin(), files.end(), path,
                             [](const File& f, std::string_view p) { return f.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

}  // namespace wenku::embedded
