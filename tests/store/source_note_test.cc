// The fields the import clean-up fills (doc::Document::source_note and title_derived): stored
// with the document, read by every read, and added to an older database by 007_source_note.sql.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "base/embedded.h"
#include "store/backends.h"
#include "store/raw_db.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku::store {
namespace {

doc::Document noted(std::string id, std::string note, bool derived) {
  doc::Document d;
  d.id = std::move(id);
  d.title = "在科学家座谈会上的讲话";
  d.date = "2020-09-11";
  d.category = "领导人讲话";
  d.source = "test";
  d.content = "同志们：\n今天，我们召开科学家座谈会。";
  d.source_note = std::move(note);
  d.title_derived = derived;
  return d;
}

class SourceNoteStoreTest : public BackendTest {};
WENKU_ON_EVERY_BACKEND(SourceNoteStoreTest);

// Migrations of an older SQLite database.
class SourceNoteMigrationTest : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_.path() / "wenku.sqlite"; }

  wenku::testing::TempDir dir_;
};

TEST_P(SourceNoteStoreTest, TheNoteAndTheDerivedMarkComeBackFromEveryRead) {
  auto& store = store_;
  const std::string note = "（新华社北京9月11日电）\n《 人民日报 》（ 2020年09月12日 02 版）";
  store->put({noted("a", note, true), noted("b", "", false)});

  const auto a = store->get("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->source_note, note);
  EXPECT_TRUE(a->title_derived);
  const auto b = store->get("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->source_note, "");
  EXPECT_FALSE(b->title_derived);

  // The reads for lists of hits: the whole text, and an opening of it read by rowid.
  for (const std::size_t bytes : {SIZE_MAX, std::size_t{9}}) {
    const auto text = store->get_text("a", bytes);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->source_note, note);
    EXPECT_TRUE(text->title_derived);
  }
  EXPECT_EQ(store->get_text("a", 9)->content, "同志们");
  const auto changes = store->changes_since(0, 10);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].source_note, note);
  EXPECT_TRUE(changes[0].title_derived);
  EXPECT_FALSE(changes[1].title_derived);

  // Replacing writes them again, also back to the defaults.
  store->put({noted("a", "", false)});
  EXPECT_EQ(store->get("a")->source_note, "");
  EXPECT_FALSE(store->get("a")->title_derived);
}

TEST_P(SourceNoteStoreTest, ANoteThatIsNotUtf8IsRefused) {
  auto& store = store_;
  EXPECT_THROW(store->put({noted("a", std::string("\xff\xfe"), false)}), StoreError);
  EXPECT_FALSE(store->get("a"));
}

// A database of schema version 6 keeps its documents, which get an empty note and a title of
// their own; the new columns come before the text.
TEST_F(SourceNoteMigrationTest, AnOlderDatabaseGetsTheColumnsBeforeTheText) {
  const std::string long_text(100'000, 'x');
  {
    RawDb raw(db_path());
    raw.create_schema(6);
    raw.exec(
        "INSERT INTO documents (id, title, date, category, seq, views, deleted, visibility,"
        " created_at, updated_at, content) VALUES"
        " ('a', '甲', '2020-01-01', '通知', 1, 7, 0, 'public', '2024-01-01 00:00:00',"
        " '2024-01-02 00:00:00', '" +
        long_text + "')");
    raw.exec("UPDATE sequence SET value = 1");
    raw.exec("INSERT INTO doc_features (id, simhash, analysis) VALUES ('a', 7, '{}')");
  }
  auto store = open_sqlite(db_path());
  const auto a = store->get("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->title, "甲");
  EXPECT_EQ(a->views, 7);
  EXPECT_EQ(a->visibility, doc::Visibility::kPublic);
  EXPECT_EQ(a->simhash, 7u);
  EXPECT_EQ(a->content, long_text);
  EXPECT_EQ(a->source_note, "");
  EXPECT_FALSE(a->title_derived);
  EXPECT_EQ(store->get_text("a", 10)->content, std::string(10, 'x'));  // rowid kept

  RawDb raw(db_path());
  const auto column = [&raw](const std::string& name) {
    return std::stoi(
        raw.scalar("SELECT cid FROM pragma_table_info('documents') WHERE name = '" + name + "'"));
  };
  EXPECT_LT(column("source_note"), column("content"));
  EXPECT_LT(column("title_derived"), column("content"));
  EXPECT_EQ(raw.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index'"
                       " AND tbl_name = 'documents' AND name = 'documents_category_newest'"),
            "1");
}

}  // namespace
}  // namespace wenku::store
