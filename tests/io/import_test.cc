#include <gtest/gtest.h>
#include <zstd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "io/import.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::io {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::write_file;

std::string record(const std::string& id, const std::string& title = "标题",
                   const std::string& content = "正文第一段。\n正文第二段。") {
  return json{{"id", id},           {"title", title},   {"date", "2024-05-01"},
              {"category", "测试"}, {"source", "test"}, {"content", content}}
      .dump();
}

// Several records, one per line, each line ending in '\n'.
std::string lines(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) out += record("r" + std::to_string(i)) + "\n";
  return out;
}

std::string zstd_compress(const std::string& data, int level = 3) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(n);
  return out;
}

// Forwards to a real store and records what put() is given.
class RecordingStore final : public store::Store {
 public:
  explicit RecordingStore(store::Store& inner) : inner_(inner) {}

  std::vector<store::PutResult> put(const std::vector<doc::Document>& docs) override {
    std::vector<std::string> ids;
    for (const auto& d : docs) ids.push_back(d.id);
    batches.push_back(ids);
    return inner_.put(docs);
  }
  bool set_deleted(std::string_view id, bool deleted) override {
    return inner_.set_deleted(id, deleted);
  }
  std::optional<doc::Document> get(std::string_view id) override { return inner_.get(id); }
  std::optional<doc::Document> get_text(std::string_view id, std::size_t max_bytes) override {
    return inner_.get_text(id, max_bytes);
  }
  std::vector<std::optional<doc::Document>> get_texts(const std::vector<std::string>& ids,
                                                      std::size_t max_bytes) override {
    return inner_.get_texts(ids, max_bytes);
  }
  std::optional<store::DocStamp> stamp(std::string_view id) override { return inner_.stamp(id); }
  std::vector<doc::Document> changes_since(std::int64_t after, std::size_t limit) override {
    return inner_.changes_since(after, limit);
  }
  std::int64_t last_seq() override { return inner_.last_seq(); }
  std::int64_t count() override { return inner_.count(); }
  std::vector<store::CategoryCount> categories() override { return inner_.categories(); }
  std::vector<doc::Summary> list(const store::ListQuery& query) override {
    return inner_.list(query);
  }
  std::vector<store::SimHashEntry> simhashes() override { return inner_.simhashes(); }
  void link_similar(const std::vector<store::SimilarPair>& pairs) override {
    inner_.link_similar(pairs);
  }
  std::vector<store::SimilarDoc> similar(std::string_view id) override {
    return inner_.similar(id);
  }
  store::WordFrequencies word_frequencies() override { return inner_.word_frequencies(); }
  store::WordFrequencyStamp word_frequencies_stamp() override {
    return inner_.word_frequencies_stamp();
  }
  void replace_word_frequencies(const store::WordFrequencies& frequencies) override {
    inner_.replace_word_frequencies(frequencies);
  }
  void set_keywords(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& keywords) override {
    inner_.set_keywords(keywords);
  }
  std::int64_t add_views(const std::vector<store::ViewEvent>& events) override {
    return inner_.add_views(events);
  }
  std::vector<store::HotDoc> hot(std::string_view since_day, std::size_t limit,
                                 std::optional<store::CategoryKind> kind) override {
    return inner_.hot(since_day, limit, kind);
  }
  std::vector<store::DayCount> views_per_day(std::string_view since_day) override {
    return inner_.views_per_day(since_day);
  }
  std::vector<store::DayCount> documents_per_day(std::string_view since_day) override {
    return inner_.documents_per_day(since_day);
  }
  std::vector<store::Category> category_list() override { return inner_.category_list(); }
  void create_category(std::string_view name) override { inner_.create_category(name); }
  std::int64_t rename_category(std::string_view from, std::string_view to) override {
    return inner_.rename_category(from, to);
  }
  void set_category_order(const std::vector<std::string>& names) override {
    inner_.set_category_order(names);
  }
  void set_category_kind(std::string_view name, store::CategoryKind kind) override {
    inner_.set_category_kind(name, kind);
  }
  std::vector<std::string> reference_categories() override { return inner_.reference_categories(); }
  void put_collection(const store::Collection& collection) override {
    inner_.put_collection(collection);
  }
  bool delete_collection(std::string_view slug) override { return inner_.delete_collection(slug); }
  std::vector<store::Collection> collections() override { return inner_.collections(); }
  std::optional<store::Collection> collection(std::string_view slug) override {
    return inner_.collection(slug);
  }
  std::int64_t add_feedback(const store::Feedback& feedback) override {
    return inner_.add_feedback(feedback);
  }
  std::vector<store::Feedback> feedback(bool unhandled_only, std::size_t limit,
                                        std::size_t offset) override {
    return inner_.feedback(unhandled_only, limit, offset);
  }
  std::int64_t feedback_count(bool unhandled_only) override {
    return inner_.feedback_count(unhandled_only);
  }
  std::int64_t feedback_count_since(std::string_view client, std::string_view since) override {
    return inner_.feedback_count_since(client, since);
  }
  bool set_feedback_handled(std::int64_t id, bool handled) override {
    return inner_.set_feedback_handled(id, handled);
  }
  std::vector<store::SimilarPairSummary> similar_pairs(std::size_t limit,
                                                       std::size_t offset) override {
    return inner_.similar_pairs(limit, offset);
  }
  std::int64_t similar_pair_count() override { return inner_.similar_pair_count(); }
  bool unlink_similar(std::string_view a, std::string_view b) override {
    return inner_.unlink_similar(a, b);
  }
  std::map<std::string, std::string> settings() override { return inner_.settings(); }
  void set_settings(const std::map<std::string, std::string>& values) override {
    inner_.set_settings(values);
  }
  std::int64_t settings_version() override { return inner_.settings_version(); }
  std::string ensure_setting(std::string_view key, std::string_view initial) override {
    return inner_.ensure_setting(key, initial);
  }
  void put_site_file(const store::SiteFile& file) override { inner_.put_site_file(file); }
  std::optional<store::SiteFile> site_file(std::string_view name) override {
    return inner_.site_file(name);
  }
  bool set_visibility(std::string_view id, doc::Visibility visibility) override {
    return inner_.set_visibility(id, visibility);
  }
  std::optional<std::int64_t> add_user(const store::User& user) override {
    return inner_.add_user(user);
  }
  std::optional<store::User> user(std::int64_t id) override { return inner_.user(id); }
  std::optional<store::User> user_by_name(std::string_view name) override {
    return inner_.user_by_name(name);
  }
  std::vector<store::User> users(std::size_t limit, std::size_t offset) override {
    return inner_.users(limit, offset);
  }
  std::int64_t user_count() override { return inner_.user_count(); }
  std::int64_t admin_count() override { return inner_.admin_count(); }
  bool set_password_hash(std::int64_t id, std::string_view hash) override {
    return inner_.set_password_hash(id, hash);
  }
  bool set_role(std::int64_t id, std::string_view role, std::string_view vip_until) override {
    return inner_.set_role(id, role, vip_until);
  }
  bool set_disabled(std::int64_t id, bool disabled) override {
    return inner_.set_disabled(id, disabled);
  }
  bool mark_login(std::int64_t id) override { return inner_.mark_login(id); }
  void add_session(const store::Session& session) override { inner_.add_session(session); }
  std::optional<store::SessionUser> session(std::string_view token_hash) override {
    return inner_.session(token_hash);
  }
  void touch_session(std::string_view token_hash, std::int64_t last_seen_at) override {
    inner_.touch_session(token_hash, last_seen_at);
  }
  bool delete_session(std::string_view token_hash) override {
    return inner_.delete_session(token_hash);
  }
  std::int64_t delete_sessions_of(std::int64_t user_id, std::string_view keep_token_hash) override {
    return inner_.delete_sessions_of(user_id, keep_token_hash);
  }
  std::vector<store::Session> sessions_of(std::int64_t user_id) override {
    return inner_.sessions_of(user_id);
  }
  std::int64_t delete_expired_sessions(std::int64_t now) override {
    return inner_.delete_expired_sessions(now);
  }
  void add_login_failure(std::string_view key, std::int64_t at) override {
    inner_.add_login_failure(key, at);
  }
  store::LoginFailures login_failures(std::string_view key, std::int64_t since) override {
    return inner_.login_failures(key, since);
  }
  void clear_login_failures(std::string_view key) override { inner_.clear_login_failures(key); }
  bool add_favorite(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    return inner_.add_favorite(user_id, doc_id, at);
  }
  bool remove_favorite(std::int64_t user_id, std::string_view doc_id) override {
    return inner_.remove_favorite(user_id, doc_id);
  }
  bool is_favorite(std::int64_t user_id, std::string_view doc_id) override {
    return inner_.is_favorite(user_id, doc_id);
  }
  std::vector<store::MemberDoc> favorites(std::int64_t user_id, std::size_t limit,
                                          std::size_t offset) override {
    return inner_.favorites(user_id, limit, offset);
  }
  std::int64_t favorite_count(std::int64_t user_id) override {
    return inner_.favorite_count(user_id);
  }
  bool add_history(std::int64_t user_id, std::string_view doc_id, std::int64_t at) override {
    return inner_.add_history(user_id, doc_id, at);
  }
  std::vector<store::MemberDoc> history(std::int64_t user_id, std::size_t limit,
                                        std::size_t offset) override {
    return inner_.history(user_id, limit, offset);
  }
  std::int64_t history_count(std::int64_t user_id) override {
    return inner_.history_count(user_id);
  }
  std::int64_t clear_history(std::int64_t user_id) override {
    return inner_.clear_history(user_id);
  }

  std::vector<std::vector<std::string>> batches;  // ids of each put() call

 private:
  store::Store& inner_;
};

class ImportTest : public ::testing::Test {
 protected:
  fs::path file(const std::string& name, const std::string& contents) {
    fs::path path = dir_.path() / name;
    write_file(path, contents);
    return path;
  }

  ImportStats import(const std::vector<fs::path>& files, std::size_t batch_size = 500) {
    ImportOptions options;
    options.batch_size = batch_size;
    return import_files(*store_, files, options);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_ = store::open_sqlite(dir_.path() / "wenku.db");
};

void expect_issue(const ImportIssue& issue, const fs::path& file, std::size_t line,
                  const std::string& reason_prefix) {
  EXPECT_EQ(issue.file, file.string());
  EXPECT_EQ(issue.line, line) << issue.reason;
  EXPECT_TRUE(issue.reason.starts_with(reason_prefix))
      << "reason: " << issue.reason << "\nexpected to start with: " << reason_prefix;
}

TEST_F(ImportTest, SkipsBadRecordsNamingFileLineAndReason) {
  std::string bad_utf8 = record("r7", "标题");
  auto at = bad_utf8.find("标题");
  bad_utf8[at] = '\xFF';
  json r8 = json::parse(record("r8"));
  r8["date"] = 2021;
  std::string mistyped_date = r8.dump();
  auto path =
      file("mixed.jsonl", record("r1") + "\n" +                                           // 1
                              "\n" +                                                      // 2
                              "{\"id\": \"r3\", \"title\": }\n" +                         // 3
                              "{\"id\": \"r4\", \"date\": \"\", \"category\": \"\"}\n" +  // 4
                              record("r5") + "\n" +                                       // 5
                              record("r/6") + "\n" +                                      // 6
                              bad_utf8 + "\n" +                                           // 7
                              mistyped_date + "\n");                                      // 8
  ImportStats stats = import({path});
  EXPECT_EQ(stats.read, 7u);
  EXPECT_EQ(stats.inserted, 2u);
  EXPECT_EQ(stats.updated, 0u);
  EXPECT_EQ(stats.skipped, 5u);
  ASSERT_EQ(stats.issues.size(), 5u);
  expect_issue(stats.issues[0], path, 3, "invalid JSON: ");
  expect_issue(stats.issues[1], path, 4, "missing field 'title'");
  expect_issue(stats.issues[2], path, 6, "invalid id 'r/6'");
  expect_issue(stats.issues[3], path, 7, "invalid UTF-8 at byte " + std::to_string(at));
  expect_issue(stats.issues[4], path, 8, "field 'date' is not a string");
  EXPECT_EQ(store_->count(), 2);
  EXPECT_TRUE(store_->get("r1"));
  EXPECT_TRUE(store_->get("r5"));
  EXPECT_GE(stats.seconds, 0.0);
}

TEST_F(ImportTest, HandlesBomCrlfBlankLinesAndAMissingFinalNewline) {
  auto path = file("crlf.jsonl", "\xEF\xBB\xBF" + record("a") + "\r\n" + record("b") +
                                     "\r\n\r\n  \r\n" + record("c", "最后一条"));
  ImportStats stats = import({path});
  EXPECT_TRUE(stats.issues.empty()) << stats.issues[0].reason;
  EXPECT_EQ(stats.read, 3u);
  EXPECT_EQ(stats.inserted, 3u);
  auto c = store_->get("c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->title, "最后一条");
  EXPECT_EQ(c->content, "正文第一段。\n正文第二段。");
}

TEST_F(ImportTest, SkipsAnOversizedLineAndGoesOn) {
  std::string huge = record("big", "大", std::string(kMaxDocumentBytes + 100, 'x'));
  auto path = file("big.jsonl", record("before") + "\n" + huge + "\n" + record("after") + "\n");
  ImportStats stats = import({path});
  ASSERT_EQ(stats.issues.size(), 1u);
  expect_issue(stats.issues[0], path, 2, "record exceeds 8 MiB");
  EXPECT_EQ(stats.inserted, 2u);
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_TRUE(store_->get("after"));
}

TEST_F(ImportTest, LongLinesBelowTheLimitAreRead) {
  std::string content(300 * 1024, 'x');  // spans several read chunks
  auto path = file("long.jsonl", record("long", "长", content) + "\n" + record("short") + "\n");
  ImportStats stats = import({path});
  EXPECT_TRUE(stats.issues.empty());
  auto d = store_->get("long");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->content, content);
}

TEST_F(ImportTest, ReimportingUpdatesInsteadOfDuplicating) {
  auto path = file("docs.jsonl", lines(0, 10));
  ImportStats first = import({path});
  EXPECT_EQ(first.inserted, 10u);
  EXPECT_EQ(first.updated, 0u);

  write_file(path, lines(0, 10) + record("r3", "改过的标题") + "\n" + lines(10, 2));
  ImportStats second = import({path}, 4);
  EXPECT_EQ(second.read, 13u);
  EXPECT_EQ(second.inserted, 2u);
  EXPECT_EQ(second.updated, 11u);  // r0..r9, and r3 once more in a later batch
  EXPECT_EQ(store_->count(), 12);
  EXPECT_EQ(store_->get("r3")->title, "改过的标题");
}

TEST_F(ImportTest, CommitsInBatchesAndReportsProgress) {
  RecordingStore recording(*store_);
  auto path = file("five.jsonl", lines(0, 5));
  std::vector<std::uint64_t> done_bytes, committed;
  std::uint64_t total = 0;
  ImportOptions options;
  options.batch_size = 2;
  options.progress = [&](std::uint64_t bytes_done, std::uint64_t bytes_total,
                         std::uint64_t docs_done) {
    done_bytes.push_back(bytes_done);
    committed.push_back(docs_done);
    total = bytes_total;
  };
  ImportStats stats = import_files(recording, {path}, options);
  EXPECT_EQ(stats.inserted, 5u);
  ASSERT_EQ(recording.batches.size(), 3u);
  EXPECT_EQ(recording.batches[0], (std::vector<std::string>{"r0", "r1"}));
  EXPECT_EQ(recording.batches[1], (std::vector<std::string>{"r2", "r3"}));
  EXPECT_EQ(recording.batches[2], (std::vector<std::string>{"r4"}));

  EXPECT_EQ(total, fs::file_size(path));
  ASSERT_FALSE(done_bytes.empty());
  EXPECT_TRUE(std::is_sorted(done_bytes.begin(), done_bytes.end()));
  EXPECT_TRUE(std::is_sorted(committed.begin(), committed.end()));
  EXPECT_EQ(done_bytes.back(), total);
  EXPECT_EQ(committed.back(), 5u);
  EXPECT_NE(std::find(committed.begin(), committed.end(), 2u), committed.end());
  EXPECT_NE(std::find(committed.begin(), committed.end(), 4u), committed.end());
}

TEST_F(ImportTest, DuplicateIdsInOneBatchLastOneWins) {
  RecordingStore recording(*store_);
  auto path = file("dups.jsonl", record("a", "第一版") + "\n" + record("b") + "\n" +
                                     record("a", "第二版") + "\n" + record("c") + "\n");
  ImportOptions options;
  options.batch_size = 3;
  ImportStats stats = import_files(recording, {path}, options);
  EXPECT_EQ(stats.read, 4u);
  EXPECT_EQ(stats.inserted, 3u);
  EXPECT_EQ(stats.updated, 0u);
  ASSERT_EQ(recording.batches.size(), 1u) << "a duplicate does not fill a batch slot";
  EXPECT_EQ(recording.batches[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(store_->get("a")->title, "第二版");
}

TEST_F(ImportTest, ReadsZstdCompressedJsonLines) {
  // Two concatenated frames, as `cat a.zst b.zst` would make.
  auto path =
      file("docs.jsonl.zst", zstd_compress(lines(0, 50)) + zstd_compress(lines(50, 30), 19));
  ImportStats stats = import({path}, 16);
  EXPECT_TRUE(stats.issues.empty()) << stats.issues[0].reason;
  EXPECT_EQ(stats.inserted, 80u);
  EXPECT_EQ(store_->count(), 80);
}

TEST_F(ImportTest, ReadsHighlyCompressedDataThatOutgrowsTheReadBuffer) {
  // ~1 MiB that packs into a few KiB: one chunk of input yields many reads of output.
  std::string plain;
  for (int i = 0; i < 500; ++i)
    plain += record("h" + std::to_string(i), "标题", std::string(2000, 'z')) + "\n";
  std::string packed = zstd_compress(plain, 19);
  ASSERT_LT(packed.size(), 16u * 1024);
  ImportStats stats = import({file("dense.jsonl.zst", packed)});
  EXPECT_TRUE(stats.issues.empty()) << stats.issues[0].reason;
  EXPECT_EQ(stats.inserted, 500u);
}

TEST_F(ImportTest, TruncatedZstdKeepsTheRecordsBeforeTheCut) {
  // Records with varied text, so that the compressed data spans many blocks.
  std::string plain;
  const int total = 3000;
  for (int i = 0; i < total; ++i) {
    std::string content;
    for (int k = 0; k < 20; ++k)
      content += std::to_string((i * 7919 + k * 104729) % 1000003) + "，";
    plain += record("t" + std::to_string(i), "标题" + std::to_string(i), content) + "\n";
  }
  std::string packed = zstd_compress(plain, 1);
  auto path = file("cut.jsonl.zst", packed.substr(0, packed.size() / 2));
  auto after = file("after.jsonl", record("after") + "\n");

  ImportStats stats = import({path, after}, 100);
  ASSERT_EQ(stats.issues.size(), 1u);
  const ImportIssue& issue = stats.issues[0];
  expect_issue(issue, path, issue.line, "truncated zstd data");
  // Every complete line before the one being read when the data ran out was imported.
  EXPECT_GT(issue.line, 1u);
  EXPECT_LT(issue.line, static_cast<std::size_t>(total));
  EXPECT_EQ(stats.inserted, issue.line - 1 + 1) << "plus the record of after.jsonl";
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_TRUE(store_->get("t0"));
  EXPECT_TRUE(store_->get("after"));
}

TEST_F(ImportTest, CorruptOrMissingFilesAreOneIssueEach) {
  auto garbage = file("garbage.jsonl.zst", "this is not zstd data at all\n");
  auto empty = file("empty.jsonl.zst", "");
  auto missing = dir_.path() / "missing.jsonl";
  auto unsupported = file("report.pdf", "%PDF-1.4\n");
  auto good = file("good.jsonl", lines(0, 2));
  ImportStats stats = import({garbage, empty, missing, unsupported, good});
  ASSERT_EQ(stats.issues.size(), 4u);
  expect_issue(stats.issues[0], garbage, 1, "corrupt zstd data: ");
  expect_issue(stats.issues[1], empty, 1, "truncated zstd data");
  expect_issue(stats.issues[2], missing, 0, "cannot open: No such file or directory");
  expect_issue(stats.issues[3], unsupported, 0, "unsupported file type");
  EXPECT_EQ(stats.read, 2u);
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_EQ(stats.inserted, 2u);
}

TEST_F(ImportTest, ImportsTextAndMarkdownFiles) {
  auto txt = file("年度工作总结.txt", "2024年度工作总结\n一年来，我们坚持……\n");
  auto md = file("plan-2025.md", "# 2025年工作计划\n\n一、总体思路\n");
  auto title_only = file("empty-body.txt", "只有标题\n");
  auto big = file("big.md", "# 大\n" + std::string(kMaxDocumentBytes, 'x'));
  ImportStats stats = import({txt, md, title_only, big});
  EXPECT_EQ(stats.read, 4u);
  EXPECT_EQ(stats.inserted, 2u);
  ASSERT_EQ(stats.issues.size(), 2u);
  expect_issue(stats.issues[0], title_only, 0, "no text after the title");
  expect_issue(stats.issues[1], big, 0, "file exceeds 8 MiB");
  auto plan = store_->get("plan-2025");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->title, "2025年工作计划");
  EXPECT_EQ(plan->content, "一、总体思路");
  auto summary = store_->list({});
  EXPECT_EQ(summary.size(), 2u);

  ImportStats again = import({txt});
  EXPECT_EQ(again.updated, 1u) << "the id comes from the file name, so re-import updates";
  EXPECT_EQ(store_->count(), 2);
}

TEST_F(ImportTest, ImportsARealCorpusFile) {
  auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  ImportStats stats = import({dir / "xi_speeches_2020.jsonl"}, 20);
  EXPECT_TRUE(stats.issues.empty()) << stats.issues[0].reason;
  EXPECT_EQ(stats.read, 58u);
  EXPECT_EQ(stats.inserted, 58u);
  EXPECT_EQ(store_->count(), 58);
  auto d = store_->get("xi2020-20200519-1");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->date, "2020-05-19");
  EXPECT_EQ(d->category, "领导人讲话");
  // Cleaned up at import (io/cleanup.h): the letter's label 回信 went to the note.
  EXPECT_TRUE(d->content.starts_with("北京科技大学全体巴基斯坦留学生：\n你们好！"));
}

TEST_F(ImportTest, ImportsTheStartOfACompressedCorpusFile) {
  auto dir = testing::corpus_dir();
  if (dir.empty()) GTEST_SKIP() << "../shared/corpus is absent";
  // The first 256 KiB of the 新闻联播 file: a cut stream, decoded up to the cut.
  std::string head = testing::read_file(dir / "xinwen_lianbo.jsonl.zst").substr(0, 256 * 1024);
  auto path = file("xwlb-head.jsonl.zst", head);
  ImportStats stats = import({path});
  ASSERT_EQ(stats.issues.size(), 1u);
  expect_issue(stats.issues[0], path, stats.read + 1, "truncated zstd data");
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_GT(stats.inserted, 300u);
  EXPECT_EQ(static_cast<std::uint64_t>(store_->count()), stats.inserted);
  store::ListQuery all;
  all.limit = 1000;
  for (const auto& s : store_->list(all)) {
    EXPECT_TRUE(s.id.starts_with("xwlb-")) << s.id;
    EXPECT_EQ(s.category, "新闻联播");
  }
}

}  // namespace
}  // namespace wenku::io
