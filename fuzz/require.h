// The check of the fuzz targets' promises: aborts, naming the line and the condition, when a
// promise is broken (libFuzzer then saves the input).
#pragma once

#include <cstdio>
#include <cstdlib>

#define REQUIRE(condition)                                                         \
  do {                                                                             \
    if (!(condition)) {                                                            \
      std::fprintf(stderr, "broken promise, line %d: %s\n", __LINE__, #condition); \
      std::abort();                                                                \
    }                                                                              \
  } while (false)
