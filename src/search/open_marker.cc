#include "search/open_marker.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "search/index.h"

namespace wenku::search {

namespace fs = std::filesystem;

OpenMarker::OpenMarker(const fs::path& dir) : marker_(dir / "OPEN") {
  auto lock_path = dir / "LOCK";
  fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw IndexError("cannot open " + lock_path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
    unclean_ = fs::exists(marker_);
  } else if (::flock(fd_, LOCK_SH) != 0) {
    int err = errno;
    ::close(fd_);
    throw IndexError("cannot lock " + lock_path.string() + ": " + std::strerror(err));
  }
  auto writer_path = dir / "WRITER";
  writer_fd_ = ::open(writer_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (writer_fd_ >= 0 && ::flock(writer_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(writer_fd_);
    writer_fd_ = -1;
  }
  std::ofstream(marker_).put('\n');
  if (!fs::exists(marker_)) {
    ::close(fd_);
    throw IndexError("cannot create " + marker_.string());
  }
}

OpenMarker::~OpenMarker() {
  // Converting to exclusive fails while another process still holds a shared lock.
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
    std::error_code ignored;
    fs::remove(marker_, ignored);
  }
  ::close(fd_);
  if (writer_fd_ >= 0) ::close(writer_fd_);
}

void OpenMarker::share() { ::flock(fd_, LOCK_SH); }

}  // namespace wenku::search
