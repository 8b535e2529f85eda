// The one import pipeline (app::Ingest) through both of its doors: `wenku import` and the
// admin upload of a running `wenku serve`. The same file gives the same stored documents,
// keywords, word frequencies and near-duplicate links; uploads that make the keywords stale
// are followed by the server's own refresh, without a restart, which every worker process
// then uses; an id given twice in one upload is stored and reported once, its last record
// winning.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "app/admin_client.h"
#include "app/enricher.h"
#include "app/synthetic_docs.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "ingest-test-admin-token-0123";

// More than text::KeywordExtractor::kMinLibraryDocuments, so the library's own frequencies
// decide the keywords.
constexpr int kDocuments = 120;

// `wenku serve --data DATA --workers N --admin-token kToken`, its standard error into `log`.
std::vector<std::string> serve_args(const fs::path& data, int workers) {
  return {testing::wenku_binary().string(), "serve",         "--data", data.string(),  "--workers",
          std::to_string(workers),          "--admin-token", kToken,   "--access-log", "off"};
}

// Waits until the file `log` holds a line containing `text` (the server wrote it), up to
// 60 s; true when it came.
bool wait_for_log_line(const fs::path& log, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      if (line.find(text) != std::string::npos) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// The line the server's index follower writes after refreshing the keywords over `n`
// documents.
std::string refreshed_over(int n) {
  return "keywords refreshed with word frequencies over " + std::to_string(n) + " documents";
}

// kDocuments synthetic records, a near-duplicate of record 7 (same text, another id) and
// record 3 again in another version: the last one must win.
std::string library_file() {
  std::string jsonl;
  for (int i = 0; i < kDocuments; ++i) jsonl += testing::synthetic_record(i);
  auto copy = nlohmann::json::parse(testing::synthetic_record(7));
  copy["id"] = "copy-of-7";
  jsonl += copy.dump() + "\n";
  jsonl += testing::synthetic_record(3, 1);
  return jsonl;
}

// What a stored document is, derived fields included, for comparing two libraries.
std::string describe(const doc::Document& d, store::Store& store) {
  nlohmann::json similar = nlohmann::json::array();
  for (const auto& s : store.similar(d.id)) similar.push_back({s.doc.id, s.distance});
  return nlohmann::json{{"title", d.title},
                        {"content", d.content},
                        {"date", d.date},
                        {"category", d.category},
                        {"source", d.source},
                        {"source_note", d.source_note},
                        {"title_derived", d.title_derived},
                        {"keywords", d.keywords},
                        {"simhash", d.simhash},
                        {"analysis", d.analysis},
                        {"similar", similar}}
      .dump();
}

std::map<std::string, std::string> documents_of(store::Store& store) {
  std::map<std::string, std::string> out;
  for (const auto& d : store.changes_since(0, 1'000'000)) out[d.id] = describe(d, store);
  return out;
}

std::pair<std::int64_t, std::vector<std::pair<std::string, std::int64_t>>> frequencies_of(
    store::Store& store) {
  auto stored = store.word_frequencies();
  std::ranges::sort(stored.counts);
  return {stored.documents, stored.counts};
}

TEST(IngestServeTest, AnUploadStoresWhatTheImportStoresKeywordsIncluded) {
  testing::TempDir dir;
  const fs::path file = dir.path() / "library.jsonl";
  testing::write_file(file, library_file());

  const fs::path imported = dir.path() / "imported";
  const auto run =
      testing::run({testing::wenku_binary(), "import", "--data", imported.string(), file.string()});
  ASSERT_EQ(run.exit_code, 0) << run.out;

  const fs::path uploaded = dir.path() / "uploaded";
  const fs::path log = dir.path() / "serve.log";
  {
    testing::ServerProcess server(serve_args(uploaded, 2), 60, log);
    ASSERT_NE(server.port(), 0) << "wenku serve did not start";
    const auto session = testing::log_in(server.port(), kToken);
    ASSERT_FALSE(session.csrf.empty());
    const auto files = testing::upload_reports(
        testing::upload_files(server.port(), session, {{"library.jsonl", library_file()}}));
    ASSERT_TRUE(files.is_array() && files.size() == 1) << files.dump();
    EXPECT_EQ(files[0]["inserted"], kDocuments + 1) << files[0]["errors"].dump();
    EXPECT_EQ(files[0]["updated"], 0);
    ASSERT_TRUE(wait_for_log_line(log, refreshed_over(kDocuments + 1)))
        << "the server did not refresh the keywords: " << testing::read_file(log);
  }

  auto a = store::open_sqlite(imported / "wenku.sqlite");
  auto b = store::open_sqlite(uploaded / "wenku.sqlite");
  EXPECT_EQ(a->count(), kDocuments + 1);
  EXPECT_EQ(frequencies_of(*a), frequencies_of(*b));
  const auto from_import = documents_of(*a);
  const auto from_upload = documents_of(*b);
  ASSERT_EQ(from_import.size(), from_upload.size());
  int differ = 0;
  for (const auto& [id, described] : from_import) {
    const auto other = from_upload.find(id);
    ASSERT_NE(other, from_upload.end()) << id;
    if (described != other->second && ++differ <= 3) {
      ADD_FAILURE() << id << "\n  import: " << described << "\n  upload: " << other->second;
    }
  }
  EXPECT_EQ(differ, 0);
  EXPECT_NE(from_import.at("syn-00003").find(testing::synthetic_tag(3, 1)), std::string::npos);
  EXPECT_NE(from_import.at("copy-of-7").find("syn-00007"), std::string::npos)
      << "the near-duplicate is linked";
}

// The keywords `enricher` computes for `d` with the frequencies stored in `store`.
std::vector<std::string> keywords_with_stored_frequencies(Enricher& enricher, store::Store& store,
                                                          const doc::Document& d) {
  enricher.reload_frequencies(store);
  return enricher.keywords().top(enricher.words(d.content), *enricher.frequencies(),
                                 kKeywordsPerDocument);
}

TEST(IngestServeTest, TheServerRefreshesStaleKeywordsWithoutARestartAndWorkersUseThem) {
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path log = dir.path() / "serve.log";
  testing::ServerProcess server(serve_args(data, 2), 60, log);
  ASSERT_NE(server.port(), 0) << "wenku serve did not start";
  const auto session = testing::log_in(server.port(), kToken);
  ASSERT_FALSE(session.csrf.empty());
  auto upload = [&](const std::string& name, const std::string& bytes) {
    const auto files =
        testing::upload_reports(testing::upload_files(server.port(), session, {{name, bytes}}));
    return files.is_array() && files.size() == 1 && files[0]["errors"].empty();
  };

  // The first document of an empty library: nothing is counted, so the keywords are stale.
  ASSERT_TRUE(upload("first.txt", "第一篇报告\n\n推进生态环境保护，建设美丽乡村。\n"));
  ASSERT_TRUE(wait_for_log_line(log, refreshed_over(1))) << testing::read_file(log);
  auto store = store::open_sqlite(data / "wenku.sqlite");
  EXPECT_EQ(store->word_frequencies_stamp().documents, 1);

  // A library 120 times larger than the one counted.
  std::string jsonl;
  for (int i = 0; i < kDocuments; ++i) jsonl += testing::synthetic_record(i);
  ASSERT_TRUE(upload("more.jsonl", jsonl));
  ASSERT_TRUE(wait_for_log_line(log, refreshed_over(kDocuments + 1))) << testing::read_file(log);
  EXPECT_EQ(store->word_frequencies_stamp().documents, kDocuments + 1);
  const text::Segmenter segmenter(testing::dict_dir());
  Enricher enricher(testing::dict_dir(), segmenter);
  for (const auto& d : store->changes_since(0, 1'000'000)) {
    EXPECT_EQ(d.keywords, keywords_with_stored_frequencies(enricher, *store, d)) << d.id;
  }

  // Later uploads, answered by either worker, are given keywords with the new frequencies
  // (words every document holds weigh little with them).
  const std::string probe =
      "乡村振兴要发展产业。乡村振兴要保护生态。创新驱动引领高质量发展。"
      "科技人才是第一资源，科技创新是第一动力。";
  {
    doc::Document d;
    d.content = probe;
    ASSERT_NE(keywords_with_stored_frequencies(enricher, *store, d),
              enricher.keywords().top(enricher.words(probe), text::DocumentFrequencies{},
                                      kKeywordsPerDocument))
        << "the probe does not tell the frequencies apart";
  }
  for (int i = 0; i < 6; ++i) {
    const std::string id = "probe-" + std::to_string(i);
    ASSERT_TRUE(upload(id + ".txt", "关于乡村振兴工作的报告\n\n" + probe + "\n"));
    const auto d = store->get(id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->keywords, keywords_with_stored_frequencies(enricher, *store, *d)) << id;
  }
}

TEST(IngestServeTest, AnIdTwiceInOneUploadIsStoredAndReportedOnceTheLastWinning) {
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  testing::ServerProcess server(serve_args(data, 1));
  ASSERT_NE(server.port(), 0) << "wenku serve did not start";
  const auto session = testing::log_in(server.port(), kToken);
  ASSERT_FALSE(session.csrf.empty());
  const std::string jsonl =
      testing::synthetic_record(1) + testing::synthetic_record(2) + testing::synthetic_record(1, 1);
  const auto files = testing::upload_reports(
      testing::upload_files(server.port(), session, {{"twice.jsonl", jsonl}}));
  ASSERT_TRUE(files.is_array() && files.size() == 1) << files.dump();
  EXPECT_EQ(files[0]["inserted"], 2) << files.dump();
  EXPECT_EQ(files[0]["updated"], 0) << files.dump();
  ASSERT_EQ(files[0]["documents"].size(), 2u) << files.dump();
  EXPECT_EQ(files[0]["documents"][0]["id"], testing::synthetic_id(1));
  EXPECT_EQ(files[0]["documents"][1]["id"], testing::synthetic_id(2));

  auto store = store::open_sqlite(data / "wenku.sqlite");
  EXPECT_EQ(store->last_seq(), 2) << "each id written once";
  const auto d = store->get(testing::synthetic_id(1));
  ASSERT_TRUE(d);
  EXPECT_NE(d->content.find(testing::synthetic_tag(1, 1)), std::string::npos) << d->content;
}

}  // namespace
}  // namespace wenku::app
