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

}  // namespace wenku::search::test
