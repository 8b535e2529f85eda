// Internal to the search module: a thin RAII layer over libgroonga: its command interface,
// and the C API for searches (Context::select, FixedColumn).
#pragma once

#include <groonga.h>
#include <groonga/column.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace wenku::search::groonga {

// A hit of Context::select: a record of the searched table and its score.
struct ScoredRecord {
  grn_id record = GRN_ID_NIL;
  double score = 0;
};

// A record of an index column's posting list: the record holds the key `occurrences` times.
struct Posting {
  grn_id record = GRN_ID_NIL;
  std::uint32_t occurrences = 0;
};

// Raises the score of each hit whose `column` holds `value` (as its index finds it) by
// `factor` per occurrence: one term of the select command's --adjuster
// (`column @ "value" * factor`).
struct ScoreBoost {
  std::string column;
  std::string value;
  int factor = 1;
};

// The expressions of one Context::select; an empty one is left out.
struct SelectExpressions {
  std::string_view match_columns;  // script syntax with weights: "title * 10 || content"
  std::string_view query;          // query syntax over match_columns; columns (x:@y), no pragmas
  std::string_view filter;         // script syntax: "year >= 2018 && year <= 2021"
  std::span<const ScoreBoost> boosts;
};

template <typename T>
class FixedColumn;

// One value of a record for Context::put: text (for a reference column, the key of the
// referenced record) or a number, in the column named `column`.
struct Field {
  std::string_view column;
  std::variant<std::string_view, std::int64_t, std::uint64_t> value;
};

// One Groonga context. A context is used by one thread at a time; several contexts may
// share one database (each thread its own context). Errors throw search::IndexError.
class Context {
 public:
  // A context without a database yet (initialises libgroonga once per process).
  Context();
  // A context on `shared_db`, a database opened by another context that outlives this one.
  explicit Context(grn_obj* shared_db);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // The database this context works on (null before open_db/create_db).
  grn_obj* db() const { return db_; }

  // Opens the database at `path`; returns false (with a reason) when Groonga cannot.
  bool open_db(const std::filesystem::path& path, std::string& reason);
  // Creates a new database at `path`.
  void create_db(const std::filesystem::path& path);
  // Closes the database this context opened (no-op without one).
  void close_db();

  // Runs one command and returns its output (the JSON body without the status header).
  std::string command(std::string_view cmd);
  // Runs one command and parses its JSON output.
  nlohmann::json query(std::string_view cmd);
  // Adds the record `key` to `table` unless it is there and sets its `fields`, as the load
  // command would with the same values (numbers converted to the column's type, a text given
  // to a reference column adds the referenced key, "" references nothing; indexes over the
  // columns follow), through the C API: no JSON is built or parsed. Returns the record's id.
  // Throws IndexError for an unknown table or column, a key over 4 KiB or a value Groonga
  // refuses (the fields set before it stay set). Callers cut ShortText values to 4 KiB.
  grn_id put(std::string_view table, std::string_view key, std::span<const Field> fields);
  // Deletes the record `key` of `table` (and its postings); nothing when there is none.
  void remove(std::string_view table, std::string_view key);

  // Direct reads through the C API, without a command and its JSON: the record of `table`
  // whose key is `key` (GRN_ID_NIL when none), and the value of a scalar Int64 or text
  // column of a record. Throw IndexError for an unknown table or column.
  grn_id record_id(std::string_view table, std::string_view key);
  std::int64_t int64_value(std::string_view table, std::string_view column, grn_id record);
  std::string text_value(std::string_view table, std::string_view column, grn_id record);
  // The same value without a copy of our own: a view of this context's read buffer, valid
  // until the next text_view call on this context (the buffer keeps its size, so long texts
  // read one after another allocate nothing).
  std::string_view text_view(std::string_view table, std::string_view column, grn_id record);
  // Number of records of `table`.
  std::int64_t table_size(std::string_view table);
  // Groonga's estimate of the number of records the index column `lexicon`.`index_column`
  // lists for the key `key` of `lexicon` (its document frequency); 0 when the lexicon has
  // no such key.
  std::int64_t documents_with_key(std::string_view lexicon, std::string_view index_column,
                                  std::string_view key);
  // The keys of `lexicon` that begin with `prefix`, in key order, at most `limit`, each with
  // documents_with_key's estimate for the index column `lexicon`.`index_column` (a prefix
  // cursor over the lexicon's trie: no record of the indexed table is read).
  struct KeyCount {
    std::string key;
    std::int64_t documents = 0;
  };
  std::vector<KeyCount> keys_with_prefix(std::string_view lexicon, std::string_view index_column,
                                         std::string_view prefix, std::size_t limit);
  // An estimate of the work a search of the text `key` in the index column
  // `lexicon`.`index_column` does, before doing it: over the distinct tokens `lexicon`'s
  // tokenizer makes of `key` for a search, the postings Groonga estimates each token's list
  // to hold plus kPostingListCost per list. A token searched by prefix (a lone character at
  // the end of a text, as a bigram lexicon searches one) opens the list of every key it
  // begins; `by_prefix` is the part of the work spent on those. Reads only the lexicon and
  // the lists' sizes: well under a millisecond.
  struct SearchCost {
    std::int64_t total = 0;
    std::int64_t by_prefix = 0;
    SearchCost& operator+=(const SearchCost& more) {
      total += more.total;
      by_prefix += more.by_prefix;
      return *this;
    }
  };
  SearchCost search_cost(std::string_view lexicon, std::string_view index_column,
                         std::string_view key);
  // What opening one posting list costs in search_cost's unit (postings): on the corpus a
  // character searched by prefix took about as long per list opened as 250 postings of a
  // word's list (国: 1,449 lists and 140,000 postings, 3 times as long as 16 common words'
  // 16 lists and 190,000 postings).
  static constexpr std::int64_t kPostingListCost = 250;

  // The posting list of the key `key` of `lexicon` in its index column `index_column`: every
  // record whose indexed value holds the key, with the key's number of occurrences there
  // (what an --adjuster term on the column multiplies by its factor), by record id. Empty
  // when the lexicon has no such key. Throws IndexError for an unknown table or column.
  std::vector<Posting> postings(std::string_view lexicon, std::string_view index_column,
                                std::string_view key);
  // Every record of `table` matching `e.query` (over `e.match_columns`) and `e.filter`, as
  // the `select` command finds them, with its score (match weights, then `e.boosts` as its
  // --adjuster would add them), in no particular order. Nothing is sorted, grouped or
  // printed: callers rank and count hits themselves (the command sorts every hit for a sort
  // by several keys and builds a temporary table per drilldown, several times the cost of
  // the match itself for large results). `e.query` or `e.filter` must be non-empty. Throws
  // IndexError when an expression does not parse or a boosted column has no index.
  std::vector<ScoredRecord> select(std::string_view table, const SelectExpressions& e);
  // The key of `record` of `table` (a table keyed by text); "" when there is none.
  std::string key_text(std::string_view table, grn_id record);

 private:
  template <typename T>
  friend class FixedColumn;
  // Applies `boost` to `hits`, a result table of `table`.
  void add_boost(std::string_view table, const ScoreBoost& boost, grn_obj* hits);
  // Throws IndexError unless `table`.`name` is a fixed-size scalar column.
  grn_column_cache* open_column_cache(std::string_view table, std::string_view name);

  std::string send(std::string_view text, std::string_view what);
  grn_obj* object(std::string_view name);
  grn_obj* column(std::string_view table, std::string_view name);

  // An empty result table of `table` for select(): the one kept from the last select on the
  // same table, else a new one. Groonga makes a temporary hash table out of anonymous 4 MiB
  // segments: creating and closing one per query was an eighth of a query's server time
  // (first-touch page faults, munmap and its TLB flushes), so select() empties it instead.
  grn_obj* empty_result_table(grn_obj* table);
  // Closes the kept result table (no-op without one).
  void drop_result_table();

  grn_ctx* ctx_ = nullptr;
  grn_obj* db_ = nullptr;  // owned only when opened or created by this context
  bool owns_db_ = false;
  grn_obj read_buffer_;               // text_view's bulk (GRN_TEXT_INIT in the constructors)
  grn_obj* result_table_ = nullptr;   // empty between selects, or null
  grn_obj* result_source_ = nullptr;  // the table result_table_ holds records of
};

// Reads of one fixed-size scalar column (numbers, references to records of another table)
// straight from Groonga's storage through its column cache, for per-hit values of large
// results. T must have the column's value size (UInt32 -> std::uint32_t, a reference ->
// grn_id); a value of another size, or of a record past the column's end, reads as T{}.
// Lives no longer than the Context that made it, and is used by that context's thread only.
template <typename T>
class FixedColumn {
 public:
  FixedColumn(Context& context, std::string_view table, std::string_view column)
      : ctx_(context.ctx_), cache_(context.open_column_cache(table, column)) {}
  ~FixedColumn() { grn_column_cache_close(ctx_, cache_); }
  FixedColumn(const FixedColumn&) = delete;
  FixedColumn& operator=(const FixedColumn&) = delete;

  T operator[](grn_id record) const {
    std::size_t size = 0;
    const void* value = grn_column_cache_ref(ctx_, cache_, record, &size);
    T out{};
    if (value != nullptr && size == sizeof(T)) std::memcpy(&out, value, sizeof(T));
    return out;
  }

 private:
  grn_ctx* ctx_;
  grn_column_cache* cache_;
};

// Idle contexts on one shared database, handed out one per concurrent caller and reused.
class ContextPool {
 public:
  // A context on loan; returned to the pool on destruction.
  class Lease {
   public:
    Lease(ContextPool& pool, std::unique_ptr<Context> context)
        : pool_(pool), context_(std::move(context)) {}
    ~Lease() { pool_.give_back(std::move(context_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Context* operator->() const { return context_.get(); }
    Context& operator*() const { return *context_; }

   private:
    ContextPool& pool_;
    std::unique_ptr<Context> context_;
  };

  // Closes every idle context and serves contexts on `db` from now on (null: none). The
  // caller guarantees that no lease is outstanding.
  void reset(grn_obj* db);
  // Lends an idle context, opening a new one when all are in use. Throws IndexError
  // when the pool has no database.
  Lease acquire();

 private:
  void give_back(std::unique_ptr<Context> context);

  std::mutex mutex_;
  grn_obj* db_ = nullptr;
  std::vector<std::unique_ptr<Context>> idle_;
};

// Parses the JSON output of `select`: the number of hits and the rows (each an array in
// --output_columns order).
struct SelectResult {
  std::int64_t total = 0;
  nlohmann::json rows = nlohmann::json::array();
};
SelectResult parse_select(const nlohmann::json& output);

}  // namespace wenku::search::groonga
