#include "text/keywords.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

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

// Calls `fn(line)` for each line of the file, or throws naming the file.
template <typename Fn>
void for_each_line(const std::filesystem::path& file, Fn fn) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("keyword dictionary missing: " + file.string());
  std::string line;
  while (std::getline(in, line)) fn(std::string_view(line));
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
    advance_together(key, key_pos, at + token.size(), text, text_pos);
    words.push_back(Word{std::string(token), text.substr(surface_start, text_pos - surface_start)});
  }
  return words;
}

KeywordExtractor::KeywordExtractor(const std::filesystem::path& dict_dir) {
  std::vector<double> values;
  for_each_line(dict_dir / "idf.utf8", [&](std::string_view line) {
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos || !is_valid_utf8(line)) return;
    const double value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
    idf_.emplace(normalize_key(line.substr(0, space)), value);
    values.push_back(value);
  });
  if (values.empty()) throw std::runtime_error("idf.utf8 holds no entries in " + dict_dir.string());
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  median_idf_ = values[values.size() / 2];
  for_each_line(dict_dir / "stop_words.utf8", [&](std::string_view line) {
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

double KeywordExtractor::idf(std::string_view key, const DocumentFrequencies& library) const {
  if (library.documents >= kMinLibraryDocuments) {
    if (auto it = library.counts.find(key); it != library.counts.end() && it->second > 0) {
      return std::log(static_cast<double>(library.documents) / static_cast<double>(it->second));
    }
  }
  if (auto it = idf_.find(key); it != idf_.end()) return it->second;
  return median_idf_;
}

std::vector<std::string> KeywordExtractor::top(const std::vector<Word>& words,
                                               const DocumentFrequencies& library,
                                               std::size_t k) const {
  struct Candidate {
    std::string_view surface;  // first occurrence
    std::size_t count = 0;
    double score = 0;
  };
  std::unordered_map<std::string_view, Candidate> candidates;
  for (const auto& w : words) {
    if (auto it = candidates.find(w.key); it != candidates.end()) {
      ++it->second.count;
    } else if (is_candidate(w.key)) {
      candidates.emplace(w.key, Candidate{w.surface, 1, 0});
    }
  }
  std::vector<std::pair<std::string_view, Candidate>> ranked(candidates.begin(), candidates.end());
  for (auto& [key, c] : ranked) c.score = static_cast<double>(c.count) * idf(key, library);
  const std::size_t n = std::min(k, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    [](const auto& a, const auto& b) {
                      return a.second.score != b.second.score ? a.second.score > b.second.score
                                                              : a.first < b.first;
                    });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(ranked[i].second.surface);
  return out;
}

}  // namespace wenku::text
