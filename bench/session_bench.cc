// A member's session lookup per request (access::Accounts::member), side by side in one run:
// without the session cache (one SQLite read of the session and its account, as every
// request did before the cache) and answered from the cache; also a well-formed token the
// store does not know (what a flood of random cookies costs: never cached). One SQLite store
// in a temporary directory with one account and one session; every call is at the same
// `now`, before any touch of last_seen_at is due. Prints the medians and their ratio.
//
// Usage: build/bench/session_bench [--benchmark_repetitions=N] [google benchmark flags]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "access/accounts.h"
#include "access/tokens.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using namespace wenku;

constexpr std::int64_t kT0 = 1'700'000'000;
constexpr std::int64_t kNow = kT0 + 10;  // within kTouchEverySeconds: no write

// A store with one account ("bench-user", a member) and one session of it.
struct Site {
  Site() : dir(fs::temp_directory_path() / ("wenku-session-bench-" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    store = store::open_sqlite(dir / "wenku.sqlite");
    access::Accounts accounts(*store, "bench secret");
    token = accounts.register_member("bench-user", "bench-password-1", kT0, "Mozilla/5.0").token;
  }
  ~Site() {
    store.reset();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  fs::path dir;
  std::unique_ptr<store::Store> store;
  std::string token;
};

Site& site() {
  static Site s;
  return s;
}

void run(benchmark::State& state, access::Accounts& accounts, const std::string& token,
         bool expect_member) {
  if (accounts.member(token, kNow).has_value() != expect_member) {
    state.SkipWithError("unexpected answer");
    return;
  }
  for (auto _ : state) {
    auto member = accounts.member(token, kNow);
    benchmark::DoNotOptimize(member);
  }
}

void BM_MemberUncached(benchmark::State& state) {
  access::Accounts accounts(*site().store, "bench secret", {.entries = 0});
  run(state, accounts, site().token, true);
}

void BM_MemberCached(benchmark::State& state) {
  access::Accounts accounts(*site().store, "bench secret");
  run(state, accounts, site().token, true);
}

void BM_MemberUnknownToken(benchmark::State& state) {
  access::Accounts accounts(*site().store, "bench secret");
  run(state, accounts, access::random_hex(32), false);
}

BENCHMARK(BM_MemberUncached)->Unit(benchmark::kMicrosecond)->Repetitions(9);
BENCHMARK(BM_MemberCached)->Unit(benchmark::kMicrosecond)->Repetitions(9);
BENCHMARK(BM_MemberUnknownToken)->Unit(benchmark::kMicrosecond)->Repetitions(9);

// The console output, and the median CPU time of each benchmark kept for the summary.
class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        median_us[run.run_name.function_name] =
            run.GetAdjustedCPUTime() * benchmark::GetTimeUnitMultiplier(benchmark::kMicrosecond) /
            benchmark::GetTimeUnitMultiplier(run.time_unit);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  std::map<std::string, double> median_us;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto& m = reporter.median_us;
  if (m.contains("BM_MemberUncached") && m.contains("BM_MemberCached")) {
    const double uncached = m.at("BM_MemberUncached");
    const double cached = m.at("BM_MemberCached");
    std::printf("median CPU time per member() call: uncached %.2f µs, cached %.3f µs, %.1f× faster",
                uncached, cached, uncached / cached);
    if (m.contains("BM_MemberUnknownToken")) {
      std::printf("; unknown token %.2f µs", m.at("BM_MemberUnknownToken"));
    }
    std::printf("\n");
  }
  benchmark::Shutdown();
  return 0;
}
