#include "search/index.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>

#include "base/string_map.h"
#include "doc/analysis.h"
#include "search/aliases.h"
#include "search/groonga.h"
#include "search/open_marker.h"
#include "search/pinyin.h"
#include "store/document_store.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/simhash.h"
#include "text/utf8.h"

namespace wenku::search {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bump whenever the schema below changes: an index of another version is rebuilt.
constexpr std::int64_t kSchemaVersion = 8;
// Documents per store page and per Groonga load.
constexpr std::size_t kPageSize = 500;
// An empty index catching up with at least this many documents takes the bulk path.
constexpr std::int64_t kBulkThreshold = 1000;
// Groonga's ShortText holds at most 4 KiB.
constexpr std::size_t kMaxShortTextBytes = 4095;
// Title matches weigh most, then outline headings, then whole-word (TF-IDF) and body matches.
constexpr std::string_view kMatchColumns = "title * 10 || outline * 5 || content";
// Weight of whole-word TF-IDF over the words column (see words_adjuster).
constexpr double kWordsWeight = 2;
// Documents that hold the query's words as one contiguous phrase score this much more.
constexpr int kPhraseBoost = 20;
// Under relevance, the scores of 范文 (documents of any category not named 资料,
// IndexQuery::reference_categories) count this many times (see rank_hits).
constexpr double kModelBoost = 5;
// Related documents: candidates fetched before re-ranking, the same-category bonus factor,
// and the size of the opening used as seed when a document has no keywords.
constexpr int kRelatedCandidates = 60;
constexpr double kSameCategoryBonus = 1.5;
constexpr std::size_t kSeedChars = 3000;
constexpr std::size_t kMaxSeedKeywords = 20;
// Query results Groonga keeps per process (default 100) for the commands still used (related,
// suggestions); repeated ones are then free.
constexpr int kCacheLimit = 2000;
// Search results each process keeps (see DerivedCache).
constexpr std::size_t kSearchCacheEntries = 2000;
// Decoded postings of the words index each process keeps for whole-word scores (8 bytes
// each: 16 MB; the longest list of the corpus has ~20,000).
constexpr std::size_t kCachedPostings = 2'000'000;
// Typed runs read per query (search/reading.h); later ones are exact phrases. Each costs a few
// Groonga selects of its words, so this bounds the work of a long query.
constexpr std::size_t kMaxTypedRuns = 4;
// close_words: the longest prefix it tries, and the most words of one prefix it weighs.
constexpr std::size_t kLongestCloseWord = 16;
constexpr std::size_t kCloseWordCandidates = 2000;
// The work bound of one search (bound_work), in groonga::Context::search_cost's unit: the
// estimated work its terms may cost together (a character found in three texts out of four,
// 发: 280,000, about 13 ms on one core), and the least a term (or OR clause) must spend on
// characters searched by prefix to be left out for it. Such a character opens the list of
// every key it begins (的: 2,640 lists, 984,000; 国: 502,000; 税: 101,000); exact words and
// phrases open one list per token (发展, in half the texts: 13,250), which the query limits
// bound (16 common words OR'ed: 194,000, 14 ms).
constexpr std::int64_t kMaxSearchCost = 600'000;
constexpr std::int64_t kCommonTermCost = 30'000;

constexpr std::string_view kMetaSchema[] = {
    "table_create Meta TABLE_HASH_KEY ShortText",
    "column_create Meta value COLUMN_SCALAR Int64",
};
constexpr std::string_view kDocsSchema[] = {
    "table_create Categories TABLE_HASH_KEY ShortText",
    "table_create Docs TABLE_HASH_KEY ShortText",
    // title, content and outline hold search keys (text::normalize_key), label the title
    // as written.
    "column_create Docs title COLUMN_SCALAR ShortText",
    "column_create Docs label COLUMN_SCALAR ShortText",
    "column_create Docs content COLUMN_SCALAR LongText",
    "column_create Docs outline COLUMN_SCALAR LongText",
    // What a guest reads of the document (Index::guest_view_policy) and its outline as shown
    // to a guest, as search keys: where a guest's phrases match (PhraseScope::kGuestView).
    "column_create Docs guest_view COLUMN_SCALAR LongText",
    "column_create Docs words COLUMN_SCALAR LongText",
    "column_create Docs simhash COLUMN_SCALAR UInt64",
    // The date and change sequence number as one sort key (see recency()).
    "column_create Docs recency COLUMN_SCALAR UInt64",
    "column_create Docs year COLUMN_SCALAR UInt16",
    "column_create Docs category COLUMN_SCALAR Categories",
    "column_create Docs views COLUMN_SCALAR UInt32",
    "column_create Docs seq COLUMN_SCALAR Int64",
};
// Index columns: created after a bulk load, which is about twice as fast as loading into
// indexed columns. Bigrams with positions give exact substring matches (also across
// symbols, thanks to SplitSymbolAlphaDigit); the words lexicon holds the segmenter's words,
// and its index keeps term frequencies but no positions (nothing searches phrases of words:
// the same scores, built in 3.6 s instead of 4.6 s on the corpus).
// No normalizer on the bigram lexicon either: the columns and every term searched hold
// text::normalize_key'd text, whose folding maps one code point to one, so the bigrams of a
// query are exactly those of each text holding it. Groonga then gives the tokenizer no
// character types: every character, blanks included, is bigrammed, which is exact substring
// matching over the keys (with NormalizerNFKC100 a quoted phrase with a space, "学习 贯彻",
// also matched 学习贯彻). The bigram index builds in 5.5 % fewer instructions (groonga CLI,
// 1,006 documents: 3.99 G instead of 4.22 G).
constexpr std::string_view kIndexSchema[] = {
    "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer "
    "TokenBigramSplitSymbolAlphaDigit",
    "column_create Terms docs_text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs "
    "title,content,outline",
    // Apart from docs_text, so that the searches of members and the scores of its sections
    // stay as they were.
    "column_create Terms docs_guest_view COLUMN_INDEX|WITH_POSITION Docs guest_view",
    // No normalizer: the words are normalize_key'd already, and so are the words looked up
    // (3.5 s instead of 4.6 s to build on the corpus).
    "table_create Words TABLE_PAT_KEY ShortText --default_tokenizer TokenDelimit",
    "column_create Words docs_words COLUMN_INDEX Docs words",
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

// The outline headings of a doc::analysis_to_json document that 提纲: searches and the
// outline boost see, one per line; "" when none.
std::string outline_headings(std::string_view analysis) {
  std::string out;
  for (const std::string& text : doc::outline_texts(analysis)) {
    if (!out.empty()) out += '\n';
    out += text;
  }
  return out;
}

// The guest view column of `d`: what a guest reads of it under Index::guest_view_policy,
// then the outline headings a guest is shown, one per line, as a search key.
std::string guest_view_key(const doc::Document& d) {
  const auto seen = access::readable(d, access::Viewer{}, Index::guest_view_policy());
  if (!seen) return "";
  std::string view = seen->text();
  for (const auto& item : seen->outline()) {
    view += '\n';
    view += item.text;
  }
  return text::normalize_key(view);
}

// The date and then the change sequence number of `d` as one number, newer larger: the date
// as YYYYMMDD (missing parts 0, so "2021" sorts before "2021-01-01" as the strings do) in the
// high 27 bits, the sequence number (up to 2^37) below. Groonga sorts hits several times
// faster by one number than by a ShortText date and the sequence number.
std::uint64_t recency(const doc::Document& d) {
  std::uint64_t ymd = 0;
  int digits = 0;
  for (char c : d.date) {
    if (c >= '0' && c <= '9' && digits < 8) {
      ymd = ymd * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    }
  }
  for (; digits < 8; ++digits) ymd *= 10;
  constexpr int kSeqBits = 37;
  const auto seq = std::clamp<std::int64_t>(d.seq, 0, (std::int64_t{1} << kSeqBits) - 1);
  return (ymd << kSeqBits) | static_cast<std::uint64_t>(seq);
}

// Database generations: the Groonga database lives in DIR/groonga-<n>/db and DIR/CURRENT
// names the live one. A rebuild fills generation n+1 beside the live one and switches
// CURRENT (by rename) once it is complete, so readers never see a half-built database.
constexpr std::string_view kCurrentFile = "CURRENT";
constexpr std::string_view kGenerationPrefix = "groonga-";
// The directory of databases before generations existed; removed by the writer.
constexpr std::string_view kLegacyDirectory = "groonga";

// The number of a generation directory name ("groonga-12" -> 12); 0 for any other name.
std::uint64_t generation_number(std::string_view name) {
  if (!name.starts_with(kGenerationPrefix)) return 0;
  name.remove_prefix(kGenerationPrefix.size());
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  return ec == std::errc() && end == name.data() + name.size() ? n : 0;
}

// What identifies one version of a file: replacing it (write + rename) changes the inode
// and the change time.
struct FileStamp {
  ino_t inode = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

std::optional<FileStamp> stamp_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{st.st_ino, std::int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec};
}

// Sets the Meta record `key` to `value`.
void write_meta(groonga::Context& db, std::string_view key, std::int64_t value) {
  const groonga::Field field{"value", value};
  db.put("Meta", key, std::span(&field, 1));
}

void write_applied_seq(groonga::Context& db, std::int64_t seq) {
  write_meta(db, "applied_seq", seq);
}

void run_all(groonga::Context& db, std::span<const std::string_view> commands) {
  for (auto cmd : commands) db.command(cmd);
}

// The change sequence number the database has applied, as its writer last recorded it (0
// before the first record). Readers in other processes see it move when the writer indexes.
std::int64_t recorded_applied_seq(groonga::Context& db) {
  const grn_id record = db.record_id("Meta", "applied_seq");
  return record == GRN_ID_NIL ? 0 : db.int64_value("Meta", "value", record);
}

// Values derived from the live database (search results, decoded posting lists), each kept
// with the applied change sequence number of the database it was computed from: a value of
// another number is stale. The writer records a new number after every page it indexes, so
// a process stops using its values as soon as the writer changed the database (every reader
// process of `wenku serve` has its own caches, like Groonga's query cache they replace).
// When the costs of the values held (cost_of) would exceed `capacity`, the cache is emptied
// before the insertion, as web::TtlCache does: each value costs about a millisecond or less
// to recompute. A value costing more than `capacity` alone is not kept. Thread-safe.
template <typename Value>
class DerivedCache {
 public:
  using CostOf = std::size_t (*)(const Value&);
  DerivedCache(std::size_t capacity, CostOf cost_of) : capacity_(capacity), cost_of_(cost_of) {}

  std::optional<Value> find(const std::string& key, std::int64_t applied_seq) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.applied_seq != applied_seq) return std::nullopt;
    return it->second.value;
  }

  void add(const std::string& key, std::int64_t applied_seq, const Value& value) {
    const std::size_t cost = cost_of_(value);
    if (cost > capacity_) return;
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      held_ -= cost_of_(it->second.value);
      entries_.erase(it);
    }
    if (held_ + cost > capacity_) clear_locked();
    entries_.emplace(key, Entry{applied_seq, value});
    held_ += cost;
  }

  void clear() {
    std::lock_guard lock(mutex_);
    clear_locked();
  }

 private:
  struct Entry {
    std::int64_t applied_seq = 0;
    Value value;
  };
  void clear_locked() {
    entries_.clear();
    held_ = 0;
  }
  const std::size_t capacity_;
  const CostOf cost_of_;
  std::mutex mutex_;
  StringMap<Entry> entries_;
  std::size_t held_ = 0;
};

// The posting list of a word of the words index, shared by the searches using it.
using WordPostings = std::shared_ptr<const std::vector<groonga::Posting>>;

std::size_t one_result(const IndexResult&) { return 1; }
std::size_t postings_held(const WordPostings& postings) { return postings->size(); }

}  // namespace

struct Index::Impl {
  // One database generation, opened.
  struct Generation {
    std::string name;                      // directory name under `dir`
    std::unique_ptr<groonga::Context> db;  // owns the database
    std::int64_t applied_seq = 0;
  };

  Impl(const fs::path& index_dir, const text::Segmenter& text_segmenter,
       const Aliases& query_aliases);

  fs::path db_path(std::string_view name) const { return dir / name / "db"; }
  // The generation CURRENT names; "" when there is none.
  std::string read_current() const;
  // Opens generation `name`; nullopt (logged) when it is missing, damaged or of another
  // schema version.
  std::optional<Generation> open_generation(const std::string& name) const;
  // Creates the next generation beside the others: an empty database with the schema, and
  // the index columns when `with_indexes` (a bulk load creates them after loading).
  Generation create_generation(bool with_indexes);
  // Makes `g` the live generation: CURRENT names it, searches use it, and the other
  // generation directories are removed.
  void publish(Generation g);
  // Switches this process's searches to `g`. The caller holds storage_mutex exclusively (or
  // no search can run yet).
  void install(Generation g);
  // Readers: switches to the generation CURRENT names when the writer replaced it (one
  // stat per call when nothing changed). No-op in the writer.
  void follow_current();
  void remove_other_generations() const;
  void set_applied_seq(std::int64_t seq);
  std::string words_of(std::string_view title, std::string_view content) const;
  // Adds or replaces the record of the live document `d` in `db`.
  void put_record(groonga::Context& db, const doc::Document& d) const;
  void apply_page(const std::vector<doc::Document>& page);
  std::int64_t bulk_load(groonga::Context& db, store::DocumentStore& store, std::int64_t& last_seq);
  std::int64_t count();
  // Throws IndexError unless this process may change the index.
  void require_writer() const;
  // The typed runs of `q`, read (search/reading.h), by clause; empty when it has none.
  std::vector<std::optional<TypedRun>> typed_runs(const ParsedQuery& q) const;

  fs::path dir;
  const text::Segmenter& segmenter;
  const Aliases& aliases;
  OpenMarker marker;  // first in, last out: removed after the database is closed
  std::unique_ptr<groonga::Context> writer;  // owns the live database; catch_up and rebuild use it
  std::string generation;                    // directory name of the live database
  std::optional<FileStamp> current_stamp;    // of CURRENT when `generation` was read
  mutable groonga::ContextPool readers;
  // Of the live database; cleared when it is switched.
  mutable DerivedCache<IndexResult> search_cache{kSearchCacheEntries, one_result};
  mutable DerivedCache<WordPostings> postings_cache{kCachedPostings, postings_held};
  // Shared by searches, exclusive while the live database is switched.
  mutable std::shared_mutex storage_mutex;
  std::atomic<std::int64_t> applied_seq{0};
  // Titles by pinyin for suggest(), most viewed first, made on first use and again after the
  // database changed (about 0.1 s for 23,000 titles).
  std::mutex pinyin_mutex;
  std::unique_ptr<PinyinTable> pinyin_table;
  std::shared_ptr<const PinyinTitles> pinyin_titles;
  std::int64_t pinyin_titles_seq = -1;
  std::string pinyin_titles_generation;
  std::shared_ptr<const PinyinTitles> titles_by_pinyin(groonga::Context& db);
};

Index::Impl::Impl(const fs::path& index_dir, const text::Segmenter& text_segmenter,
                  const Aliases& query_aliases)
    : dir(created(index_dir)), segmenter(text_segmenter), aliases(query_aliases), marker(dir) {
  if (marker.unclean()) {
    spdlog::warn("search index {} was not closed cleanly; it will be rebuilt from the store",
                 dir.string());
  }
  current_stamp = stamp_of(dir / kCurrentFile);
  std::optional<Generation> live;
  if (!marker.unclean()) live = open_generation(read_current());
  if (!marker.may_write()) {
    // Another process maintains this index; use it as it is, never replace it.
    if (!live) {
      throw IndexError("search index " + dir.string() +
                       " is unusable and another wenku process maintains it; try again later");
    }
    install(std::move(*live));
  } else if (live) {
    install(std::move(*live));
    remove_other_generations();  // left over by a rebuild that did not finish
  } else {
    publish(create_generation(true));
  }
  writer->command("cache_limit " + std::to_string(kCacheLimit));
  marker.share();
}

std::string Index::Impl::read_current() const {
  std::ifstream in(dir / kCurrentFile);
  std::string name;
  std::getline(in, name);
  return generation_number(name) > 0 ? name : "";
}

std::optional<Index::Impl::Generation> Index::Impl::open_generation(const std::string& name) const {
  if (name.empty() || !fs::exists(db_path(name))) return std::nullopt;
  Generation g{name, std::make_unique<groonga::Context>()};
  std::string reason;
  if (!g.db->open_db(db_path(name), reason)) {
    spdlog::warn("search index {} cannot be opened ({})", (dir / name).string(), reason);
    return std::nullopt;
  }
  try {
    auto meta =
        groonga::parse_select(g.db->query("select Meta --output_columns _key,value --limit -1"));
    std::int64_t version = 0;
    for (const auto& row : meta.rows) {
      if (row.at(0) == "schema_version") version = row.at(1).get<std::int64_t>();
      if (row.at(0) == "applied_seq") g.applied_seq = row.at(1).get<std::int64_t>();
    }
    if (version != kSchemaVersion) {
      spdlog::warn("search index {} has schema version {} (want {})", (dir / name).string(),
                   version, kSchemaVersion);
      return std::nullopt;
    }
    // Touches every table and lexicon a search uses.
    g.db->command("select Docs --match_columns 'title || words' --query '\"x\"' --limit 0");
    return g;
  } catch (const std::exception& e) {
    spdlog::warn("search index {} is unusable ({})", (dir / name).string(), e.what());
    return std::nullopt;
  }
}

Index::Impl::Generation Index::Impl::create_generation(bool with_indexes) {
  std::uint64_t last = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    last = std::max(last, generation_number(entry.path().filename().string()));
  }
  Generation g{std::string(kGenerationPrefix) + std::to_string(last + 1),
               std::make_unique<groonga::Context>()};
  fs::create_directories(dir / g.name);
  g.db->create_db(db_path(g.name));
  run_all(*g.db, kMetaSchema);
  run_all(*g.db, kDocsSchema);
  if (with_indexes) run_all(*g.db, kIndexSchema);
  write_applied_seq(*g.db, 0);
  write_meta(*g.db, "schema_version", kSchemaVersion);
  return g;
}

void Index::Impl::publish(Generation g) {
  auto staged = dir / (std::string(kCurrentFile) + ".new");
  {
    std::ofstream out(staged, std::ios::trunc);
    out << g.name << '\n';
    if (!out.flush()) throw IndexError("cannot write " + staged.string());
  }
  fs::rename(staged, dir / kCurrentFile);
  {
    std::unique_lock lock(storage_mutex);
    install(std::move(g));
    current_stamp = stamp_of(dir / kCurrentFile);
  }
  remove_other_generations();
}

void Index::Impl::install(Generation g) {
  search_cache.clear();
  postings_cache.clear();
  readers.reset(nullptr);
  writer = std::move(g.db);
  generation = std::move(g.name);
  applied_seq = g.applied_seq;
  readers.reset(writer->db());
}

void Index::Impl::follow_current() {
  if (marker.may_write()) return;
  auto stamp = stamp_of(dir / kCurrentFile);
  {
    std::shared_lock lock(storage_mutex);
    if (stamp == current_stamp) return;
  }
  std::unique_lock lock(storage_mutex);
  if (stamp == current_stamp) return;
  current_stamp = stamp;  // also when opening fails: the next replacement is tried again
  auto name = read_current();
  if (name.empty() || name == generation) return;
  if (auto g = open_generation(name)) {
    spdlog::info("search index {}: following the rebuilt database {}", dir.string(), name);
    install(std::move(*g));
  }
}

void Index::Impl::remove_other_generations() const {
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    if (name == generation || !entry.is_directory()) continue;
    if (name == kLegacyDirectory || generation_number(name) > 0) {
      std::error_code ignored;  // a leftover that cannot be removed now is removed next time
      fs::remove_all(entry.path(), ignored);
    }
  }
}

void Index::Impl::set_applied_seq(std::int64_t seq) {
  write_applied_seq(*writer, seq);
  applied_seq = seq;
}

namespace {

// Appends to `out`, space-separated, the words of `joined` (Segmenter::words_for_index) of
// two or more code points.
void append_longer_words(std::string_view joined, std::string& out) {
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t end = std::min(joined.find(' ', start), joined.size());
    const std::string_view word = joined.substr(start, end - start);
    if (text::count_code_points(word) >= 2) {
      if (!out.empty()) out += ' ';
      out += word;
    }
    start = end + 1;
  }
}

}  // namespace

// The words column: the words of the title, then those of the text, of two or more code
// points. Single characters (的 和 在 是 党 …, a third of all words) are left out: a
// whole-word score for one character adds nothing that its substring match does not say,
// related documents are seeded with keywords (two or more), suggestions and "did you mean"
// skip them, and the words index builds a third faster. Title and text are segmented apart
// (a line break between them only separates words, so this equals segmenting them joined),
// so that the text's words come from the segmenter's memory during an import.
std::string Index::Impl::words_of(std::string_view title, std::string_view content) const {
  std::string words;
  append_longer_words(segmenter.words_for_index(title), words);
  append_longer_words(segmenter.words_for_index(content), words);
  return words;
}

void Index::Impl::put_record(groonga::Context& db, const doc::Document& d) const {
  const std::string title = text::normalize_key(d.title);
  const std::string content = text::normalize_key(d.content);
  const std::string outline = text::normalize_key(outline_headings(d.analysis));
  const std::string words = words_of(title, content);
  const std::string guest_view = guest_view_key(d);
  const groonga::Field fields[] = {
      {"title", short_text(title)},
      {"label", short_text(d.title)},
      {"content", content},
      {"outline", outline},
      {"guest_view", guest_view},
      {"words", words},
      {"simhash", std::uint64_t{d.simhash}},
      {"recency", recency(d)},
      {"year", std::int64_t{doc::year_of(d.date)}},
      {"category", short_text(d.category)},
      {"views", std::clamp<std::int64_t>(d.views, 0, UINT32_MAX)},
      {"seq", d.seq},
  };
  db.put("Docs", short_text(d.id), fields);
}

// Upserts the live documents of `page` and removes the deleted ones.
void Index::Impl::apply_page(const std::vector<doc::Document>& page) {
  for (const auto& d : page) {
    if (d.deleted) {
      writer->remove("Docs", short_text(d.id));
    } else {
      put_record(*writer, d);
    }
  }
}

// Loads every live document of `store` into `db` page by page; returns how many, and the
// last change sequence number seen in `last_seq`.
std::int64_t Index::Impl::bulk_load(groonga::Context& db, store::DocumentStore& store,
                                    std::int64_t& last_seq) {
  std::int64_t loaded = 0;
  last_seq = 0;
  for (;;) {
    auto page = store.changes_since(last_seq, kPageSize);
    if (page.empty()) return loaded;
    for (const auto& d : page) {
      if (d.deleted) continue;
      put_record(db, d);
      ++loaded;
    }
    last_seq = page.back().seq;
  }
}

std::int64_t Index::Impl::count() {
  follow_current();
  std::shared_lock lock(storage_mutex);
  auto lease = readers.acquire();
  // grn_table_size, not a `select`, which Groonga's query cache answers: once in a test run a
  // count taken before a catch-up outlived it (0 documents right after catching up with 38);
  // the cache stamps results and modifications by the second, the likely cause.
  return lease->table_size("Docs");
}

Index::Index(const fs::path& dir, const text::Segmenter& segmenter, const Aliases& aliases)
    : impl_(std::make_unique<Impl>(dir, segmenter, aliases)) {}

Index::~Index() = default;

void Index::Impl::require_writer() const {
  if (!marker.may_write()) {
    throw IndexError("search index " + dir.string() +
                     " is maintained by another running wenku process (such as `wenku serve`), "
                     "which indexes the store's changes itself");
  }
}

bool Index::writable() const { return impl_->marker.may_write(); }

std::int64_t Index::catch_up(store::DocumentStore& store) {
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

std::int64_t Index::rebuild(store::DocumentStore& store) {
  impl_->require_writer();
  // Searches go on in the live generation while the next one is filled.
  auto next = impl_->create_generation(false);
  std::int64_t loaded = 0;
  try {
    loaded = impl_->bulk_load(*next.db, store, next.applied_seq);
    run_all(*next.db, kIndexSchema);
    write_applied_seq(*next.db, next.applied_seq);
  } catch (...) {
    // The live generation stays; the unfinished one is removed.
    auto unfinished = impl_->dir / next.name;
    next.db.reset();
    std::error_code ignored;
    fs::remove_all(unfinished, ignored);
    throw;
  }
  impl_->publish(std::move(next));
  return loaded;
}

std::int64_t Index::applied_seq() const {
  if (impl_->marker.may_write()) return impl_->applied_seq;
  // A reader: what the writer has recorded in the live database by now.
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  return recorded_applied_seq(*lease);
}

std::int64_t Index::size() const { return impl_->count(); }

std::optional<std::string> Index::content_key(std::string_view id, std::int64_t seq) const {
  std::optional<std::string> key;
  with_content_key(id, seq, [&](std::string_view found) { key.emplace(found); });
  return key;
}

bool Index::with_content_key(std::string_view id, std::int64_t seq,
                             const std::function<void(std::string_view)>& use) const {
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  auto record = lease->record_id("Docs", short_text(id));
  if (record == GRN_ID_NIL || lease->int64_value("Docs", "seq", record) != seq) return false;
  use(lease->text_view("Docs", "content", record));
  return true;
}

namespace {

// True when the exact phrase `key` (a search key) may match whole texts in `scope`.
bool matches_whole_texts(std::string_view key, PhraseScope scope) {
  return scope == PhraseScope::kWholeText || text::count_code_points(key) <= kOpenPhraseChars;
}

// `quoted`, the query syntax of the exact phrase `key` (a search key), matched where `scope`
// lets a phrase of its length match: the match columns, or the title (and the guest view).
std::string in_scope(std::string quoted, std::string_view key, PhraseScope scope) {
  if (matches_whole_texts(key, scope)) return quoted;
  if (scope == PhraseScope::kTitle) return "title:@" + quoted;
  return "(title:@" + quoted + " OR guest_view:@" + quoted + ")";
}

// The query-syntax form of one term: "key" for the match columns (in_scope), or
// column:@"key".
std::string term_query(const QueryTerm& term, PhraseScope scope) {
  const std::string key = text::normalize_key(term.text);
  std::string phrase = quote_query_phrase(key);
  switch (term.field) {
    case Field::kTitle:
      return "title:@" + phrase;
    case Field::kOutline:
      return "outline:@" + phrase;
    case Field::kAny:
      break;
  }
  return in_scope(std::move(phrase), key, scope);
}

std::string clause_query(const QueryClause& clause, PhraseScope scope) {
  std::string out;
  for (const auto& term : clause.any_of) {
    if (!out.empty()) out += " OR ";
    out += term_query(term, scope);
  }
  return clause.any_of.size() > 1 ? "(" + out + ")" : out;
}

// The Groonga query of one typed run (search/reading.h), as a given reading reads it; see
// run_query.
using RunQuery = std::function<std::string(const TypedRun&)>;

// The Groonga --query of `q`: positive clauses ANDed (ORed when `any_clause`), then the
// exclusions, their phrases matched in `scope`; the clauses that are typed runs (runs[i] set)
// as `run_query` reads them. Empty when the query has no positive clause.
std::string groonga_query(const ParsedQuery& q, PhraseScope scope, bool any_clause,
                          std::span<const std::optional<TypedRun>> runs = {},
                          const RunQuery& run_query = {}) {
  std::string positive;
  for (std::size_t i = 0; i < q.clauses.size(); ++i) {
    const auto& clause = q.clauses[i];
    if (clause.exclude) continue;
    if (!positive.empty()) positive += any_clause ? " OR " : " ";
    positive += i < runs.size() && runs[i] ? run_query(*runs[i]) : clause_query(clause, scope);
  }
  if (positive.empty()) return "";
  std::string out = "(" + positive + ")";
  for (const auto& clause : q.clauses) {
    if (clause.exclude) out += " -" + clause_query(clause, scope);
  }
  return out;
}

// The --filter of the category and year filters; "" when there are none.
std::string groonga_filter(const ParsedQuery& q) {
  std::string categories;
  for (const auto& c : q.categories) {
    if (!categories.empty()) categories += " || ";
    categories += "category == " + quote_query_phrase(short_text(c));
  }
  std::string out = categories.empty() ? "" : "(" + categories + ")";
  if (q.year_from > 0) {
    if (!out.empty()) out += " && ";
    out += fmt::format("year >= {} && year <= {}", q.year_from, q.year_to);
  }
  return out;
}

// A whole-word score: each occurrence of `word` in a hit's words column adds `factor`.
struct WordBoost {
  std::string word;  // a key of the words lexicon
  int factor = 1;
};

// Whole-word relevance: each occurrence of a search key in `keys` (scored_keys of an exact
// query, the words of a typed run's reading) that the segmenter indexed as a word adds
// round(kWordsWeight * ln(documents / documents holding the word)), TF-IDF over the words column.
// (As a match column, scorer_tf_idf(words), the words index was searched and its hits merged into
// the bigram hits, which they never extend: a whole-word match is also a substring match. That
// merge cost 3.5 ms for a word in 19,500 documents; only the scores of hits are raised, see
// add_word_scores. Factors are integers, as Groonga's adjusters took them, so words in more than
// ~78 % of the documents weigh 0 and are left out.)
std::vector<WordBoost> word_boosts(std::span<const std::string> keys, groonga::Context& db) {
  std::vector<WordBoost> out;
  const auto documents = static_cast<double>(db.table_size("Docs"));
  for (const auto& term : keys) {
    const std::string key(short_text(term));
    const auto holding = static_cast<double>(db.documents_with_key("Words", "docs_words", key));
    if (holding <= 0) continue;
    const long factor = std::lround(kWordsWeight * std::log(documents / holding));
    if (factor < 1) continue;
    out.push_back({key, static_cast<int>(factor)});
  }
  return out;
}

// The search keys of the terms of `q` that whole-word scores count: those of every positive
// clause, OR alternatives too, but not field terms (标题:, 提纲:).
std::vector<std::string> scored_keys(const ParsedQuery& q) {
  std::vector<std::string> keys;
  for (const auto& clause : q.clauses) {
    if (clause.exclude) continue;
    for (const auto& term : clause.any_of) {
      if (term.field == Field::kAny) keys.push_back(text::normalize_key(term.text));
    }
  }
  return keys;
}

// Boosts documents holding the plain words of the query as one phrase (学习 贯彻 ->
// 学习贯彻); none when there are fewer than two such words. A boost searches the column's
// whole index, and title, outline and content share one: the phrase in any of them adds
// 2 × kPhraseBoost per occurrence (what `title @ p * 20 + content @ p * 20` always added),
// in one search of the index instead of two. Outside PhraseScope::kWholeText a phrase longer
// than kOpenPhraseChars boosts by the guest view only (under kGuestView; a title boost would
// search that shared index too).
void add_phrase_boosts(const ParsedQuery& q, PhraseScope scope,
                       std::vector<groonga::ScoreBoost>& out) {
  std::string joined;
  int words = 0;
  for (const auto& clause : q.clauses) {
    if (clause.exclude || clause.any_of.size() != 1 || clause.any_of[0].field != Field::kAny) {
      continue;
    }
    joined += text::normalize_key(clause.any_of[0].text);
    ++words;
  }
  if (words < 2) return;
  const std::string phrase(short_text(joined));
  if (matches_whole_texts(phrase, scope)) {
    out.push_back({"content", phrase, 2 * kPhraseBoost});
    return;
  }
  if (scope == PhraseScope::kGuestView) out.push_back({"guest_view", phrase, 2 * kPhraseBoost});
}

// What ranks a hit: its score and the document's popularity and recency.
struct RankedHit {
  int tier = 0;      // under relevance, a higher tier ranks first (typed runs: TypedSearch::finish)
  double score = 0;  // under relevance, a 范文's times kModelBoost
  std::uint32_t views = 0;
  std::uint64_t recency = 0;
  grn_id record = GRN_ID_NIL;
};

// True when `a` comes before `b` in `order`: 相关度 by score, then views, then recency; 最新 by
// recency (unique: it ends with the change sequence number); 最热 by views, then score, then
// recency. Equal hits (same numbers) go by record id, so pages never overlap.
bool ranks_before(const RankedHit& a, const RankedHit& b, SortOrder order) {
  switch (order) {
    case SortOrder::kNewest:
      break;
    case SortOrder::kHot:
      if (a.views != b.views) return a.views > b.views;
      if (a.score != b.score) return a.score > b.score;
      break;
    case SortOrder::kRelevance:
      if (a.tier != b.tier) return a.tier > b.tier;
      if (a.score != b.score) return a.score > b.score;
      if (a.views != b.views) return a.views > b.views;
      break;
  }
  if (a.recency != b.recency) return a.recency > b.recency;
  return a.record < b.record;
}

// Facet counts of the hits, counted from the category and year columns: categories by
// count (largest first, then by name; "" for documents without one), years newest first
// (unknown years left out).
void count_facets(groonga::Context& db, std::span<const groonga::ScoredRecord> hits,
                  IndexResult& result) {
  groonga::FixedColumn<grn_id> category(db, "Docs", "category");
  groonga::FixedColumn<std::uint16_t> year(db, "Docs", "year");
  std::vector<std::int64_t> by_category;
  std::vector<std::int64_t> by_year;
  auto count = [](std::vector<std::int64_t>& counts, std::size_t at) {
    if (at >= counts.size()) counts.resize(at + 1);
    ++counts[at];
  };
  for (const auto& hit : hits) {
    count(by_category, category[hit.record]);
    count(by_year, year[hit.record]);
  }
  for (std::size_t c = 0; c < by_category.size(); ++c) {
    if (by_category[c] == 0) continue;
    result.categories.push_back(
        {c == GRN_ID_NIL ? "" : db.key_text("Categories", static_cast<grn_id>(c)), by_category[c]});
  }
  std::ranges::sort(result.categories, [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  for (std::size_t y = by_year.size(); y-- > 1;) {
    if (by_year[y] > 0) result.years.push_back({std::to_string(y), by_year[y]});
  }
}

// Adds the whole-word scores of `boosts` to `hits`: factor × occurrences for each hit in the
// word's posting list (postings_of). The same sums as Groonga's adjuster on the words index
// (tested), which looks every posting up in the result table; here the posting lists come
// decoded from a per-process cache and hits are found through an array indexed by record.
void add_word_scores(std::vector<groonga::ScoredRecord>& hits, std::span<const WordBoost> boosts,
                     const std::function<WordPostings(const std::string&)>& postings_of) {
  if (hits.empty() || boosts.empty()) return;
  grn_id last = GRN_ID_NIL;
  for (const auto& hit : hits) last = std::max(last, hit.record);
  std::vector<std::uint32_t> hit_at(last + 1, 0);  // 1 + index into hits; 0: not a hit
  for (std::size_t i = 0; i < hits.size(); ++i) {
    hit_at[hits[i].record] = static_cast<std::uint32_t>(i + 1);
  }
  for (const auto& boost : boosts) {
    const auto postings = postings_of(boost.word);
    for (const auto& posting : *postings) {
      if (posting.record > last || hit_at[posting.record] == 0) continue;
      hits[hit_at[posting.record] - 1].score +=
          static_cast<double>(boost.factor) * static_cast<double>(posting.occurrences);
    }
  }
}

using PostingsOf = std::function<WordPostings(const std::string&)>;
// The rank tier of a record (RankedHit::tier).
using TierOf = std::function<int(grn_id)>;
// Whether a record is preferred: a 范文 (ReferenceKinds::model), or in a typed search also a
// document of a genre the query names (TypedSearch::preferred_kind).
using Preferred = std::function<bool(grn_id)>;

// Which documents are 资料 (IndexQuery::reference_categories), by their category.
class ReferenceKinds {
 public:
  ReferenceKinds(groonga::Context& db, std::span<const std::string> names)
      : category_(db, "Docs", "category") {
    for (const auto& name : names) {
      const grn_id id = db.record_id("Categories", short_text(name));
      if (id == GRN_ID_NIL) continue;
      if (id >= reference_.size()) reference_.resize(id + 1);
      reference_[id] = true;
    }
  }
  // True when document `record` is of a 范文 category (any category not named 资料).
  bool model(grn_id record) const {
    const grn_id category = category_[record];
    return category >= reference_.size() || !reference_[category];
  }

 private:
  groonga::FixedColumn<grn_id> category_;
  std::vector<bool> reference_;  // by Categories record id
};

// The result of `hits`: counted, faceted when asked, ranked (under relevance by `tier_of`
// first, when given, and with the scores of `preferred` records times kModelBoost) and cut to
// the page `q` asks for.
IndexResult rank_hits(groonga::Context& db, const IndexQuery& q,
                      std::span<const groonga::ScoredRecord> hits, const Preferred& preferred,
                      const TierOf& tier_of = {}) {
  IndexResult result;
  result.total = static_cast<std::int64_t>(hits.size());
  if (q.facets) count_facets(db, hits, result);
  if (q.offset >= hits.size() || q.limit == 0) return result;

  groonga::FixedColumn<std::uint32_t> views(db, "Docs", "views");
  groonga::FixedColumn<std::uint64_t> recency(db, "Docs", "recency");
  const bool relevance = q.sort == SortOrder::kRelevance;
  const bool tiered = tier_of && relevance;
  std::vector<RankedHit> ranked;
  ranked.reserve(hits.size());
  for (const auto& hit : hits) {
    const double boost = relevance && preferred(hit.record) ? kModelBoost : 1;
    ranked.push_back({tiered ? tier_of(hit.record) : 0, hit.score * boost, views[hit.record],
                      recency[hit.record], hit.record});
  }
  const std::size_t end = q.offset + std::min(q.limit, hits.size() - q.offset);
  std::partial_sort(
      ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end), ranked.end(),
      [&](const RankedHit& a, const RankedHit& b) { return ranks_before(a, b, q.sort); });
  for (std::size_t i = q.offset; i < end; ++i) {
    result.hits.push_back({db.key_text("Docs", ranked[i].record), ranked[i].score});
  }
  return result;
}

// The search of `q` on `db`: `query`, `filter` and `boosts` are its Groonga expressions,
// `words` its whole-word scores.
IndexResult compute_search(groonga::Context& db, const IndexQuery& q, const std::string& query,
                           const std::string& filter, std::span<const groonga::ScoreBoost> boosts,
                           std::span<const WordBoost> words, const PostingsOf& postings_of) {
  auto hits = db.select("Docs", {kMatchColumns, query, filter, boosts});
  add_word_scores(hits, words, postings_of);
  const ReferenceKinds kinds(db, q.reference_categories);
  return rank_hits(db, q, hits, [&kinds](grn_id record) { return kinds.model(record); });
}

// ---- Typed runs (search/reading.h) ----

// The records of a result, for membership tests.
class RecordSet {
 public:
  RecordSet() = default;
  explicit RecordSet(std::span<const groonga::ScoredRecord> hits) {
    ids_.reserve(hits.size());
    for (const auto& hit : hits) ids_.push_back(hit.record);
    std::ranges::sort(ids_);
  }
  bool contains(grn_id record) const { return std::ranges::binary_search(ids_, record); }
  // True when every record of this set is in `other`.
  bool within(const RecordSet& other) const { return std::ranges::includes(other.ids_, ids_); }

 private:
  std::vector<grn_id> ids_;
};

// True when `run` has a word that is neither a genre nor a year word. Only then are its
// genre words matched against titles and categories (and its year words against titles and
// years, in title matches): a run of genre words alone (讲话报告) is searched as text.
bool has_plain_word(const TypedRun& run) {
  return std::ranges::any_of(run.words, [](const RunWord& w) { return !w.genre && w.year == 0; });
}

// The query syntax of `key` as an exact phrase, after `prefix` ("" or "title:@").
std::string phrase_query(std::string_view key, std::string_view prefix) {
  return std::string(prefix) + quote_query_phrase(short_text(key));
}

// The query syntax of a word of a typed run, with its alias variants as alternatives when
// `expanded` (a variant with a space: both of its words).
std::string word_query(const RunWord& word, bool expanded, std::string_view prefix) {
  if (!expanded || word.variants.empty()) return phrase_query(word.key, prefix);
  std::string out = "(" + phrase_query(word.key, prefix);
  for (const auto& variant : word.variants) {
    std::string parts;
    for (auto part : variant_parts(variant)) {
      if (!parts.empty()) parts += ' ';
      parts += phrase_query(part, prefix);
    }
    out += " OR (" + parts + ")";
  }
  return out + ")";
}

// The alternatives of a run that every word reading accepts besides its words: the run as
// typed and, when `expanded`, with its alias forms replaced, matched in `scope`.
std::string phrase_alternatives(const TypedRun& run, bool expanded, PhraseScope scope) {
  std::string out = in_scope(phrase_query(run.key, ""), run.key, scope);
  if (expanded) {
    for (const auto& variant : run.phrase_variants) {
      out += " OR " + in_scope(phrase_query(variant, ""), variant, scope);
    }
  }
  return out;
}

// The words of `run` ANDed (word_query with `prefix`), but for the genre words, and the year
// words when `years_aside`, of a run with a plain word: those are matched apart (LenientWord).
std::string and_words(const TypedRun& run, bool expanded, std::string_view prefix,
                      bool years_aside) {
  const bool plain = has_plain_word(run);
  std::string all;
  for (const auto& word : run.words) {
    if (plain && (word.genre || (years_aside && word.year != 0))) continue;
    if (!all.empty()) all += ' ';
    all += word_query(word, expanded, prefix);
  }
  return all;
}

// The words reading of `run` (the expanded one when `expanded`): its words ANDed, genre
// words left to the title/category check (run_hits), or the run as a phrase.
std::string words_query(const TypedRun& run, bool expanded, PhraseScope scope) {
  const std::string all = and_words(run, expanded, "", false);
  if (all.empty()) return phrase_alternatives(run, expanded, scope);
  return "((" + all + ") OR " + phrase_alternatives(run, expanded, scope) + ")";
}

// The query of `run` that the relaxed reading starts from: any of its words (expanded, genre
// words as text words) or the run as typed.
std::string any_word_query(const TypedRun& run, PhraseScope scope) {
  std::string out;
  for (const auto& word : run.words) out += word_query(word, true, "") + " OR ";
  return "(" + out + phrase_alternatives(run, true, scope) + ")";
}

// The number of words a relaxed answer must hold of `n`: most of them (more than half, but
// one less than all, which the word readings tried).
std::size_t most_of(std::size_t n) { return std::max<std::size_t>(1, std::min(n - 1, n / 2 + 1)); }

// The title match of `run`: its words in the title, its genre and year words left to the
// check of TypedSearch::title_matches.
std::string title_query(const TypedRun& run, bool expanded) {
  const std::string all = and_words(run, expanded, "title:@", true);
  return all.empty() ? phrase_query(run.key, "title:@") : "(" + all + ")";
}

// `hits` and the title matches `titles` (which it may lack), as one list.
std::vector<groonga::ScoredRecord> with_titles(std::vector<groonga::ScoredRecord> hits,
                                               std::span<const groonga::ScoredRecord> titles) {
  hits.insert(hits.end(), titles.begin(), titles.end());
  return hits;
}

// Keeps the records of `hits` for which `keep` holds.
void keep_if(std::vector<groonga::ScoredRecord>& hits, const std::function<bool(grn_id)>& keep) {
  std::erase_if(hits, [&](const groonga::ScoredRecord& hit) { return !keep(hit.record); });
}

// The search of a query holding typed runs: tries its readings in order (Index::search).
class TypedSearch {
 public:
  TypedSearch(groonga::Context& db, const IndexQuery& q, std::vector<std::optional<TypedRun>> runs,
              std::string filter, std::vector<groonga::ScoreBoost> boosts,
              const PostingsOf& postings_of)
      : db_(db),
        q_(q),
        runs_(std::move(runs)),
        filter_(std::move(filter)),
        boosts_(std::move(boosts)),
        postings_of_(postings_of),
        category_(db, "Docs", "category"),
        year_(db, "Docs", "year"),
        kinds_(db, q.reference_categories) {
    for (const auto& run : runs_) {
      if (!run) continue;
      if (run->words.size() > 1 || !run->phrase_variants.empty()) has_variants_or_words_ = true;
      for (const auto& word : run->words) {
        if (!word.variants.empty()) has_variants_ = true;
        if (!word.variants.empty() || word.genre) has_variants_or_words_ = true;
      }
      if (!run->phrase_variants.empty()) has_variants_ = true;
    }
  }

  IndexResult run() {
    auto phrase = select(groonga_query(q_.query, q_.phrases, false));
    // Runs of one word without aliases (共同富裕) read the same in every reading: one select,
    // ranked as any exact query.
    if (!has_variants_or_words_) return finish(Reading::kPhrase, std::move(phrase), {});
    read_categories();
    for (const auto& run : runs_) {
      if (!run || !has_plain_word(*run)) continue;
      for (const auto& word : run->words) {
        if (word.genre || word.year != 0) add_lenient(word);
      }
    }
    const RecordSet phrase_set(phrase);
    phrase_set_ = &phrase_set;
    auto words_titles = title_matches(false);
    auto expanded_titles = has_variants_ ? title_matches(true) : words_titles;
    const RecordSet words_titles_set(words_titles);
    const RecordSet expanded_titles_set(expanded_titles);
    if (!phrase.empty() && words_titles_set.within(phrase_set) &&
        expanded_titles_set.within(phrase_set)) {
      return finish(Reading::kPhrase, std::move(phrase), std::move(words_titles));
    }
    const PhraseScope scope = q_.phrases;
    auto words =
        run_hits([scope](const TypedRun& run) { return words_query(run, false, scope); }, true);
    if (!words.empty() && (!has_variants_ || expanded_titles_set.within(
                                                 RecordSet(with_titles(words, words_titles))))) {
      return finish(Reading::kWords, std::move(words), std::move(words_titles));
    }
    if (has_variants_) {
      auto expanded =
          run_hits([scope](const TypedRun& run) { return words_query(run, true, scope); }, true);
      if (!expanded.empty() || !expanded_titles.empty()) {
        return finish(Reading::kExpanded, std::move(expanded), std::move(expanded_titles));
      }
    } else if (!words_titles.empty()) {
      return finish(Reading::kWords, std::move(words), std::move(words_titles));
    }
    return finish(Reading::kRelaxed, relaxed_hits(), std::move(expanded_titles));
  }

 private:
  // A genre or year word of a run with plain words (has_plain_word): what it matches besides
  // the text.
  struct LenientWord {
    RecordSet titles;              // documents whose title holds it
    std::vector<bool> categories;  // by Categories record: the name holds it (genre words)
    int year = 0;                  // a year word's year
  };

  std::vector<groonga::ScoredRecord> select(const std::string& query) {
    return db_.select("Docs", {kMatchColumns, query, filter_, boosts_});
  }

  // The hits of the reading whose runs `run_query` writes; with `genre_filter`, genre words
  // must be in the title or category, unless the document holds the runs as typed.
  std::vector<groonga::ScoredRecord> run_hits(const RunQuery& run_query, bool genre_filter) {
    auto hits = select(groonga_query(q_.query, q_.phrases, false, runs_, run_query));
    if (genre_filter) {
      keep_if(hits, [&](grn_id record) {
        if (phrase_set_->contains(record)) return true;
        return std::ranges::all_of(lenient_, [&](const LenientWord& word) {
          return word.year != 0 || word.titles.contains(record) || in_category(word, record);
        });
      });
    }
    return hits;
  }

  // Documents whose titles hold every word of each run (of the expanded reading when
  // `expanded`), genre words also by category and year words also by year.
  std::vector<groonga::ScoredRecord> title_matches(bool expanded) {
    auto hits = select(groonga_query(q_.query, q_.phrases, false, runs_, [&](const TypedRun& run) {
      return title_query(run, expanded);
    }));
    keep_if(hits, [&](grn_id record) {
      return std::ranges::all_of(lenient_, [&](const LenientWord& word) {
        if (word.titles.contains(record)) return true;
        return word.year != 0 ? year_[record] == word.year : in_category(word, record);
      });
    });
    return hits;
  }

  // The relaxed reading: the documents holding the most words of the runs, as long as
  // that is most of them (most_of); fills held_.
  std::vector<groonga::ScoredRecord> relaxed_hits() {
    // Words of several runs count together: with no other clause, a document holding words
    // of one run only is an answer too (乡村振兴 子虚乌有的词语).
    const bool runs_only = std::ranges::all_of(q_.query.clauses, [&](const QueryClause& clause) {
      const auto i = static_cast<std::size_t>(&clause - q_.query.clauses.data());
      return clause.exclude || runs_[i].has_value();
    });
    auto hits =
        select(groonga_query(q_.query, q_.phrases, runs_only, runs_, [this](const TypedRun& run) {
          return any_word_query(run, q_.phrases);
        }));
    std::vector<RecordSet> holding;
    for (const auto& run : runs_) {
      if (!run) continue;
      for (const auto& word : run->words) {
        holding.emplace_back(
            db_.select("Docs", {kMatchColumns, word_query(word, true, ""), "", {}}));
      }
    }
    std::size_t best = 0;
    for (const auto& hit : hits) {
      const auto count = static_cast<std::size_t>(std::ranges::count_if(
          holding, [&](const RecordSet& set) { return set.contains(hit.record); }));
      held_.emplace_back(hit.record, static_cast<int>(count));
      best = std::max(best, count);
    }
    const auto needed = static_cast<int>(std::min(best, most_of(holding.size())));
    std::erase_if(held_, [&](const auto& record_held) { return record_held.second < needed; });
    std::ranges::sort(held_);
    keep_if(hits, [&](grn_id record) { return held_count(record) > 0; });
    return hits;
  }

  // The number of words of the runs that `record` holds, as relaxed_hits counted; 0 when
  // it did not count them.
  int held_count(grn_id record) const {
    auto it = std::ranges::lower_bound(held_, std::pair<grn_id, int>{record, 0});
    return it != held_.end() && it->first == record ? it->second : 0;
  }

  // The reading's result: its hits and the title matches (which it may lack: a year word
  // matched by the document's year), ranked: title matches first, then the documents holding
  // each run as typed, then the others; within each (but in the relaxed reading, whose hits
  // hold only some of the words), 范文 and documents of a genre the query names (司法解释 for
  // 劳动争议司法解释) before other 资料, then title matches by the share of the title the words
  // cover (青岛市国有土地上房屋征收与补偿条例 after 国有土地上房屋征收与补偿条例), then by score
  // (those preferred here times kModelBoost).
  IndexResult finish(Reading reading, std::vector<groonga::ScoredRecord> hits,
                     const std::vector<groonga::ScoredRecord>& titles) {
    const RecordSet held(hits);
    for (const auto& hit : titles) {
      if (!held.contains(hit.record)) hits.push_back(hit);
    }
    std::vector<std::pair<grn_id, int>> coverage;  // of the title matches, by record
    for (const auto& hit : titles)
      coverage.emplace_back(hit.record, title_coverage(hit.record, reading));
    std::ranges::sort(coverage);
    const auto terms = terms_of(reading);
    std::vector<std::string> keys;
    for (const auto& term : terms) keys.push_back(text::normalize_key(term));
    add_word_scores(hits, word_boosts(keys, db_), postings_of_);
    auto tier_of = [&](grn_id record) {
      auto title = std::ranges::lower_bound(coverage, std::pair<grn_id, int>{record, 0});
      const bool in_title = title != coverage.end() && title->first == record;
      const int match = in_title                                                  ? 2
                        : phrase_set_ != nullptr && phrase_set_->contains(record) ? 1
                                                                                  : 0;
      const int preferred = reading != Reading::kRelaxed && preferred_kind(record) ? 1 : 0;
      // Compared in this order: words held (relaxed), match, 范文 before 资料, title coverage.
      int tier = held_count(record);
      tier = tier * 3 + match;
      tier = tier * 2 + preferred;
      return tier * (kCoverageSteps + 1) + (in_title ? title->second : 0);
    };
    auto result = rank_hits(
        db_, q_, hits, [this](grn_id record) { return preferred_kind(record); },
        has_variants_or_words_ ? TierOf{tier_of} : TierOf{});
    result.read = true;
    result.reading = reading;
    result.terms = terms;
    return result;
  }

  // The share of the title of `record` that the words of the runs cover, in steps of
  // 1 / kCoverageSteps: the code points of each word (or its longest variant, in the
  // expanded and relaxed readings) that the title holds, over the title's code points.
  int title_coverage(grn_id record, Reading reading) const {
    const std::string title = db_.text_value("Docs", "title", record);
    const std::size_t length = text::count_code_points(title);
    if (length == 0) return 0;
    std::size_t covered = 0;
    for (const auto& run : runs_) {
      if (!run) continue;
      for (const auto& word : run->words) {
        std::size_t best =
            title.find(word.key) != std::string::npos ? text::count_code_points(word.key) : 0;
        if (reading != Reading::kWords && reading != Reading::kPhrase) {
          for (const auto& variant : word.variants) {
            if (variant.find(' ') == std::string::npos &&
                title.find(variant) != std::string::npos) {
              best = std::max(best, text::count_code_points(variant));
            }
          }
        }
        covered += best;
      }
    }
    return static_cast<int>(std::min(covered, length) * kCoverageSteps / length);
  }

  // The terms to highlight: the runs as the reading searched them, the other terms as typed.
  std::vector<std::string> terms_of(Reading reading) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < q_.query.clauses.size(); ++i) {
      const auto& clause = q_.query.clauses[i];
      if (clause.exclude) continue;
      if (!runs_[i] || reading == Reading::kPhrase) {
        for (const auto& term : clause.any_of) out.push_back(term.text);
        continue;
      }
      for (const auto& word : runs_[i]->words) {
        out.push_back(word.key);
        if (reading == Reading::kWords) continue;
        for (const auto& variant : word.variants) {
          for (auto part : variant_parts(variant)) out.emplace_back(part);
        }
      }
    }
    return out;
  }

  bool in_category(const LenientWord& word, grn_id record) const {
    const grn_id category = category_[record];
    return category < word.categories.size() && word.categories[category];
  }

  // True when `record` is a 范文 or of a category that a genre word of the query names.
  bool preferred_kind(grn_id record) const {
    if (kinds_.model(record)) return true;
    const grn_id category = category_[record];
    return category < asked_categories_.size() && asked_categories_[category];
  }

  // Names of the categories, by record id, and which a genre word of the query names.
  void read_categories() {
    auto rows =
        groonga::parse_select(db_.query("select Categories --output_columns _id,_key --limit -1"))
            .rows;
    for (const auto& row : rows) {
      const auto id = row.at(0).get<std::size_t>();
      if (id >= category_names_.size()) category_names_.resize(id + 1);
      category_names_[id] = text::normalize_key(row.at(1).get<std::string>());
    }
    asked_categories_.assign(category_names_.size(), false);
    for (const auto& run : runs_) {
      if (!run) continue;
      for (const auto& word : run->words) {
        if (!word.genre) continue;
        for (std::size_t id = 0; id < category_names_.size(); ++id) {
          if (genre_in_category(word.key, category_names_[id])) asked_categories_[id] = true;
        }
      }
    }
  }

  void add_lenient(const RunWord& word) {
    LenientWord lenient;
    lenient.titles =
        RecordSet(db_.select("Docs", {kMatchColumns, word_query(word, true, "title:@"), "", {}}));
    lenient.year = word.year;
    if (word.genre) {
      lenient.categories.resize(category_names_.size());
      for (std::size_t id = 0; id < category_names_.size(); ++id) {
        lenient.categories[id] = genre_in_category(word.key, category_names_[id]);
      }
    }
    lenient_.push_back(std::move(lenient));
  }

  groonga::Context& db_;
  const IndexQuery& q_;
  const std::vector<std::optional<TypedRun>> runs_;
  const std::string filter_;
  const std::vector<groonga::ScoreBoost> boosts_;
  const PostingsOf& postings_of_;
  groonga::FixedColumn<grn_id> category_;
  groonga::FixedColumn<std::uint16_t> year_;
  const ReferenceKinds kinds_;
  std::vector<std::string> category_names_;
  std::vector<bool> asked_categories_;  // by Categories record id
  std::vector<LenientWord> lenient_;
  const RecordSet* phrase_set_ = nullptr;
  std::vector<std::pair<grn_id, int>> held_;  // relaxed reading: words held, by record
  static constexpr int kCoverageSteps = 16;
  bool has_variants_or_words_ = false;  // some run has several words, aliases or a genre word
  bool has_variants_ = false;
};

}  // namespace

namespace {

// A query as the work bound leaves it (bound_work).
struct BoundedQuery {
  ParsedQuery query;
  std::vector<std::optional<TypedRun>> runs;  // as Index::Impl::typed_runs, by clause
  std::vector<std::string> ignored;           // IndexResult::ignored
};

// Leaves out of `q` (with `runs`, its typed runs), while its terms together cost more than one
// search may (kMaxSearchCost), the costliest of the parts that spend at least kCommonTermCost
// on characters searched by prefix (characters that begin many keys, most often ones found in
// most texts): a whole clause (all of its OR alternatives: one that matches nearly every text
// makes the clause match nearly every text; a typed run's clause by its phrase) or a word of a
// typed run. Exact words and phrases stay. Leaving a term out widens the answer, and
// IndexResult::ignored says so, each term once.
BoundedQuery bound_work(ParsedQuery q, std::vector<std::optional<TypedRun>> runs,
                        groonga::Context& db) {
  using Cost = groonga::Context::SearchCost;
  const auto add = [&db](Cost& cost, std::string_view key) {
    cost += db.search_cost("Terms", "docs_text", key);
  };
  // What may be left out: a whole clause (a typed run's clause by its phrase readings), or a
  // word of a typed run.
  struct Part {
    Cost cost;
    std::size_t clause = 0;
    std::optional<std::size_t> word;
  };
  std::vector<Part> parts;
  std::vector<std::int64_t> clause_cost(q.clauses.size(), 0);  // words of its run included
  for (std::size_t i = 0; i < q.clauses.size(); ++i) {
    Part whole{{}, i, std::nullopt};
    if (i < runs.size() && runs[i]) {
      const TypedRun& run = *runs[i];
      add(whole.cost, run.key);
      for (const auto& variant : run.phrase_variants) add(whole.cost, variant);
      for (std::size_t w = 0; w < run.words.size(); ++w) {
        // A run of one word is left out whole or not at all.
        Part word{{}, i, run.words[w].key == run.key ? std::nullopt : std::optional(w)};
        add(word.cost, run.words[w].key);
        for (const auto& variant : run.words[w].variants) add(word.cost, variant);
        if (!word.word) {
          whole.cost += word.cost;
          continue;
        }
        parts.push_back(word);
        clause_cost[i] += word.cost.total;
      }
    } else {
      for (const auto& term : q.clauses[i].any_of) add(whole.cost, text::normalize_key(term.text));
    }
    parts.push_back(whole);
    clause_cost[i] += whole.cost.total;
  }
  std::int64_t total = 0;
  for (const auto cost : clause_cost) total += cost;
  std::ranges::sort(parts, std::greater<>(), [](const Part& p) { return p.cost.total; });
  std::vector<bool> clause_dropped(q.clauses.size(), false);
  std::vector<std::vector<bool>> word_dropped(runs.size());
  BoundedQuery out;
  for (const auto& part : parts) {
    if (total <= kMaxSearchCost) break;
    if (part.cost.by_prefix < kCommonTermCost || clause_dropped[part.clause]) continue;
    if (part.word) {
      auto& dropped = word_dropped[part.clause];
      dropped.resize(runs[part.clause]->words.size(), false);
      dropped[*part.word] = true;
      clause_cost[part.clause] -= part.cost.total;
      total -= part.cost.total;
      out.ignored.push_back(runs[part.clause]->words[*part.word].key);
    } else {
      clause_dropped[part.clause] = true;
      total -= clause_cost[part.clause];
      for (const auto& term : q.clauses[part.clause].any_of) out.ignored.push_back(term.text);
    }
  }
  if (out.ignored.empty()) return {std::move(q), std::move(runs), {}};
  std::vector<std::string> named;  // each once, in the order left out
  for (auto& term : out.ignored) {
    if (std::ranges::find(named, term) == named.end()) named.push_back(std::move(term));
  }
  out.ignored = std::move(named);
  std::vector<QueryClause> kept_clauses;
  for (std::size_t i = 0; i < q.clauses.size(); ++i) {
    if (clause_dropped[i]) continue;
    if (i < runs.size() && runs[i] && !word_dropped[i].empty()) {
      std::vector<RunWord> kept;
      for (std::size_t w = 0; w < runs[i]->words.size(); ++w) {
        if (!word_dropped[i][w]) kept.push_back(std::move(runs[i]->words[w]));
      }
      runs[i]->words = std::move(kept);
    }
    kept_clauses.push_back(std::move(q.clauses[i]));
    if (!runs.empty()) out.runs.push_back(std::move(runs[i]));
  }
  q.clauses = std::move(kept_clauses);
  std::erase_if(q.terms, [&](const std::string& term) {
    return std::ranges::find(out.ignored, term) != out.ignored.end();
  });
  out.query = std::move(q);
  return out;
}

}  // namespace

std::vector<std::optional<TypedRun>> Index::Impl::typed_runs(const ParsedQuery& q) const {
  std::vector<std::optional<TypedRun>> runs(q.clauses.size());
  bool any = false;
  std::size_t read = 0;
  for (std::size_t i = 0; i < q.clauses.size() && read < kMaxTypedRuns; ++i) {
    if (!is_typed_run(q.clauses[i])) continue;
    runs[i] = read_run(q.clauses[i].any_of.front().text, segmenter, aliases);
    ++read;
    any = true;
  }
  if (!any) runs.clear();
  return runs;
}

IndexResult Index::search(const IndexQuery& asked) const {
  const auto filter = groonga_filter(asked.query);  // the work bound leaves filters as they are
  if (asked.query.clauses.empty() && filter.empty()) return {};
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  auto bounded = bound_work(asked.query, impl_->typed_runs(asked.query), *lease);
  IndexQuery q = asked;
  q.query = std::move(bounded.query);
  auto& runs = bounded.runs;
  if (std::ranges::none_of(runs, [](const auto& run) { return run.has_value(); })) runs.clear();
  const auto query = groonga_query(q.query, q.phrases, q.any_clause && runs.empty());
  if (query.empty() && filter.empty()) {
    IndexResult nothing;
    nothing.ignored = std::move(bounded.ignored);
    return nothing;
  }
  std::vector<groonga::ScoreBoost> boosts;
  std::vector<WordBoost> words;  // typed runs: TypedSearch weighs the words of its reading
  if (!query.empty()) {
    add_phrase_boosts(q.query, q.phrases, boosts);
    if (runs.empty()) words = word_boosts(scored_keys(q.query), *lease);
  }
  // Everything the result depends on besides the database.
  std::string key =
      fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", query, filter, static_cast<int>(q.sort),
                  q.offset, q.limit, q.facets, runs.empty() ? "exact" : "typed");
  key += fmt::format("\x1f{}", static_cast<int>(q.phrases));
  for (const auto& boost : boosts) {
    key += fmt::format("\x1f{}\x1e{}\x1e{}", boost.column, boost.value, boost.factor);
  }
  for (const auto& word : words) key += fmt::format("\x1f{}\x1e{}", word.word, word.factor);
  for (const auto& name : q.reference_categories) key += fmt::format("\x1f\x1d{}", name);
  for (const auto& term : bounded.ignored) key += fmt::format("\x1f\x1c{}", term);
  const auto applied_seq = recorded_applied_seq(*lease);
  if (auto cached = impl_->search_cache.find(key, applied_seq)) return std::move(*cached);
  auto postings_of = [&](const std::string& word) {
    if (auto cached = impl_->postings_cache.find(word, applied_seq)) return std::move(*cached);
    WordPostings postings = std::make_shared<const std::vector<groonga::Posting>>(
        lease->postings("Words", "docs_words", word));
    impl_->postings_cache.add(word, applied_seq, postings);
    return postings;
  };
  IndexResult result;
  if (runs.empty()) {
    result = compute_search(*lease, q, query, filter, boosts, words, postings_of);
  } else {
    result = TypedSearch(*lease, q, std::move(runs), filter, std::move(boosts), postings_of).run();
  }
  result.ignored = std::move(bounded.ignored);
  impl_->search_cache.add(key, applied_seq, result);
  return result;
}

namespace {

// The select of documents similar to `d`. With keywords: any of them in the words column,
// each counting at most twice (scorer_tf_at_most), so documents sharing many of the keywords
// beat long texts repeating a few (plain TF-IDF ranked a 300 KB procedure code first).
// (Groonga's similar search, *S, uses only the rarest eighth of the tokens it is given,
// which for a dozen keywords is one or two of them.) Without keywords: *S over
// the words of d's title and opening, letting Groonga pick the rare ones. "" when d has no
// words at all.
std::string related_select(const doc::Document& d, const text::Segmenter& segmenter) {
  std::string tail = " --sort_keys -_score --output_columns _key,_score,category,simhash --limit " +
                     std::to_string(kRelatedCandidates);
  if (!d.keywords.empty()) {
    std::string any;
    for (std::size_t i = 0; i < d.keywords.size() && i < kMaxSeedKeywords; ++i) {
      auto key = text::normalize_key(d.keywords[i]);
      if (key.empty()) continue;
      if (!any.empty()) any += " OR ";
      any += quote_query_phrase(short_text(key));
    }
    if (!any.empty()) {
      return "select Docs --match_columns 'scorer_tf_at_most(words, 2)' --query " +
             quote_command_argument(any) + " --query_flags NONE" + tail;
    }
  }
  std::string title_and_text = d.title + '\n' + d.content;
  auto opening = text::prefix_code_points(title_and_text, kSeedChars);
  auto seed = segmenter.words_for_index(text::normalize_key(opening));
  if (seed.empty()) return "";
  return "select Docs --filter " + quote_command_argument("words *S " + quote_query_phrase(seed)) +
         tail;
}

}  // namespace

std::vector<IndexHit> Index::related(const doc::Document& d, std::size_t limit) const {
  auto cmd = related_select(d, impl_->segmenter);
  if (cmd.empty()) return {};
  json rows;
  impl_->follow_current();
  {
    std::shared_lock lock(impl_->storage_mutex);
    auto lease = impl_->readers.acquire();
    rows = groonga::parse_select(lease->query(cmd)).rows;
  }
  std::vector<IndexHit> hits;
  for (const auto& row : rows) {
    auto id = row.at(0).get<std::string>();
    auto simhash = row.at(3).get<std::uint64_t>();
    bool near_duplicate =
        d.simhash != 0 && simhash != 0 &&
        text::hamming_distance(d.simhash, simhash) <= text::kNearDuplicateDistance;
    if (id == d.id || near_duplicate) continue;
    double score = row.at(1).get<double>();
    if (row.at(2).get<std::string>() == d.category) score *= kSameCategoryBonus;
    hits.push_back({std::move(id), score});
  }
  std::ranges::stable_sort(hits, std::greater<>(), &IndexHit::score);
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

namespace {

// Appends the first column of every row to `out`, skipping values already there, until
// `out` holds `limit` values.
void append_unique(const json& rows, std::vector<std::string>& out, std::size_t limit) {
  for (const auto& row : rows) {
    if (out.size() >= limit) return;
    auto value = row.at(0).get<std::string>();
    if (std::ranges::find(out, value) == out.end()) out.push_back(std::move(value));
  }
}

}  // namespace

std::shared_ptr<const PinyinTitles> Index::Impl::titles_by_pinyin(groonga::Context& db) {
  const auto seq = recorded_applied_seq(db);
  std::lock_guard guard(pinyin_mutex);
  if (pinyin_titles && pinyin_titles_seq == seq && pinyin_titles_generation == generation) {
    return pinyin_titles;
  }
  if (!pinyin_table) pinyin_table = std::make_unique<PinyinTable>();
  auto rows = groonga::parse_select(db.query("select Docs --output_columns label "
                                             "--sort_keys -views,-recency --limit -1"))
                  .rows;
  std::vector<std::string> titles;
  titles.reserve(rows.size());
  for (const auto& row : rows) titles.push_back(row.at(0).get<std::string>());
  pinyin_titles = std::make_shared<const PinyinTitles>(*pinyin_table, std::move(titles));
  pinyin_titles_seq = seq;
  pinyin_titles_generation = generation;
  return pinyin_titles;
}

std::vector<std::string> Index::suggest(std::string_view prefix, std::size_t limit) const {
  auto key = text::normalize_key(text::trim(prefix));
  if (key.empty() || limit == 0) return {};
  auto phrase = quote_query_phrase(short_text(key));
  auto n = std::to_string(std::min<std::size_t>(limit, 100));
  std::vector<std::string> out;
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  auto titles = lease->query("select Docs --filter " + quote_command_argument("title @ " + phrase) +
                             " --sort_keys -views,-recency --output_columns label --limit " + n);
  append_unique(groonga::parse_select(titles).rows, out, limit);
  if (out.size() < limit && PinyinTitles::looks_like_pinyin(key)) {
    const auto by_pinyin = impl_->titles_by_pinyin(*lease);
    for (auto i : by_pinyin->complete(key, limit)) {
      if (out.size() == limit) break;
      const auto& title = by_pinyin->title(i);
      if (std::ranges::find(out, title) == out.end()) out.push_back(title);
    }
  }
  auto words = lease->query("select Words --filter " + quote_command_argument("_key @^ " + phrase) +
                            " --output_columns _key --limit " + n);
  append_unique(groonga::parse_select(words).rows, out, limit);
  return out;
}

TypedRun Index::read(std::string_view typed) const {
  return read_run(typed, impl_->segmenter, impl_->aliases);
}

std::string Index::closest_title(std::span<const std::string> words) const {
  std::string query;
  for (const auto& word : words) {
    if (word.empty()) continue;
    if (!query.empty()) query += " OR ";
    query += phrase_query(word, "title:@");
  }
  if (query.empty()) return "";
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  const auto hits = lease->select("Docs", {kMatchColumns, query, "", {}});
  if (hits.empty()) return "";
  groonga::FixedColumn<std::uint32_t> views(*lease, "Docs", "views");
  auto best = std::ranges::max_element(hits, [&](const auto& a, const auto& b) {
    if (a.score != b.score) return a.score < b.score;
    if (views[a.record] != views[b.record]) return views[a.record] < views[b.record];
    return a.record > b.record;
  });
  return lease->text_value("Docs", "label", best->record);
}

std::vector<std::string> Index::close_words(std::string_view word, std::size_t limit) const {
  auto key = text::normalize_key(word);
  impl_->follow_current();
  std::shared_lock lock(impl_->storage_mutex);
  auto lease = impl_->readers.acquire();
  // Shorten the word one code point at a time until some indexed word starts with it (from at
  // most kLongestCloseWord code points: a longer prefix is no word's).
  for (auto length = std::min(text::count_code_points(key), kLongestCloseWord); length >= 1;
       --length) {
    const auto prefix = text::prefix_code_points(key, length);
    std::vector<std::pair<std::int64_t, std::string>> counted;
    for (auto& [candidate, count] :
         lease->keys_with_prefix("Words", "docs_words", prefix, kCloseWordCandidates)) {
      if (candidate == key || count == 0 || text::count_code_points(candidate) < 2) continue;
      counted.emplace_back(count, std::move(candidate));
    }
    if (counted.empty()) continue;
    std::ranges::stable_sort(counted, std::greater<>(),
                             &std::pair<std::int64_t, std::string>::first);
    std::vector<std::string> out;
    for (auto& [count, candidate] : counted) {
      if (out.size() < limit) out.push_back(std::move(candidate));
    }
    return out;
  }
  return {};
}

}  // namespace wenku::search
