// `wenku serve --workers N`: the real binary, worker processes sharing one port
// (SO_REUSEPORT) under a supervising parent that writes the index.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "testing/test_support.h"

namespace wenku::app {
namespace {

using Clock = std::chrono::steady_clock;

// One keep-alive HTTP/1.1 connection to 127.0.0.1:port, so that several requests are
// answered by the same worker.
class Connection {
 public:
  explicit Connection(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Connection() {
    if (fd_ >= 0) close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // GETs `target`; status 0 when the connection failed.
  testing::HttpResponse get(const std::string& target) {
    testing::HttpResponse response;
    if (fd_ < 0) return response;
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return response;
    }
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!receive()) return response;
    }
    response.headers = buffer_.substr(0, header_end);
    response.status = std::atoi(response.headers.c_str() + 9);
    auto length_at = response.headers.find("Content-Length: ");
    std::size_t length = length_at == std::string::npos
                             ? 0
                             : std::strtoul(response.headers.c_str() + length_at + 16, nullptr, 10);
    while (buffer_.size() < header_end + 4 + length) {
      if (!receive()) return {};
    }
    response.body = buffer_.substr(header_end + 4, length);
    buffer_.erase(0, header_end + 4 + length);
    return response;
  }

 private:
  bool receive() {
    std::array<char, 65536> chunk;
    auto n = recv(fd_, chunk.data(), chunk.size(), 0);
    if (n <= 0) return false;
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

// The X-Wenku-Worker header of a response: the pid of the process that answered; 0 if none.
int worker_of(const testing::HttpResponse& r) {
  auto at = r.headers.find("X-Wenku-Worker: ");
  return at == std::string::npos ? 0 : std::atoi(r.headers.c_str() + at + 16);
}

// The parent pid of process `pid` (/proc/PID/stat), or 0 when it is gone.
int parent_of(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return 0;
  auto after_name = line.rfind(')');
  if (after_name == std::string::npos) return 0;
  char state = 0;
  int ppid = 0;
  std::sscanf(line.c_str() + after_name + 1, " %c %d", &state, &ppid);
  return state == 'Z' ? 0 : ppid;
}

bool alive(int pid) { return parent_of(pid) != 0; }

// The workers answering /healthz on new connections (each is accepted by whichever worker
// takes it first from the shared listening socket) until `want` distinct ones answered or
// `seconds` passed.
std::set<int> answering_workers(int port, std::size_t want, double seconds = 20) {
  std::set<int> seen;
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  while (seen.size() < want && Clock::now() < deadline) {
    auto r = testing::http_get(port, "/healthz");
    if (r.status == 200 && worker_of(r) != 0) {
      seen.insert(worker_of(r));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return seen;
}

// Percent-encodes a query value.
std::string encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

class WorkersTest : public ::testing::Test {
 protected:
  // Starts `wenku serve --workers N` on a library; `demo` loads the sample texts.
  void start(unsigned workers, bool demo = true) {
    std::vector<std::string> argv{
        testing::wenku_binary().string(), "serve",     "--data", data(), "--workers",
        std::to_string(workers),          "--threads", "1"};
    if (demo) argv.push_back("--demo");
    server_ = std::make_unique<testing::ServerProcess>(argv);
    port_ = server_->port();
    ASSERT_NE(port_, 0) << "wenku serve did not start";
  }

  std::string data() const { return (dir_.path() / "data").string(); }

  void import(const std::string& name, const std::string& contents) {
    auto file = dir_.path() / name;
    testing::write_file(file, contents);
    auto result = testing::run({testing::wenku_binary().string(), "import", "--data", data(),
                                "--batch", "2000", file.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out;
  }

  // Waits until every worker of `workers` reported `total` hits for `query` (each checked on
  // a connection whose /healthz named it); returns the workers that did.
  std::set<int> workers_finding(const std::string& query, std::int64_t total,
                                const std::set<int>& workers, double seconds = 30) {
    std::set<int> found;
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (found != workers && Clock::now() < deadline) {
      Connection connection(port_);
      int worker = worker_of(connection.get("/healthz"));
      auto r = connection.get("/api/v1/search?q=" + encode(query));
      auto parsed = nlohmann::json::parse(r.body, nullptr, false);
      if (r.status == 200 && parsed.is_object() && parsed["total"] == total) {
        found.insert(worker);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    return found;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ServerProcess> server_;
  int port_ = 0;
};

TEST_F(WorkersTest, TwoWorkerProcessesOfTheServerAnswerOnOnePort) {
  start(2);
  auto workers = answering_workers(port_, 2);
  ASSERT_EQ(workers.size(), 2u);
  for (int pid : workers) {
    EXPECT_NE(pid, server_->process().pid());
    EXPECT_EQ(parent_of(pid), server_->process().pid()) << "worker " << pid;
  }
  auto r = testing::http_get(port_, "/api/v1/search?q=" + encode("发展"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"total\":"), std::string::npos) << r.body;
}

TEST_F(WorkersTest, OneWorkerIsTheServerProcessItself) {
  start(1);
  auto workers = answering_workers(port_, 1);
  EXPECT_EQ(workers, std::set<int>{server_->process().pid()});
}

TEST_F(WorkersTest, AKilledWorkerIsForkedAgain) {
  start(2);
  auto before = answering_workers(port_, 2);
  ASSERT_EQ(before.size(), 2u);
  const int victim = *before.begin();
  const int survivor = *before.rbegin();
  ASSERT_EQ(kill(victim, SIGKILL), 0);
  std::set<int> after;
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    after = answering_workers(port_, 2, 2);
    if (after.size() == 2 && !after.contains(victim)) break;
  }
  EXPECT_FALSE(after.contains(victim));
  EXPECT_TRUE(after.contains(survivor));
  ASSERT_EQ(after.size(), 2u);
  for (int pid : after) EXPECT_EQ(parent_of(pid), server_->process().pid());
  EXPECT_TRUE(server_->process().running());
}

TEST_F(WorkersTest, SigtermStopsTheParentAndEveryWorker) {
  start(2);
  auto workers = answering_workers(port_, 2);
  ASSERT_EQ(workers.size(), 2u);
  ASSERT_EQ(kill(server_->process().pid(), SIGTERM), 0);
  auto deadline = Clock::now() + std::chrono::seconds(15);
  while (server_->process().running() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(server_->process().running());
  for (int pid : workers) EXPECT_FALSE(alive(pid)) << "worker " << pid << " still runs";
  EXPECT_EQ(testing::http_get(port_, "/healthz").status, 0);
  // Stopped cleanly: the next server finds no crash marker and keeps the index.
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data" / "index" / "OPEN"));
}

TEST_F(WorkersTest, AnImportIsSearchableThroughEveryWorker) {
  start(2);
  auto workers = answering_workers(port_, 2);
  ASSERT_EQ(workers.size(), 2u);
  // Both workers have answered (and cached) the query before the document exists.
  EXPECT_EQ(workers_finding("量子纠缠通信", 0, workers), workers);
  import("new.txt", "关于量子纠缠通信的通知\n各单位要重视量子纠缠通信的试点工作。\n");
  EXPECT_EQ(workers_finding("量子纠缠通信", 1, workers), workers);
}

// An empty library receiving a large import is rebuilt by the parent (the bulk path) into a
// new database generation; the workers must switch to it.
TEST_F(WorkersTest, WorkersFollowARebuildOfTheIndex) {
  start(2, /*demo=*/false);
  auto workers = answering_workers(port_, 2);
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_EQ(workers_finding("蓝鲸计划", 0, workers), workers);
  std::string jsonl;
  constexpr int kDocs = 1100;
  for (int i = 0; i < kDocs; ++i) {
    jsonl += nlohmann::json{{"id", "bulk-" + std::to_string(i)},
                            {"title", "批量文件" + std::to_string(i)},
                            {"date", "2024-01-01"},
                            {"category", "测试"},
                            {"source", "test"},
                            {"content", "第" + std::to_string(i) + "号文件，涉及蓝鲸计划的安排。"}}
                 .dump() +
             "\n";
  }
  import("bulk.jsonl", jsonl);
  EXPECT_EQ(workers_finding("蓝鲸计划", kDocs, workers, 60), workers);
}

TEST_F(WorkersTest, AnAddressInUseStopsTheServerWithAnError) {
  int taken = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(taken, 1), 0);
  socklen_t length = sizeof addr;
  getsockname(taken, reinterpret_cast<sockaddr*>(&addr), &length);
  auto result =
      testing::run({testing::wenku_binary().string(), "serve", "--data", data(), "--workers", "2",
                    "--listen", "127.0.0.1:" + std::to_string(ntohs(addr.sin_port))});
  close(taken);
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("cannot listen on 127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                            ": Address already in use"),
            std::string::npos)
      << result.out;
}

// With SO_REUSEPORT on each worker's socket, a second server of the same user could bind the
// port too and silently take half of the connections.
TEST_F(WorkersTest, ASecondServerCannotJoinTheAddressOfARunningOne) {
  start(2);
  auto other = testing::TempDir();
  auto result = testing::run({testing::wenku_binary().string(), "serve", "--data",
                              (other.path() / "data").string(), "--workers", "2", "--listen",
                              "127.0.0.1:" + std::to_string(port_)});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("Address already in use"), std::string::npos) << result.out;
  EXPECT_EQ(answering_workers(port_, 2).size(), 2u) << "the first server still answers";
}

}  // namespace
}  // namespace wenku::app
