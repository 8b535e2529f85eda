// Internal to the text module: the dictionary step of segmentation, cppjieba's
// maximum-probability path (MPSegment) over the words of its DictTrie, computed with the
// words indexed by their first character (a table over the BMP) and the rest of each word in
// a small ICU BytesTrie per first character. cppjieba walks its own trie, an
// std::unordered_map per node, for every character of every text (11 % of an import of the
// corpus); one BytesTrie of all words was slower still (its root branches over thousands of
// lead bytes). The words, their weights and the path are cppjieba's (tested on corpus texts).
#pragma once

#include <cppjieba/DictTrie.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/pair_filter.h"

namespace wenku::text {

class DictionaryPath {
 public:
  // The words of `trie`, which cppjieba loaded from `dictionary_files` (its main dictionary
  // and user dictionaries, one word per line before the first space): each word cppjieba's
  // trie holds keeps the entry (weight) the trie holds for it. Throws std::runtime_error when
  // a file cannot be read. `trie` must outlive this object.
  DictionaryPath(const cppjieba::DictTrie& trie,
                 const std::vector<std::filesystem::path>& dictionary_files);

  // Appends to `out` the words of the maximum-probability path through the runes
  // [begin, end) of `text` (whose offsets and lengths they hold), exactly as
  // cppjieba::MPSegment::Cut finds it: a character the dictionary does not hold as a word is
  // a word of its own.
  void cut(cppjieba::RuneStrArray::const_iterator begin, cppjieba::RuneStrArray::const_iterator end,
           std::string_view text, std::vector<cppjieba::WordRange>& out) const;

 private:
  // The words starting with one character: the weight of the character as a word of its own
  // (cppjieba's minimum weight when the dictionary does not hold it), and in one buffer the
  // weights of the longer words (doubles) followed by the serialised icu::BytesTrie of the
  // UTF-8 of their rest, whose values index the weights; empty when there are none. Weights
  // are copied out of cppjieba's entries and kept beside the trie: reading them elsewhere
  // was a cache miss per word.
  struct FirstCharacter {
    double alone = 0;
    std::size_t words = 0;  // longer words
    std::string longer;     // their weights, then their BytesTrie
  };
  const FirstCharacter* first(char32_t c) const;

  const cppjieba::DictTrie& trie_;
  std::vector<std::int32_t> bmp_;  // code point -> index into firsts_, -1 when no word
  std::unordered_map<char32_t, std::int32_t> supplementary_;  // the same above U+FFFF
  std::vector<FirstCharacter> firsts_;
  // The first two characters of the words of two or more. Half the positions of Han text
  // have a first character that starts longer words but no word starting with the two
  // characters there; the trie walk that found this was most of the dictionary step. The
  // ~180,000 pairs of the dictionaries set 2 % of 2^23 bits (1 MiB).
  PairFilter longer_word_starts_{23};
};

}  // namespace wenku::text
