#include "search/groonga.h"

#include <climits>
#include <cstdlib>
#include <mutex>

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

Context::Context() : ctx_(open_context()) {}

Context::Context(grn_obj* shared_db) : ctx_(open_context()) {
  if (grn_ctx_use(ctx_, shared_db) != GRN_SUCCESS) {
    std::string reason = ctx_->errbuf;
    grn_ctx_close(ctx_);
    throw IndexError("groonga: cannot use the database: " + reason);
  }
  db_ = shared_db;
}

Context::~Context() {
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

void Context::load(std::string_view table, const nlohmann::json& records) {
  if (records.empty()) return;
  // The load command reads its values from the next message, so they need no quoting.
  command("load --table " + std::string(table));
  auto values = records.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto output = send(values, "load");
  if (output != std::to_string(records.size())) {
    throw IndexError("groonga: load into " + std::string(table) + " took " + output + " of " +
                     std::to_string(records.size()) + " records");
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
  std::int64_t out = GRN_BULK_VSIZE(&value) == sizeof(std::int64_t) ? GRN_INT64_VALUE(&value) : 0;
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
