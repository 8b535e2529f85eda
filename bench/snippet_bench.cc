// Snippet cost per search hit, before and after issue 5's snippet work, side by side in one
// run: the code that shipped before (kept here only, for the comparison: normalise the whole
// visible text, then walk it code point by code point) against search::snippet_for_hit
// (the index's normalised copy for long texts, code points counted rather than decoded).
// Each iteration makes the snippets of a set of corpus hits the way run_search does: load
// the document from the store, apply access::readable, cut the snippet. Sets: the 40 longest
// documents of ../shared/corpus (long laws and reports, where the cost was) and 200 chosen
// at random (seed 5); terms are taken from 3/4 and 2/5 into each text, so the passage lies
// deep in it. Viewers: a member (whole text visible) and a guest (preview only).
// bench/run_snippet_bench.sh runs it pinned to one CPU and prints medians and the ratio.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "access/visible.h"
#include "io/import.h"
#include "search/aliases.h"
#include "search/index.h"
#include "search/searcher.h"
#include "store/store.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/utf8.h"

namespace {

namespace fs = std::filesystem;
using namespace wenku;

// The snippet code as it was before this change (src/search/searcher.cc at a32e9fd).
namespace before {

// Share of the snippet shown before the first match.
constexpr std::size_t kContextBeforeDivisor = 3;
// Occurrences of one term considered when choosing the passage: bounds the work on texts
// that repeat a word thousands of times.
constexpr std::size_t kMaxOccurrencesPerTerm = 2048;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

struct Match {
  std::size_t pos = std::string_view::npos;  // byte offset in the key
  std::size_t length = 0;
  std::size_t term = 0;  // index into the needles
};

// Every occurrence (up to kMaxOccurrencesPerTerm per term) of the needles in `key`, by
// position.
std::vector<Match> occurrences(std::string_view key, const std::vector<std::string>& needles) {
  std::vector<Match> found;
  for (std::size_t t = 0; t < needles.size(); ++t) {
    std::string_view needle = needles[t];
    std::boyer_moore_horspool_searcher searcher(needle.begin(), needle.end());
    auto it = key.begin();
    for (std::size_t n = 0; n < kMaxOccurrencesPerTerm; ++n) {
      it = std::search(it, key.end(), searcher);
      if (it == key.end()) break;
      found.push_back({static_cast<std::size_t>(it - key.begin()), needle.size(), t});
      it += static_cast<std::ptrdiff_t>(needle.size());
    }
  }
  std::ranges::sort(found, {}, &Match::pos);
  return found;
}

// The occurrence that starts the best passage: the window of `span` bytes after it holds the
// most distinct terms, then the most occurrences. Two-pointer sweep, linear in `found`.
Match best_start(const std::vector<Match>& found, std::size_t span, std::size_t terms) {
  std::vector<std::size_t> in_window(terms, 0);
  std::size_t distinct = 0;
  std::size_t end = 0;
  std::pair<std::size_t, std::size_t> best{0, 0};
  Match best_match;
  for (std::size_t begin = 0; begin < found.size(); ++begin) {
    while (end < found.size() && found[end].pos < found[begin].pos + span) {
      if (in_window[found[end].term]++ == 0) ++distinct;
      ++end;
    }
    std::pair<std::size_t, std::size_t> quality{distinct, end - begin};
    if (quality > best) {
      best = quality;
      best_match = found[begin];
    }
    if (--in_window[found[begin].term] == 0) --distinct;
  }
  return best_match;
}

// Moves back from `pos` by up to `count` code points, stopping at a paragraph start.
std::size_t back_up(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos > 0 && text[pos - 1] != '\n'; ++n) {
    do --pos;
    while (pos > 0 && is_continuation(text[pos]));
  }
  return pos;
}

// Moves forward from `pos` by up to `count` code points.
std::size_t advance(std::string_view text, std::size_t pos, std::size_t count) {
  for (std::size_t n = 0; n < count && pos < text.size(); ++n) text::decode_at(text, pos);
  return std::min(pos, text.size());
}

// Maps ascending byte offsets of a key (at code point boundaries) to the same code points of
// the text it was made from (text::normalize_key keeps one code point per code point).
// Walks both strings once, up to the last offset.
std::vector<std::size_t> map_to_text(std::string_view key, std::string_view original,
                                     const std::vector<std::size_t>& key_offsets) {
  std::vector<std::size_t> out;
  out.reserve(key_offsets.size());
  std::size_t k = 0;
  std::size_t o = 0;
  for (auto target : key_offsets) {
    while (k < target && k < key.size() && o < original.size()) {
      text::decode_at(key, k);
      text::decode_at(original, o);
    }
    out.push_back(o);
  }
  return out;
}

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
}

// The occurrences of the needles (longest first at each position) in key[start, end).
std::vector<Match> marks_in(std::string_view key, std::size_t start, std::size_t end,
                            const std::vector<std::string>& needles) {
  std::vector<Match> marks;
  std::size_t pos = start;
  while (pos < end) {
    auto needle = std::ranges::find_if(needles, [&](const std::string& n) {
      return end - pos >= n.size() && key.substr(pos, n.size()) == n;
    });
    if (needle != needles.end()) {
      marks.push_back({pos, needle->size(), 0});
      pos += needle->size();
    } else {
      text::decode_at(key, pos);
    }
  }
  return marks;
}

std::string make_snippet(std::string_view text, const std::vector<std::string>& terms,
                         std::size_t max_chars) {
  std::vector<std::string> needles;
  for (const auto& t : terms) {
    auto key = text::normalize_key(t);
    if (!key.empty() && std::ranges::find(needles, key) == needles.end()) needles.push_back(key);
  }
  std::ranges::sort(needles, std::greater<>(), &std::string::size);
  auto key = text::normalize_key(text);
  // About the bytes of max_chars Chinese characters.
  constexpr std::size_t kBytesPerChar = 3;
  Match match = best_start(occurrences(key, needles), max_chars * kBytesPerChar, needles.size());
  std::size_t start = 0;
  std::size_t end = advance(key, 0, max_chars);
  if (match.pos != std::string_view::npos) {
    start = back_up(key, match.pos, max_chars / kContextBeforeDivisor);
    end = std::max(advance(key, start, max_chars), match.pos + match.length);
  }
  auto marks = marks_in(key, start, end, needles);
  std::vector<std::size_t> offsets{start};
  for (const auto& m : marks) {
    offsets.push_back(m.pos);
    offsets.push_back(m.pos + m.length);
  }
  offsets.push_back(end);
  auto mapped = map_to_text(key, text, offsets);
  std::string out;
  if (start > 0) out += "…";
  std::size_t at = mapped.front();
  for (std::size_t i = 0; i < marks.size(); ++i) {
    std::size_t mark_start = mapped[1 + 2 * i];
    std::size_t mark_end = mapped[2 + 2 * i];
    append_escaped(out, text.substr(at, mark_start - at));
    out += "<mark>";
    append_escaped(out, text.substr(mark_start, mark_end - mark_start));
    out += "</mark>";
    at = mark_end;
  }
  append_escaped(out, text.substr(at, mapped.back() - at));
  if (end < key.size()) out += "…";
  return out;
}

}  // namespace before

struct Hit {
  std::string id;
  std::vector<std::string> terms;
};

bool is_ideograph(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

// `length` consecutive CJK ideographs of `text` starting at or after byte `from`; "" when none.
std::string ideographs_after(std::string_view text, std::size_t from, std::size_t length) {
  while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
  for (std::size_t pos = from; pos < text.size();) {
    std::size_t end = pos;
    std::size_t run = 0;
    while (run < length && end < text.size() && is_ideograph(text::decode_at(text, end))) ++run;
    if (run == length) return std::string(text.substr(pos, end - pos));
    text::decode_at(text, pos);
  }
  return "";
}

Hit hit_of(const doc::Document& d) {
  Hit hit{d.id, {}};
  for (auto [share, length] : {std::pair{0.75, 4}, std::pair{0.4, 2}}) {
    auto term = ideographs_after(d.content, static_cast<std::size_t>(share * d.content.size()),
                                 static_cast<std::size_t>(length));
    if (!term.empty()) hit.terms.push_back(term);
  }
  return hit;
}

// The corpus documents of the two sets, stored and indexed in a temporary directory.
struct Library {
  Library() : dir(fs::temp_directory_path() / ("wenku-snippet-bench-" + std::to_string(getpid()))) {
    fs::create_directories(dir);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fs::path(WENKU_SHARED_DIR) / "corpus")) {
      auto name = entry.path().filename().string();
      if (name.ends_with(".jsonl") || name.ends_with(".jsonl.zst")) files.push_back(entry.path());
    }
    std::ranges::sort(files);
    auto all = store::open_sqlite(dir / "all.sqlite");
    io::import_files(*all, files);
    std::vector<doc::Document> docs;
    for (std::int64_t seq = 0;;) {
      auto page = all->changes_since(seq, 1000);
      if (page.empty()) break;
      seq = page.back().seq;
      for (auto& d : page) docs.push_back(std::move(d));
    }
    std::mt19937 random(5);
    std::shuffle(docs.begin(), docs.end(), random);
    std::vector<doc::Document> chosen(docs.begin(),
                                      docs.begin() + std::min<std::size_t>(200, docs.size()));
    for (const auto& d : chosen) sample.push_back(hit_of(d));
    std::ranges::sort(docs, std::greater<>(),
                      [](const doc::Document& d) { return d.content.size(); });
    for (std::size_t i = 0; i < docs.size() && i < 40; ++i) {
      longest.push_back(hit_of(docs[i]));
      chosen.push_back(docs[i]);
    }
    store = store::open_sqlite(dir / "bench.sqlite");
    store->put(chosen);
    index = std::make_unique<search::Index>(dir / "index", segmenter, aliases);
    index->rebuild(*store);
  }
  ~Library() {
    index.reset();
    store.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  fs::path dir;
  text::Segmenter segmenter{WENKU_BUILD_DICT_DIR};
  search::Aliases aliases = search::Aliases::load(WENKU_BUILD_DICT_DIR);
  std::unique_ptr<store::Store> store;
  std::unique_ptr<search::Index> index;
  std::vector<Hit> longest;
  std::vector<Hit> sample;
};

Library& library() {
  static Library instance;
  return instance;
}

enum class Path { kLoadOnly, kBefore, kAfter };

std::string snippet(Path path, const access::Readable& hit, const std::vector<std::string>& terms) {
  switch (path) {
    case Path::kBefore:
      return before::make_snippet(hit.text(), terms, 120);
    case Path::kAfter:
      return search::snippet_for_hit(*library().index, hit, terms);
    case Path::kLoadOnly:
      break;
  }
  return "";
}

access::Viewer viewer_of(bool guest) {
  return guest ? access::Viewer{} : access::Viewer{access::Role::kMember, "bench"};
}

// The snippets of every hit of `hits`, as run_search makes them, per iteration.
void BM_Snippets(benchmark::State& state, Path path, bool longest, bool guest) {
  auto& lib = library();
  const auto& hits = longest ? lib.longest : lib.sample;
  const auto viewer = viewer_of(guest);
  for (auto _ : state) {
    for (const auto& hit : hits) {
      auto d = lib.store->get(hit.id);
      auto readable = access::readable(std::move(*d), viewer, access::Policy{});
      auto html = snippet(path, *readable, hit.terms);
      benchmark::DoNotOptimize(html);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(hits.size()));
}

// Both paths must give the same snippets, or the comparison means nothing.
void check_same_snippets() {
  auto& lib = library();
  std::size_t compared = 0;
  for (const auto* hits : {&lib.longest, &lib.sample}) {
    for (bool guest : {false, true}) {
      for (const auto& hit : *hits) {
        auto d = lib.store->get(hit.id);
        auto readable = access::readable(std::move(*d), viewer_of(guest), access::Policy{});
        if (snippet(Path::kBefore, *readable, hit.terms) !=
            snippet(Path::kAfter, *readable, hit.terms)) {
          std::fprintf(stderr, "snippet_bench: the paths differ on %s\n", hit.id.c_str());
          std::exit(1);
        }
        ++compared;
      }
    }
  }
  std::fprintf(stderr, "snippet_bench: %zu snippets identical on both paths\n", compared);
}

#define SNIPPET_BENCHMARKS(name, longest, guest)                                    \
  BENCHMARK_CAPTURE(BM_Snippets, name##_load_only, Path::kLoadOnly, longest, guest) \
      ->Unit(benchmark::kMillisecond);                                              \
  BENCHMARK_CAPTURE(BM_Snippets, name##_before, Path::kBefore, longest, guest)      \
      ->Unit(benchmark::kMillisecond);                                              \
  BENCHMARK_CAPTURE(BM_Snippets, name##_after, Path::kAfter, longest, guest)        \
      ->Unit(benchmark::kMillisecond)

SNIPPET_BENCHMARKS(longest40_member, true, false);
SNIPPET_BENCHMARKS(sample200_member, false, false);
SNIPPET_BENCHMARKS(longest40_guest, true, true);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!fs::exists(fs::path(WENKU_SHARED_DIR) / "corpus")) {
    std::fprintf(stderr, "snippet_bench: ../shared/corpus is absent\n");
    return 1;
  }
  check_same_snippets();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
