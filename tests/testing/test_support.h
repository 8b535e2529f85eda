// Helpers shared by the tests.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wenku::testing {

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// ../shared/corpus beside the repository; empty path when it is absent (tests then
// GTEST_SKIP with a message).
std::filesystem::path corpus_dir();

// The five corpus files, or an empty list when the corpus is absent.
std::vector<std::filesystem::path> corpus_files();

// The dictionary directory of the build tree.
std::filesystem::path dict_dir();

// The built `wenku` executable.
std::filesystem::path wenku_binary();

// tests/data in the source tree.
std::filesystem::path test_data_dir();

// test-artifacts/ of the build tree, where tests leave what a person looks at (screenshots,
// rendered pages), created when absent.
std::filesystem::path artifacts_dir();

// Writes `contents` to `path`, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& contents);

// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& path);

// Result of running a child process.
struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr interleaved (run_stdout: stdout alone)
};

// Runs `argv` (argv[0] is a path), waits for it and captures its output.
RunResult run(const std::vector<std::string>& argv);

// The same, capturing standard output alone (standard error is dropped).
RunResult run_stdout(const std::vector<std::string>& argv);

// Starts `argv` in the background, in a process group of its own; on destruction sends it
// SIGTERM, then SIGKILL after 5 s, reaps it, and kills whatever is left in its group (worker
// processes of a server that did not stop them), so no leftover keeps CTest's output open.
class ChildProcess {
 public:
  // `stdout_fd` (`stderr_fd`) >= 0: the child's standard output (error) goes there (the
  // caller keeps its copy).
  explicit ChildProcess(const std::vector<std::string>& argv, int stdout_fd = -1,
                        int stderr_fd = -1);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  int pid() const { return pid_; }
  // True while the process has not exited.
  bool running();
  // Waits up to `seconds` for the process to exit and returns its wait status (as waitpid
  // gives it), or nullopt when it still runs then or was reaped before.
  std::optional<int> wait(double seconds);

 private:
  int pid_ = -1;
  int group_ = -1;
};

// `wenku serve ARGS --listen 127.0.0.1:0` in the background, on the port it picked: the
// constructor waits up to `seconds` for the server's "serving … at http://127.0.0.1:PORT/"
// line (printed once every worker accepts), and the server's standard output is echoed to
// this process's. No other process can take that port meanwhile, as one from a free-port
// probe could (then two servers would share it). Destruction stops it as ChildProcess does.
// Rate limits are off (--rate-limits off) unless `args` set them. With `stderr_file`, the
// server's standard error (its logs) is appended to that file.
class ServerProcess {
 public:
  explicit ServerProcess(const std::vector<std::string>& args, double seconds = 60,
                         const std::filesystem::path& stderr_file = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // The port the server listens on; 0 when it did not start in time.
  int port() const { return port_; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  int output_ = -1;  // read end of the server's standard output
  std::thread echo_;
  int port_ = 0;
};

// Minimal HTTP/1.1 client for tests: GET http://127.0.0.1:port/target.
struct HttpResponse {
  int status = 0;
  std::string headers;  // raw header block
  std::string body;
};
HttpResponse http_get(int port, const std::string& target);
// The same with another method and no body (HEAD: the response has no body).
HttpResponse http_request(int port, const std::string& method, const std::string& target);
// Sends `raw` (one or more whole requests) on one connection and returns all the bytes the
// server sends back until it closes the connection; "" when it cannot connect.
std::string http_exchange(int port, const std::string& raw);

}  // namespace wenku::testing
