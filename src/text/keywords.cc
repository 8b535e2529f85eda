#include "text/keywords.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "text/file_lines.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace wenku::text {

namespace {

// Advances `key_pos` in `key` and `text_pos` in `text` together, code point by code point,
// until `key_pos` reaches `key_target`. Both strings have the same code points count (see
// normalize_key), so the positions stay on the same code point.
void advance_together(std::string_view key, std::size_t& key_pos, std::size_t key_target,
                      std::string_view text, std::size_t& text_pos) {
  while (key_pos < key_target) {
    decode_at(key, key_pos);
    decode_at(text, text_pos);
  }
}

// A word's position in its text, with the first 8 bytes of its key read as a big-endian
// number (zero-padded): comparing prefixes orders most pairs of keys as their bytes do
// without calling memcmp (keys hold no NUL).
struct KeyedPosition {
  std::uint64_t prefix;
  std::uint32_t position;
};

constexpr std::size_t kPrefixBytes = sizeof(std::uint64_t);

std::uint64_t key_prefix(std::string_view key) {
  std::uint64_t prefix = 0;
  const std::size_t n = std::min(key.size(), kPrefixBytes);
  for (std::size_t i = 0; i < kPrefixBytes; ++i) {
    prefix = (prefix << 8) | (i < n ? static_cast<unsigned char>(key[i]) : 0u);
  }
  return prefix;
}

// The positions of `words` ordered by key in byte order, equal keys by position: sorting
// groups equal keys with their first occurrence first, cheaper for a long text than a hash
// map node per distinct word.
std::vector<KeyedPosition> positions_by_key(const std::vector<Word>& words) {
  std::vector<KeyedPosition> order(words.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = {key_prefix(words[i].key), static_cast<std::uint32_t>(i)};
  }
  std::ranges::sort(order, [&](const KeyedPosition& a, const KeyedPosition& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    const std::string_view x = words[a.position].key;
    const std::string_view y = words[b.position].key;
    // Equal prefixes: a key of at most 8 bytes is the other key or a prefix of it.
    if (x.size() <= kPrefixBytes || y.size() <= kPrefixBytes) {
      return x.size() != y.size() ? x.size() < y.size() : a.position < b.position;
    }
    const int c = x.substr(kPrefixBytes).compare(y.substr(kPrefixBytes));
    return c != 0 ? c < 0 : a.position < b.position;
  });
  return order;
}

// Calls `fn(first, occurrences)` for each distinct key of `words` in byte order, with the
// word of its first occurrence and its number of occurrences.
template <typename Fn>
void for_each_distinct_key(const std::vector<Word>& words, Fn fn) {
  const auto order = positions_by_key(words);
  for (std::size_t i = 0; i < order.size();) {
    const Word& first = words[order[i].position];
    std::size_t j = i + 1;
    while (j < order.size() && order[j].prefix == order[i].prefix &&
           words[order[j].position].key == first.key) {
      ++j;
    }
    fn(first, static_cast<std::uint32_t>(j - i));
    i = j;
  }
}

}  // namespace

std::vector<Word> segment_words(const Segmenter& segmenter, std::string_view text) {
  const std::string key = normalize_key(text);
  // words_for_index: the segmenter's own rule for dropping punctuation; words hold no spaces.
  const std::string joined = segmenter.words_for_index(key);
  std::vector<Word> words;
  std::size_t key_pos = 0;
  std::size_t text_pos = 0;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = std::min(joined.find(' ', start), joined.size());
    const std::string_view token(joined.data() + start, end - start);
    start = end + 1;
    const std::size_t at = key.find(token, key_pos);
    if (token.empty() || at == std::string::npos) continue;  // cut keeps words in text order
    advance_together(key, key_pos, at, text, text_pos);
    const std::size_t surface_start = text_pos;
    if (text.compare(text_pos, token.size(), token) == 0) {
      // Written as its key (most words): the same bytes are the same code points, so both
      // positions move past it without decoding.
      key_pos += token.size();
      text_pos += token.size();
    } else {
      advance_together(key, key_pos, at + token.size(), text, text_pos);
    }
    words.push_back(Word{std::string(token), text.substr(surface_start, text_pos - surface_start)});
  }
  return words;
}

KeywordExtractor::KeywordExtractor(const std::filesystem::path& dict_dir)
    : idf_file_(dict_dir / "idf.utf8") {
  if (!std::filesystem::is_regular_file(idf_file_)) {
    throw std::runtime_error("keyword dictionary missing: " + idf_file_.string());
  }
  for_each_file_line(dict_dir / "stop_words.utf8", [&](std::string_view line) {
    line = trim(line);
    if (!line.empty() && is_valid_utf8(line)) stop_words_.insert(normalize_key(line));
  });
}

bool KeywordExtractor::is_candidate(std::string_view key) const {
  if (count_code_points(key) < 2 || stop_words_.contains(key)) return false;
  std::size_t pos = 0;
  while (pos < key.size()) {
    if (u_isalpha(static_cast<UChar32>(decode_at(key, pos)))) return true;
  }
  return false;
}

void KeywordExtractor::load_general_idf() const {
  std::vector<double> values;
  for_each_file_line(idf_file_, [&](std::string_view line) {
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos || !is_valid_utf8(line)) return;
    const double value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
    idf_.emplace(normalize_key(line.substr(0, space)), value);
    values.push_back(value);
  });
  if (values.empty()) throw std::runtime_error(idf_file_.string() + " holds no entries");
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  median_idf_ = values[values.size() / 2];
}

double KeywordExtractor::idf(std::string_view key, const DocumentFrequencies& library) const {
  if (library.documents >= kMinLibraryDocuments) {
    if (auto it = library.counts.find(key); it != library.counts.end() && it->second > 0) {
      return std::log(static_cast<double>(library.documents) / static_cast<double>(it->second));
    }
  }
  std::call_once(idf_loaded_, [this] { load_general_idf(); });
  if (auto it = idf_.find(key); it != idf_.end()) return it->second;
  return median_idf_;
}

KeywordCandidates::Entry KeywordCandidates::operator[](std::size_t i) const {
  const Packed& p = entries_[i];
  const std::string_view key(bytes_.data() + p.offset, p.key_size);
  const std::string_view surface =
      p.surface_size == 0 ? key
                          : std::string_view(bytes_.data() + p.offset + p.key_size, p.surface_size);
  return Entry{key, surface, p.count};
}

void KeywordCandidates::add(std::string_view key, std::string_view surface, std::uint32_t count) {
  const bool own_surface = surface != key;
  const std::size_t size = key.size() + (own_surface ? surface.size() : 0);
  if (bytes_.size() + size > UINT32_MAX) throw std::length_error("keyword candidates over 4 GiB");
  entries_.push_back(Packed{static_cast<std::uint32_t>(bytes_.size()),
                            static_cast<std::uint32_t>(key.size()),
                            static_cast<std::uint32_t>(own_surface ? surface.size() : 0), count});
  bytes_ += key;
  if (own_surface) bytes_ += surface;
}

KeywordCandidates KeywordExtractor::candidates(const std::vector<Word>& words) const {
  KeywordCandidates out;
  for_each_distinct_key(words, [&](const Word& first, std::uint32_t occurrences) {
    if (is_candidate(first.key)) out.add(first.key, first.surface, occurrences);
  });
  return out;
}

std::vector<std::string> KeywordExtractor::top(const std::vector<Word>& words,
                                               const DocumentFrequencies& library,
                                               std::size_t k) const {
  return top(candidates(words), library, k);
}

std::vector<std::string> KeywordExtractor::top(const KeywordCandidates& candidates,
                                               const DocumentFrequencies& library,
                                               std::size_t k) const {
  struct Ranked {
    std::size_t index;  // in candidates, which are in key order
    double score;
  };
  std::vector<Ranked> ranked(candidates.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto c = candidates[i];
    ranked[i] = Ranked{i, static_cast<double>(c.count) * idf(c.key, library)};
  }
  const std::size_t n = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    [](const Ranked& a, const Ranked& b) {
                      return a.score != b.score ? a.score > b.score : a.index < b.index;
                    });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(candidates[ranked[i].index].surface);
  return out;
}

}  // namespace wenku::text
