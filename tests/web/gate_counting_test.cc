// The gate's bookkeeping of one request, in process: a request is counted in the metrics
// before its answer is handed to the connection.
#include <utility>  // before RESTinio: Boost 1.74's Asio needs it under C++20

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "web/http/gate.h"
#include "web/http/http.h"
#include "web/http/metrics.h"
#include "web/http/rate_limiter.h"

namespace wenku::web {
namespace {

using ::testing::HasSubstr;

// A connection that takes what is written to it and, at that moment, calls `on_write`: the
// point after which a client may have read the answer.
class WatchingConnection : public restinio::impl::connection_base_t {
 public:
  explicit WatchingConnection(std::function<void()> on_write)
      : connection_base_t(1), on_write_(std::move(on_write)) {}
  void write_response_parts(restinio::request_id_t, restinio::response_output_flags_t,
                            restinio::write_group_t) override {
    on_write_();
  }
  void check_timeout(std::shared_ptr<restinio::tcp_connection_ctx_base_t>&) override {}

 private:
  std::function<void()> on_write_;
};

// A GET of `target` over `connection`.
Request request_over(std::shared_ptr<WatchingConnection> connection, std::string target) {
  static restinio::no_extra_data_factory_t extra_data;
  return std::make_shared<restinio::request_t>(
      restinio::request_id_t{1},
      restinio::http_request_header_t{restinio::http_method_get(), std::move(target)},
      std::string{}, std::move(connection), restinio::endpoint_t{}, extra_data);
}

TEST(GateCounting, ARequestIsCountedBeforeItsAnswerIsHandedOver) {
  RateLimiter limiter;
  Metrics metrics;
  const Gate gate(limiter, metrics, {.rate_limits = false, .access_log = false}, {});
  const std::vector<std::string> routes = {"GET /doc/:id"};
  const std::string counted_once =
      "wenku_http_requests_total{method=\"GET\",route=\"/doc/:id\",status=\"404\"} 1\n";
  // What /metrics said when the answer was handed to the connection.
  std::string metrics_when_written;
  auto connection = std::make_shared<WatchingConnection>(
      [&] { metrics_when_written = metrics.render(routes, {}, 0); });
  const Handler handler = gate.wrap(0, {"GET", "/doc/:id"}, [](const Request& req, Params) {
    return send(req, restinio::status_not_found(), kHtml, "<p>没有这篇文档</p>");
  });
  handler(request_over(connection, "/doc/none"), Params{});
  EXPECT_THAT(metrics_when_written, HasSubstr(counted_once));
  EXPECT_THAT(metrics.render(routes, {}, 0), HasSubstr(counted_once));  // and only once
}

}  // namespace
}  // namespace wenku::web
