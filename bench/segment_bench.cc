// Segmentation throughput on corpus text, one core. The text is every paragraph of the three
// plain corpus files (government work reports, congress reports, speeches: about 4.9 MB);
// bench/run_segment_bench.sh runs python3-jieba on the same paragraphs for the baseline ratio.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "text/segmenter.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kCorpusFiles[] = {"gov_work_reports.jsonl", "cpc_congress_reports.jsonl",
                                        "xi_speeches_2020.jsonl"};

struct Paragraphs {
  std::vector<std::string> lines;
  std::size_t bytes = 0;
};

// The non-empty lines of every document's content, in file order; empty when the corpus is
// absent.
const Paragraphs& corpus_paragraphs() {
  static const Paragraphs paragraphs = [] {
    Paragraphs result;
    const fs::path dir = fs::path(WENKU_SHARED_DIR) / "corpus";
    for (const char* name : kCorpusFiles) {
      std::ifstream in(dir / name);
      std::string record;
      while (std::getline(in, record)) {
        std::string content = nlohmann::json::parse(record).at("content");
        std::size_t start = 0;
        while (start < content.size()) {
          std::size_t end = std::min(content.find('\n', start), content.size());
          if (end > start) {
            result.lines.push_back(content.substr(start, end - start));
            result.bytes += end - start;
          }
          start = end + 1;
        }
      }
    }
    return result;
  }();
  return paragraphs;
}

const wenku::text::Segmenter& segmenter() {
  static const wenku::text::Segmenter instance(WENKU_BUILD_DICT_DIR);
  return instance;
}

// Runs `cut_paragraph` over the whole text per iteration and reports bytes/s and words/s.
template <typename Cut>
void run_over_corpus(benchmark::State& state, Cut cut_paragraph) {
  const auto& text = corpus_paragraphs();
  if (text.lines.empty()) {
    state.SkipWithError("corpus absent: no ../shared/corpus/*.jsonl");
    return;
  }
  segmenter();  // load the dictionaries outside the timed loop
  std::size_t words = 0;
  for (auto _ : state) {
    for (const auto& line : text.lines) words += cut_paragraph(line);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.bytes));
  state.counters["words/s"] =
      benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsRate);
}

// cut_views: the words as views into the paragraph, no copies.
void BM_SegmentViews(benchmark::State& state) {
  run_over_corpus(state, [](const std::string& line) {
    auto words = segmenter().cut_views(line);
    benchmark::DoNotOptimize(words.data());
    return words.size();
  });
}

// cut: one std::string per word, as `wenku segment` uses it.
void BM_SegmentStrings(benchmark::State& state) {
  run_over_corpus(state, [](const std::string& line) {
    auto words = segmenter().cut(line);
    benchmark::DoNotOptimize(words.data());
    return words.size();
  });
}

// words_for_index: the form the index stores.
void BM_WordsForIndex(benchmark::State& state) {
  run_over_corpus(state, [](const std::string& line) {
    auto joined = segmenter().words_for_index(line);
    benchmark::DoNotOptimize(joined.data());
    return joined.empty()
               ? 0
               : static_cast<std::size_t>(std::count(joined.begin(), joined.end(), ' ')) + 1;
  });
}

BENCHMARK(BM_SegmentViews)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_SegmentStrings)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_WordsForIndex)->Unit(benchmark::kMillisecond)->Repetitions(5);

}  // namespace

BENCHMARK_MAIN();
