// The store: the single source of truth for documents, accounts and the site's data. The
// search index and every other derived structure can be rebuilt from it. A backend implements
// the store by concern: documents and their change sequence (document_store.h), counters
// (counter_store.h), the site's data (site_store.h) and member accounts (account_store.h).
#pragma once

#include <filesystem>
#include <memory>

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

}  // namespace wenku::store
