#include "app/ingest.h"

#include <utility>

namespace wenku::app {

web::IngestReport ingest(store::Store& store, const Enricher& enricher,
                         std::vector<doc::Document> docs) {
  web::IngestReport report;
  if (docs.empty()) return report;
  enricher.enrich_all(docs);
  // Loaded per call: other processes (`wenku import`) add documents while a server runs.
  NearDuplicateFinder finder(store);
  report.near_duplicates = finder.check(docs);
  for (const auto& written : store.put(docs)) {
    ++(written.inserted ? report.inserted : report.updated);
  }
  store.link_similar(report.near_duplicates);
  return report;
}

}  // namespace wenku::app
