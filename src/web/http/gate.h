// What every route goes through around its handler (Router wraps each one): the per-client
// rate limit of its class, the request metrics and the access log line.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "web/http/errors.h"
#include "web/http/http.h"
#include "web/http/metrics.h"
#include "web/http/rate_limiter.h"

namespace wenku::web {

// Milliseconds of CLOCK_MONOTONIC, the clock every process of a server shares.
std::int64_t monotonic_ms();

struct GateOptions {
  bool rate_limits = true;  // false only for benchmarks and tests that outrun any person
  bool access_log = true;   // one structured line per request on the default logger
};

struct GateHooks {
  // The account id of the member signed in on `req`, 0 for a guest. Asked only on routes
  // with a rate limit.
  std::function<std::int64_t(const Request&)> member_id;
  // Answers a request refused by a rate limit (the Failure is a 429 with retry_after), in
  // the style of the route's group (a page, or JSON for the API).
  FailureWriter refuse;
  // The clock of the rate limits, in monotonic_ms's milliseconds.
  std::function<std::int64_t()> now_ms = monotonic_ms;
};

class Gate {
 public:
  // `limiter` and `metrics` (usually shared with the other workers) must outlive the gate.
  Gate(RateLimiter& limiter, Metrics& metrics, GateOptions options, GateHooks hooks);

  // The rate limit a route falls under: kSearch for /search, /api/v1/search and
  // /api/v1/related/:id; kSuggest for /api/v1/suggest; kPage for the document's pages
  // (/doc/:id and what lies under it) and /api/v1/docs/:id; nullopt for every other route.
  static std::optional<RateClass> rate_class(const Router::Route& route);

  // `handler` of route number `index` (in Router::routes order; Metrics counts it under that
  // number): a request over its client's rate limit is refused (hooks.refuse) without calling
  // `handler`; every request is counted in the metrics with the status it was answered with
  // and logged (method, path without query, route, status, milliseconds, client key; never a
  // query string, cookie or form field).
  Handler wrap(std::size_t index, const Router::Route& route, Handler handler) const;

 private:
  // Records this process's resident memory when a second has passed since it last did.
  void sample_memory(std::int64_t now_ms) const;

  RateLimiter& limiter_;
  Metrics& metrics_;
  GateOptions options_;
  GateHooks hooks_;
  mutable std::atomic<std::int64_t> memory_sampled_ms_{-1'000'000};
};

}  // namespace wenku::web
