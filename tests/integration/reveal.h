// Shared by the whole-corpus tests that measure what a guest sees of gated texts: the corpus
// files, and a tally of the share of text revealed beyond the guest preview.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "testing/test_support.h"
#include "text/utf8.h"

namespace wenku::testing {

// Every JSON Lines file of ../shared/corpus (.jsonl and .jsonl.zst), sorted by name; empty when
// the corpus is absent. corpus_files() is the original five of them, which tests count on.
inline std::vector<std::filesystem::path> all_corpus_files() {
  const auto dir = corpus_dir();
  std::vector<std::filesystem::path> files;
  if (dir.empty()) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".jsonl") || name.ends_with(".jsonl.zst")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Code points of some texts that a guest sees beyond the preview, with the document of the
// largest share.
struct Reveal {
  std::size_t docs = 0;
  std::size_t chars = 0;     // code points measured
  std::size_t revealed = 0;  // of them, those a guest sees
  double worst_share = 0;    // the largest share of one document, and its id
  std::string worst_id;

  double share() const {
    return chars == 0 ? 0 : static_cast<double>(revealed) / static_cast<double>(chars);
  }
  void add(const std::string& id, std::size_t doc_chars, std::size_t doc_revealed) {
    ++docs;
    chars += doc_chars;
    revealed += doc_revealed;
    const double doc_share =
        doc_chars == 0 ? 0 : static_cast<double>(doc_revealed) / static_cast<double>(doc_chars);
    if (doc_share > worst_share) {
      worst_share = doc_share;
      worst_id = id;
    }
  }
  void add(const Reveal& other) {
    docs += other.docs;
    chars += other.chars;
    revealed += other.revealed;
    if (other.worst_share > worst_share) {
      worst_share = other.worst_share;
      worst_id = other.worst_id;
    }
  }
};

// Prints one line of a table of tallies: `label` padded to 10 terminal columns (two for a
// Chinese character), then "`what` N chars = S %" and the worst document.
inline void print_reveal(const std::string& label, const Reveal& r, const char* what) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < label.size();) width += text::decode_at(label, i) < 0x80 ? 1 : 2;
  std::printf("  %s%*s %5zu docs %9zu chars: %s %7zu chars = %6.3f %% (worst %s %.1f %%)\n",
              label.c_str(), static_cast<int>(width < 10 ? 10 - width : 0), "", r.docs, r.chars,
              what, r.revealed, 100 * r.share(), r.worst_id.c_str(), 100 * r.worst_share);
}

}  // namespace wenku::testing
