#include "app/ingest.h"

#include <utility>

#include "base/string_map.h"

namespace wenku::app {

namespace {

// `docs` with each id once: its last document, at the place of its first.
std::vector<doc::Document> last_of_each_id(std::vector<doc::Document> docs) {
  std::vector<doc::Document> out;
  out.reserve(docs.size());
  StringMap<std::size_t> slot_of_id;
  slot_of_id.reserve(docs.size());
  for (auto& d : docs) {
    const auto [slot, fresh] = slot_of_id.try_emplace(d.id, out.size());
    if (fresh) {
      out.push_back(std::move(d));
    } else {
      out[slot->second] = std::move(d);
    }
  }
  return out;
}

}  // namespace

Ingest::Ingest(store::Store& store, Enricher& enricher, bool tally_first_import)
    : store_(store), enricher_(enricher), finder_(store) {
  if (tally_first_import && store_.last_seq() == 0) {
    tally_.emplace();
    enricher_.tally_into(&*tally_);
  }
}

Ingest::~Ingest() {
  if (tally_) enricher_.tally_into(nullptr);
}

web::IngestReport Ingest::add(std::vector<doc::Document> docs) {
  web::IngestReport report;
  docs = last_of_each_id(std::move(docs));
  if (docs.empty()) return report;
  if (!tally_) enricher_.reload_frequencies(store_);
  enricher_.enrich_all(docs);
  report.near_duplicates = finder_.check(docs);
  for (const auto& written : store_.put(docs)) {
    ++(written.inserted ? report.inserted : report.updated);
  }
  store_.link_similar(report.near_duplicates);
  near_duplicates_.insert(near_duplicates_.end(), report.near_duplicates.begin(),
                          report.near_duplicates.end());
  return report;
}

std::optional<std::int64_t> Ingest::finish() {
  if (!tally_) return refresh_stale_keywords(store_, enricher_);
  enricher_.tally_into(nullptr);
  ImportTally tally = std::move(*tally_);
  tally_.reset();
  // The tally covers the library unless a record failed after it was tallied or an id came
  // in two batches: then the refresh counts for itself.
  const auto live = store_.count();
  const bool complete = tally.frequencies.documents == live &&
                        static_cast<std::int64_t>(tally.candidates.size()) == live;
  return refresh_keywords(store_, enricher_,
                          complete ? std::make_optional(std::move(tally)) : std::nullopt);
}

std::optional<std::int64_t> refresh_stale_keywords(store::Store& store, Enricher& enricher) {
  if (!keywords_stale(store)) return std::nullopt;
  return refresh_keywords(store, enricher);
}

}  // namespace wenku::app
