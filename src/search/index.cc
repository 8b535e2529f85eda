#include "search/index.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <shared_mutex>
#include <span>
#include <string>

#include "search/groonga.h"
#include "search/open_marker.h"
#include "store/store.h"
#include "text/segmenter.h"

namespace wenku::search {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump whenever the schema below changes: an index of another version is rebuilt.
constexpr std::int64_t kSchemaVersion = 1;
// Documents per store page and per Groonga load.
constexpr std::size_t kPageSize = 500;
// An empty index catching up with at least this many documents takes the bulk path.
constexpr std::int64_t kBulkThreshold = 1000;
// Groonga's ShortText holds at most 4 KiB.
constexpr std::size_t kMaxShortTextBytes = 4095;
// Title matches weigh above body matches; whole-word matches add to the score.
constexpr std::string_view kMatchColumns = "title * 10 || content || words * 2";
// Best first, then newest.
constexpr std::string_view kSortKeys = "-_score,-date,-seq";

constexpr std::string_view kMetaSchema[] = {
    "table_create Meta TABLE_HASH_KEY ShortText",
    "column_create Meta value COLUMN_SCALAR Int64",
};
constexpr std::string_view kDocsSchema[] = {
    "table_create Categories TABLE_HASH_KEY ShortText",
    "table_create Docs TABLE_HASH_KEY ShortText",
    "column_create Docs title COLUMN_SCALAR ShortText",
    "column_create Docs content COLUMN_SCALAR LongText",
    "column_create Docs words COLUMN_SCALAR LongText",
    "column_create Docs date COLUMN_SCALAR ShortText",
    "column_create Docs year COLUMN_SCALAR UInt16",
    "column_create Docs category COLUMN_SCALAR Categories",
    "column_create Docs views COLUMN_SCALAR UInt32",
    "column_create Docs seq COLUMN_SCALAR Int64",
};
// Index columns: created after a bulk load, which is about twice as fast as loading into
// indexed columns. Bigrams with positions give exact substring matches (also across
// symbols, thanks to SplitSymbolAlphaDigit); the words lexicon holds the segmenter's words.
constexpr std::string_view kIndexSchema[] = {
    "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer "
    "TokenBigramSplitSymbolAlphaDigit --normalizer NormalizerNFKC100",
    "column_create Terms docs_text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs title,content",
    "table_create Words TABLE_PAT_KEY ShortText --default_tokenizer TokenDelimit "
    "--normalizer NormalizerNFKC100",
    "column_create Words docs_words COLUMN_INDEX|WITH_POSITION Docs words",
    "column_create Categories docs_category COLUMN_INDEX Docs category",
};

// The longest prefix of valid UTF-8 `s` that fits a ShortText, cut at a code point.
std::string_view short_text(std::string_view s) {
  if (s.size() <= kMaxShortTextBytes) return s;
  std::size_t end = kMaxShortTextBytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

const fs::path& created(const fs::path& dir) {
  fs::create_directories(dir);
  return dir;
}

std::string number_argument(std::size_t n, long long if_too_large) {
  return std::to_string(n > static_cast<std::size_t>(INT_MAX) ? if_too_large
                                                              : static_cast<long long>(n));
}

}  // namespace

struct Index::Impl {
  Impl(const fs::path& index_dir, const text::Segmenter& text_segmenter);

  fs::path db_path() const { return dir / "groonga" / "db"; }
  bool open_existing();
  void recreate(bool with_indexes);
  void run_all(std::span<const std::string_view> commands);
  void set_applied_seq(std::int64_t seq);
  json record(const doc::Document& d) const;
  void apply_page(const std::vector<doc::Document>& page);
  std::int64_t bulk_load(store::Store& store, std::int64_t& last_seq);
  std::int64_t count() const;
  // Throws IndexError unless this process may change the index.
  void require_writer() const;

  fs::path dir;
  const text::Segmenter& segmenter;
  OpenMarker marker;        // first in, last out: removed after the database is closed
  groonga::Context writer;  // owns the database; used by catch_up and rebuild
  mutable groonga::ContextPool readers;
  // Shared by readers, exclusive while the database files are replaced (rebuild).
  mutable std::shared_mutex storage_mutex;
  std::atomic<std::int64_t> applied_seq{0};
};

Index::Impl::Impl(const fs::path& index_dir, const text::Segmenter& text_segmenter)
    : dir(created(index_dir)), segmenter(text_segmenter), marker(dir) {
  if (marker.unclean()) {
    spdlog::warn("search index {} was not closed cleanly; it will be rebuilt from the store",
                 dir.string());
  }
  if (!marker.may_write()) {
    // Another process maintains this index; use it as it is, never replace it.
    if (!open_existing()) {
      throw IndexError("search index " + dir.string() +
                       " is unusable and another wenku process maintains it; try again later");
    }
  } else if (marker.unclean() || !open_existing()) {
    recreate(true);
  }
  readers.reset(writer.db());
  marker.share();
}

bool Index::Impl::open_existing() {
  if (!fs::exists(db_path())) return false;
  std::string reason;
  if (!writer.open_db(db_path(), reason)) {
    spdlog::warn("search index {} cannot be opened ({}); rebuilding", dir.string(), reason);
    return false;
  }
  try {
    auto meta =
        groonga::parse_select(writer.query("select Meta --output_columns _key,value --limit -1"));
    std::int64_t version = 0;
    for (const auto& row : meta.rows) {
      if (row.at(0) == "schema_version") version = row.at(1).get<std::int64_t>();
      if (row.at(0) == "applied_seq") applied_seq = row.at(1).get<std::int64_t>();
    }
    if (version != kSchemaVersion) {
      spdlog::warn("search index {} has schema version {} (want {}); rebuilding", dir.string(),
                   version, kSchemaVersion);
      writer.close_db();
      return false;
    }
    // Touches every table and lexicon a search uses.
    writer.command("select Docs --match_columns 'title || words' --query '\"x\"' --limit 0");
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("search index {} is unusable ({}); rebuilding", dir.string(), e.what());
    writer.close_db();
    return false;
  }
}

// Replaces the database with a new empty one. Without indexes, the caller bulk-loads and
// then creates them. The schema version is written last, so a crash in between leaves a
// database that open_existing rejects.
void Index::Impl::recreate(bool with_indexes) {
  readers.reset(nullptr);
  writer.close_db();
  fs::remove_all(dir / "groonga");
  fs::create_directories(dir / "groonga");
  writer.create_db(db_path());
  run_all(kMetaSchema);
  run_all(kDocsSchema);
  if (with_indexes) run_all(kIndexSchema);
  set_applied_seq(0);
  writer.load("Meta", json::array({{{"_key", "schema_version"}, {"value", kSchemaVersion}}}));
  readers.reset(writer.db());
}

void Index::Impl::run_all(std::span<const std::string_view> commands) {
  for (auto cmd : commands) writer.command(cmd);
}

void Index::Impl::set_applied_seq(std::int64_t seq) {
  writer.load("Meta", json::array({{{"_key", "applied_seq"}, {"value", seq}}}));
  applied_seq = seq;
}

json Index::Impl::record(const doc::Document& d) const {
  std::string title_and_text = d.title;
  title_and_text += '\n';
  title_and_text += d.content;
  return {
      {"_key", short_text(d.id)},
      {"title", short_text(d.title)},
      {"content", d.content},
      {"words", segmenter.words_for_index(title_and_text)},
      {"date", short_text(d.date)},
      {"year", doc::year_of(d.date)},
      {"category", short_text(d.category)},
      {"views", std::clamp<std::int64_t>(d.views, 0, UINT32_MAX)},
      {"seq", d.seq},
  };
}

// Upserts the live documents of `page` and removes the deleted ones.
void Index::Impl::apply_page(const std::vector<doc::Document>& page) {
  json records = json::array();
  for (const auto& d : page) {
    if (d.deleted) {
      writer.command("delete Docs --key " + quote_command_argument(short_text(d.id)));
    } else {
      records.push_back(record(d));
    }
  }
  writer.load("Docs", records);
}

// Loads every live document of `store` page by page; returns how many, and the last
// change sequence number seen in `last_seq`.
std::int64_t Index::Impl::bulk_load(store::Store& store, std::int64_t& last_seq) {
  std::int64_t loaded = 0;
  last_seq = 0;
  for (;;) {
    auto page = store.changes_since(last_seq, kPageSize);
    if (page.empty()) return loaded;
    json records = json::array();
    for (const auto& d : page) {
      if (!d.deleted) records.push_back(record(d));
    }
    writer.load("Docs", records);
    loaded += static_cast<std::int64_t>(records.size());
    last_seq = page.back().seq;
  }
}

std::int64_t Index::Impl::count() const {
  std::shared_lock lock(storage_mutex);
  auto lease = readers.acquire();
  return groonga::parse_select(lease->query("select Docs --output_columns _id --limit 0")).total;
}

Index::Index(const fs::path& dir, const text::Segmenter& segmenter)
    : impl_(std::make_unique<Impl>(dir, segmenter)) {}

Index::~Index() = default;

void Index::Impl::require_writer() const {
  if (!marker.may_write()) {
    throw IndexError("search index " + dir.string() +
                     " is maintained by another running wenku process (such as `wenku serve`), "
                     "which indexes the store's changes itself");
  }
}

bool Index::writable() const { return impl_->marker.may_write(); }

std::int64_t Index::catch_up(store::Store& store) {
  impl_->require_writer();
  if (impl_->applied_seq < store.last_seq() && impl_->count() == 0 &&
      store.count() >= kBulkThreshold) {
    return rebuild(store);
  }
  std::int64_t applied = 0;
  for (;;) {
    auto page = store.changes_since(impl_->applied_seq, kPageSize);
    if (page.empty()) return applied;
    impl_->apply_page(page);
    impl_->set_applied_seq(page.back().seq);
    applied += static_cast<std::int64_t>(page.size());
  }
}

std::int64_t Index::rebuild(store::Store& store) {
  impl_->require_writer();
  std::unique_lock lock(impl_->storage_mutex);
  try {
    impl_->recreate(false);
    std::int64_t last_seq = 0;
    std::int64_t loaded = impl_->bulk_load(store, last_seq);
    impl_->run_all(kIndexSchema);
    impl_->set_applied_seq(last_seq);
    return loaded;
  } catch (...) {
    // Never leave a half-built index behind: an empty one is rebuilt by the next catch_up.
    impl_->recreate(true);
    throw;
  }
}

std::int64_t Index::applied_seq() const { return impl_->applied_seq; }

std::int64_t Index::size() const { return impl_->count(); }

IndexResult Index::search(const IndexQuery& q) const {
  if (q.query.terms.empty()) return {};
  std::string query;
  for (const auto& term : q.query.terms) {
    if (!query.empty()) query += ' ';  // Groonga's default operator between terms: AND
    query += quote_query_phrase(term);
  }
  std::string cmd = "select Docs --match_columns " + quote_command_argument(kMatchColumns) +
                    " --query " + quote_command_argument(query) +
                    " --query_flags NONE --sort_keys " + quote_command_argument(kSortKeys) +
                    " --output_columns _key,_score --offset " + number_argument(q.offset, INT_MAX) +
                    " --limit " + number_argument(q.limit, -1);
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  auto selected = groonga::parse_select(lease->query(cmd));
  IndexResult result;
  result.total = selected.total;
  for (const auto& row : selected.rows) {
    result.hits.push_back({row.at(0).get<std::string>(), row.at(1).get<double>()});
  }
  return result;
}

}  // namespace wenku::search
