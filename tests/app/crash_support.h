// Helpers of the crash tests (tests/app/serve_crash_test.cc,
// tests/integration/import_crash_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "testing/test_support.h"

namespace wenku::testing {

// The seed of a crash test's random moments: $WENKU_CRASH_SEED when set (to repeat a run),
// else a fresh one. The tests print it.
inline unsigned crash_seed() {
  if (const char* seed = std::getenv("WENKU_CRASH_SEED")) return std::stoul(seed);
  return std::random_device{}();
}

// `wenku search --data DIR --json QUERY`'s answer (null after a failure, which is a test
// failure).
inline nlohmann::json search_json(const std::filesystem::path& data, const std::string& query) {
  const auto result =
      run_stdout({wenku_binary(), "search", "--data", data.string(), "--json", query});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return result.exit_code == 0 ? nlohmann::json::parse(result.out) : nlohmann::json{};
}

}  // namespace wenku::testing
