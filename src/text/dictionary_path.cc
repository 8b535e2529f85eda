#include "text/dictionary_path.h"

#include <unicode/bytestrie.h>
#include <unicode/bytestriebuilder.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace wenku::text {

namespace {

using RuneIt = cppjieba::RuneStrArray::const_iterator;

// Feeds the UTF-8 bytes of `rune` (a character of `text`) to `words`.
UStringTrieResult next_rune(icu::BytesTrie& words, std::string_view text,
                            const cppjieba::RuneStr& rune) {
  UStringTrieResult result = USTRINGTRIE_NO_MATCH;
  for (std::uint32_t i = 0; i < rune.len; ++i) {
    result = words.next(static_cast<unsigned char>(text[rune.offset + i]));
    if (result == USTRINGTRIE_NO_MATCH) break;
  }
  return result;
}

// The words of a cppjieba dictionary file: the text before the first space of each line.
void read_words(const std::filesystem::path& file, std::vector<std::string>& out) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read dictionary " + file.string());
  for (std::string line; std::getline(in, line);) {
    std::string word = line.substr(0, line.find(' '));
    if (!word.empty()) out.push_back(std::move(word));
  }
}

// A dictionary word that may start at one position (or the character alone): the position of
// its last character and its weight.
struct Edge {
  std::size_t last = 0;
  double weight = 0;
};

}  // namespace

DictionaryPath::DictionaryPath(const cppjieba::DictTrie& trie,
                               const std::vector<std::filesystem::path>& dictionary_files)
    : trie_(trie), bmp_(0x10000, -1) {
  std::vector<std::string> words;
  for (const auto& file : dictionary_files) read_words(file, words);
  std::ranges::sort(words);
  words.erase(std::unique(words.begin(), words.end()), words.end());
  // Sorted words: those with the same first character are adjacent, the word of that
  // character alone first.
  cppjieba::RuneStrArray runes;
  std::unique_ptr<icu::BytesTrieBuilder> rest;  // of the current first character
  std::vector<double> weights;                  // of its longer words
  auto finish = [&] {
    if (!rest) return;
    UErrorCode status = U_ZERO_ERROR;
    const icu::StringPiece built = rest->buildStringPiece(USTRINGTRIE_BUILD_FAST, status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(std::string("dictionary trie: ") + u_errorName(status));
    }
    auto& entry = firsts_.back();
    entry.words = weights.size();
    entry.longer.assign(reinterpret_cast<const char*>(weights.data()),
                        weights.size() * sizeof(double));
    entry.longer.append(built.data(), static_cast<std::size_t>(built.size()));
    rest.reset();
    weights.clear();
  };
  char32_t current = 0;
  for (const auto& word : words) {
    if (!cppjieba::DecodeUTF8RunesInString(word, runes) || runes.empty()) continue;
    const cppjieba::DictUnit* unit = trie.Find(runes.begin(), runes.end());
    if (unit == nullptr) continue;  // a line cppjieba did not take
    const char32_t c = runes[0].rune;
    if (firsts_.empty() || c != current) {
      finish();
      current = c;
      const auto index = static_cast<std::int32_t>(firsts_.size());
      if (c < bmp_.size()) {
        bmp_[c] = index;
      } else {
        supplementary_[c] = index;
      }
      firsts_.push_back({trie.GetMinWeight(), 0, ""});
    }
    if (runes.size() == 1) {
      firsts_.back().alone = unit->weight;
      continue;
    }
    longer_word_starts_.add(c, runes[1].rune);
    UErrorCode status = U_ZERO_ERROR;
    if (!rest) rest = std::make_unique<icu::BytesTrieBuilder>(status);
    const std::string_view tail = std::string_view(word).substr(runes[0].len);
    rest->add(icu::StringPiece(tail.data(), static_cast<int32_t>(tail.size())),
              static_cast<int32_t>(weights.size()), status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(std::string("dictionary trie: ") + u_errorName(status));
    }
    weights.push_back(unit->weight);
  }
  finish();
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

void DictionaryPath::cut(RuneIt begin, RuneIt end, std::string_view text,
                         std::vector<cppjieba::WordRange>& out) const {
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
    edges.push_back({i, words_here != nullptr ? words_here->alone : trie_.GetMinWeight()});
    if (words_here == nullptr || words_here->words == 0) continue;
    if (i + 1 == n || !longer_word_starts_.may_start(begin[i].rune, begin[i + 1].rune)) continue;
    const char* weights = words_here->longer.data();
    icu::BytesTrie words(weights + words_here->words * sizeof(double));
    for (std::size_t j = i + 1; j < n && j - i + 1 <= cppjieba::MAX_WORD_LENGTH; ++j) {
      const UStringTrieResult result = next_rune(words, text, begin[j]);
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
