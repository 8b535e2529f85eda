// Request metrics of one server, added up across its worker processes (the counters live in
// SharedMemory) and written in the Prometheus text exposition format. Written by hand:
// prometheus-cpp keeps its counters in one process's heap, and ours must add up across
// forked workers; the text format is a few lines per family.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "web/http/rate_limiter.h"
#include "web/http/shared_memory.h"

namespace wenku::web {

// A gauge computed when the metrics are read (documents, index lag …).
struct Gauge {
  std::string name;  // a Prometheus metric name, e.g. "wenku_documents"
  std::string help;
  double value = 0;
};

// Thread- and process-safe (atomics only). Share it with workers by making it before they
// are forked.
class Metrics {
 public:
  // Routes counted apart; a route index at or above this counts as the last one.
  static constexpr std::size_t kMaxRoutes = 128;
  // Processes whose resident memory is reported.
  static constexpr std::size_t kMaxProcesses = 64;

  Metrics();

  // Counts one request of route number `route` answered with HTTP `status` after `seconds`.
  void record_request(std::size_t route, int status, double seconds);
  // Counts one request refused by the rate limit of `what`.
  void record_refusal(RateClass what, bool member);
  // Sets the resident memory of process `pid` as of `now_ms` (CLOCK_MONOTONIC milliseconds).
  void record_memory(int pid, std::uint64_t resident_bytes, std::int64_t now_ms);

  // The metrics in the Prometheus text format: wenku_http_requests_total{route,method,status},
  // wenku_http_request_duration_seconds{route} (a histogram), wenku_rate_limited_total{class,
  // viewer}, wenku_process_resident_memory_bytes{pid} (of processes that reported within the
  // last minute before `now_ms`), then `gauges`. `routes[i]` names route number i as
  // "METHOD PATTERN" (the pattern becomes the route label); routes past its end are left out.
  std::string render(std::span<const std::string> routes, std::span<const Gauge> gauges,
                     std::int64_t now_ms) const;

 private:
  struct Counters;
  Counters& counters() const;

  SharedMemory memory_;
};

}  // namespace wenku::web
