#include "search/groonga.h"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

#include "search/index.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace wenku::search::groonga {

namespace {

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Embedded use: errors come back through each context; no log file of Groonga's own.
    grn_default_logger_set_path(nullptr);
    grn_default_query_logger_set_path(nullptr);
    if (grn_init() != GRN_SUCCESS) throw IndexError("groonga: grn_init failed");
    std::atexit([] { grn_fin(); });
  });
}

grn_ctx* open_context() {
  init_once();
  grn_ctx* ctx = grn_ctx_open(0);
  if (ctx == nullptr) throw IndexError("groonga: cannot open a context");
  grn_ctx_set_output_type(ctx, GRN_CONTENT_JSON);
  return ctx;
}

// The first word of a command, for error messages that never echo user text.
std::string_view command_name(std::string_view cmd) { return cmd.substr(0, cmd.find(' ')); }

}  // namespace

Context::Context() : ctx_(open_context()) { GRN_TEXT_INIT(&read_buffer_, 0); }

Context::Context(grn_obj* shared_db) : ctx_(open_context()) {
  if (grn_ctx_use(ctx_, shared_db) != GRN_SUCCESS) {
    std::string reason = ctx_->errbuf;
    grn_ctx_close(ctx_);
    throw IndexError("groonga: cannot use the database: " + reason);
  }
  db_ = shared_db;
  GRN_TEXT_INIT(&read_buffer_, 0);
}

Context::~Context() {
  drop_result_table();
  GRN_OBJ_FIN(ctx_, &read_buffer_);
  close_db();
  grn_ctx_close(ctx_);
}

bool Context::open_db(const std::filesystem::path& path, std::string& reason) {
  close_db();
  {
#if defined(__SANITIZE_ADDRESS__)
    // Groonga 13 leaks its work buffers when it rejects a damaged database.
    __lsan::ScopedDisabler leaks_of_failed_open_are_groongas;
#endif
    db_ = grn_db_open(ctx_, path.c_str());
  }
  if (db_ == nullptr) {
    reason = ctx_->errbuf;
    return false;
  }
  owns_db_ = true;
  return true;
}

void Context::create_db(const std::filesystem::path& path) {
  close_db();
  db_ = grn_db_create(ctx_, path.c_str(), nullptr);
  if (db_ == nullptr) {
    throw IndexError("groonga: cannot create " + path.string() + ": " + ctx_->errbuf);
  }
  owns_db_ = true;
}

void Context::close_db() {
  drop_result_table();
  if (db_ != nullptr && owns_db_) grn_obj_close(ctx_, db_);
  db_ = nullptr;
  owns_db_ = false;
}

std::string Context::send(std::string_view text, std::string_view what) {
  if (text.size() > UINT_MAX) throw IndexError("groonga: " + std::string(what) + " too large");
  grn_ctx_send(ctx_, text.data(), static_cast<unsigned int>(text.size()), 0);
  // Read the status now: grn_ctx_recv resets it, and an error reply is just empty.
  grn_rc rc = ctx_->rc;
  std::string error = rc != GRN_SUCCESS ? std::string(ctx_->errbuf) : std::string();
  std::string output;
  int flags = 0;
  do {
    char* chunk = nullptr;
    unsigned int length = 0;
    grn_ctx_recv(ctx_, &chunk, &length, &flags);
    if (chunk != nullptr) output.append(chunk, length);
  } while (flags & GRN_CTX_MORE);
  if (rc != GRN_SUCCESS) {
    throw IndexError("groonga: " + std::string(what) + " failed (" + std::to_string(rc) +
                     "): " + error);
  }
  return output;
}

std::string Context::command(std::string_view cmd) { return send(cmd, command_name(cmd)); }

nlohmann::json Context::query(std::string_view cmd) {
  auto output = command(cmd);
  auto parsed = nlohmann::json::parse(output, nullptr, false);
  if (parsed.is_discarded()) {
    throw IndexError("groonga: " + std::string(command_name(cmd)) + " gave unreadable output");
  }
  return parsed;
}

grn_id Context::put(std::string_view table, std::string_view key, std::span<const Field> fields) {
  grn_obj* records = object(table);
  if (key.size() > GRN_TABLE_MAX_KEY_SIZE) {
    throw IndexError("groonga: key over " + std::to_string(GRN_TABLE_MAX_KEY_SIZE) + " bytes");
  }
  const grn_id id =
      grn_table_add(ctx_, records, key.data(), static_cast<unsigned int>(key.size()), nullptr);
  if (id == GRN_ID_NIL) {
    throw IndexError("groonga: cannot add a record to " + std::string(table) + ": " + ctx_->errbuf);
  }
  grn_obj text, signed_number, unsigned_number;
  GRN_TEXT_INIT(&text, GRN_OBJ_DO_SHALLOW_COPY);
  GRN_INT64_INIT(&signed_number, 0);
  GRN_UINT64_INIT(&unsigned_number, 0);
  auto value_of = [&](const Field& f) -> grn_obj* {
    if (const auto* t = std::get_if<std::string_view>(&f.value)) {
      GRN_TEXT_SET_REF(&text, t->data(), t->size());
      return &text;
    }
    if (const auto* n = std::get_if<std::int64_t>(&f.value)) {
      GRN_INT64_SET(ctx_, &signed_number, *n);
      return &signed_number;
    }
    GRN_UINT64_SET(ctx_, &unsigned_number, std::get<std::uint64_t>(f.value));
    return &unsigned_number;
  };
  grn_rc rc = GRN_SUCCESS;
  std::string failed;
  for (const Field& f : fields) {
    rc = grn_obj_set_value(ctx_, column(table, f.column), id, value_of(f), GRN_OBJ_SET);
    if (rc != GRN_SUCCESS) {
      failed = std::string(table) + "." + std::string(f.column) + ": " + ctx_->errbuf;
      break;
    }
  }
  GRN_OBJ_FIN(ctx_, &text);
  GRN_OBJ_FIN(ctx_, &signed_number);
  GRN_OBJ_FIN(ctx_, &unsigned_number);
  if (rc != GRN_SUCCESS) throw IndexError("groonga: cannot set " + failed);
  return id;
}

void Context::remove(std::string_view table, std::string_view key) {
  if (key.size() > GRN_TABLE_MAX_KEY_SIZE) return;  // no such key can be there
  const grn_rc rc =
      grn_table_delete(ctx_, object(table), key.data(), static_cast<unsigned int>(key.size()));
  if (rc != GRN_SUCCESS && rc != GRN_INVALID_ARGUMENT) {
    throw IndexError("groonga: cannot delete from " + std::string(table) + ": " + ctx_->errbuf);
  }
}

grn_obj* Context::object(std::string_view name) {
  grn_obj* found = grn_ctx_get(ctx_, name.data(), static_cast<int>(name.size()));
  if (found == nullptr) throw IndexError("groonga: no object " + std::string(name));
  return found;
}

grn_obj* Context::column(std::string_view table, std::string_view name) {
  grn_obj* found =
      grn_obj_column(ctx_, object(table), name.data(), static_cast<unsigned int>(name.size()));
  if (found == nullptr) {
    throw IndexError("groonga: no column " + std::string(table) + "." + std::string(name));
  }
  return found;
}

grn_id Context::record_id(std::string_view table, std::string_view key) {
  return grn_table_get(ctx_, object(table), key.data(), static_cast<unsigned int>(key.size()));
}

std::int64_t Context::int64_value(std::string_view table, std::string_view name, grn_id record) {
  grn_obj value;
  GRN_INT64_INIT(&value, 0);
  grn_obj_get_value(ctx_, column(table, name), record, &value);
  std::int64_t out = 0;
  if (GRN_BULK_VSIZE(&value) == sizeof out) std::memcpy(&out, GRN_BULK_HEAD(&value), sizeof out);
  GRN_OBJ_FIN(ctx_, &value);
  return out;
}

std::string Context::text_value(std::string_view table, std::string_view name, grn_id record) {
  grn_obj value;
  GRN_TEXT_INIT(&value, 0);
  grn_obj_get_value(ctx_, column(table, name), record, &value);
  std::string out(GRN_TEXT_VALUE(&value), GRN_TEXT_LEN(&value));
  GRN_OBJ_FIN(ctx_, &value);
  return out;
}

std::string_view Context::text_view(std::string_view table, std::string_view name, grn_id record) {
  grn_obj* col = column(table, name);
  GRN_BULK_REWIND(&read_buffer_);
  grn_obj_get_value(ctx_, col, record, &read_buffer_);
  return {GRN_TEXT_VALUE(&read_buffer_), GRN_TEXT_LEN(&read_buffer_)};
}

std::int64_t Context::table_size(std::string_view table) {
  return static_cast<std::int64_t>(grn_table_size(ctx_, object(table)));
}

std::int64_t Context::documents_with_key(std::string_view lexicon, std::string_view index_column,
                                         std::string_view key) {
  const grn_id term = record_id(lexicon, key);
  if (term == GRN_ID_NIL) return 0;
  auto* ii = reinterpret_cast<grn_ii*>(column(lexicon, index_column));
  return static_cast<std::int64_t>(grn_ii_estimate_size(ctx_, ii, term));
}

namespace {

// Calls `visit(cursor, id)` for the keys of `table` that begin with `prefix`, in key order,
// until it returns false.
template <typename Visit>
void for_each_key_with_prefix(grn_ctx* ctx, grn_obj* table, std::string_view prefix,
                              Visit&& visit) {
  grn_table_cursor* keys =
      grn_table_cursor_open(ctx, table, prefix.data(), static_cast<unsigned>(prefix.size()),
                            nullptr, 0, 0, -1, GRN_CURSOR_PREFIX);
  if (keys == nullptr) return;
  for (grn_id id; (id = grn_table_cursor_next(ctx, keys)) != GRN_ID_NIL;) {
    if (!visit(keys, id)) break;
  }
  grn_table_cursor_close(ctx, keys);
}

}  // namespace

std::vector<Context::KeyCount> Context::keys_with_prefix(std::string_view lexicon,
                                                         std::string_view index_column,
                                                         std::string_view prefix,
                                                         std::size_t limit) {
  std::vector<KeyCount> out;
  if (limit == 0) return out;
  auto* ii = reinterpret_cast<grn_ii*>(column(lexicon, index_column));
  for_each_key_with_prefix(ctx_, object(lexicon), prefix, [&](grn_table_cursor* keys, grn_id id) {
    void* key = nullptr;
    const int length = grn_table_cursor_get_key(ctx_, keys, &key);
    out.push_back({std::string(static_cast<const char*>(key), static_cast<std::size_t>(length)),
                   static_cast<std::int64_t>(grn_ii_estimate_size(ctx_, ii, id))});
    return out.size() < limit;
  });
  return out;
}

Context::SearchCost Context::search_cost(std::string_view lexicon, std::string_view index_column,
                                         std::string_view key) {
  grn_obj* table = object(lexicon);
  auto* ii = reinterpret_cast<grn_ii*>(column(lexicon, index_column));
  grn_token_cursor* tokens =
      grn_token_cursor_open(ctx_, table, key.data(), key.size(), GRN_TOKENIZE_GET, 0);
  if (tokens == nullptr) return {};
  SearchCost cost;
  std::set<std::pair<std::string, bool>> seen;  // (token, searched by prefix)
  while (grn_token_cursor_get_status(ctx_, tokens) == GRN_TOKEN_CURSOR_DOING) {
    const grn_id id = grn_token_cursor_next(ctx_, tokens);
    grn_token* token = grn_token_cursor_get_token(ctx_, tokens);
    std::size_t length = 0;
    const char* data = grn_token_get_data_raw(ctx_, token, &length);
    const bool prefix = grn_token_get_force_prefix_search(ctx_, token);
    if (!seen.emplace(std::string(data, length), prefix).second) continue;
    if (!prefix) {
      if (id != GRN_ID_NIL) cost.total += kPostingListCost + grn_ii_estimate_size(ctx_, ii, id);
      continue;
    }
    for_each_key_with_prefix(ctx_, table, {data, length}, [&](grn_table_cursor*, grn_id k) {
      cost.by_prefix += kPostingListCost + grn_ii_estimate_size(ctx_, ii, k);
      return true;
    });
  }
  grn_token_cursor_close(ctx_, tokens);
  cost.total += cost.by_prefix;
  return cost;
}

grn_column_cache* Context::open_column_cache(std::string_view table, std::string_view name) {
  grn_column_cache* cache = grn_column_cache_open(ctx_, column(table, name));
  if (cache == nullptr) {
    throw IndexError("groonga: " + std::string(table) + "." + std::string(name) +
                     " is not a fixed-size column");
  }
  return cache;
}

namespace {

// Owns an object Groonga made for this context (an expression, a result table, an accessor).
class Owned {
 public:
  Owned(grn_ctx* ctx, grn_obj* obj) : ctx_(ctx), obj_(obj) {}
  ~Owned() {
    if (obj_ != nullptr) grn_obj_unlink(ctx_, obj_);
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  grn_obj* get() const { return obj_; }

 private:
  grn_ctx* ctx_;
  grn_obj* obj_;
};

// Throws IndexError naming `what` when the last call on `ctx` failed; clears the error.
void require_success(grn_ctx* ctx, std::string_view what) {
  if (ctx->rc == GRN_SUCCESS) return;
  std::string reason = ctx->errbuf;
  const grn_rc rc = ctx->rc;
  ctx->rc = GRN_SUCCESS;
  ctx->errbuf[0] = '\0';
  throw IndexError("groonga: " + std::string(what) + " failed (" + std::to_string(rc) +
                   "): " + reason);
}

// A new query expression on `table` (with its variable).
grn_obj* new_expression(grn_ctx* ctx, grn_obj* table) {
  grn_obj* expr = nullptr;
  grn_obj* record = nullptr;
  GRN_EXPR_CREATE_FOR_QUERY(ctx, table, expr, record);
  if (expr == nullptr) require_success(ctx, "expression");
  return expr;
}

void parse_into(grn_ctx* ctx, grn_obj* expr, std::string_view text, grn_obj* default_column,
                grn_operator default_op, grn_expr_flags flags, std::string_view what) {
  grn_expr_parse(ctx, expr, text.data(), static_cast<unsigned int>(text.size()), default_column,
                 GRN_OP_MATCH, default_op, flags);
  require_success(ctx, what);
}

}  // namespace

std::vector<ScoredRecord> Context::select(std::string_view table_name, const SelectExpressions& e) {
  for (auto text : {e.match_columns, e.query, e.filter}) {
    if (text.size() > UINT_MAX) throw IndexError("groonga: select expression too large");
  }
  grn_obj* table = object(table_name);
  // The condition as the select command builds it: the query over the match columns, the
  // filter appended with AND.
  Owned match_columns(ctx_, e.match_columns.empty() ? nullptr : new_expression(ctx_, table));
  if (match_columns.get() != nullptr) {
    parse_into(ctx_, match_columns.get(), e.match_columns, nullptr, GRN_OP_AND,
               GRN_EXPR_SYNTAX_SCRIPT, "match columns");
  }
  Owned condition(ctx_, new_expression(ctx_, table));
  if (!e.query.empty()) {
    parse_into(ctx_, condition.get(), e.query, match_columns.get(), GRN_OP_AND,
               GRN_EXPR_SYNTAX_QUERY | GRN_EXPR_ALLOW_COLUMN, "query");
  }
  if (!e.filter.empty()) {
    parse_into(ctx_, condition.get(), e.filter, match_columns.get(), GRN_OP_AND,
               GRN_EXPR_SYNTAX_SCRIPT, "filter");
    if (!e.query.empty()) {
      grn_expr_append_op(ctx_, condition.get(), GRN_OP_AND, 2);
      require_success(ctx_, "filter");
    }
  }
  grn_obj* hits = empty_result_table(table);
  // Whatever ends this select, the kept table is left empty or dropped.
  struct LeaveEmpty {
    Context& context;
    grn_obj* hits;
    ~LeaveEmpty() {
      if (grn_table_size(context.ctx_, hits) != 0) context.drop_result_table();
    }
  } leave_empty{*this, hits};
  grn_table_select(ctx_, table, condition.get(), hits, GRN_OP_OR);
  require_success(ctx_, "select");
  if (grn_table_size(ctx_, hits) > 0) {
    for (const auto& boost : e.boosts) add_boost(table_name, boost, hits);
  }
  std::vector<ScoredRecord> out;
  out.reserve(grn_table_size(ctx_, hits));
  Owned score(ctx_, grn_obj_column(ctx_, hits, GRN_COLUMN_NAME_SCORE, GRN_COLUMN_NAME_SCORE_LEN));
  if (score.get() == nullptr) require_success(ctx_, "score");
  grn_obj value;
  GRN_FLOAT_INIT(&value, 0);
  grn_table_cursor* cursor = grn_table_cursor_open(ctx_, hits, nullptr, 0, nullptr, 0, 0, -1, 0);
  if (cursor == nullptr) {
    GRN_OBJ_FIN(ctx_, &value);
    require_success(ctx_, "result cursor");
    return out;
  }
  // Each hit is read, then deleted: the table is empty for the next select. A record added
  // again later reuses a deleted entry, which Groonga zeroes, so no score or sub-record of
  // this select carries over.
  for (grn_id hit; (hit = grn_table_cursor_next(ctx_, cursor)) != GRN_ID_NIL;) {
    void* key = nullptr;
    grn_table_cursor_get_key(ctx_, cursor, &key);
    grn_id record = GRN_ID_NIL;
    std::memcpy(&record, key, sizeof record);
    GRN_BULK_REWIND(&value);
    grn_obj_get_value(ctx_, score.get(), hit, &value);
    double hit_score = 0;  // GRN_FLOAT_VALUE casts the char buffer (-Wcast-align)
    if (GRN_BULK_VSIZE(&value) == sizeof hit_score) {
      std::memcpy(&hit_score, GRN_BULK_HEAD(&value), sizeof hit_score);
    }
    out.push_back({record, hit_score});
    grn_table_cursor_delete(ctx_, cursor);
  }
  grn_table_cursor_close(ctx_, cursor);
  GRN_OBJ_FIN(ctx_, &value);
  return out;
}

grn_obj* Context::empty_result_table(grn_obj* table) {
  if (result_table_ != nullptr && result_source_ == table) return result_table_;
  drop_result_table();
  result_table_ = grn_table_create(ctx_, nullptr, 0, nullptr,
                                   GRN_OBJ_TABLE_HASH_KEY | GRN_OBJ_WITH_SUBREC, table, nullptr);
  if (result_table_ == nullptr) require_success(ctx_, "result table");
  result_source_ = table;
  return result_table_;
}

void Context::drop_result_table() {
  if (result_table_ != nullptr) grn_obj_close(ctx_, result_table_);
  result_table_ = nullptr;
  result_source_ = nullptr;
}

std::vector<Posting> Context::postings(std::string_view lexicon, std::string_view index_column,
                                       std::string_view key) {
  std::vector<Posting> out;
  const grn_id term = record_id(lexicon, key);
  if (term == GRN_ID_NIL) return out;
  auto* ii = reinterpret_cast<grn_ii*>(column(lexicon, index_column));
  out.reserve(static_cast<std::size_t>(grn_ii_estimate_size(ctx_, ii, term)));
  grn_ii_cursor* cursor = grn_ii_cursor_open(ctx_, ii, term, GRN_ID_NIL, GRN_ID_MAX,
                                             static_cast<int>(grn_ii_get_n_elements(ctx_, ii)), 0);
  if (cursor == nullptr) {
    require_success(ctx_, "postings");
    return out;  // no posting list yet
  }
  while (const grn_posting* posting = grn_ii_cursor_next(ctx_, cursor)) {
    out.push_back({posting->rid, posting->tf});
  }
  grn_ii_cursor_close(ctx_, cursor);
  return out;
}

void Context::add_boost(std::string_view table, const ScoreBoost& boost, grn_obj* hits) {
  // As the select command applies an --adjuster term: an exact search of the column's index
  // for the value, adding `factor` per occurrence to the hits it finds (Groonga passes the
  // factor in vector_size).
  grn_obj* index = nullptr;
  if (grn_column_index(ctx_, column(table, boost.column), GRN_OP_MATCH, &index, 1, nullptr) == 0) {
    throw IndexError("groonga: " + std::string(table) + "." + boost.column + " has no index");
  }
  if (boost.value.size() > UINT_MAX) throw IndexError("groonga: boost value too large");
  grn_obj value;
  GRN_TEXT_INIT(&value, 0);
  GRN_TEXT_SET(ctx_, &value, boost.value.data(), boost.value.size());
  grn_search_optarg options{};
  options.mode = GRN_OP_EXACT;
  options.vector_size = boost.factor;
  grn_obj_search(ctx_, index, &value, hits, GRN_OP_ADJUST, &options);
  GRN_OBJ_FIN(ctx_, &value);
  require_success(ctx_, "boost");
}

std::string Context::key_text(std::string_view table, grn_id record) {
  char key[GRN_TABLE_MAX_KEY_SIZE];
  const int size = grn_table_get_key(ctx_, object(table), record, key, sizeof key);
  return size > 0 ? std::string(key, static_cast<std::size_t>(size)) : std::string();
}

void ContextPool::reset(grn_obj* db) {
  std::lock_guard lock(mutex_);
  idle_.clear();
  db_ = db;
}

ContextPool::Lease ContextPool::acquire() {
  std::lock_guard lock(mutex_);
  if (db_ == nullptr) throw IndexError("groonga: the index database is not open");
  if (idle_.empty()) return Lease(*this, std::make_unique<Context>(db_));
  auto context = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(context));
}

void ContextPool::give_back(std::unique_ptr<Context> context) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(context));
}

SelectResult parse_select(const nlohmann::json& output) {
  // [[[total], [[name, type], ...], row, row, ...]]
  const auto& result_set = output.at(0);
  SelectResult result;
  result.total = result_set.at(0).at(0).get<std::int64_t>();
  for (std::size_t i = 2; i < result_set.size(); ++i) result.rows.push_back(result_set[i]);
  return result;
}

}  // namespace wenku::search::groonga
