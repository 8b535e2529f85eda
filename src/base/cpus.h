// How many CPUs this process may use.
#pragma once

#include <cstddef>

namespace wenku {

// The number of CPUs the calling thread may run on (its affinity mask, which `taskset` and
// container CPU sets narrow), at least 1. std::thread::hardware_concurrency counts every
// CPU of the machine: threads started beyond this number only take turns on the same CPUs.
std::size_t usable_cpus();

}  // namespace wenku
