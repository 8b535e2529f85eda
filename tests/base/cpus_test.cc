#include "base/cpus.h"

#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

namespace wenku {
namespace {

// Runs `fn` in a new thread whose affinity is narrowed to the first CPU of the caller's set.
template <typename Fn>
void on_one_cpu(Fn fn) {
  std::thread([&] {
    cpu_set_t set;
    CPU_ZERO(&set);
    ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
    int first = 0;
    while (!CPU_ISSET(first, &set)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
    fn();
  }).join();
}

TEST(UsableCpusTest, FollowsTheAffinityMask) {
  const auto all = usable_cpus();
  EXPECT_GE(all, 1u);
  EXPECT_LE(all, std::max(1u, std::thread::hardware_concurrency()));
  std::size_t narrowed = 0;
  on_one_cpu([&] { narrowed = usable_cpus(); });
  EXPECT_EQ(narrowed, 1u);
  EXPECT_EQ(usable_cpus(), all);  // the caller's own mask is untouched
}

}  // namespace
}  // namespace wenku
