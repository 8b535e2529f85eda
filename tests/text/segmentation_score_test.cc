// Segmentation quality gate: `wenku segment` on the SIGHAN 2005 PKU and MSR test sets, scored by
// bench/segscore against the gold standard, must reach F1 >= 0.83 (issue 3).
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "testing/test_support.h"

namespace wenku::text {
namespace {

namespace fs = std::filesystem;

constexpr double kMinF1 = 0.83;

void expect_f1_at_least(const std::string& standard) {
  const fs::path data = testing::corpus_dir() / "segmentation";
  if (testing::corpus_dir().empty() || !fs::exists(data / (standard + "_test.utf8"))) {
    GTEST_SKIP() << "no ../shared/corpus/segmentation: bakeoff data absent";
  }
  testing::TempDir tmp;
  const fs::path output = tmp.path() / (standard + ".seg");
  auto segmented = testing::run({"/bin/sh", "-c", "\"$0\" segment --dict \"$1\" < \"$2\" > \"$3\"",
                                 testing::wenku_binary().string(), testing::dict_dir().string(),
                                 (data / (standard + "_test.utf8")).string(), output.string()});
  ASSERT_EQ(segmented.exit_code, 0) << segmented.out;
  auto scored =
      testing::run({std::string(WENKU_SOURCE_DIR) + "/bench/segscore", "--min-f1",
                    std::to_string(kMinF1), (data / (standard + "_training_words.utf8")).string(),
                    (data / (standard + "_test_gold.utf8")).string(), output.string()});
  EXPECT_EQ(scored.exit_code, 0) << scored.out;
  std::cout << standard << ": " << scored.out;
}

TEST(SegmentationScoreTest, PkuF1) { expect_f1_at_least("pku"); }

TEST(SegmentationScoreTest, MsrF1) { expect_f1_at_least("msr"); }

}  // namespace
}  // namespace wenku::text
