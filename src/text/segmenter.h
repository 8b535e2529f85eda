// Chinese word segmentation: cppjieba's dictionary + HMM model for Han text, with rules of our
// own for numbers, Latin words and punctuation (see segmenter.cc for the segmentation standard).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::text {

// Thread-safe after construction: cut may be called concurrently from many threads.
//
// The same instance (and therefore the same dictionaries and rules) segments documents for the
// index and queries for search, so both sides always follow one segmentation standard.
class Segmenter {
 public:
  // Loads jieba.dict.utf8 and hmm_model.utf8 plus the user dictionaries user.dict.utf8 and
  // gongwen.dict.utf8 (our 公文 vocabulary) from `dict_dir`. Throws std::runtime_error naming
  // the missing file when one is absent. Loading takes about a second; share one instance.
  explicit Segmenter(const std::filesystem::path& dict_dir);
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Splits `text` into words, in order; the words are views into `text` and concatenate to it
  // minus whitespace. Whitespace (including U+3000) separates words and is dropped; punctuation
  // comes out as tokens of its own, a doubled dash or ellipsis (—— or ……) as one token. A run of
  // digits and Latin letters (ASCII or full-width) is one word, and a number keeps its unit
  // suffix: 1998年, 12月, 31日, 8时, 1万亿, 17％.
  //
  // Contract: `text` must be valid UTF-8 without NUL bytes (text::is_valid_utf8); callers check
  // this at the boundary. Anything else is rejected with std::invalid_argument naming the byte
  // offset, never segmented, so malformed input can neither crash nor loop.
  std::vector<std::string_view> cut_views(std::string_view text) const;

  // cut_views, with each word copied into a string of its own.
  std::vector<std::string> cut(std::string_view text) const;

  // Returns the words of `text` joined by single spaces, with punctuation-only tokens
  // dropped: the form stored in the index's words column (TokenDelimit). Same contract as
  // cut_views. While remember_words is on, a text segmented before (same bytes) is answered
  // from memory; the result is the same either way.
  std::string words_for_index(std::string_view text) const;

  // Makes words_for_index remember its results for texts of at least 1 KiB, up to
  // `max_bytes` of remembered words (texts met after that are segmented every time), and
  // forgets what it remembered; 0 turns remembering off. An import segments each text twice
  // (keywords and SimHash, then the index's words column): remembering makes that once. Not safe
  // while other threads segment; words_for_index itself stays thread-safe.
  void remember_words(std::size_t max_bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Finds the dictionary directory: `configured` when non-empty, else $WENKU_DICT_DIR, else
// `dict/` beside the running executable, else ../share/wenku/dict relative to it, else the
// compiled-in install location. Throws std::runtime_error listing what was tried when no
// candidate holds jieba.dict.utf8.
std::filesystem::path find_dict_dir(const std::filesystem::path& configured = {});

}  // namespace wenku::text
