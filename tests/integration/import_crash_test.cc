// Crash safety of `wenku import`: killed with SIGKILL at random moments (seeded; the seed is
// printed, and WENKU_CRASH_SEED=N repeats a run) it loses no document it acknowledged, leaves a
// database that passes PRAGMA integrity_check, and the next opening of the library brings the
// index up to date with the store. About two minutes: labelled corpus (tests/CMakeLists.txt)
// though it needs no corpus. tests/app/serve_crash_test.cc does the same for `wenku serve`.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/crash_support.h"
#include "app/output_process.h"
#include "app/synthetic_docs.h"
#include "store/raw_db.h"
#include "store/store.h"
#include "testing/test_support.h"

namespace wenku {
namespace {

namespace fs = std::filesystem;

// The largest N of the "committed N documents" lines of `output` (0 when none).
int acknowledged_in(const std::string& output) {
  static const std::regex committed(R"(committed ([0-9]+) documents)");
  int most = 0;
  for (std::sregex_iterator it(output.begin(), output.end(), committed), end; it != end; ++it) {
    most = std::max(most, std::stoi((*it)[1]));
  }
  return most;
}

// Kills `wenku import --batch 500` of 20,000 synthetic records ten times: after a random one of
// its acknowledgements, either within the next batch or, after the last one, in the indexing
// and keyword refresh that follow (each process also catches the index up when it opens the
// library, so kills land there too). Each run goes on from the first record not acknowledged,
// in a new version of the texts (a run that got through them all starts over), so every run's
// acknowledgements are of writes no earlier run made.
TEST(ImportCrashTest, KilledAtRandomMomentsKeepsEveryAcknowledgedDocument) {
  const unsigned seed = testing::crash_seed();
  std::cout << "crash seed " << seed << " (WENKU_CRASH_SEED=" << seed << " repeats it)\n";
  RecordProperty("seed", static_cast<int>(seed & 0x7fffffff));
  std::mt19937 random(seed);
  constexpr int kDocuments = 20'000;
  constexpr int kBatch = 500;
  constexpr int kKills = 10;
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const fs::path input = dir.path() / "input.jsonl";
  // The version of each record's latest acknowledged write (-1: never acknowledged).
  std::vector<int> acknowledged_version(kDocuments, -1);
  int start = 0;  // the first record of the next run's input
  for (int version = 0; version < kKills; ++version) {
    SCOPED_TRACE(fmt::format("kill {} (seed {})", version, seed));
    std::string records;
    for (int i = start; i < kDocuments; ++i) records += testing::synthetic_record(i, version);
    testing::write_file(input, records);
    const int remaining = kDocuments - start;
    const int batches = (remaining + kBatch - 1) / kBatch;
    const bool after_last = std::bernoulli_distribution(0.3)(random);
    const int after = after_last ? batches : std::uniform_int_distribution(1, batches)(random);
    const int delay_ms = std::uniform_int_distribution(0, after == batches ? 3000 : 40)(random);

    testing::OutputProcess import({testing::wenku_binary().string(), "import", "--data",
                                   data.string(), "--batch", std::to_string(kBatch),
                                   input.string()});
    const int awaited = std::min(after * kBatch, remaining);
    ASSERT_TRUE(import.wait_for_line(
        [&](const std::string& line) { return acknowledged_in(line) >= awaited; }, 300))
        << import.output();
    // The delay picks the moment; what follows proves what holds at it.
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    import.signal_group(SIGKILL);
    const int exit_code = import.wait();
    const int acknowledged = acknowledged_in(import.output());
    std::cout << fmt::format(
        "kill {}: records {}..{}, after acknowledgement {} of {} + {} ms: {}, {} acknowledged\n",
        version, start, kDocuments - 1, after, batches, delay_ms,
        exit_code == 128 + SIGKILL ? "killed" : fmt::format("exited {}", exit_code), acknowledged);
    ASSERT_GE(acknowledged, awaited);
    ASSERT_LE(acknowledged, remaining) << import.output();
    for (int i = start; i < start + acknowledged; ++i) acknowledged_version[i] = version;

    {
      store::RawDb raw(data / "wenku.sqlite");
      ASSERT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    }
    // Every acknowledged write is there: this run's in this version, earlier runs' in theirs
    // or in this one (a batch committed just before the kill, unacknowledged).
    auto store = store::open_sqlite(data / "wenku.sqlite");
    std::unordered_map<std::string, std::string> heads;  // id -> start of the text
    for (const auto& d : store->changes_since(0, 1'000'000)) {
      heads.emplace(d.id, d.content.substr(0, 64));
    }
    int missing = 0;
    for (int i = 0; i < kDocuments; ++i) {
      if (acknowledged_version[i] < 0) continue;
      const auto it = heads.find(testing::synthetic_id(i));
      bool found = false;
      for (int v = acknowledged_version[i]; it != heads.end() && v <= version && !found; ++v) {
        found = it->second.starts_with(testing::synthetic_tag(i, v));
      }
      if (!found && ++missing <= 5) {
        ADD_FAILURE() << "acknowledged version " << acknowledged_version[i] << " of "
                      << testing::synthetic_id(i) << " is lost";
      }
    }
    EXPECT_EQ(missing, 0);
    store.reset();

    // Opening the library catches the index up (rebuilding it when the kill left it open):
    // the last acknowledged text is found, and every stored record exactly once.
    const int last = start + acknowledged - 1;
    const auto hit =
        testing::search_json(data, "\"" + testing::synthetic_tag(last, version) + "\"");
    ASSERT_EQ(hit.value("total", -1), 1) << hit.dump();
    EXPECT_EQ(hit["hits"][0]["id"], testing::synthetic_id(last));
    EXPECT_EQ(testing::search_json(data, "\"轮编号\"").value("total", -1),
              static_cast<int>(heads.size()));

    start += acknowledged;
    if (start >= kDocuments) start = 0;
  }
}

}  // namespace
}  // namespace wenku
