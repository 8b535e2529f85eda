// What every backend of the store checks before it writes, and the stored forms the backends
// share, so that SQLite and PostgreSQL accept and refuse exactly the same input. Internal to
// the store module. Each check throws StoreError naming the operation.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doc/document.h"
#include "store/counter_store.h"
#include "store/document_store.h"
#include "store/site_store.h"

namespace wenku::store {

// Throws StoreError unless `d` may be stored: non-empty id and title, every text field valid
// UTF-8 without NUL bytes. `index` is the document's position in its batch.
void require_storable(const doc::Document& d, std::size_t index);

// Throws StoreError naming `operation` and `field` unless `value` is valid UTF-8 without NUL
// bytes (like every text the store keeps).
void require_text(std::string_view operation, std::string_view field, std::string_view value);

// require_text for each (field, value) of `fields`.
void require_texts(std::string_view operation,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// As require_text, and throws StoreError when `value` is empty.
void require_name(std::string_view operation, std::string_view field, std::string_view value);

// True when `day` is a calendar day written "YYYY-MM-DD".
bool is_day(std::string_view day);

// Throws StoreError unless every event's day is a calendar day "YYYY-MM-DD" (add_views).
void require_days(const std::vector<ViewEvent>& events);

// Throws StoreError naming `operation` unless `role` is one of the roles an account may have
// and `vip_until` is "" or a calendar day "YYYY-MM-DD".
void require_role(std::string_view operation, std::string_view role, std::string_view vip_until);

// Throws StoreError unless `collection` may be stored: a slug of [a-z0-9-]+, texts valid.
void require_collection(const Collection& collection);

// doc::Visibility from its stored word (doc::visibility_name); StoreError for an unknown one.
doc::Visibility visibility_from_word(std::string_view word);

// The stored form of a category kind: "model" or "reference".
std::string_view kind_code(CategoryKind kind);

// The SQL condition on `column` (a category name) that keeps the categories of `kind`
// (" AND …", for a WHERE clause): 资料 are the names set so in category_kinds, 范文 every other
// name; "" without a kind. The same text in both databases.
std::string kind_condition(std::string_view column, std::optional<CategoryKind> kind);

// A LIMIT or OFFSET value: both databases take signed 64-bit integers.
std::int64_t sql_count(std::size_t n);

}  // namespace wenku::store
