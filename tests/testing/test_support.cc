#include "testing/test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace wenku::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = fs::temp_directory_path() / ("wenku-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path corpus_dir() {
  fs::path dir = fs::path(WENKU_SHARED_DIR) / "corpus";
  return fs::exists(dir / "gov_work_reports.jsonl") ? dir : fs::path();
}

std::vector<fs::path> corpus_files() {
  auto dir = corpus_dir();
  if (dir.empty()) return {};
  return {dir / "gov_work_reports.jsonl", dir / "cpc_congress_reports.jsonl",
          dir / "xi_speeches_2020.jsonl", dir / "xinwen_lianbo.jsonl.zst",
          dir / "laws_regulations.jsonl.zst"};
}

fs::path dict_dir() { return WENKU_BUILD_DICT_DIR; }
fs::path wenku_binary() { return WENKU_BINARY; }
fs::path test_data_dir() { return WENKU_TEST_DATA_DIR; }

fs::path artifacts_dir() {
  const fs::path dir = WENKU_ARTIFACTS_DIR;
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& contents) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::vector<char*> to_argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Runs `args` with its standard output, and its standard error when `with_stderr`, captured.
RunResult run_capturing(const std::vector<std::string>& args, bool with_stderr) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    if (with_stderr) {
      dup2(fds[1], 2);
    } else if (const int null = open("/dev/null", O_WRONLY); null >= 0) {
      dup2(null, 2);
      close(null);
    }
    close(fds[0]);
    close(fds[1]);
    auto argv = to_argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  RunResult result;
  std::array<char, 65536> buf;
  ssize_t n;
  while ((n = read(fds[0], buf.data(), buf.size())) > 0) result.out.append(buf.data(), n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

RunResult run(const std::vector<std::string>& args) { return run_capturing(args, true); }

RunResult run_stdout(const std::vector<std::string>& args) { return run_capturing(args, false); }

ChildProcess::ChildProcess(const std::vector<std::string>& args, int stdout_fd, int stderr_fd) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    if (stdout_fd >= 0) {
      dup2(stdout_fd, 1);
      close(stdout_fd);
    }
    if (stderr_fd >= 0) {
      dup2(stderr_fd, 2);
      close(stderr_fd);
    }
    auto argv = to_argv(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  setpgid(pid_, pid_);  // also here, so the group exists whichever process runs first
  group_ = pid_;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::optional<int> ChildProcess::wait(double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (pid_ > 0) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

ChildProcess::~ChildProcess() {
  if (running()) {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (group_ > 0) kill(-group_, SIGKILL);
}

ServerProcess::ServerProcess(const std::vector<std::string>& args, double seconds,
                             const std::filesystem::path& stderr_file) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  auto argv = args;
  argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  // Tests send requests faster than any person: rate limits only where a test asks for them.
  if (std::ranges::find(args, "--rate-limits") == args.end()) {
    argv.insert(argv.end(), {"--rate-limits", "off"});
  }
  int errors = -1;
  if (!stderr_file.empty()) {
    errors = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (errors < 0) throw std::runtime_error("cannot open " + stderr_file.string());
  }
  process_ = std::make_unique<ChildProcess>(argv, fds[1], errors);
  if (errors >= 0) close(errors);
  close(fds[1]);
  output_ = fds[0];
  const std::regex serving(R"(serving .* at http://127\.0\.0\.1:([0-9]+)/)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::string pending;  // output after the last newline
  std::array<char, 4096> buf;
  while (port_ == 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd readable{output_, POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = read(output_, buf.data(), buf.size());
    if (n <= 0) break;  // the server exited
    std::fwrite(buf.data(), 1, static_cast<std::size_t>(n), stdout);
    pending.append(buf.data(), static_cast<std::size_t>(n));
    for (auto newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n')) {
      std::smatch match;
      const std::string line = pending.substr(0, newline);
      if (std::regex_search(line, match, serving)) port_ = std::stoi(match[1]);
      pending.erase(0, newline + 1);
    }
  }
  std::fflush(stdout);
  echo_ = std::thread([fd = output_] {
    std::array<char, 4096> rest;
    ssize_t n;
    while ((n = read(fd, rest.data(), rest.size())) > 0) {
      std::fwrite(rest.data(), 1, static_cast<std::size_t>(n), stdout);
      std::fflush(stdout);
    }
  });
}

ServerProcess::~ServerProcess() {
  process_.reset();  // the server and its workers are gone: the pipe's write ends are closed
  echo_.join();
  close(output_);
}

HttpResponse http_get(int port, const std::string& target) {
  return http_request(port, "GET", target);
}

std::string http_exchange(int port, const std::string& raw) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, raw.data(), raw.size(), 0) == static_cast<ssize_t>(raw.size())) {
    std::array<char, 65536> buf;
    ssize_t n;
    while ((n = recv(fd, buf.data(), buf.size(), 0)) > 0) out.append(buf.data(), n);
  }
  close(fd);
  return out;
}

HttpResponse http_request(int port, const std::string& method, const std::string& target) {
  HttpResponse response;
  const std::string raw =
      http_exchange(port, method + " " + target +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                              "User-Agent: wenku-test\r\nContent-Length: 0\r\n\r\n");
  auto header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return response;
  response.status = std::atoi(raw.c_str() + 9);
  response.headers = raw.substr(0, header_end);
  response.body = raw.substr(header_end + 4);
  return response;
}

}  // namespace wenku::testing
