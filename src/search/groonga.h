// Internal to the search module: a thin RAII layer over libgroonga's command interface.
#pragma once

#include <groonga.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace wenku::search::groonga {

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
  // Loads `records` (a JSON array of objects keyed by column name) into `table` and
  // checks that every record was taken.
  void load(std::string_view table, const nlohmann::json& records);

  // Direct reads through the C API, without a command and its JSON: the record of `table`
  // whose key is `key` (GRN_ID_NIL when none), and the value of a scalar Int64 or text
  // column of a record. Throw IndexError for an unknown table or column.
  grn_id record_id(std::string_view table, std::string_view key);
  std::int64_t int64_value(std::string_view table, std::string_view column, grn_id record);
  std::string text_value(std::string_view table, std::string_view column, grn_id record);
  // Number of records of `table`.
  std::int64_t table_size(std::string_view table);
  // Groonga's estimate of the number of records the index column `lexicon`.`index_column`
  // lists for the key `key` of `lexicon` (its document frequency); 0 when the lexicon has
  // no such key.
  std::int64_t documents_with_key(std::string_view lexicon, std::string_view index_column,
                                  std::string_view key);

 private:
  std::string send(std::string_view text, std::string_view what);
  grn_obj* object(std::string_view name);
  grn_obj* column(std::string_view table, std::string_view name);

  grn_ctx* ctx_ = nullptr;
  grn_obj* db_ = nullptr;  // owned only when opened or created by this context
  bool owns_db_ = false;
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
