// Crash safety of `wenku serve`: killed with SIGKILL at random moments (seeded; the seed is
// printed, and WENKU_CRASH_SEED=N repeats a run) while clients upload through the admin, it
// loses no upload it answered as stored, leaves a database that passes PRAGMA
// integrity_check, and the restarted server's index holds every stored upload.
// tests/integration/import_crash_test.cc does the same for `wenku import`.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/admin_client.h"
#include "app/crash_support.h"
#include "app/synthetic_docs.h"
#include "store/raw_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "crash-test-admin-token-0123";

// Uploads one .txt file; true when the answer says its document was stored.
bool upload(int port, const testing::AdminSession& session, const std::string& file_name,
            const std::string& text) {
  const auto files =
      testing::upload_reports(testing::upload_files(port, session, {{file_name, text}}));
  if (!files.is_array() || files.size() != 1) return false;
  const auto& file = files[0];
  return file.value("inserted", 0) == 1 && file["errors"].empty();
}

// An upload the server answered as stored.
struct Upload {
  std::string id;
  std::string tag;  // a phrase only its text holds
};

// The .txt file of upload `n` of client `client` in round `round`.
Upload upload_of(int round, int client, int n) {
  return {fmt::format("up-{}-{}-{}", round, client, n),
          "第" + testing::chinese_digits(round, 1) + "轮上传" + testing::chinese_digits(client, 1) +
              "线程" + testing::chinese_digits(n, 3) + "号"};
}

std::string text_of(const Upload& u) {
  return "崩溃测试上传文档" + u.tag + "\n\n这是" + u.tag +
         "测试文档的正文，用于检验服务器被强行终止之后，已经答复成功的上传不会丢失。\n"
         "各地区各部门要加强组织领导，压实工作责任，确保各项任务落到实处。\n";
}

// The store holds every upload of `answered`, the database is sound, and the index of the
// server just started has them all.
void expect_kept(const fs::path& data, const std::vector<Upload>& answered) {
  {
    store::RawDb raw(data / "wenku.sqlite");
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  }
  auto store = store::open_sqlite(data / "wenku.sqlite");
  int lost = 0;
  for (const auto& u : answered) {
    const auto d = store->get(u.id);
    if ((!d || d->content.find(u.tag) == std::string::npos) && ++lost <= 5) {
      ADD_FAILURE() << "the answered upload " << u.id << " is lost";
    }
  }
  EXPECT_EQ(lost, 0);
  std::int64_t uploads = 0;
  for (const auto& d : store->changes_since(0, 1'000'000)) uploads += d.id.starts_with("up-");
  store.reset();
  if (answered.empty()) return;
  const auto hit = testing::search_json(data, "\"" + answered.back().tag + "\"");
  ASSERT_EQ(hit.value("total", -1), 1) << hit.dump();
  EXPECT_EQ(hit["hits"][0]["id"], answered.back().id);
  EXPECT_EQ(testing::search_json(data, "\"崩溃测试上传文档\"").value("total", -1), uploads);
}

// Kills `wenku serve --workers 2` (the whole process group) three times while four clients
// upload documents through /admin/upload, after a random number of answered uploads; after each
// restart every upload answered as stored is there and found.
TEST(ServeCrashTest, KilledDuringConcurrentUploadsKeepsEveryAnsweredUpload) {
  const unsigned seed = testing::crash_seed();
  std::cout << "crash seed " << seed << " (WENKU_CRASH_SEED=" << seed << " repeats it)\n";
  std::mt19937 random(seed);
  constexpr int kRounds = 3;
  constexpr int kClients = 4;
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const std::vector<std::string> serve = {testing::wenku_binary().string(),
                                          "serve",
                                          "--data",
                                          data.string(),
                                          "--workers",
                                          "2",
                                          "--threads",
                                          "4",
                                          "--admin-token",
                                          kToken};
  std::vector<Upload> answered;  // by all rounds, in the order of their answers
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(fmt::format("round {} (seed {})", round, seed));
    testing::ServerProcess server(serve);
    ASSERT_NE(server.port(), 0) << "wenku serve did not start";
    expect_kept(data, answered);
    const testing::AdminSession session = testing::log_in(server.port(), kToken);
    ASSERT_FALSE(session.cookie.empty());
    ASSERT_EQ(session.csrf.size(), 64u);

    const std::size_t kill_after = answered.size() + std::uniform_int_distribution(5, 40)(random);
    std::mutex mutex;
    std::condition_variable changed;
    int running = kClients;
    std::vector<std::thread> clients;
    for (int client = 0; client < kClients; ++client) {
      clients.emplace_back([&, client] {
        for (int n = 0;; ++n) {
          const Upload u = upload_of(round, client, n);
          const bool stored = upload(server.port(), session, u.id + ".txt", text_of(u));
          std::lock_guard lock(mutex);
          if (!stored) break;  // the server is gone
          answered.push_back(u);
          changed.notify_all();
        }
        std::lock_guard lock(mutex);
        --running;
        changed.notify_all();
      });
    }
    {
      std::unique_lock lock(mutex);
      changed.wait_for(lock, std::chrono::minutes(5),
                       [&] { return answered.size() >= kill_after || running == 0; });
      EXPECT_EQ(running, kClients) << "uploads failed before the kill";
      kill(-server.process().pid(), SIGKILL);
    }
    for (auto& c : clients) c.join();
    std::cout << fmt::format("round {}: killed after {} answered uploads ({} wanted)\n", round,
                             answered.size(), kill_after);
  }
  testing::ServerProcess server(serve);
  ASSERT_NE(server.port(), 0) << "wenku serve did not start";
  expect_kept(data, answered);
}

}  // namespace
}  // namespace wenku::app
