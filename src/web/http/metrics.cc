#include "web/http/metrics.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <new>

#include <fmt/format.h>

namespace wenku::web {

namespace {

// The statuses counted apart; any other counts as the last entry ("other").
constexpr std::array<int, 20> kStatuses = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403,
                                           404, 405, 408, 413, 415, 429, 431, 500, 503, 0};
// Upper bounds of the latency histogram's buckets in seconds (then +Inf).
constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,   0.25,   0.5,   1,    2.5,   5};
// A process that has not reported its memory for this long is gone.
constexpr std::int64_t kMemoryFreshMs = 60'000;

using Counter = std::atomic<std::uint64_t>;

struct RouteCounters {
  std::array<Counter, kStatuses.size()> by_status;
  std::array<Counter, kBuckets.size() + 1> buckets;  // not cumulative; the last is +Inf
  Counter micros;                                    // sum of durations
};

struct ProcessMemory {
  std::atomic<std::int64_t> pid;
  std::atomic<std::uint64_t> bytes;
  std::atomic<std::int64_t> reported_ms;
};

std::size_t status_slot(int status) {
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) return i;
  }
  return kStatuses.size() - 1;
}

// `value` as a Prometheus label value (backslash, double quote and line feed escaped).
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

struct Metrics::Counters {
  std::array<RouteCounters, kMaxRoutes> routes;
  std::array<std::array<Counter, 2>, kRateClasses> refusals;  // [class][member]
  std::array<ProcessMemory, kMaxProcesses> processes;
};

Metrics::Metrics() : memory_(sizeof(Counters)) { new (memory_.data()) Counters{}; }

Metrics::Counters& Metrics::counters() const { return *static_cast<Counters*>(memory_.data()); }

void Metrics::record_request(std::size_t route, int status, double seconds) {
  auto& r = counters().routes[std::min(route, kMaxRoutes - 1)];
  r.by_status[status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  const auto bucket =
      static_cast<std::size_t>(std::ranges::lower_bound(kBuckets, seconds) - kBuckets.begin());
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.micros.fetch_add(static_cast<std::uint64_t>(std::max(seconds, 0.0) * 1e6),
                     std::memory_order_relaxed);
}

void Metrics::record_refusal(RateClass what, bool member) {
  counters().refusals[static_cast<std::size_t>(what)][member ? 1 : 0].fetch_add(
      1, std::memory_order_relaxed);
}

void Metrics::record_memory(int pid, std::uint64_t resident_bytes, std::int64_t now_ms) {
  auto& processes = counters().processes;
  ProcessMemory* slot = nullptr;
  for (auto& p : processes) {
    if (p.pid.load(std::memory_order_acquire) == pid) {
      slot = &p;
      break;
    }
  }
  // A new process takes a free slot, else the one that reported longest ago.
  for (auto& p : processes) {
    if (slot != nullptr) break;
    std::int64_t free = 0;
    if (p.pid.compare_exchange_strong(free, pid)) slot = &p;
  }
  if (slot == nullptr) {
    slot = &*std::ranges::min_element(processes, {}, [](const ProcessMemory& p) {
      return p.reported_ms.load(std::memory_order_relaxed);
    });
    slot->pid.store(pid);
  }
  slot->bytes.store(resident_bytes, std::memory_order_relaxed);
  slot->reported_ms.store(now_ms, std::memory_order_relaxed);
}

std::string Metrics::render(std::span<const std::string> routes, std::span<const Gauge> gauges,
                            std::int64_t now_ms) const {
  const auto& c = counters();
  std::string out;
  const auto sink = std::back_inserter(out);
  // "METHOD PATTERN" as its two labels.
  auto route_labels = [&](std::size_t i) {
    const std::string& name = routes[i];
    const auto space = name.find(' ');
    return fmt::format("method=\"{}\",route=\"{}\"", label(name.substr(0, space)),
                       space == std::string::npos ? "" : label(name.substr(space + 1)));
  };
  const std::size_t n = std::min(routes.size(), kMaxRoutes);

  out += "# HELP wenku_http_requests_total Requests answered, by route and status.\n";
  out += "# TYPE wenku_http_requests_total counter\n";
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      const auto count = c.routes[i].by_status[s].load(std::memory_order_relaxed);
      if (count == 0) continue;
      const std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      fmt::format_to(sink, "wenku_http_requests_total{{{},status=\"{}\"}} {}\n", route_labels(i),
                     status, count);
    }
  }

  out += "# HELP wenku_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE wenku_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = c.routes[i];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < r.buckets.size(); ++b) cumulative += r.buckets[b].load();
    if (cumulative == 0) continue;
    const std::string labels = route_labels(i);
    cumulative = 0;
    for (std::size_t b = 0; b < r.buckets.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      fmt::format_to(sink, "wenku_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                     labels, le, cumulative);
    }
    fmt::format_to(sink, "wenku_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                   static_cast<double>(r.micros.load(std::memory_order_relaxed)) / 1e6);
    fmt::format_to(sink, "wenku_http_request_duration_seconds_count{{{}}} {}\n", labels,
                   cumulative);
  }

  out += "# HELP wenku_rate_limited_total Requests refused by a rate limit (429).\n";
  out += "# TYPE wenku_rate_limited_total counter\n";
  for (std::size_t k = 0; k < kRateClasses; ++k) {
    for (int member = 0; member < 2; ++member) {
      fmt::format_to(
          sink, "wenku_rate_limited_total{{class=\"{}\",viewer=\"{}\"}} {}\n",
          rate_class_name(static_cast<RateClass>(k)), member ? "member" : "guest",
          c.refusals[k][static_cast<std::size_t>(member)].load(std::memory_order_relaxed));
    }
  }

  out += "# HELP wenku_process_resident_memory_bytes Resident memory of each serving process.\n";
  out += "# TYPE wenku_process_resident_memory_bytes gauge\n";
  for (const auto& p : c.processes) {
    const auto pid = p.pid.load(std::memory_order_relaxed);
    if (pid == 0 || now_ms - p.reported_ms.load(std::memory_order_relaxed) > kMemoryFreshMs) {
      continue;
    }
    fmt::format_to(sink, "wenku_process_resident_memory_bytes{{pid=\"{}\"}} {}\n", pid,
                   p.bytes.load(std::memory_order_relaxed));
  }

  for (const auto& gauge : gauges) {
    fmt::format_to(sink, "# HELP {} {}\n# TYPE {} gauge\n{} {}\n", gauge.name, gauge.help,
                   gauge.name, gauge.name, gauge.value);
  }
  return out;
}

}  // namespace wenku::web
