// Words of a text in key form (for keywords and SimHash) and TF-IDF keyword extraction.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/string_map.h"
#include "text/segmenter.h"

namespace wenku::text {

// One word of a text: its search key (normalize_key form, which the counting and the IDF
// tables use) and the same span of the original text (what a reader should see).
struct Word {
  std::string key;
  std::string_view surface;  // points into the text given to segment_words
};

// Segments normalize_key(`text`) (so Traditional text is cut with the Simplified dictionary)
// and returns its words in order, each with the matching span of `text` (the key has the
// same code points positions as the text, see normalize.h). Tokens made only of
// punctuation, symbols or spaces are dropped. Throws InvalidUtf8 for invalid UTF-8.
// The result's surfaces point into `text`: keep it alive while they are used.
std::vector<Word> segment_words(const Segmenter& segmenter, std::string_view text);

// How many of the library's documents contain each keyword candidate key (the keys of
// KeywordExtractor::candidates of their texts): the IDF source. Only candidates are ever
// ranked, so other words (single characters, numbers, stop words: about half of a text's
// distinct keys) are not counted.
struct DocumentFrequencies {
  std::int64_t documents = 0;  // documents counted
  // Candidate key → documents containing it. abseil's open-addressing table: an import
  // counts ~9 million keys of its documents into ~300,000 entries and looks each up again
  // for the keywords; std::unordered_map's node per entry cost several cache misses a lookup
  // (5 % of an import's time).
  absl::flat_hash_map<std::string, std::int64_t, StringHash, std::equal_to<>> counts;
};

// The keyword candidates of one text (KeywordExtractor::candidates): each distinct key that
// may be a keyword, with its number of occurrences and its first surface form, in key byte
// order. Owns its bytes, so it outlives the text and its words (about 20 bytes a candidate:
// an import keeps one per document until the library's frequencies are known). Holds texts
// of up to 4 GiB.
class KeywordCandidates {
 public:
  struct Entry {
    std::string_view key;
    std::string_view surface;
    std::uint32_t count = 0;
  };

  std::size_t size() const { return entries_.size(); }
  Entry operator[](std::size_t i) const;

 private:
  friend class KeywordExtractor;
  // The key's bytes at `offset` in bytes_, the surface's right after them when it differs
  // from the key (surface_size 0: the surface is the key).
  struct Packed {
    std::uint32_t offset = 0;
    std::uint32_t key_size = 0;
    std::uint32_t surface_size = 0;
    std::uint32_t count = 0;
  };
  void add(std::string_view key, std::string_view surface, std::uint32_t count);

  std::string bytes_;
  std::vector<Packed> entries_;
};

// Keyword extraction by TF-IDF. Immutable after construction: safe to share between threads.
class KeywordExtractor {
 public:
  // The library's own IDF is used only once it counts at least this many documents; below
  // that its ratios are too coarse and cppjieba's general idf.utf8 decides alone.
  static constexpr std::int64_t kMinLibraryDocuments = 100;

  // Loads stop_words.utf8 (one word per line) from `dict_dir`, keyed by normalize_key; its
  // idf.utf8 ("word idf" per line, 260,000 lines: 0.3 s) is loaded by the first idf() call
  // that needs it (an import's keywords never do). Throws std::runtime_error naming a
  // missing or unreadable file.
  explicit KeywordExtractor(const std::filesystem::path& dict_dir);

  // True when a word key may be a keyword: at least two code points, at least one letter
  // (Han characters count; numbers and punctuation do not), not a stop word.
  bool is_candidate(std::string_view key) const;

  // The inverse document frequency of `key`: ln(N / df) from `library` when it holds at
  // least kMinLibraryDocuments documents and counts the key; else idf.utf8's value; else the
  // median of idf.utf8 (cppjieba's choice for unknown words). Thread-safe; throws
  // std::runtime_error when idf.utf8 cannot be read or holds no entries.
  double idf(std::string_view key, const DocumentFrequencies& library) const;

  // The `k` candidate words of `words` with the highest term frequency × idf, best first
  // (ties: the key in byte order), each given by its first surface form in the text.
  // Distinct keys give distinct keywords.
  std::vector<std::string> top(const std::vector<Word>& words, const DocumentFrequencies& library,
                               std::size_t k) const;

  // The same keywords from the candidates of the words: top(words, …) equals
  // top(candidates(words), …).
  std::vector<std::string> top(const KeywordCandidates& candidates,
                               const DocumentFrequencies& library, std::size_t k) const;

  // The candidate words of `words` (is_candidate) with their counts and first surfaces: their
  // keys are what DocumentFrequencies counts of a text.
  KeywordCandidates candidates(const std::vector<Word>& words) const;

 private:
  // Fills idf_ and median_idf_ from idf_file_.
  void load_general_idf() const;

  std::filesystem::path idf_file_;
  mutable std::once_flag idf_loaded_;
  mutable StringMap<double> idf_;
  mutable double median_idf_ = 0;
  StringSet stop_words_;
};

}  // namespace wenku::text
