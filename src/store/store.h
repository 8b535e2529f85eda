// The store: the single source of truth for documents, accounts and the site's data. The
// search index and every other derived structure can be rebuilt from it. A backend implements
// the store by concern: documents and their change sequence (document_store.h), counters
// (counter_store.h), the site's data (site_store.h) and member accounts (account_store.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/account_store.h"
#include "store/counter_store.h"
#include "store/document_store.h"
#include "store/site_store.h"
#include "store/store_error.h"

namespace wenku::store {

// A whole store: every concern of one database. Callers that need one concern take its
// interface.
class Store : public DocumentStore, public CounterStore, public SiteStore, public AccountStore {};

// Opens (creating when absent) the SQLite database at `path` with WAL journaling, foreign
// keys on and a busy timeout, and applies pending migrations from src/store/sql/ in
// version order, each in its own transaction. Throws StoreError on failure.
std::unique_ptr<Store> open_sqlite(const std::filesystem::path& path);

// Opens the PostgreSQL database at `url` (postgresql://USER@HOST[:PORT]/DB…, or a libpq
// keyword string) and applies pending migrations from src/store/sql/pg/ (each once, also
// when several nodes start at once). With `read_url`, a hot standby of it, reads go to the
// standby while the primary cannot be reached; writes then throw StoreUnavailable. Throws
// StoreError (StoreUnavailable when the primary cannot be reached).
std::unique_ptr<Store> open_postgres(const std::string& url, const std::string& read_url = "");

// True when `url` names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgres_url(std::string_view url);

// Opens the store `url` names: "sqlite:PATH" (open_sqlite) or a PostgreSQL URL (open_postgres,
// with `read_url`). Throws std::invalid_argument for any other URL, and for a `read_url` with
// SQLite; StoreError when the database cannot be opened.
std::unique_ptr<Store> open_store(std::string_view url, std::string_view read_url = "");

}  // namespace wenku::store
