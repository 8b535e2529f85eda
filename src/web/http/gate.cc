#include "web/http/gate.h"

#include <unistd.h>
#include <chrono>
#include <ctime>
#include <fstream>

#include <spdlog/spdlog.h>

namespace wenku::web {

namespace {

constexpr std::int64_t kMemorySampleMs = 1000;
// Bytes of a request's path an access log line holds.
constexpr std::size_t kMaxLoggedPath = 200;

// This process's resident memory in bytes (the second field of /proc/self/statm, in pages);
// 0 when it cannot be read.
std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

std::int64_t monotonic_ms() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

Gate::Gate(RateLimiter& limiter, Metrics& metrics, GateOptions options, GateHooks hooks)
    : limiter_(limiter), metrics_(metrics), options_(options), hooks_(std::move(hooks)) {}

std::optional<RateClass> Gate::rate_class(const Router::Route& route) {
  const std::string_view path = route.path;
  if (path == "/search" || path == "/api/v1/search" || path == "/api/v1/related/:id") {
    return RateClass::kSearch;
  }
  if (path == "/api/v1/suggest") return RateClass::kSuggest;
  if (path == "/doc/:id" || path.starts_with("/doc/:id/") || path == "/api/v1/docs/:id") {
    return RateClass::kPage;
  }
  return std::nullopt;
}

void Gate::sample_memory(std::int64_t now_ms) const {
  auto last = memory_sampled_ms_.load(std::memory_order_relaxed);
  if (now_ms - last < kMemorySampleMs ||
      !memory_sampled_ms_.compare_exchange_strong(last, now_ms, std::memory_order_relaxed)) {
    return;
  }
  metrics_.record_memory(static_cast<int>(::getpid()), resident_bytes(), now_ms);
}

Handler Gate::wrap(std::size_t index, const Router::Route& route, Handler handler) const {
  const auto limit = options_.rate_limits ? rate_class(route) : std::nullopt;
  return [this, index, limit, pattern = route.path, handler = std::move(handler)](
             const Request& req, Params params) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t now_ms = hooks_.now_ms();
    const std::string client = client_key(req);
    const auto seconds_since_start = [started] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    // Counted before the answer is handed over: a client that has read it finds it counted.
    bool counted = false;
    const auto count = [&](int status) {
      if (counted) return;
      counted = true;
      metrics_.record_request(index, status, seconds_since_start());
      sample_memory(now_ms);
    };
    // The handler's answer, or a 429 for a client over the rate limit of the route's class.
    const auto answer = [&]() -> Status {
      if (limit) {
        const std::int64_t member = hooks_.member_id(req);
        const std::string bucket = member != 0 ? "m" + std::to_string(member) : client;
        if (const int wait = limiter_.take(bucket, *limit, member != 0, now_ms); wait > 0) {
          metrics_.record_refusal(*limit, member != 0);
          Failure failure = failure_of_status(429);
          failure.retry_after = std::to_string(wait);
          return hooks_.refuse(req, failure);
        }
      }
      return handler(req, std::move(params));
    };
    Status answered;
    int status = 0;
    {
      SendWatch watch(count);
      answered = answer();
      status = watch.status();
    }
    count(status);  // a handler that answered without `send`
    const double seconds = seconds_since_start();
    if (options_.access_log) {
      spdlog::info("access method={} path={} route={} status={} ms={:.2f} client={}",
                   req->header().method().c_str(), req->header().path().substr(0, kMaxLoggedPath),
                   pattern, status, seconds * 1000, client);
    }
    return answered;
  };
}

}  // namespace wenku::web
