// The whole-library copy of `wenku migrate` (store/copy.h): a library holding every kind of row
// is copied from SQLite into each backend and back, and everything the store shows of it is
// the same; the copy refuses a destination that is not empty and changes nothing then; a
// failed copy leaves the destination as it was; a checksum tells an altered row.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "store/backends.h"
#include "store/copy.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

namespace fs = std::filesystem;

doc::Document make_doc(std::string id, std::string title, std::string category,
                       std::string content) {
  doc::Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.date = "2021-12-25";
  d.category = std::move(category);
  d.source = "test";
  d.content = std::move(content);
  return d;
}

User make_user(std::string name, std::string role = "member", std::string vip_until = "") {
  User u;
  u.name = std::move(name);
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.role = std::move(role);
  u.vip_until = std::move(vip_until);
  return u;
}

// Every byte value, twice.
std::string all_bytes() {
  std::string out;
  for (int round = 0; round < 2; ++round) {
    for (int b = 0; b < 256; ++b) out += static_cast<char>(b);
  }
  return out;
}

// A text of about 300 KB: numbered paragraphs.
std::string long_text() {
  std::string out;
  for (int i = 0; out.size() < 300'000; ++i) {
    if (i > 0) out += '\n';
    out += fmt::format("第{}段：坚持以人民为中心的发展思想，推动高质量发展取得新成效。", i);
  }
  return out;
}

// What fill() wrote that a test checks directly.
struct Library {
  std::string long_text;
  std::string qr_bytes;
  std::vector<std::string> tokens;
  std::vector<std::string> failure_keys;
};

// Fills `store` (on `db`, for what the interface cannot do) with every kind of row the store
// keeps: live, replaced, soft-deleted and gated documents with their features, views, links,
// word frequencies, categories and kinds, 专题, feedback with a gap in its ids, settings, a
// binary site file, accounts with a gap in their ids, sessions, login failures (two identical
// rows), favorites and history.
Library fill(Store& store, const TestDatabase& db) {
  Library lib;
  lib.long_text = long_text();
  auto a = make_doc("a", "在全区领导干部大会上的讲话", "讲话稿", "同志们：\n今天我们召开大会。");
  a.keywords = {"发展", "改革"};
  a.simhash = 0x8000'0000'0000'0001ULL;  // the sign bit of the stored int64
  a.analysis = R"({"outline":[{"level":1,"text":"一、总体要求"}]})";
  a.source_note = "来源：新华社\n编辑：张三";
  a.title_derived = true;
  a.url = "https://example.org/a";
  auto b = make_doc("b", "2021年政府工作报告", "政府工作报告", lib.long_text);
  b.simhash = 0x0123'4567'89ab'cdefULL;
  b.subcategory = "国务院";
  // COPY's escapes and its NULL marker, as text.
  auto c = make_doc("c", "新闻联播文字版", "新闻联播", "含\t制表符\\反斜杠\r回车\n第二段 \\N");
  c.source = "\\N";
  c.date = "2020";
  auto d = make_doc("d", "已删除的文档", "讲话稿", "这篇被删除了。");
  auto e = make_doc("e", "会员专享的心得体会", "", "心得。");
  store.put({a, b, c, d, e});
  a.title = "在全区领导干部大会上的讲话（修订）";
  store.put({a});  // replaced: a later seq, created_at kept
  store.set_deleted("d", true);
  store.set_visibility("a", doc::Visibility::kPublic);
  store.set_visibility("e", doc::Visibility::kVip);
  store.set_keywords({{"b", {"政府", "工作", "报告"}}});

  store.add_views({{"a", "2024-05-01", "v1"},
                   {"a", "2024-05-01", "v2"},
                   {"b", "2024-05-02", "v1"},
                   {"a", "2024-05-02", "v1"},
                   {"c", "2024-05-02", "v3"}});
  store.link_similar({{"a", "b", 3}, {"c", "b", 5}});
  store.replace_word_frequencies({4, {{"发展", 3}, {"改革", 2}, {"\t\\", 1}}, 0});
  store.replace_word_frequencies({5, {{"发展", 4}, {"改革", 2}, {"\t\\", 1}}, 0});

  store.create_category("空分类");
  store.set_category_order({"政府工作报告", "讲话稿", ""});
  store.set_category_kind("新闻联播", CategoryKind::kModel);  // a default row changed
  store.set_category_kind("讲话稿", CategoryKind::kReference);

  store.put_collection({"topic-1", "专题一", "说明\n两行", 2, {"b", "a", "d"}});
  store.put_collection({"topic-2", "专题二", "", 1, {"c"}});

  for (int i = 1; i <= 4; ++i) {
    store.add_feedback(
        {0, fmt::format("qq{}", i), fmt::format("留言{}", i), "", "client-1", false});
  }
  store.set_feedback_handled(3, true);
  db.exec("DELETE FROM feedback WHERE id = 2");

  store.set_settings({{"site_name", "文库"}, {"preview_chars", "200"}});
  store.ensure_setting("secret", "s3cr3t");
  lib.qr_bytes = all_bytes();
  store.put_site_file({"wechat-qr", "image/png", lib.qr_bytes, ""});
  store.put_site_file({"empty", "application/octet-stream", "", ""});

  const auto alice = *store.add_user(make_user("alice", "admin"));
  const auto bob = *store.add_user(make_user("bob", "vip", "2030-01-01"));
  const auto carol = *store.add_user(make_user("carol"));
  const auto dave = *store.add_user(make_user("dave"));
  store.mark_login(alice);
  store.set_disabled(dave, true);
  db.exec(fmt::format("DELETE FROM users WHERE id = {}", carol));

  const std::int64_t now = std::time(nullptr);
  lib.tokens = {"aa11", "bb22", "cc33"};
  store.add_session({"aa11", alice, now - 100, now - 50, now + 10'000, "Mozilla/5.0 测试"});
  store.add_session({"bb22", alice, now - 90, now - 80, now + 20'000, ""});
  store.add_session({"cc33", bob, now - 10, now - 10, now + 30'000, "curl\t1"});
  store.touch_session("bb22", now - 5);

  lib.failure_keys = {"user:alice", "client:x"};
  store.add_login_failure("user:alice", now - 30);
  store.add_login_failure("user:alice", now - 30);  // identical rows: no primary key
  store.add_login_failure("client:x", now - 20);

  store.add_favorite(alice, "a", now - 300);
  store.add_favorite(alice, "d", now - 200);
  store.add_favorite(bob, "b", now - 100);
  store.add_history(alice, "a", now - 60);
  store.add_history(alice, "b", now - 70);
  store.add_history(bob, "c", now - 40);
  return lib;
}

std::string summary(const doc::Summary& s) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}", s.id, s.title, s.date, s.category, s.views,
                     s.created_at, s.updated_at);
}

std::string user_line(const User& u) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", u.id, u.name, u.password_hash, u.role, u.vip_until,
                     u.disabled, u.created_at, u.last_login_at);
}

std::string session_line(const Session& s) {
  return fmt::format("{}|{}|{}|{}|{}|{}", s.token_hash, s.user_id, s.created_at, s.last_seen_at,
                     s.expires_at, s.user_agent);
}

// Everything the store shows of `lib`'s library, one fact a line, through the Store interface
// only. Long values appear as their size and hash (the tests compare them directly).
std::string dump(Store& store, const Library& lib) {
  std::ostringstream out;
  auto line = [&out](const std::string& s) { out << s << '\n'; };
  const auto hash = [](const std::string& s) {
    return fmt::format("{} bytes #{:x}", s.size(), std::hash<std::string>{}(s));
  };
  line(fmt::format("count {} last_seq {}", store.count(), store.last_seq()));
  for (const auto& c : store.categories()) line(fmt::format("category {} {}", c.category, c.count));
  const auto docs = store.changes_since(0, 1000);
  for (const auto& d : docs) {
    line(fmt::format("doc {}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", d.id, d.title,
                     d.date, d.category, d.subcategory, d.source, d.url, hash(d.content),
                     d.source_note, d.title_derived, fmt::join(d.keywords, ","), d.simhash,
                     d.analysis, d.seq, d.views, d.deleted, doc::visibility_name(d.visibility),
                     d.created_at, d.updated_at));
    const auto got = store.get(d.id);
    line(fmt::format("get {} {}", d.id, got && *got == d));
    const auto opening = store.get_text(d.id, 10);
    line(fmt::format("get_text {} {}", d.id, opening ? opening->content : "-"));
    const auto stamp = store.stamp(d.id);
    line(fmt::format("stamp {} {} {} {}", d.id, stamp->seq, stamp->views, stamp->deleted));
    for (const auto& s : store.similar(d.id)) {
      line(fmt::format("similar {} {} {}", d.id, s.doc.id, s.distance));
    }
  }
  for (const auto sort : {SortOrder::kNewest, SortOrder::kMostViewed}) {
    for (const bool deleted : {false, true}) {
      ListQuery q;
      q.sort = sort;
      q.deleted = deleted;
      for (const auto& s : store.list(q)) {
        line(fmt::format("list {} {} {}", static_cast<int>(sort), deleted, summary(s)));
      }
    }
  }
  ListQuery by_kind;
  by_kind.kind = CategoryKind::kReference;
  for (const auto& s : store.list(by_kind)) line("list reference " + summary(s));
  auto simhashes = store.simhashes();
  std::sort(simhashes.begin(), simhashes.end(),
            [](const SimHashEntry& x, const SimHashEntry& y) { return x.id < y.id; });
  for (const auto& s : simhashes) line(fmt::format("simhash {} {}", s.id, s.simhash));
  for (const auto& p : store.similar_pairs(100, 0)) {
    line(fmt::format("pair {} {} {}", p.a.id, p.b.id, p.distance));
  }
  line(fmt::format("pairs {}", store.similar_pair_count()));
  const auto frequencies = store.word_frequencies();
  auto counts = frequencies.counts;
  std::sort(counts.begin(), counts.end());
  line(fmt::format("df {} {} {}", frequencies.documents, frequencies.version,
                   fmt::join(counts, ";")));
  const auto stamp = store.word_frequencies_stamp();
  line(fmt::format("df stamp {} {}", stamp.version, stamp.documents));
  for (const auto& c : store.category_list()) {
    line(fmt::format("category_list {}|{}|{}|{}", c.name, c.position, c.count,
                     static_cast<int>(c.kind)));
  }
  line(fmt::format("reference {}", fmt::join(store.reference_categories(), ",")));
  for (const auto kind : {std::optional<CategoryKind>{}, std::optional(CategoryKind::kModel)}) {
    for (const auto& h : store.hot("2024-01-01", 10, kind)) {
      line(fmt::format("hot {} {} {}", kind.has_value(), summary(h.doc), h.period_views));
    }
  }
  for (const auto& d : store.views_per_day("2024-01-01")) {
    line(fmt::format("views_per_day {} {}", d.day, d.count));
  }
  for (const auto& d : store.documents_per_day("2000-01-01")) {
    line(fmt::format("documents_per_day {} {}", d.day, d.count));
  }
  for (const auto& c : store.collections()) {
    line(fmt::format("collection {}|{}|{}|{}|{}", c.slug, c.title, c.description, c.position,
                     fmt::join(c.ids, ",")));
  }
  for (const auto& f : store.feedback(false, 100, 0)) {
    line(fmt::format("feedback {}|{}|{}|{}|{}|{}", f.id, f.contact, f.message, f.created_at,
                     f.client, f.handled));
  }
  line(fmt::format("feedback counts {} {} {}", store.feedback_count(false),
                   store.feedback_count(true),
                   store.feedback_count_since("client-1", "2000-01-01 00:00:00")));
  for (const auto& [key, value] : store.settings()) line(fmt::format("setting {}={}", key, value));
  line(fmt::format("settings_version {}", store.settings_version()));
  for (const char* name : {"wechat-qr", "empty", "missing"}) {
    const auto f = store.site_file(name);
    line(f ? fmt::format("site_file {}|{}|{}|{}", f->name, f->content_type, hash(f->data),
                         f->updated_at)
           : fmt::format("site_file {} -", name));
  }
  line(fmt::format("users {} admins {}", store.user_count(), store.admin_count()));
  for (const auto& u : store.users(100, 0)) {
    line("user " + user_line(u));
    const auto by_name = store.user_by_name(u.name);
    line(fmt::format("user_by_name {} {}", u.name, by_name ? user_line(*by_name) : "-"));
    for (const auto& s : store.sessions_of(u.id)) line("session_of " + session_line(s));
    for (const auto& f : store.favorites(u.id, 100, 0)) {
      line(fmt::format("favorite {} {} {}", u.id, summary(f.doc), f.at));
    }
    line(fmt::format("favorites {} {}", u.id, store.favorite_count(u.id)));
    for (const auto& h : store.history(u.id, 100, 0)) {
      line(fmt::format("history {} {} {}", u.id, summary(h.doc), h.at));
    }
    line(fmt::format("history count {} {}", u.id, store.history_count(u.id)));
  }
  for (const auto& token : lib.tokens) {
    const auto s = store.session(token);
    line(s ? "session " + session_line(s->session) + " " + user_line(s->user)
           : "session " + token + " -");
  }
  for (const auto& key : lib.failure_keys) {
    const auto f = store.login_failures(key, 0);
    line(fmt::format("login_failures {} {} {}", key, f.count, f.last_at));
  }
  return out.str();
}

// Everything a copy must bring over, read directly: the long text and the site file's bytes.
void expect_exact_values(Store& store, const Library& lib) {
  const auto b = store.get("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->content, lib.long_text);
  const auto c = store.get("c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->content, "含\t制表符\\反斜杠\r回车\n第二段 \\N");
  EXPECT_EQ(c->source, "\\N");
  EXPECT_EQ(store.get("a")->simhash, 0x8000'0000'0000'0001ULL);
  const auto qr = store.site_file("wechat-qr");
  ASSERT_TRUE(qr);
  EXPECT_EQ(qr->data, lib.qr_bytes);
  const auto empty = store.site_file("empty");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->data, "");
}

std::string sums_text(const std::vector<TableSum>& sums) {
  std::string out;
  for (const auto& s : sums) out += fmt::format("{} {} {}\n", s.table, s.rows, s.checksum);
  return out;
}

// The copy's report as "table rows OK|MISMATCH" lines.
std::string report_text(const std::vector<TableCheck>& checks) {
  std::string out;
  for (const auto& c : checks) {
    out += fmt::format("{} {} {} {}\n", c.source.table, c.source.rows, c.destination.rows,
                       c.ok() ? "OK" : "MISMATCH");
  }
  return out;
}

std::int64_t rows_of(const CopyReport& report, std::string_view table) {
  for (const auto& t : report.tables) {
    if (t.source.table == table) return t.destination.rows;
  }
  return -1;
}

// A filled SQLite library, the source of every copy below.
class CopySource {
 public:
  CopySource() {
    auto store = db_.open();
    lib_ = fill(*store, db_);
  }
  std::string url() const { return db_.url(); }
  const TestDatabase& db() const { return db_; }
  const Library& lib() const { return lib_; }

 private:
  TestDatabase db_{Backend::kSqlite};
  Library lib_;
};

// The destination is the fixture's database, of each backend.
class CopyTest : public BackendTest {
 protected:
  // A store on the destination opened anew (nothing cached from before the copy).
  std::unique_ptr<Store> destination() const { return db_->open(); }
};
WENKU_ON_EVERY_BACKEND(CopyTest);

TEST_P(CopyTest, CopiesEveryTableAndTheStoreShowsTheSame) {
  CopySource source;
  const auto expected = dump(*source.db().open(), source.lib());
  // The dump shows every kind of row fill() wrote.
  for (const char* fact :
       {"doc d|", "|true|members|", "similar a b 3", "df 5 2 ", "category_list 空分类|",
        "hot true ", "views_per_day 2024-05-02 3", "collection topic-1|", "feedback 4|qq4|",
        "setting secret=", "site_file wechat-qr|image/png|512 bytes", "user 4|dave|",
        "session_of bb22|", "favorite 1 a", "history 2 c", "login_failures user:alice 2"}) {
    EXPECT_NE(expected.find(fact), std::string::npos) << fact << " not in\n" << expected;
  }
  const auto sums = checksum_library(source.url());
  const auto file_before = testing::read_file(source.db().sqlite_path());

  std::vector<CopyProgress> seen;
  const auto report = copy_library(source.url(), db_->url(), [&](const CopyProgress& p) {
    seen.push_back(p);
    seen.back().table = {};  // the view does not outlive the call
  });

  EXPECT_TRUE(report.ok()) << report_text(report.tables);
  ASSERT_EQ(report.tables.size(), library_tables().size());
  EXPECT_EQ(rows_of(report, "documents"), 5);
  EXPECT_EQ(rows_of(report, "sequence"), 1);
  EXPECT_EQ(rows_of(report, "feedback"), 3);
  EXPECT_EQ(rows_of(report, "users"), 3);
  EXPECT_EQ(rows_of(report, "login_failures"), 3);
  EXPECT_EQ(rows_of(report, "site_files"), 2);
  std::int64_t rows = 0;
  for (const auto& t : report.tables) rows += t.source.rows;
  EXPECT_EQ(report.rows, rows);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().rows, rows);
  EXPECT_EQ(seen.back().total, rows);

  // The source was only read.
  EXPECT_EQ(testing::read_file(source.db().sqlite_path()), file_before);
  EXPECT_EQ(sums_text(checksum_library(source.url())), sums_text(sums));

  auto copy = destination();
  EXPECT_EQ(dump(*copy, source.lib()), expected);
  expect_exact_values(*copy, source.lib());
  EXPECT_EQ(sums_text(checksum_library(db_->url())), sums_text(sums));

  // New rows continue after the copied ones, as they would in the source.
  auto original = source.db().open();
  EXPECT_EQ(copy->add_feedback({0, "", "又一条", "", "", false}),
            original->add_feedback({0, "", "又一条", "", "", false}));
  EXPECT_EQ(copy->add_user(make_user("erin")), original->add_user(make_user("erin")));
  const auto next = make_doc("f", "新文档", "讲话稿", "正文。");
  EXPECT_EQ(copy->put({next})[0].seq, original->put({next})[0].seq);
}

TEST_P(CopyTest, CopiesBackIntoSqliteUnchanged) {
  CopySource source;
  const auto expected = dump(*source.db().open(), source.lib());
  ASSERT_TRUE(copy_library(source.url(), db_->url()).ok());
  TestDatabase back(Backend::kSqlite);
  const auto report = copy_library(db_->url(), back.url());
  EXPECT_TRUE(report.ok()) << report_text(report.tables);
  auto store = back.open();
  EXPECT_EQ(dump(*store, source.lib()), expected);
  expect_exact_values(*store, source.lib());
  EXPECT_EQ(sums_text(checksum_library(back.url())), sums_text(checksum_library(source.url())));
}

TEST_P(CopyTest, RefusesADestinationWithDocumentsAndChangesNothing) {
  CopySource source;
  store_->put({make_doc("x", "已有的文档", "讲话稿", "正文。")});
  store_->set_settings({{"site_name", "另一个"}});
  const auto before = sums_text(checksum_library(db_->url()));
  try {
    copy_library(source.url(), db_->url());
    FAIL() << "copied into a library with a document";
  } catch (const CopyRefused& e) {
    EXPECT_NE(std::string(e.what()).find("not empty: it holds 1 documents and 0 accounts"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(sums_text(checksum_library(db_->url())), before);
}

TEST_P(CopyTest, RefusesADestinationWithAccountsOnly) {
  CopySource source;
  store_->add_user(make_user("zed"));
  const auto before = sums_text(checksum_library(db_->url()));
  EXPECT_THROW(copy_library(source.url(), db_->url()), CopyRefused);
  EXPECT_THROW(copy_tables(source.url(), db_->url()), CopyRefused);
  EXPECT_EQ(sums_text(checksum_library(db_->url())), before);
}

TEST_P(CopyTest, ReplacesTheRowsOfAnEmptyLibrary) {
  CopySource source;
  // A server that ran on the empty library stored a setting; its default category kinds are
  // the schema's.
  store_->ensure_setting("secret", "other");
  store_->set_settings({{"only-here", "1"}});
  ASSERT_TRUE(copy_library(source.url(), db_->url()).ok());
  auto copy = destination();
  auto original = source.db().open();
  EXPECT_EQ(copy->settings(), original->settings());
  EXPECT_EQ(copy->reference_categories(), original->reference_categories());
}

TEST_P(CopyTest, AFailedCopyLeavesTheDestinationAsItWas) {
  CopySource source;
  const auto before = sums_text(checksum_library(db_->url()));
  // The last table refuses every row: everything before it was written in the same
  // transaction.
  if (GetParam() == Backend::kSqlite) {
    db_->exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON history BEGIN SELECT RAISE(ABORT, 'refused'); "
        "END");
  } else {
    db_->exec(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
        "CREATE TRIGGER refuse BEFORE INSERT ON history FOR EACH ROW EXECUTE FUNCTION refuse()");
  }
  try {
    copy_library(source.url(), db_->url());
    FAIL() << "the copy did not fail";
  } catch (const CopyRefused& e) {
    FAIL() << e.what();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  }
  EXPECT_EQ(sums_text(checksum_library(db_->url())), before);
  auto store = destination();
  EXPECT_EQ(store->count(), 0);
  EXPECT_EQ(store->user_count(), 0);
  EXPECT_FALSE(store->reference_categories().empty());  // the schema's defaults are still there
}

TEST_P(CopyTest, ChecksumsTellAnAlteredRowAndAMissingOne) {
  CopySource source;
  EXPECT_GT(copy_tables(source.url(), db_->url()), 0);
  db_->exec("UPDATE settings SET value = 'changed' WHERE key = 'site_name'");
  db_->exec("DELETE FROM view_seen WHERE visitor = 'v2'");
  const auto checks = compare_sums(checksum_library(source.url()), checksum_library(db_->url()));
  ASSERT_EQ(checks.size(), library_tables().size());
  for (const auto& c : checks) {
    if (c.source.table == "settings") {
      EXPECT_FALSE(c.ok());
      EXPECT_EQ(c.source.rows, c.destination.rows);
      EXPECT_NE(c.source.checksum, c.destination.checksum);
    } else if (c.source.table == "view_seen") {
      EXPECT_FALSE(c.ok());
      EXPECT_EQ(c.source.rows, c.destination.rows + 1);
    } else {
      EXPECT_TRUE(c.ok()) << c.source.table;
    }
  }
}

TEST_P(CopyTest, RefusesASourceOfAnotherSchemaVersion) {
  TestDatabase old(Backend::kSqlite);
  RawDb(old.sqlite_path()).create_schema(8);
  try {
    copy_library(old.url(), db_->url());
    FAIL() << "copied an old schema";
  } catch (const CopyRefused& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 8, older"), std::string::npos) << e.what();
  }
  EXPECT_EQ(destination()->count(), 0);
}

TEST_P(CopyTest, TheTableListCoversTheWholeSchema) {
  const std::string sql =
      GetParam() == Backend::kSqlite
          ? "SELECT group_concat(name, ',') FROM sqlite_schema WHERE type = 'table' AND name NOT "
            "LIKE 'sqlite%'"
          : "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE "
            "table_schema = current_schema() AND table_name <> 'schema_version'";
  std::set<std::string> in_schema;
  std::stringstream names(db_->scalar(sql));
  for (std::string name; std::getline(names, name, ',');) in_schema.insert(name);
  std::set<std::string> listed;
  for (const auto& t : library_tables()) listed.insert(std::string(t.name));
  EXPECT_EQ(listed, in_schema);
  // Columns and types are checked by every copy (check_schema); a fresh library passes.
  EXPECT_EQ(checksum_library(db_->url()).size(), library_tables().size());
}

TEST(CopyUrlTest, RefusesBadUrlsTheSameDatabaseAndAMissingSource) {
  testing::TempDir dir;
  const auto path = dir.path() / "wenku.sqlite";
  open_sqlite(path);
  const auto url = "sqlite:" + path.string();
  EXPECT_THROW(copy_library("mysql://u@h/db", url), std::invalid_argument);
  EXPECT_THROW(copy_library(url, "sqlite:"), std::invalid_argument);
  EXPECT_THROW(copy_library(url, url), CopyRefused);
  EXPECT_THROW(copy_library(url, "sqlite:" + (dir.path() / "." / "wenku.sqlite").string()),
               CopyRefused);
  const auto missing = dir.path() / "missing.sqlite";
  EXPECT_THROW(copy_library("sqlite:" + missing.string(), url), CopyRefused);
  EXPECT_FALSE(fs::exists(missing));
}

TEST(CopyUrlTest, RedactsPasswords) {
  EXPECT_EQ(redact_url("postgresql://wenku:secret@db.example:5432/wenku"),
            "postgresql://wenku:***@db.example:5432/wenku");
  EXPECT_EQ(redact_url("postgresql://wenku@db/wenku?password=secret&sslmode=require"),
            "postgresql://wenku@db/wenku?password=***&sslmode=require");
  EXPECT_EQ(redact_url("postgresql://db/wenku"), "postgresql://db/wenku");
  EXPECT_EQ(redact_url("sqlite:/var/lib/wenku/wenku.sqlite"), "sqlite:/var/lib/wenku/wenku.sqlite");
}

}  // namespace
}  // namespace wenku::store
