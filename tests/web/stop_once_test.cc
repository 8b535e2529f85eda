#include "web/http/stop_once.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace wenku::web {
namespace {

TEST(StopOnce, AStopAskedBeforeListeningHappensOnceItListens) {
  int stops = 0;
  StopOnce stop([&] { ++stops; });
  stop.request();
  EXPECT_EQ(stops, 0);  // still opening: nothing to stop yet
  stop.listening();
  EXPECT_EQ(stops, 1);
  stop.request();  // a second signal
  EXPECT_EQ(stops, 1);
}

TEST(StopOnce, AStopAskedWhileListeningHappensAtOnceAndOnce) {
  int stops = 0;
  StopOnce stop([&] { ++stops; });
  stop.listening();
  EXPECT_EQ(stops, 0);
  stop.request();
  EXPECT_EQ(stops, 1);
  stop.request();
  stop.listening();
  EXPECT_EQ(stops, 1);
}

TEST(StopOnce, RacingRequestAndListeningStopExactlyOnce) {
  for (int round = 0; round < 2000; ++round) {
    std::atomic<int> stops{0};
    StopOnce stop([&] { ++stops; });
    std::atomic<bool> go{false};
    std::thread signal([&] {
      while (!go) {
      }
      stop.request();
    });
    std::thread opened([&] {
      while (!go) {
      }
      stop.listening();
    });
    go = true;
    signal.join();
    opened.join();
    ASSERT_EQ(stops, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace wenku::web
