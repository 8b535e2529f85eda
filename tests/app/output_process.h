// A child process whose standard output and error are read line by line, for the tests that
// act on what a process says (an import's acknowledgement of a committed batch) rather than
// on time passing.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wenku::testing {

class OutputProcess {
 public:
  // Starts `argv` (argv[0] a path) in a process group of its own, its standard output and
  // error both into one pipe this object reads.
  explicit OutputProcess(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      setpgid(0, 0);
      dup2(fds[1], 1);
      dup2(fds[1], 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    setpgid(pid_, pid_);
    close(fds[1]);
    fd_ = fds[0];
  }

  // Kills what is left of the process group and reaps the process.
  ~OutputProcess() {
    if (pid_ > 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(fd_);
  }
  OutputProcess(const OutputProcess&) = delete;
  OutputProcess& operator=(const OutputProcess&) = delete;

  // Reads output until a whole line satisfies `match` (returned), the output ends (the
  // process exited) or `seconds` pass (nullopt for both).
  std::optional<std::string> wait_for_line(const std::function<bool(const std::string&)>& match,
                                           double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
      if (auto newline = pending_.find('\n'); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        if (match(line)) return line;
        continue;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return std::nullopt;
    }
  }

  // Sends `signal` to the whole process group.
  void signal_group(int signal) const { kill(-pid_, signal); }

  // Reads the rest of the output, reaps the process and returns its exit code (128 + the
  // signal when a signal ended it).
  int wait() {
    while (read_some(-1)) {
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Everything the process wrote that was read so far.
  const std::string& output() const { return output_; }

 private:
  // Waits up to `timeout_ms` (-1: no limit) for output and reads it; false at its end or when
  // nothing came in time.
  bool read_some(int timeout_ms) {
    pollfd readable{fd_, POLLIN, 0};
    if (poll(&readable, 1, timeout_ms) <= 0) return false;
    std::array<char, 4096> buf;
    const ssize_t n = read(fd_, buf.data(), buf.size());
    if (n <= 0) return false;
    output_.append(buf.data(), static_cast<std::size_t>(n));
    pending_.append(buf.data(), static_cast<std::size_t>(n));
    return true;
  }

  int pid_ = -1;
  int fd_ = -1;
  std::string pending_;  // read, not yet returned as a line
  std::string output_;
};

}  // namespace wenku::testing
