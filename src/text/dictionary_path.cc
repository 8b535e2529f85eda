#include "text/dictionary_path.h"

#include <unicode/ucharstrie.h>
#include <unicode/ucharstriebuilder.h>
#include <unicode/unistr.h>

#include <cppjieba/DictTrie.hpp>  // MIN_DOUBLE, MAX_WORD_LENGTH: the path is MPSegment's
#include <limonp/StringUtil.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "base/string_map.h"
#include "text/file_lines.h"
#include "text/utf8.h"

namespace wenku::text {

namespace {

using RuneIt = cppjieba::RuneStrArray::const_iterator;

// Calls `fn(line, fields)` for each line of `file`, split at every space as cppjieba splits it
// (limonp::Split). Throws std::runtime_error when the file cannot be read.
template <typename Fn>
void for_each_split_line(const std::filesystem::path& file, Fn fn) {
  std::vector<std::string> fields;
  for_each_file_line(file, [&](const std::string& line) {
    limonp::Split(line, fields, " ");
    fn(line, fields);
  });
}

// The words of the dictionaries and their weights, as cppjieba::DictTrie computes them.
struct Weights {
  StringMap<double> of_word;
  double min = 0;
  std::unordered_set<char32_t> user_characters;
};

Weights load_weights(const std::filesystem::path& dictionary,
                     const std::vector<std::filesystem::path>& user_dictionaries) {
  std::vector<std::pair<std::string, double>> entries;  // word, frequency
  double sum = 0;                                       // in file order, as cppjieba sums
  for_each_split_line(dictionary, [&](const std::string& line, const std::vector<std::string>& f) {
    if (f.size() != 3) {
      throw std::runtime_error("dictionary " + dictionary.string() + ": not \"word frequency " +
                               "tag\": " + line);
    }
    const double frequency = std::atof(f[1].c_str());
    sum += frequency;
    if (is_valid_utf8(f[0])) entries.emplace_back(f[0], frequency);
  });
  if (entries.empty()) throw std::runtime_error("dictionary " + dictionary.string() + " is empty");
  Weights out;
  out.of_word.reserve(entries.size());
  std::vector<double> weights;
  weights.reserve(entries.size());
  for (auto& [word, frequency] : entries) {
    const double weight = std::log(frequency / sum);
    weights.push_back(weight);
    out.of_word.insert_or_assign(std::move(word), weight);
  }
  out.min = *std::ranges::min_element(weights);
  std::nth_element(weights.begin(),
                   weights.begin() + static_cast<std::ptrdiff_t>(weights.size() / 2),
                   weights.end());
  const double median = weights[weights.size() / 2];
  cppjieba::RuneStrArray runes;
  for (const auto& file : user_dictionaries) {
    for_each_split_line(file, [&](const std::string& line, const std::vector<std::string>& f) {
      if (line.empty() || f.empty() || f.size() > 3 || !is_valid_utf8(f[0])) return;
      const double weight = f.size() == 3 ? std::log(std::atoi(f[1].c_str()) / sum) : median;
      if (!cppjieba::DecodeUTF8RunesInString(f[0], runes)) return;
      if (runes.size() == 1) out.user_characters.insert(runes[0].rune);
      out.of_word.insert_or_assign(f[0], weight);
    });
  }
  return out;
}

// A dictionary word that may start at one position (or the character alone): the position of
// its last character and its weight.
struct Edge {
  std::size_t last = 0;
  double weight = 0;
};

}  // namespace

DictionaryPath::DictionaryPath(const std::filesystem::path& dictionary,
                               const std::vector<std::filesystem::path>& user_dictionaries)
    : bmp_(0x10000, -1) {
  Weights weights = load_weights(dictionary, user_dictionaries);
  min_weight_ = weights.min;
  user_characters_ = std::move(weights.user_characters);
  // The longer words of each first character: the rest of the word and its weight.
  std::vector<std::vector<std::pair<std::string_view, double>>> longer;
  cppjieba::RuneStrArray runes;
  for (const auto& [word, weight] : weights.of_word) {
    if (!cppjieba::DecodeUTF8RunesInString(word, runes) || runes.empty()) continue;
    const char32_t c = runes[0].rune;
    if (first(c) == nullptr) {
      const auto index = static_cast<std::int32_t>(firsts_.size());
      if (c < bmp_.size()) {
        bmp_[c] = index;
      } else {
        supplementary_[c] = index;
      }
      firsts_.push_back({min_weight_, 0, ""});
      longer.emplace_back();
    }
    const auto i = static_cast<std::size_t>(first(c) - firsts_.data());
    if (runes.size() == 1) {
      firsts_[i].alone = weight;
      continue;
    }
    longer_word_starts_.add(c, runes[1].rune);
    longer[i].emplace_back(std::string_view(word).substr(runes[0].len), weight);
  }
  for (std::size_t i = 0; i < firsts_.size(); ++i) {
    if (longer[i].empty()) continue;
    UErrorCode status = U_ZERO_ERROR;
    icu::UCharsTrieBuilder rest(status);
    std::vector<double> weights_of_rest;
    for (const auto& [tail, weight] : longer[i]) {
      rest.add(icu::UnicodeString::fromUTF8(
                   icu::StringPiece(tail.data(), static_cast<int32_t>(tail.size()))),
               static_cast<int32_t>(weights_of_rest.size()), status);
      weights_of_rest.push_back(weight);
    }
    icu::UnicodeString built;
    rest.buildUnicodeString(USTRINGTRIE_BUILD_FAST, built, status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(std::string("dictionary trie: ") + u_errorName(status));
    }
    auto& entry = firsts_[i];
    entry.words = weights_of_rest.size();
    entry.longer.assign(reinterpret_cast<const char*>(weights_of_rest.data()),
                        weights_of_rest.size() * sizeof(double));
    entry.longer.append(reinterpret_cast<const char*>(built.getBuffer()),
                        static_cast<std::size_t>(built.length()) * sizeof(char16_t));
  }
}

const DictionaryPath::FirstCharacter* DictionaryPath::first(char32_t c) const {
  std::int32_t index = -1;
  if (c < bmp_.size()) {
    index = bmp_[c];
  } else if (auto it = supplementary_.find(c); it != supplementary_.end()) {
    index = it->second;
  }
  return index < 0 ? nullptr : &firsts_[static_cast<std::size_t>(index)];
}

void DictionaryPath::cut(RuneIt begin, RuneIt end, std::vector<cppjieba::WordRange>& out) const {
  const auto n = static_cast<std::size_t>(end - begin);
  // Per-thread scratch: runs are short and cut millions of times on import.
  thread_local std::vector<Edge> edges;
  thread_local std::vector<std::size_t> first_edge;  // edges of position i: [first[i], first[i+1])
  thread_local std::vector<double> weight;           // of the best path from position i
  thread_local std::vector<std::size_t> best;        // last position of its first word
  edges.clear();
  first_edge.resize(n + 1);
  weight.resize(n);
  best.resize(n);

  // The DAG, as cppjieba's Trie::Find builds it: the character alone first, then every
  // longer word starting at i, shortest first.
  for (std::size_t i = 0; i < n; ++i) {
    first_edge[i] = edges.size();
    const FirstCharacter* words_here = first(begin[i].rune);
    edges.push_back({i, words_here != nullptr ? words_here->alone : min_weight_});
    if (words_here == nullptr || words_here->words == 0) continue;
    if (i + 1 == n || !longer_word_starts_.may_start(begin[i].rune, begin[i + 1].rune)) continue;
    const char* weights = words_here->longer.data();
    // The trie's units start after the doubles, so they are aligned as char16_t.
    icu::UCharsTrie words(
        reinterpret_cast<const char16_t*>(weights + words_here->words * sizeof(double)));
    for (std::size_t j = i + 1; j < n && j - i + 1 <= cppjieba::MAX_WORD_LENGTH; ++j) {
      const UStringTrieResult result = words.nextForCodePoint(static_cast<UChar32>(begin[j].rune));
      if (result == USTRINGTRIE_NO_MATCH) break;
      if (USTRINGTRIE_HAS_VALUE(result)) {
        double weight_of_word = 0;
        std::memcpy(&weight_of_word,
                    weights + static_cast<std::size_t>(words.getValue()) * sizeof(double),
                    sizeof(double));
        edges.push_back({j, weight_of_word});
      }
      if (!USTRINGTRIE_HAS_NEXT(result)) break;
    }
  }
  first_edge[n] = edges.size();

  // MPSegment::CalcDP: the best path from each position, from the end; the same sums in the
  // same order, so ties and rounding go the same way.
  for (std::size_t i = n; i-- > 0;) {
    best[i] = i;
    weight[i] = cppjieba::MIN_DOUBLE;
    for (std::size_t e = first_edge[i]; e < first_edge[i + 1]; ++e) {
      double value = 0.0;
      if (edges[e].last + 1 < n) value += weight[edges[e].last + 1];
      value += edges[e].weight;
      if (value > weight[i]) {
        best[i] = edges[e].last;
        weight[i] = value;
      }
    }
  }

  // MPSegment::CutByDag.
  for (std::size_t i = 0; i < n; i = best[i] + 1) {
    out.emplace_back(begin + static_cast<std::ptrdiff_t>(i),
                     begin + static_cast<std::ptrdiff_t>(best[i]));
  }
}

}  // namespace wenku::text
