// Counters of the store: document views per visitor and day, the hot lists and the admin
// dashboard's daily counts. None of it takes a change sequence number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/document.h"
#include "store/document_store.h"

namespace wenku::store {

// One counted view: `visitor` (an opaque key: cookie id or IP+UA hash) read document `id`
// on `day` ("YYYY-MM-DD", the server's local calendar day).
struct ViewEvent {
  std::string id;
  std::string day;
  std::string visitor;
};

// A document with its views over some period (hot lists).
struct HotDoc {
  doc::Summary doc;
  std::int64_t period_views = 0;
};

// A count for one calendar day ("YYYY-MM-DD"), for the admin dashboard charts.
struct DayCount {
  std::string day;
  std::int64_t count = 0;
};

// Every method is safe to call from several threads at once.
class CounterStore {
 public:
  virtual ~CounterStore() = default;

  // Counts `events` in one transaction: an event counts only when the same (id, day,
  // visitor) was not counted before (so several server processes and restarts never count a
  // visitor twice per document per day); a counted event adds one to the document's daily
  // total for `day` and to its `views`. Events naming unknown documents are ignored. Returns
  // the number of events counted. Dedupe records older than `day` minus 2 days may be pruned.
  virtual std::int64_t add_views(const std::vector<ViewEvent>& events) = 0;

  // The `limit` live documents with the most views on days >= `since_day`, most first (ties:
  // total views, then newest); documents without views in the period are not listed. With
  // `kind`, only documents of categories of that kind.
  virtual std::vector<HotDoc> hot(std::string_view since_day, std::size_t limit,
                                  std::optional<CategoryKind> kind) = 0;

  // Views per day on days >= `since_day`, ascending by day; days without views omitted.
  virtual std::vector<DayCount> views_per_day(std::string_view since_day) = 0;

  // Documents created (first inserted) per day on days >= `since_day` (UTC created_at),
  // ascending; days without new documents omitted. Soft-deleted ones included.
  virtual std::vector<DayCount> documents_per_day(std::string_view since_day) = 0;
};

}  // namespace wenku::store
