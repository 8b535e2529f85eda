// `wenku backup` and `wenku restore` through the real binary: a restored library equals the
// one backed up, restore refuses what it must not touch or cannot trust and then changes
// nothing, and a backup taken while a server runs and an import writes is consistent.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/output_process.h"
#include "app/synthetic_docs.h"
#include "store/raw_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

namespace fs = std::filesystem;

std::string record(const std::string& id, const std::string& title, const std::string& content) {
  return nlohmann::json{{"id", id},
                        {"title", title},
                        {"date", "2024-04-09"},
                        {"category", "讲话稿"},
                        {"source", "test"},
                        {"content", content}}
             .dump() +
         "\n";
}

// The names in `dir`, sorted ("" for an absent directory's none).
std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// Everything a library keeps that a restore must bring back, read through the store.
struct Contents {
  std::vector<doc::Document> documents;  // every document, soft-deleted ones too, by seq
  std::map<std::string, std::string> settings;
  std::optional<store::SiteFile> wechat_qr;
  std::vector<store::User> users;
  std::vector<store::Collection> collections;
};

Contents contents_of(const fs::path& sqlite) {
  auto store = store::open_sqlite(sqlite);
  Contents c;
  c.documents = store->changes_since(0, 1'000'000);
  c.settings = store->settings();
  c.wechat_qr = store->site_file("wechat-qr");
  c.users = store->users(100, 0);
  c.collections = store->collections();
  return c;
}

std::vector<std::string> ids_of(const std::vector<doc::Document>& docs) {
  std::vector<std::string> ids;
  for (const auto& d : docs) ids.push_back(d.id);
  return ids;
}

class BackupTest : public ::testing::Test {
 protected:
  fs::path data() const { return dir_.path() / "data"; }
  fs::path backups() const { return dir_.path() / "backups"; }

  testing::RunResult wenku(std::vector<std::string> args) const {
    args.insert(args.begin(), testing::wenku_binary());
    return testing::run(args);
  }

  // A small library: four documents (one soft-deleted), settings, an uploaded image with NUL
  // bytes, an account and a 专题.
  void make_library() const {
    testing::write_file(
        dir_.path() / "in.jsonl",
        record("a", "在乡村振兴工作会议上的讲话", "乡村振兴要抓好粮食生产，发展特色产业。") +
            record("b", "数字经济发展情况报告", "数字经济是新引擎，要做强做优做大。") +
            record("c", "生态环境保护工作总结", "生态环境保护是民生工程，要持续改善。") +
            record("d", "已删除的讲话", "这篇讲话已经删除，但仍在回收站中。"));
    const auto imported = wenku({"import", "--data", data(), dir_.path() / "in.jsonl"});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    auto store = store::open_sqlite(data() / "wenku.sqlite");
    store->set_settings({{"site_name", "测试文库"}, {"preview_chars", "321"}});
    store->put_site_file(
        {"wechat-qr", "image/png", std::string("\x89PNG\r\n\x1a\n\0\0\x01", 11), ""});
    store::User user;
    user.name = "editor";
    user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    user.role = "admin";
    ASSERT_TRUE(store->add_user(user));
    store->put_collection({"rural", "乡村振兴专题", "说明", 0, {"a", "b"}});
    ASSERT_TRUE(store->set_deleted("d", true));
  }

  testing::TempDir dir_;
};

TEST_F(BackupTest, RestoreGivesBackTheSameLibraryAndRebuildsItsIndex) {
  make_library();
  const fs::path file = backups() / "wenku.bak";
  fs::create_directories(backups());
  const auto backup = wenku({"backup", "--data", data(), file});
  ASSERT_EQ(backup.exit_code, 0) << backup.out;
  EXPECT_NE(backup.out.find("backed up 3 documents"), std::string::npos) << backup.out;
  // One file, no temporary or SQLite companion left beside it.
  EXPECT_EQ(names_in(backups()), std::set<std::string>{"wenku.bak"});
  {
    store::RawDb raw(file);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  }

  const fs::path restored = dir_.path() / "restored";
  const auto restore = wenku({"restore", "--data", restored, file});
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  EXPECT_NE(restore.out.find("restored 3 documents"), std::string::npos) << restore.out;
  // Restore built the index itself (the next command does not have to).
  EXPECT_TRUE(fs::exists(restored / "index" / "CURRENT"));

  const Contents before = contents_of(data() / "wenku.sqlite");
  const Contents after = contents_of(restored / "wenku.sqlite");
  ASSERT_EQ(ids_of(after.documents), ids_of(before.documents));
  ASSERT_EQ(after.documents.size(), 4u);
  for (std::size_t i = 0; i < before.documents.size(); ++i) {
    EXPECT_EQ(after.documents[i].title, before.documents[i].title);
    EXPECT_EQ(after.documents[i].content, before.documents[i].content);
    EXPECT_EQ(after.documents[i].keywords, before.documents[i].keywords);
    EXPECT_EQ(after.documents[i].deleted, before.documents[i].deleted);
    EXPECT_TRUE(after.documents[i] == before.documents[i]) << before.documents[i].id;
  }
  EXPECT_EQ(after.settings, before.settings);
  EXPECT_EQ(after.settings.at("site_name"), "测试文库");
  ASSERT_TRUE(after.wechat_qr);
  EXPECT_EQ(after.wechat_qr->data, before.wechat_qr->data);
  EXPECT_EQ(after.wechat_qr->data.size(), 11u);
  ASSERT_EQ(after.users.size(), 1u);
  EXPECT_EQ(after.users[0].password_hash, before.users[0].password_hash);
  ASSERT_EQ(after.collections.size(), 1u);
  EXPECT_EQ(after.collections[0].ids, (std::vector<std::string>{"a", "b"}));

  const auto search = testing::run_stdout(
      {testing::wenku_binary(), "search", "--data", restored, "--json", "数字经济"});
  ASSERT_EQ(search.exit_code, 0) << search.out;
  const auto json = nlohmann::json::parse(search.out);
  ASSERT_EQ(json.at("total"), 1) << search.out;
  EXPECT_EQ(json.at("hits").at(0).at("id"), "b");
  // The soft-deleted document stays out of the index.
  const auto deleted = testing::run_stdout(
      {testing::wenku_binary(), "search", "--data", restored, "--json", "回收站"});
  EXPECT_EQ(nlohmann::json::parse(deleted.out).at("total"), 0) << deleted.out;
}

// --db sqlite:PATH places the database outside the data directory, for both commands.
TEST_F(BackupTest, BothCommandsHonourTheDbOption) {
  const fs::path database = dir_.path() / "elsewhere" / "lib.sqlite";
  testing::write_file(dir_.path() / "in.jsonl", record("x", "营商环境报告", "优化营商环境。"));
  fs::create_directories(database.parent_path());
  const auto imported = wenku({"import", "--data", data(), "--db", "sqlite:" + database.string(),
                               dir_.path() / "in.jsonl"});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  ASSERT_FALSE(fs::exists(data() / "wenku.sqlite"));
  const fs::path file = dir_.path() / "x.bak";
  const auto backup = wenku({"backup", "--db", "sqlite:" + database.string(), file});
  ASSERT_EQ(backup.exit_code, 0) << backup.out;

  const fs::path restored_db = dir_.path() / "other" / "restored.sqlite";
  const fs::path restored = dir_.path() / "restored-data";
  const auto restore =
      wenku({"restore", "--data", restored, "--db", "sqlite:" + restored_db.string(), file});
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  EXPECT_TRUE(fs::exists(restored_db));
  EXPECT_FALSE(fs::exists(restored / "wenku.sqlite"));
  const auto search =
      testing::run_stdout({testing::wenku_binary(), "search", "--data", restored, "--db",
                           "sqlite:" + restored_db.string(), "--json", "营商环境"});
  ASSERT_EQ(search.exit_code, 0) << search.out;
  EXPECT_EQ(nlohmann::json::parse(search.out).at("total"), 1) << search.out;
  // A second restore finds the database in its place and refuses, though the data directory
  // it names is empty.
  const fs::path empty = dir_.path() / "empty";
  fs::create_directories(empty);
  const auto again =
      wenku({"restore", "--data", empty, "--db", "sqlite:" + restored_db.string(), file});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("restored.sqlite exists"), std::string::npos) << again.out;
  EXPECT_TRUE(names_in(empty).empty());
}

TEST_F(BackupTest, RestoreRefusesADataDirectoryThatIsNotEmptyAndChangesNothing) {
  make_library();
  const fs::path file = dir_.path() / "wenku.bak";
  ASSERT_EQ(wenku({"backup", "--data", data(), file}).exit_code, 0);

  // A directory holding anything at all.
  const fs::path other = dir_.path() / "other";
  testing::write_file(other / "notes.txt", "留着");
  const auto refused = wenku({"restore", "--data", other, file});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("is not empty"), std::string::npos) << refused.out;
  EXPECT_EQ(names_in(other), std::set<std::string>{"notes.txt"});
  EXPECT_EQ(testing::read_file(other / "notes.txt"), "留着");

  // A library: its database is never replaced, not even by a backup of itself.
  const auto names = names_in(data());
  const std::string database = testing::read_file(data() / "wenku.sqlite");
  const auto onto_library = wenku({"restore", "--data", data(), file});
  EXPECT_EQ(onto_library.exit_code, 1) << onto_library.out;
  EXPECT_NE(onto_library.out.find("is not empty"), std::string::npos) << onto_library.out;
  EXPECT_EQ(names_in(data()), names);
  EXPECT_TRUE(testing::read_file(data() / "wenku.sqlite") == database);
}

// A restore killed while copying leaves its temporary database in the data directory; the next
// restore removes it, when its process is gone, instead of refusing a directory that is not
// empty. A temporary of a process still running is not touched.
TEST_F(BackupTest, RestoreAfterAKilledRestoreRemovesWhatItLeft) {
  make_library();
  const fs::path file = dir_.path() / "wenku.bak";
  ASSERT_EQ(wenku({"backup", "--data", data(), file}).exit_code, 0);
  const pid_t gone = fork();
  ASSERT_GE(gone, 0);
  if (gone == 0) _exit(0);
  ASSERT_EQ(waitpid(gone, nullptr, 0), gone);

  const fs::path target = dir_.path() / "restored";
  const std::string left = ".wenku.sqlite.restoring-" + std::to_string(gone);
  testing::write_file(target / left, "half a database");
  testing::write_file(target / (left + "-journal"), "its journal");
  const auto restored = wenku({"restore", "--data", target, file});
  EXPECT_EQ(restored.exit_code, 0) << restored.out;
  EXPECT_FALSE(fs::exists(target / left));
  EXPECT_FALSE(fs::exists(target / (left + "-journal")));
  EXPECT_TRUE(fs::exists(target / "wenku.sqlite"));

  const fs::path busy = dir_.path() / "busy";
  const std::string running = ".wenku.sqlite.restoring-" + std::to_string(getpid());
  testing::write_file(busy / running, "another restore's copy");
  const auto refused = wenku({"restore", "--data", busy, file});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("is not empty"), std::string::npos) << refused.out;
  EXPECT_EQ(names_in(busy), std::set<std::string>{running});
}

TEST_F(BackupTest, RestoreRefusesAFileThatIsNotASoundWenkuDatabase) {
  make_library();
  const fs::path file = dir_.path() / "wenku.bak";
  ASSERT_EQ(wenku({"backup", "--data", data(), file}).exit_code, 0);
  const std::string good = testing::read_file(file);
  ASSERT_GT(good.size(), 8192u);

  const fs::path bad = dir_.path() / "bad";
  fs::create_directories(bad);
  testing::write_file(bad / "text.bak", std::string(5000, 'x'));
  testing::write_file(bad / "empty.bak", "");
  testing::write_file(bad / "half.bak", good.substr(0, good.size() / 2));
  testing::write_file(bad / "short.bak", good.substr(0, good.size() - 100));
  {
    store::RawDb other(bad / "other.bak");
    other.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;");
  }
  std::string damaged = good;  // a page in the middle overwritten
  std::fill(damaged.begin() + 4096, damaged.begin() + 8192, '\xff');
  testing::write_file(bad / "damaged.bak", damaged);

  for (const auto& entry : fs::directory_iterator(bad)) {
    SCOPED_TRACE(entry.path().filename().string());
    // Into an absent directory: it is still absent afterwards.
    const fs::path absent = dir_.path() / "absent";
    const auto into_absent = wenku({"restore", "--data", absent, entry.path()});
    EXPECT_EQ(into_absent.exit_code, 1) << into_absent.out;
    EXPECT_NE(into_absent.out.find("is not a Wenku backup"), std::string::npos) << into_absent.out;
    EXPECT_FALSE(fs::exists(absent));
    // Into an empty directory: it stays empty.
    const fs::path empty = dir_.path() / "empty";
    fs::create_directories(empty);
    const auto into_empty = wenku({"restore", "--data", empty, entry.path()});
    EXPECT_EQ(into_empty.exit_code, 1) << into_empty.out;
    EXPECT_EQ(names_in(empty), std::set<std::string>{});
  }
}

TEST_F(BackupTest, BackupNeverOverwritesAndNeedsADatabase) {
  make_library();
  const fs::path file = dir_.path() / "wenku.bak";
  testing::write_file(file, "an older backup");
  const auto refused = wenku({"backup", "--data", data(), file});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("wenku.bak exists"), std::string::npos) << refused.out;
  EXPECT_TRUE(testing::read_file(file) == "an older backup");  // (no dump of a database)

  const fs::path none = dir_.path() / "none.bak";
  const auto nothing = wenku({"backup", "--data", dir_.path() / "no-library", none});
  EXPECT_EQ(nothing.exit_code, 1) << nothing.out;
  EXPECT_NE(nothing.out.find("nothing to back up"), std::string::npos) << nothing.out;
  EXPECT_FALSE(fs::exists(none));
  EXPECT_FALSE(fs::exists(dir_.path() / "no-library"));
}

// While `wenku serve` answers page requests (and counts their views) and `wenku import`
// commits batch after batch, a backup holds exactly the batches committed before it began:
// whole transactions, never part of one, and the file passes PRAGMA integrity_check.
TEST_F(BackupTest, BackupWhileServingAndImportingIsConsistent) {
  constexpr int kDocuments = 20'000;
  constexpr int kBatch = 100;
  testing::write_file(dir_.path() / "first.jsonl", record("first", "第一篇", "第一篇的正文。"));
  ASSERT_EQ(wenku({"import", "--data", data(), dir_.path() / "first.jsonl"}).exit_code, 0);
  std::string input;
  for (int i = 0; i < kDocuments; ++i) input += testing::synthetic_record(i);
  testing::write_file(dir_.path() / "big.jsonl", input);

  testing::ServerProcess server({testing::wenku_binary(), "serve", "--data", data(), "--workers",
                                 "1", "--admin-token", "backup-test-token-0123"});
  ASSERT_NE(server.port(), 0) << "wenku serve did not start";
  std::atomic<bool> stop = false;
  std::atomic<int> pages = 0;
  std::thread reader([&] {
    while (!stop) {
      if (testing::http_get(server.port(), "/doc/first").status == 200) ++pages;
    }
  });

  testing::OutputProcess import({testing::wenku_binary(), "import", "--data", data(), "--batch",
                                 std::to_string(kBatch), dir_.path() / "big.jsonl"});
  const std::regex committed(R"(committed ([0-9]+) documents)");
  const auto first = import.wait_for_line(
      [&](const std::string& line) { return std::regex_search(line, committed); }, 60);
  ASSERT_TRUE(first) << import.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*first, m, committed));
  const int acknowledged = std::stoi(m[1]);

  const fs::path file = dir_.path() / "live.bak";
  const auto backup = wenku({"backup", "--data", data(), file});
  ASSERT_EQ(backup.exit_code, 0) << backup.out;
  EXPECT_EQ(import.wait(), 0) << import.output();
  stop = true;
  reader.join();
  EXPECT_GT(pages, 0);
  EXPECT_EQ(testing::http_get(server.port(), "/healthz").status, 200);

  store::RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  const int in_backup =
      std::stoi(raw.scalar("SELECT count(*) FROM documents WHERE id GLOB 'syn-*'"));
  EXPECT_GE(in_backup, acknowledged);
  EXPECT_LT(in_backup, kDocuments) << "the import ended before the backup began";
  EXPECT_EQ(in_backup % kBatch, 0) << "part of a batch in the backup";
  // The batches are the input's first ones, in order.
  EXPECT_EQ(raw.scalar("SELECT max(id) FROM documents WHERE id GLOB 'syn-*'"),
            testing::synthetic_id(in_backup - 1));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM documents WHERE id = 'first'"), "1");
}

}  // namespace
}  // namespace wenku::app
