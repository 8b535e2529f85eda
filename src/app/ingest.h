// Committing documents edited or uploaded through the admin, derived the way `wenku import`
// derives them.
#pragma once

#include <vector>

#include "app/enricher.h"
#include "doc/document.h"
#include "store/store.h"
#include "web/server.h"

namespace wenku::app {

// Fills the derived fields of `docs` (Enricher::enrich_all: keywords, SimHash, analysis),
// finds their near-duplicates among the store's live documents and each other
// (NearDuplicateFinder), commits them in one transaction (Store::put) and links the pairs
// found (Store::link_similar). Returns the counts of new and replaced documents and the pairs
// (a: the document already there, b: the new text). Throws what the store or the enricher
// throws (text::InvalidUtf8, store::StoreError); nothing is committed then.
web::IngestReport ingest(store::Store& store, const Enricher& enricher,
                         std::vector<doc::Document> docs);

}  // namespace wenku::app
