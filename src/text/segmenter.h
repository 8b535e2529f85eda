// Chinese word segmentation (cppjieba, mixed dictionary + HMM model).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wenku::text {

// Thread-safe after construction: Cut may be called concurrently from many threads.
class Segmenter {
 public:
  // Loads jieba.dict.utf8, hmm_model.utf8, user.dict.utf8, idf.utf8 and stop_words.utf8 from
  // `dict_dir`. Throws std::runtime_error naming the missing file when one is absent.
  // Loading takes about a second; share one instance.
  explicit Segmenter(const std::filesystem::path& dict_dir);
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Splits valid UTF-8 `text` into words, in order. Whitespace-only tokens are dropped;
  // punctuation comes out as tokens of its own.
  std::vector<std::string> cut(std::string_view text) const;

  // Returns the words of `text` joined by single spaces, with punctuation-only tokens
  // dropped: the form stored in the index's words column (TokenDelimit).
  std::string words_for_index(std::string_view text) const;

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
