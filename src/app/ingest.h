// The one import pipeline: what `wenku import` does with each batch it reads, and an admin
// upload or edit with each file's documents (docs/architecture.md, "The import path").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/enricher.h"
#include "doc/document.h"
#include "store/store.h"
#include "web/server.h"

namespace wenku::app {

// Commits documents to a library, deriving what `wenku import` derives, and keeps its
// keywords current. Not thread-safe: one per import, or one per upload (a server makes one
// per call of web::Services::ingest).
class Ingest {
 public:
  // An ingest into `store`, finding near-duplicates among its live documents (their
  // SimHashes are loaded now) and the documents added through this object. With
  // `tally_first_import`, an ingest into a library that never held a document
  // (Store::last_seq() == 0) tallies its texts' words instead of computing keywords
  // (Enricher::tally_into: nothing else may use `enricher` until finish()), and finish()
  // computes every keyword once, from the tally. `store` and `enricher` must outlive it.
  Ingest(store::Store& store, Enricher& enricher, bool tally_first_import = false);
  ~Ingest();  // stops tallying
  Ingest(const Ingest&) = delete;
  Ingest& operator=(const Ingest&) = delete;

  // Commits `docs`: an id given more than once keeps its last document, at the place of its
  // first; the stored word frequencies are loaded when they are newer than those `enricher`
  // holds (Enricher::reload_frequencies); each document is enriched (Enricher::enrich_all:
  // keywords, SimHash, analysis) and checked for near-duplicates (NearDuplicateFinder); all
  // are written in one transaction (Store::put) and the pairs found are linked
  // (Store::link_similar). Returns the number of new and replaced documents and the pairs
  // (a: the document already there, b: the new text). Throws what the store or the
  // enricher throws (text::InvalidUtf8, store::StoreError); nothing of `docs` is committed
  // then.
  web::IngestReport add(std::vector<doc::Document> docs);

  // Ends the ingest: stops tallying and refreshes the library's keywords (refresh_keywords)
  // when they need it: after a first import, from the tally when it covers exactly the live
  // documents, else (an id in two batches, a batch that failed) by a recount; otherwise when
  // keywords_stale says so. Returns the number of documents the new frequencies count;
  // nullopt when no refresh was needed.
  std::optional<std::int64_t> finish();

  // Every pair add() has linked so far, in the order found.
  const std::vector<store::SimilarPair>& near_duplicates() const { return near_duplicates_; }

 private:
  store::Store& store_;
  Enricher& enricher_;
  NearDuplicateFinder finder_;
  std::optional<ImportTally> tally_;  // while tallying a first import
  std::vector<store::SimilarPair> near_duplicates_;
};

// Refreshes the keywords of `store` (refresh_keywords) when keywords_stale says they need it,
// as the server's index follower does after indexing new documents. Returns the number of
// documents counted; nullopt when they were current.
std::optional<std::int64_t> refresh_stale_keywords(store::Store& store, Enricher& enricher);

}  // namespace wenku::app
