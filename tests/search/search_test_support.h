// Helpers shared by the search tests.
#pragma once

#include <string>

#include "doc/document.h"
#include "search/aliases.h"
#include "testing/test_support.h"
#include "text/segmenter.h"

namespace wenku::search::test {

// One segmenter for the whole test binary (loading the dictionaries takes about a second).
inline const text::Segmenter& segmenter() {
  static const text::Segmenter instance(testing::dict_dir());
  return instance;
}

// The shipped alias table (dict/aliases.utf8), loaded once.
inline const Aliases& aliases() {
  static const Aliases instance = Aliases::load(testing::dict_dir());
  return instance;
}

inline doc::Document make_doc(std::string id, std::string title, std::string content,
                              std::string date = "2024-01-01", std::string category = "工作总结") {
  doc::Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.content = std::move(content);
  d.date = std::move(date);
  d.category = std::move(category);
  d.source = "test";
  return d;
}

// `n` different Han characters, each after `lead`: `n` keys of the bigram lexicon begin with it.
inline std::string before_many_characters(std::string_view lead, int n) {
  std::string out;
  for (char32_t c = 0x4E00 + 300; c < 0x4E00 + 300 + static_cast<char32_t>(n); ++c) {
    out += lead;
    out += static_cast<char>(0xE0 | (c >> 12));  // three UTF-8 bytes: every CJK character here
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

}  // namespace wenku::search::test
