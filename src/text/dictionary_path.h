// Internal to the text module: the dictionary step of segmentation, cppjieba's
// maximum-probability path (MPSegment) over the words of its dictionaries, computed with the
// words indexed by their first character (a table over the BMP) and the rest of each word in
// a small ICU UCharsTrie per first character, walked one character (UTF-16 unit) per step.
// cppjieba walks its own trie, an std::unordered_map per node, for every character of every
// text (11 % of an import of the corpus); one BytesTrie of all words was slower still (its
// root branches over thousands of lead bytes), and a BytesTrie per first character, three
// byte steps per Han character, took 37 % more instructions (callgrind, bench/segment_bench
// BM_DictionaryStepWenku: 3.05 G against 2.23 G). The words, their weights and the path are
// cppjieba's (tested on corpus texts against MPSegment over cppjieba's DictTrie), but the
// dictionaries are read here: building a DictTrie only to take its weights was most of every
// command's start-up (0.4 s).
#pragma once

#include <cppjieba/Unicode.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/pair_filter.h"

namespace wenku::text {

class DictionaryPath {
 public:
  // Loads the words and weights exactly as cppjieba::DictTrie(dictionary, user dictionaries)
  // does. `dictionary` has lines "word frequency tag": a word weighs
  // ln(frequency / sum of the file's frequencies), and a character that is no word weighs
  // the smallest of these. The user dictionaries have lines "word", "word tag" (the median
  // weight of `dictionary`) or "word frequency tag" (ln(frequency / the same sum)); empty
  // lines and lines of other shapes or not valid UTF-8 are skipped. A word listed again
  // takes its last weight. Throws std::runtime_error when a file cannot be read or a line of
  // `dictionary` is not of three fields.
  DictionaryPath(const std::filesystem::path& dictionary,
                 const std::vector<std::filesystem::path>& user_dictionaries);

  // True when a user dictionary lists the character `c` alone as a word
  // (cppjieba::DictTrie::IsUserDictSingleChineseWord).
  bool is_user_word_character(char32_t c) const { return user_characters_.contains(c); }

  // Appends to `out` the words of the maximum-probability path through the runes
  // [begin, end), exactly as cppjieba::MPSegment::Cut finds it: a character the dictionary
  // does not hold as a word is a word of its own.
  void cut(cppjieba::RuneStrArray::const_iterator begin, cppjieba::RuneStrArray::const_iterator end,
           std::vector<cppjieba::WordRange>& out) const;

 private:
  // The words starting with one character: the weight of the character as a word of its own
  // (cppjieba's minimum weight when the dictionary does not hold it), and in one buffer the
  // weights of the longer words (doubles) followed by the serialised icu::UCharsTrie of the
  // UTF-16 of their rest, whose values index the weights; empty when there are none. Weights
  // are copied out of cppjieba's entries and kept beside the trie: reading them elsewhere
  // was a cache miss per word.
  struct FirstCharacter {
    double alone = 0;
    std::size_t words = 0;  // longer words
    std::string longer;     // their weights, then their BytesTrie
  };
  const FirstCharacter* first(char32_t c) const;

  double min_weight_ = 0;  // of a character that is no word
  std::unordered_set<char32_t> user_characters_;
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
