#include "web/http/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace wenku::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kRoutes = {"GET /", "GET /doc/:id", "POST /login"};

TEST(Metrics, CountsRequestsByRouteAndStatusWithAHistogram) {
  Metrics metrics;
  metrics.record_request(1, 200, 0.0004);
  metrics.record_request(1, 200, 0.003);
  metrics.record_request(1, 404, 0.2);
  metrics.record_request(2, 429, 0.0001);
  metrics.record_request(2, 418, 0.0001);  // a status not counted apart
  const std::string text = metrics.render(kRoutes, {}, 0);
  EXPECT_THAT(text, HasSubstr("# TYPE wenku_http_requests_total counter\n"));
  EXPECT_THAT(
      text,
      HasSubstr("wenku_http_requests_total{method=\"GET\",route=\"/doc/:id\",status=\"200\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr("wenku_http_requests_total{method=\"GET\",route=\"/doc/:id\",status=\"404\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("wenku_http_requests_total{method=\"POST\",route=\"/login\",status=\"429\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("{method=\"POST\",route=\"/login\",status=\"other\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("route=\"/\",")));  // nothing asked: left out
  // Cumulative buckets: 1 under a millisecond, 2 under 5 ms, all 3 under a second.
  const std::string doc = "{method=\"GET\",route=\"/doc/:id\",";
  EXPECT_THAT(text,
              HasSubstr("wenku_http_request_duration_seconds_bucket" + doc + "le=\"0.001\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("wenku_http_request_duration_seconds_bucket" + doc + "le=\"0.005\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("wenku_http_request_duration_seconds_bucket" + doc + "le=\"0.1\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("wenku_http_request_duration_seconds_bucket" + doc + "le=\"0.25\"} 3\n"));
  EXPECT_THAT(text,
              HasSubstr("wenku_http_request_duration_seconds_bucket" + doc + "le=\"+Inf\"} 3\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "wenku_http_request_duration_seconds_count{method=\"GET\",route=\"/doc/:id\"} 3\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          "wenku_http_request_duration_seconds_sum{method=\"GET\",route=\"/doc/:id\"} 0.2034\n"));
}

TEST(Metrics, RefusalsMemoryAndGauges) {
  Metrics metrics;
  metrics.record_refusal(RateClass::kSearch, false);
  metrics.record_refusal(RateClass::kSearch, false);
  metrics.record_refusal(RateClass::kPage, true);
  metrics.record_memory(4242, 123'456'789, 10'000);
  metrics.record_memory(4343, 1000, 10'000);
  metrics.record_memory(4242, 200'000'000, 75'000);  // 4343 has not reported for 65 s
  const Gauge gauges[] = {{"wenku_documents", "Documents.", 23296}};
  const std::string text = metrics.render(kRoutes, gauges, 75'000);
  EXPECT_THAT(text, HasSubstr("wenku_rate_limited_total{class=\"search\",viewer=\"guest\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wenku_rate_limited_total{class=\"page\",viewer=\"member\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("wenku_rate_limited_total{class=\"suggest\",viewer=\"guest\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("wenku_process_resident_memory_bytes{pid=\"4242\"} 200000000\n"));
  EXPECT_THAT(text, Not(HasSubstr("pid=\"4343\"")));
  EXPECT_THAT(text, HasSubstr("# TYPE wenku_documents gauge\nwenku_documents 23296\n"));
}

TEST(Metrics, LabelsAreEscaped) {
  Metrics metrics;
  metrics.record_request(0, 200, 0);
  const std::vector<std::string> odd = {"GET /a\"b\\c"};
  EXPECT_THAT(metrics.render(odd, {}, 0), HasSubstr("route=\"/a\\\"b\\\\c\""));
}

TEST(Metrics, WorkersForkedAfterItAddUp) {
  Metrics metrics;
  std::vector<pid_t> children;
  for (int i = 0; i < 3; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (int n = 0; n < 1000; ++n) metrics.record_request(0, 200, 0.001);
      _exit(0);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
  }
  EXPECT_THAT(
      metrics.render(kRoutes, {}, 0),
      HasSubstr("wenku_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 3000\n"));
}

}  // namespace
}  // namespace wenku::web
