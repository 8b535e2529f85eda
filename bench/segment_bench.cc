// Segmentation throughput on corpus text, one core. The text is every paragraph of the three
// plain corpus files (government work reports, congress reports, speeches: about 4.9 MB);
// bench/run_segment_bench.sh runs python3-jieba on the same paragraphs for the baseline ratio.
// The dictionary step alone is measured side by side: cppjieba's MPSegment (the baseline)
// and text::DictionaryPath, which replaced it, on the same paragraphs and DictTrie.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <cppjieba/MPSegment.hpp>

#include "text/dictionary_path.h"
#include "text/normalize.h"
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

// The dictionary step: cppjieba's DictTrie and DictionaryPath over the segmenter's
// dictionaries, and the paragraphs
// decoded to runes once.
struct DictionaryStep {
  std::vector<fs::path> files;
  cppjieba::DictTrie trie;
  wenku::text::DictionaryPath path;
  std::vector<cppjieba::RuneStrArray> runes;

  DictionaryStep()
      : files{fs::path(WENKU_BUILD_DICT_DIR) / "jieba.dict.utf8",
              fs::path(WENKU_BUILD_DICT_DIR) / "user.dict.utf8",
              fs::path(WENKU_BUILD_DICT_DIR) / "gongwen.dict.utf8"},
        trie(files[0].string(), files[1].string() + "|" + files[2].string()),
        path(files[0], {files[1], files[2]}) {
    for (const auto& line : corpus_paragraphs().lines) {
      cppjieba::DecodeUTF8RunesInString(line, runes.emplace_back());
    }
  }
};

const DictionaryStep& dictionary_step() {
  static const DictionaryStep step;
  return step;
}

// Runs `cut(paragraph index, words)` over every paragraph per iteration.
template <typename Cut>
void run_dictionary_step(benchmark::State& state, Cut cut) {
  if (corpus_paragraphs().lines.empty()) {
    state.SkipWithError("corpus absent: no ../shared/corpus/*.jsonl");
    return;
  }
  const auto& step = dictionary_step();
  std::vector<cppjieba::WordRange> words;
  std::size_t count = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < step.runes.size(); ++i) {
      words.clear();
      cut(i, words);
      count += words.size();
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * corpus_paragraphs().bytes));
  state.counters["words/s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsRate);
}

void BM_DictionaryStepCppjieba(benchmark::State& state) {
  const auto& step = dictionary_step();
  const cppjieba::MPSegment mp(&step.trie);
  run_dictionary_step(state, [&](std::size_t i, std::vector<cppjieba::WordRange>& words) {
    mp.Cut(step.runes[i].begin(), step.runes[i].end(), words);
  });
}

void BM_DictionaryStepWenku(benchmark::State& state) {
  const auto& step = dictionary_step();
  run_dictionary_step(state, [&](std::size_t i, std::vector<cppjieba::WordRange>& words) {
    step.path.cut(step.runes[i].begin(), step.runes[i].end(), words);
  });
}

// normalize_key: the search key of each paragraph (every text is normalised before it is
// segmented or indexed, every hit's visible text before its snippet).
void BM_NormalizeKey(benchmark::State& state) {
  run_over_corpus(state, [](const std::string& line) {
    auto key = wenku::text::normalize_key(line);
    benchmark::DoNotOptimize(key.data());
    return std::size_t{1};
  });
}

BENCHMARK(BM_DictionaryStepCppjieba)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_DictionaryStepWenku)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_SegmentViews)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_SegmentStrings)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_WordsForIndex)->Unit(benchmark::kMillisecond)->Repetitions(5);
BENCHMARK(BM_NormalizeKey)->Unit(benchmark::kMillisecond)->Repetitions(5);

}  // namespace

BENCHMARK_MAIN();
